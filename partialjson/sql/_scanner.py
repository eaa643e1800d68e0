"""The SQL state machine: text chunks in, tokens out.

Everything that decides what the characters of SQL text are — code, string, quoted identifier,
comment, dollar-quoted body, client command — lives in this file, for every dialect; what differs
between dialects is data (``_dialects.py``). Where statements end is the splitter's business.

Theory of operation
-------------------
The scanner is in one mode at a time: NORMAL (code), QUOTE (a string or quoted identifier),
LINE_COMMENT, BLOCK_COMMENT (with its nesting depth), DOLLAR (a ``$tag$`` body), WORD (a word a
chunk boundary cut), GO_LINE (T-SQL: after ``GO`` at the start of a line) and DELIMITER_LINE
(MySQL: after the ``DELIMITER`` command). In each mode one compiled regular expression (or
``str.find``) consumes the run of characters that change nothing; Python runs once per token,
never per character.

Nothing is read twice but a bounded carry: when a chunk ends where the next character may still
change the meaning of the last few — ``-`` before ``-``, ``'`` before ``'``, ``*`` before
``/``, ``$tag`` before ``$``, a backslash, ``/*!5`` before more version digits, the rest of a
``GO`` line — those few characters (at most ``CARRY_LIMIT``) are held and read again with the
next chunk. A word cut by a boundary is not held but continued in WORD mode, keeping only its
first ``LONGEST_KEYWORD + 1`` characters: enough to know whether it is a keyword. So a chunk
costs work proportional to the chunk, and every chunking of a text makes the same tokens.

Tokens go to the splitter (``Tokens``). A word is reported when the character after it arrives
(or the input ends): that character is what makes ``DROP`` certain. Where a word may be a client
command (``GO`` at a line start, ``DELIMITER`` before a statement) the statement's start waits
for the whole word; otherwise it is reported at the token's first character.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, Protocol

from ._dialects import Dialect, Quote, quote_run
from ._splitter import Incomplete

NORMAL, QUOTE, LINE_COMMENT, BLOCK_COMMENT, DOLLAR, WORD, GO_LINE, DELIMITER_LINE = range(8)
LONGEST_KEYWORD: Final = 16
CARRY_LIMIT: Final = 64

_EXECUTABLE: Final = re.compile(r"/\*M?!([0-9]{0,6})")  # MySQL /*!50001 or MariaDB /*M!100100
_EXECUTABLE_PREFIX: Final = re.compile(r"/\*M?").fullmatch
_GO_TAIL: Final = re.compile(r"[ \t\r]*(?:[0-9]+[ \t\r]*)?(--|\n)").match  # GO [count] [-- …]
_GO_TAIL_AT_END: Final = re.compile(r"[ \t\r]*(?:[0-9]+[ \t\r]*)?").fullmatch
_GO_UNDECIDED: Final = re.compile(r"[ \t\r]*(?:[0-9]+[ \t\r]*)?-?").fullmatch
_DELIMITER_ARGUMENT: Final = re.compile(r"[ \t]+(\S+)(?=\s)").match
_DELIMITER_AT_END: Final = re.compile(r"[ \t]+(\S+)").fullmatch
_DELIMITER_UNDECIDED: Final = re.compile(r"[ \t]*\S*").fullmatch
_DELIMITER_NEEDS: Final = "DELIMITER needs a terminator (of a few characters) on its line"


def _cut_short(text: str, pos: int, token: str) -> bool:
    """The text ends after ``pos`` with the start of ``token``: it may be ``token``, cut."""
    return len(text) - pos < len(token) and token.startswith(text[pos:])


class ScanError(Exception):
    """Malformed input at ``offset`` (a client command the scanner cannot follow)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class _More(Exception):
    """The token at ``pos`` needs the next chunk to be known."""

    def __init__(self, pos: int) -> None:
        self.pos = pos


class Tokens(Protocol):
    pending: bool  # a statement has begun …
    start: int  # … here

    def begin(self, offset: int) -> None: ...
    def word(self, word: str | None, start: int, end: int) -> None: ...
    def punct(self, char: str, offset: int) -> None: ...
    def literal(self, start: int, end: int) -> None: ...
    def executable_comment(self, opened: bool, offset: int) -> None: ...
    def terminator(self, start: int, end: int) -> None: ...
    def hard_end(self, offset: int) -> None: ...
    def finish(self, offset: int) -> None: ...


