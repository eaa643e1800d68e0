"""Finding the JSON in an LLM's answer: prose, then a value or a fenced block, then more prose.

What is the JSON (``JsonStream(extract=True)``), in the order the text comes:

- a fenced code block whose info string is ``json`` or empty: its content. Fences are
  CommonMark's: a line of at least three backticks or tildes, indented by at most three spaces,
  opens one (a backtick fence's info string holds no backtick), and a line of at least as many of
  the same character, with nothing else but blanks, closes it. Other fences (``python``...) are
  prose, content included.
- outside fences, a ``{`` or ``[`` whose next non-blank character can begin its content: ``"``
  or ``}`` after ``{``; ``{``, ``[``, ``"``, ``]``, ``-`` or a digit after ``[``. So ``{curly}``,
  ``[note]`` and ``[x]`` stay prose (an array that starts with ``true``, ``false`` or ``null`` is
  found only in a fence). The value ends at its closing bracket.

The first of these is the JSON; everything else, before and after, is prose. The whole content
of the fence is the JSON text: anything after the value inside it is a syntax error, and the
value is whole only once its fence closes (an unclosed fence at end of input is incomplete).

Theory of operation
-------------------
The finder splits each chunk into pieces: ``(PROSE, text)``, ``(JSON, text)``, and the markers
``(OPEN, "")`` and ``(CLOSE, "")`` where a JSON fence's content begins and ends. A bare value's
end is for the JSON scanner to find: the stream calls :meth:`Finder.value_ended` at its closing
bracket, and the rest is prose.

Only a line start can be a fence line: a line start is held back while it may still become one
(at most ``LINE_LIMIT`` characters; a longer line is no fence line), and so is a ``{`` or ``[``
with the blanks after it until the next character decides. Everything else passes at once. Held
text is looked at again only once it is decided, so each character costs O(1): O(chunk).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

# What a piece is.
PROSE, JSON, OPEN, CLOSE = range(4)
Piece = tuple[int, str]
# Where the finder is.
LOOKING: Final = 0  # in prose, no JSON yet
OPENER: Final = 1  # after a '{' or '[' (held), until a non-blank character decides
CODE: Final = 2  # in a fence of another language
FENCE: Final = 3  # in a JSON fence
VALUE: Final = 4  # in a bare value
AFTER: Final = 5  # the JSON is over: the rest is prose

LINE_LIMIT: Final = 256

_Match = Callable[[str], "re.Match[str] | None"]
_FENCE_LINE: Final[_Match] = re.compile(r" {0,3}(`{3,}|~{3,})(.*)").fullmatch
_MAY_OPEN: Final[_Match] = re.compile(
    r" {0,3}(?:`{1,2}|~{1,2}|`{3,}[^`\n]*|~{3,}[^\n]*)?").fullmatch
_OPENERS: Final = re.compile(r"[{\[]")
_NOT_BLANK: Final = re.compile(r"[^ \t\r\n]")
_BEGINS: Final = {"{": '"}', "[": '{["]-0123456789'}  # what may follow an opener's blanks


class Finder:
    def __init__(self) -> None:
        self.state = LOOKING
        self.at_line_start = True
        self.line = ""  # a held line start that may still be a fence line
        self.held: list[str] = []  # an opener and the blanks after it
        self._closes: _Match = _MAY_OPEN  # the open fence's closing line...
        self._may_close: _Match = _MAY_OPEN  # ... and what may still become one
        self._out: list[tuple[int, list[str]]] = []

    def feed(self, text: str) -> list[Piece]:
        """Split ``text``, the next piece of the input, into pieces."""
        self._out = []
        pos, end = 0, len(text)
        while pos < end:
            state = self.state
            if state in (VALUE, AFTER):
                self._emit(JSON if state == VALUE else PROSE, text[pos:])
                break
            if state == OPENER:
                pos = self._decide(text, pos)
                continue
            newline = text.find("\n", pos)
            stop = end if newline < 0 else newline + 1
            if self.at_line_start:
                line = self.line + text[pos:stop]
                self.line = ""
                if newline >= 0:
                    self._line(line)
                elif len(line) <= LINE_LIMIT and self._may_be_fence(line):
                    self.line = line
                else:
                    self.at_line_start = False
                    self._content(line)
            else:
                self.at_line_start = newline >= 0
                self._content(text[pos:stop])
            pos = stop
        return self._pieces()

    def finish(self) -> list[Piece]:
        """End of input: a held line is whole, a held opener undecided (prose)."""
        self._out = []
        if self.line:
            line, self.line = self.line, ""
            self._line(line)
        if self.state == OPENER:
            self._emit(PROSE, "".join(self.held))
            self.state = LOOKING
        return self._pieces()

    def value_ended(self) -> None:
        """The bare value is complete: what follows is prose."""
        self.state = AFTER

    # -- lines and fences ------------------------------------------------------------------
    def _may_be_fence(self, line: str) -> bool:
        may = _MAY_OPEN if self.state == LOOKING else self._may_close
        return may(line) is not None

    def _line(self, line: str) -> None:
        """A whole line at a line start (with its newline, unless the input ended)."""
        self.at_line_start = line.endswith("\n")
        bare = line[:-1] if line.endswith("\n") else line
        if len(bare) > LINE_LIMIT or not self._fence_line(bare, line):
            self._content(line)

    def _fence_line(self, bare: str, line: str) -> bool:
        """Open or close a fence if ``bare`` is a fence line (then passed on as prose)."""
        if self.state == LOOKING:
            m = _FENCE_LINE(bare)
            if m is None or (m.group(1)[0] == "`" and "`" in m.group(2)):
                return False
            marker = m.group(1)
            char = re.escape(marker[0])
            self._closes = re.compile(rf" {{0,3}}{char}{{{len(marker)},}}[ \t\r]*").fullmatch
            self._may_close = re.compile(rf" {{0,3}}{char}*[ \t\r]*").fullmatch
            words = m.group(2).split()
            self._emit(PROSE, line)
            if words and words[0].lower() != "json":
                self.state = CODE
            else:
                self.state = FENCE
                self._emit(OPEN, "")
            return True
        if self._closes(bare) is None:
            return False
        if self.state == FENCE:
            self._emit(CLOSE, "")
            self.state = AFTER
        else:
            self.state = LOOKING
        self._emit(PROSE, line)
        return True

    # -- content ---------------------------------------------------------------------------
    def _content(self, text: str) -> None:
        """Text that is no fence line: JSON in a JSON fence, prose in another; outside fences,
        prose up to an opener that starts the value."""
        state = self.state
        if state != LOOKING:
            self._emit(JSON if state == FENCE else PROSE, text)
            return
        start = 0
        for m in _OPENERS.finditer(text):
            at = m.start()
            after = _NOT_BLANK.search(text, at + 1)
            if after is not None and text[after.start()] not in _BEGINS[text[at]]:
                continue  # prose: '{curly}', '[note]'
            self._emit(PROSE, text[start:at])
            if after is None:
                self.state, self.held = OPENER, [text[at:]]
            else:
                self.state = VALUE
                self._emit(JSON, text[at:])
            return
        self._emit(PROSE, text[start:])

    def _decide(self, text: str, pos: int) -> int:
        """After a held opener and blanks: the next non-blank character decides."""
        after = _NOT_BLANK.search(text, pos)
        if after is None:
            self.held.append(text[pos:])
            return len(text)
        at = after.start()
        held = "".join(self.held) + text[pos:at]
        self.held = []
        if text[at] in _BEGINS[held[0]]:
            self.state = VALUE
            self._emit(JSON, held)
            return at
        # Prose after all: the blanks leave the next character at a line start, or not.
        self.state = LOOKING
        newline = held.rfind("\n")
        self.at_line_start = newline >= 0
        self._emit(PROSE, held[: newline + 1] if newline >= 0 else held)
        self.line = held[newline + 1 :] if newline >= 0 else ""
        return at

    # -- output ----------------------------------------------------------------------------
    def _emit(self, kind: int, text: str) -> None:
        out = self._out
        if kind >= OPEN:
            out.append((kind, []))
        elif text:
            if out and out[-1][0] == kind:
                out[-1][1].append(text)
            else:
                out.append((kind, [text]))

    def _pieces(self) -> list[Piece]:
        return [(kind, "".join(texts)) for kind, texts in self._out]
