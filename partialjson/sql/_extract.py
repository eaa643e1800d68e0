"""SQL inside markdown: the content of ```sql fences in streamed prose; the rest is prose.

CommonMark fences: a line of at least three backticks or tildes, indented by at most three
spaces, opens a fence, and its info string's first word names the language; the fence closes
at a line of at least as many of the same character and nothing else but blanks. Fence content
is raw text, so a ``` line inside a SQL string still closes the fence, as any markdown reader
would show it.

Only a line start can be a fence line: the extractor holds a line back while it may still become
one (at most ``LINE_LIMIT`` characters: a longer line is not a fence line) and passes everything
else on at once, as segments ``(what, text, offset)``.
"""

from __future__ import annotations

import re
from typing import Final

PROSE, SQL, OPEN, CLOSE = range(4)
Segment = tuple[int, str, int]  # what, text, input offset of its first character
LINE_LIMIT: Final = 256

_OPENER: Final = re.compile(r" {0,3}(`{3,}|~{3,})(.*)").fullmatch
_MAY_OPEN: Final = re.compile(r" {0,3}(?:`{1,2}|~{1,2}|`{3,}[^`\n]*|~{3,}[^\n]*)?").fullmatch
SQL_LANGUAGES: Final = frozenset({
    "sql", "sqlite", "sqlite3", "postgres", "postgresql", "psql", "pgsql", "plpgsql", "mysql",
    "mariadb", "tsql", "t-sql", "mssql", "sqlserver", "bigquery", "googlesql", "snowflake", "ansi",
})  # fmt: skip


class Fences:
    def __init__(self) -> None:
        self.offset = 0  # input offset of the first character not yet passed on
        self.held = ""  # the start of a line that may be a fence line
        self.at_line_start = True
        self.fence = ""  # the marker that opened the current fence; "" outside fences
        self.sql = False  # the current fence holds SQL
        self.closes = self.may_close = _MAY_OPEN  # set when a fence opens: its closing line

    def feed(self, text: str) -> list[Segment]:
        out: list[Segment] = []
        pos, end = 0, len(text)
        while pos < end:
            newline = text.find("\n", pos)
            stop = end if newline < 0 else newline + 1
            if self.at_line_start:
                line = self.held + text[pos:stop]
                if newline >= 0:
                    self.held = ""
                    self._line(line, out)
                elif len(line) <= LINE_LIMIT and self._may_be_fence(line):
                    self.held = line
                else:
                    self.held = ""
                    self.at_line_start = False
                    self._content(line, out)
            else:
                self._content(text[pos:stop], out)
                self.at_line_start = newline >= 0
            pos = stop
        return out

    def end(self) -> list[Segment]:
        """End of input: a held line is whole. Then ``sql`` tells if a fence is unclosed."""
        out: list[Segment] = []
        if self.held:
            line, self.held = self.held, ""
            self._line(line, out)
        return out

    def _may_be_fence(self, line: str) -> bool:
        may = self.may_close if self.fence else _MAY_OPEN
        return may(line) is not None

    def _line(self, line: str, out: list[Segment]) -> None:
        """A whole line (with its newline, unless the input ended) at a line start."""
        self.at_line_start = line.endswith("\n")
        bare = line.rstrip("\n")
        # A longer line was never held back, so it is no fence line, however the text is cut.
        if len(bare) > LINE_LIMIT or not self._fence_line(bare, len(line), out):
            self._content(line, out)

    def _fence_line(self, bare: str, size: int, out: list[Segment]) -> bool:
        """Open or close a fence if ``bare`` is a fence line; True if it opened or closed a
        SQL fence (the line is markup, in no segment)."""
        if not self.fence:
            m = _OPENER(bare)
            if m is None or (m.group(1)[0] == "`" and "`" in m.group(2)):
                return False
            self.fence = marker = m.group(1)
            char = re.escape(marker[0])
            self.closes = re.compile(rf" {{0,3}}{char}{{{len(marker)},}}[ \t]*").fullmatch
            self.may_close = re.compile(rf" {{0,3}}{char}*[ \t]*").fullmatch
            words = m.group(2).split()
            self.sql = bool(words) and words[0].lower() in SQL_LANGUAGES
            if self.sql:
                self.offset += size
                out.append((OPEN, "", self.offset))
            return self.sql
        if not self.closes(bare):
            return False
        self.fence = ""
        if not self.sql:
            return False
        self.sql = False
        out.append((CLOSE, "", self.offset))
        self.offset += size
        return True

    def _content(self, text: str, out: list[Segment]) -> None:
        out.append((SQL if self.sql else PROSE, text, self.offset))
        self.offset += len(text)