Handler = Callable[[str, int, bool], int]


class Scanner:
    def __init__(self, dialect: type[Dialect], tokens: Tokens) -> None:
        self.dialect = dialect
        self.tokens = tokens
        self.modes: list[Handler] = [
            self._normal, self._in_quote, self._in_line_comment, self._in_block_comment,
            self._in_dollar, self._in_word, self._go_line, self._delimiter_line,
        ]  # fmt: skip
        self.restart(0)

    def restart(self, offset: int) -> None:
        """Start afresh (a new input, a new ```sql fence) at input ``offset``."""
        dialect = self.dialect
        self.mode = NORMAL
        self.carry = ""
        self.base = offset  # input offset of the text the next feed() reads first
        self.commands = dialect.GO_BATCHES or dialect.DELIMITER_COMMAND
        self._set_delimiter(";", offset)
        self.quote: Quote = dialect.QUOTES[0]
        self.token_start = 0  # offset where the open string, comment or word began
        self.depth = 0  # block comment nesting
        self.closer = ""  # the open dollar quote's closer
        self.word_text = ""  # the first characters of a word a chunk boundary cut
        self.word_deferred = False  # … whose statement start waits for the whole word
        self.last_word = ""
        self.last_word_end = -1
        self.line_start = True  # T-SQL: nothing but whitespace since the last newline
        self.executable = False  # inside a MySQL /*! … */

    # -- the main loop -------------------------------------------------------------------------
    def feed(self, chunk: str, final: bool = False) -> None:
        """Scan ``chunk``; with ``final``, it is the last: hold nothing back."""
        text = self.carry + chunk if self.carry else chunk
        self.carry = ""
        pos = 0
        end = len(text)
        modes = self.modes
        try:
            while pos < end:
                pos = modes[self.mode](text, pos, final)
        except _More as more:
            pos = more.pos
            self.carry = text[pos:]
        self.base += pos

    def end(self) -> None:
        """End of input: finish what the last chunk left open."""
        self.feed("", final=True)
        offset = self.base
        if self.mode == WORD:
            self.mode = NORMAL
            self._word(self.word_text, self.token_start, offset, self.word_deferred)
        mode = self.mode
        if mode == GO_LINE:
            self.tokens.hard_end(self.token_start)
        elif mode == DELIMITER_LINE:
            raise ScanError(_DELIMITER_NEEDS, offset)
        elif mode == QUOTE:
            self._incomplete(f"unterminated {self.quote.opener}…{self.quote.closer}", offset)
        elif mode == DOLLAR:
            self._incomplete("unterminated dollar-quoted string", offset)
        elif mode == BLOCK_COMMENT and not self.dialect.COMMENT_MAY_END_INPUT:
            self._incomplete("unterminated comment", offset)
        if self.executable:
            self._incomplete("unterminated executable comment", offset)
        self.tokens.finish(offset)
        self.restart(offset)

    def _incomplete(self, message: str, offset: int) -> None:
        tokens = self.tokens
        raise Incomplete(message, offset, tokens.start if tokens.pending else self.token_start)

    # -- code ----------------------------------------------------------------------------------
    def _normal(self, text: str, pos: int, final: bool) -> int:
        end = len(text)
        space_word = self.space_word
        actions = self.actions
        while True:
            m = space_word(text, pos)
            pos = m.end()
            start = m.start(1)
            if start >= 0:
                if pos == end and not final:
                    self._cut_word(text, start)
                    return end
                base = self.base
                self._word(text[start:pos], base + start, base + pos, self._may_be_command())
            elif pos >= end:
                return end
            else:
                action = actions.get(text[pos])
                if action is None:
                    pos = self._punct(text, pos)
                    continue
                pos = action(text, pos, final)
            if self.mode != NORMAL:
                return pos

    def _plain(self, text: str, pos: int, final: bool) -> int:
        """A word, or a punctuation character (where a special character was not special)."""
        m = self.word_match(text, pos)
        if m is None:
            return self._punct(text, pos)
        stop = m.end()
        if stop == len(text) and not final:
            self._cut_word(text, pos)
            return stop
        self._word(text[pos:stop], self.base + pos, self.base + stop, self._may_be_command())
        return stop

    def _may_be_command(self) -> bool:
        """A word here may be a client command: GO at a line start, DELIMITER before a
        statement. Its statement does not start before the word is whole."""
        dialect = self.dialect
        return self.commands and (
            (dialect.GO_BATCHES and self.line_start)
            or (dialect.DELIMITER_COMMAND and not self.tokens.pending)
        )

    def _cut_word(self, text: str, pos: int) -> None:
        """A word runs to the end of the chunk: go on with it in the next."""
        start = self.base + pos
        self.word_deferred = self._may_be_command()
        if not self.word_deferred:
            self.tokens.begin(start)
        self.mode = WORD
        self.token_start = start
        self.word_text = text[pos : pos + LONGEST_KEYWORD + 1]

    def _in_word(self, text: str, pos: int, final: bool) -> int:
        stop = self.word_rest(text, pos).end()
        room = LONGEST_KEYWORD + 1 - len(self.word_text)
        if room > 0:
            self.word_text += text[pos : min(stop, pos + room)]
        if stop == len(text) and not final:
            return stop
        self.mode = NORMAL
        self._word(self.word_text, self.token_start, self.base + stop, self.word_deferred)
        return stop

    def _word(self, raw: str, start: int, end: int, deferred: bool) -> None:
        # Keywords are ASCII; str.upper() would make SUM of '\u017fum' (long s); no engine does.
        word = raw.upper() if len(raw) <= LONGEST_KEYWORD and raw.isascii() else None
        if deferred:
            if word == "GO" and self.line_start and self.dialect.GO_BATCHES:
                self.mode = GO_LINE
                self.token_start = start
                self.last_word_end = end
                return
            if word == "DELIMITER" and self.dialect.DELIMITER_COMMAND:
                self.mode = DELIMITER_LINE
                return
        self.line_start = False
        self.last_word = word or ""
        self.last_word_end = end
        self.tokens.word(word, start, end)

    def _terminator(self, text: str, pos: int, final: bool) -> int:
        self.line_start = False
        offset = self.base + pos
        self.tokens.terminator(offset, offset + 1)
        return pos + 1

    def _newline(self, text: str, pos: int, final: bool) -> int:
        self.line_start = True
        return pos + 1

    # -- strings and quoted identifiers --------------------------------------------------------
    def _quote(self, text: str, pos: int, final: bool) -> int:
        start = self.base + pos
        prefixed = self.dialect.PREFIXED_QUOTES.get(self.last_word)
        if prefixed is not None and self.last_word_end == start:
            quote = prefixed  # E'…'
        else:
            for quote in self.dialect.QUOTES_BY_CHAR[text[pos]]:  # longest opener first
                if text.startswith(quote.opener, pos):
                    break
                if not final and _cut_short(text, pos, quote.opener):
                    raise _More(pos)  # '' may still become '''
        self.tokens.begin(start)
        self.line_start = False
        self.quote = quote
        self.token_start = start
        self.mode = QUOTE
        return pos + len(quote.opener)

    def _in_quote(self, text: str, pos: int, final: bool) -> int:
        quote = self.quote
        closer = quote.closer
        run = quote_run(quote)
        end = len(text)
        while True:
            pos = run(text, pos).end()
            if pos >= end:
                return end
            if text[pos] == "\\":
                if pos + 1 >= end:
                    return self._wait(pos, final)
                pos += 2
            elif len(closer) > 1:
                if text.startswith(closer, pos):
                    pos += len(closer)
                    break
                if _cut_short(text, pos, closer):
                    return self._wait(pos, final)
                pos += 1
            elif quote.doubled and pos + 1 >= end and not final:
                raise _More(pos)  # 'it' or 'it''s
            elif quote.doubled and pos + 1 < end and text[pos + 1] == closer:
                pos += 2
            else:
                pos += 1
                break
        self.mode = NORMAL
        self.tokens.literal(self.token_start, self.base + pos)
        return pos

    def _wait(self, pos: int, final: bool) -> int:
        """The chunk ends inside a token at ``pos``: carry it, or at the end, give up on it."""
        if final:
            return pos + 1
        raise _More(pos)

    # -- comments ------------------------------------------------------------------------------
    def _dash(self, text: str, pos: int, final: bool) -> int:
        end = len(text)
        if pos + 1 >= end and not final:
            raise _More(pos)
        if pos + 1 < end and text[pos + 1] == "-":
            if not self.dialect.DASH_COMMENT_NEEDS_SPACE:
                return self._line_comment(pos + 2)
            if pos + 2 >= end:
                if not final:
                    raise _More(pos)
                return self._line_comment(pos + 2)
            if text[pos + 2] <= " ":  # MySQL: '-- ' or '--' before a control character
                return self._line_comment(pos + 2)
        return self._punct(text, pos)

    def _hash(self, text: str, pos: int, final: bool) -> int:
        return self._line_comment(pos + 1)

    def _line_comment(self, after: int) -> int:
        self.mode = LINE_COMMENT
        return after

    def _in_line_comment(self, text: str, pos: int, final: bool) -> int:
        newline = text.find("\n", pos)
        if newline < 0:
            return len(text)
        self.mode = NORMAL
        return newline  # NORMAL reads the newline: T-SQL's GO looks for line starts

    def _slash(self, text: str, pos: int, final: bool) -> int:
        end = len(text)
        if pos + 1 >= end:
            if not final:
                raise _More(pos)
            return self._punct(text, pos)
        following = text[pos + 1]
        if following == "*":
            if self.dialect.EXECUTABLE_COMMENTS:
                m = _EXECUTABLE.match(text, pos)
                if m is not None and (m.end() < end or len(m.group(1)) == 6 or final):
                    return self._open_executable(pos, m.end())
                if not final and (m is not None or _EXECUTABLE_PREFIX(text, pos)):
                    raise _More(pos)
            self.mode = BLOCK_COMMENT
            self.token_start = self.base + pos
            self.depth = 1
            return pos + 2
        if following == "/" and "//" in self.dialect.LINE_COMMENTS:
            return self._line_comment(pos + 2)
        return self._punct(text, pos)

    def _in_block_comment(self, text: str, pos: int, final: bool) -> int:
        run = self.dialect.COMMENT_RUN
        end = len(text)
        while True:
            pos = run(text, pos).end()
            if pos >= end:
                return end
            if pos + 1 >= end:
                return self._wait(pos, final)
            pair = text[pos : pos + 2]
            if pair == "*/":
                pos += 2
                self.depth -= 1
                if self.depth == 0:
                    self.mode = NORMAL
                    return pos
            elif pair == "/*":
                pos += 2
                self.depth += 1
            else:
                pos += 1

    def _open_executable(self, pos: int, after: int) -> int:
        self.line_start = False
        self.executable = True
        self.tokens.executable_comment(True, self.base + pos)
        return after

    def _star(self, text: str, pos: int, final: bool) -> int:
        """MySQL: ``*/`` closes an executable comment; elsewhere ``*`` is an operator."""
        if self.executable:
            if pos + 1 >= len(text) and not final:
                raise _More(pos)
            if text.startswith("*/", pos):
                self.executable = False
                self.tokens.executable_comment(False, self.base + pos + 2)
                return pos + 2
        return self._punct(text, pos)

    # -- dollar quotes -------------------------------------------------------------------------
    def _dollar(self, text: str, pos: int, final: bool) -> int:
        m = self.dialect.DOLLAR_OPEN(text, pos)
        if m is not None and m.end() - pos <= CARRY_LIMIT:  # a longer tag is no tag, cut or not
            start = self.base + pos
            self.tokens.begin(start)
            self.line_start = False
            self.closer = m.group()
            self.token_start = start
            self.mode = DOLLAR
            return m.end()
        if not final and len(text) - pos <= CARRY_LIMIT and self.dialect.DOLLAR_PREFIX(text, pos):
            raise _More(pos)  # '$ta' may still become '$tag$'
        return self._plain(text, pos, final)  # $1, $var, or an operator

    def _in_dollar(self, text: str, pos: int, final: bool) -> int:
        closer = self.closer
        found = text.find(closer, pos)
        if found >= 0:
            stop = found + len(closer)
            self.mode = NORMAL
            self.tokens.literal(self.token_start, self.base + stop)
            return stop
        end = len(text)
        if not final:  # hold an end that may begin the closer
            held = text.rfind("$", max(pos, end - len(closer) + 1))
            if held >= 0 and closer.startswith(text[held:]):
                raise _More(held)
        return end

    # -- client commands -----------------------------------------------------------------------
    def _go_line(self, text: str, pos: int, final: bool) -> int:
        """After ``GO`` at a line start: a batch separator if the line holds only a count and a
        comment; otherwise ``GO`` was an ordinary word."""
        m = _GO_TAIL(text, pos)
        if m is not None and m.end() - pos > CARRY_LIMIT:
            m = None  # too long to have been held: not a GO line, however the text is cut
        at_end = final and len(text) - pos <= CARRY_LIMIT and _GO_TAIL_AT_END(text, pos)
        if m is not None or at_end:
            self.mode = NORMAL
            self.tokens.hard_end(self.token_start)
            if m is None:
                return len(text)
            if m.group(1) == "--":
                return self._line_comment(m.end())
            return m.end() - 1  # NORMAL reads the newline
        if not final and len(text) - pos <= CARRY_LIMIT and _GO_UNDECIDED(text, pos):
            raise _More(pos)
        self.mode = NORMAL
        self.line_start = False
        self._word("GO", self.token_start, self.last_word_end, deferred=False)
        return pos

    def _delimiter_line(self, text: str, pos: int, final: bool) -> int:
        """After MySQL's ``DELIMITER``: its argument becomes the terminator."""
        m = _DELIMITER_ARGUMENT(text, pos) or (_DELIMITER_AT_END(text, pos) if final else None)
        if m is not None and m.end() - pos > CARRY_LIMIT:
            m = None  # too long to have been held, however the text is cut
        if m is None:
            if not final and len(text) - pos <= CARRY_LIMIT and _DELIMITER_UNDECIDED(text, pos):
                raise _More(pos)
            raise ScanError(_DELIMITER_NEEDS, self.base + pos)
        self._set_delimiter(m.group(1), self.base + m.start(1))
        self.mode = NORMAL
        return m.end()

    def _set_delimiter(self, delimiter: str, offset: int) -> None:
        """The terminator (';' unless a MySQL DELIMITER set another): who handles what."""
        dialect = self.dialect
        self.delimiter = delimiter
        self.actions: dict[str, Handler] = {
            char: getattr(self, "_" + name) for char, name in dialect.SPECIALS.items()
        }
        self.fallback: Handler | None = None  # what the delimiter's first character did before
        first = delimiter[0]
        if delimiter != ";":
            if first.isalnum() or first == "_" or "\\" in delimiter:
                raise ScanError(f"unsupported DELIMITER {delimiter!r}", offset)
            self.fallback = self.actions.get(first)
            self.actions[first] = self._delimiter
        # '$$' must not hide inside a word: END$$ is END, then the terminator.
        self.word_match, self.word_rest, self.space_word = dialect.words(
            exclude=first if delimiter != ";" else ""
        )

    def _delimiter(self, text: str, pos: int, final: bool) -> int:
        delimiter = self.delimiter
        if text.startswith(delimiter, pos):
            self.line_start = False
            self.tokens.hard_end(self.base + pos)
            return pos + len(delimiter)
        if not final and _cut_short(text, pos, delimiter):
            raise _More(pos)
        if self.fallback is not None:
            return self.fallback(text, pos, final)
        return self._plain(text, pos, final)

    def _backslash(self, text: str, pos: int, final: bool) -> int:
        """The mysql client's ``\\G`` and ``\\g`` send the statement."""
        if pos + 1 >= len(text) and not final:
            raise _More(pos)
        if text[pos + 1 : pos + 2] in ("g", "G"):
            self.tokens.hard_end(self.base + pos)
            return pos + 2
        return self._punct(text, pos)

    def _punct(self, text: str, pos: int) -> int:
        self.line_start = False
        self.tokens.punct(text[pos], self.base + pos)
        return pos + 1
