"""The SQL state machine: text chunks in, tokens out.

Everything that decides what the characters of SQL text are — code, string, quoted identifier,
comment, dollar-quoted body, client command — lives in this file, for every dialect; what differs
between dialects is data (``_dialects.py``). Where statements end is the splitter's business.

Theory of operation
-------------------
The scanner is in one mode at a time: NORMAL (code), QUOTE (a string or quoted identifier),
LINE_COMMENT, BLOCK_COMMENT (with its nesting depth), DOLLAR (a ``$tag$`` body), WORD (a word a
chunk boundary cut), GO_LINE (T-SQL: after ``GO`` at the start of a line), DELIMITER_LINE
(MySQL: after the ``DELIMITER`` command), CONTINUE (PostgreSQL: after a string, where a newline
and ``'`` continue it) and ARGS (the rest of a client command's line). In each mode one
compiled regular expression (or ``str.find``) consumes the run of characters that change
nothing; Python runs once per token, never per character.

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

Fail closed: where engines, settings or clients read the same text differently (a bare CR in a
``--`` comment, a backslash before a quote while ``NO_BACKSLASH_ESCAPES`` is unknown, a
versioned ``/*!50000``…), the scanner reports ``ambiguous`` at the character that makes the
difference certain, and goes on with one reading; a client command is reported as
``client_command``. A policy refuses both; without one they are effects of the statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, Protocol, cast

from ._dialects import HARMLESS, Lexing, Quote, Run, quote_run
from ._splitter import Incomplete

(NORMAL, QUOTE, LINE_COMMENT, BLOCK_COMMENT, DOLLAR, WORD, GO_LINE, DELIMITER_LINE, CONTINUE,
 ARGS) = range(10)  # fmt: skip
LONGEST_KEYWORD: Final = 32  # the longest word a table names: STANDARD_CONFORMING_STRINGS
CARRY_LIMIT: Final = 64

_EXECUTABLE: Final = re.compile(r"/\*M?!([0-9]{0,6})")  # MySQL /*!50001 or MariaDB /*M!100100
_EXECUTABLE_PREFIX: Final = re.compile(r"/\*M?").fullmatch
_EXECUTABLE_REASON: Final = (
    "MySQL runs /*!NNNNN … */ only from server version NNNNN and /*M! … */ only on MariaDB; "
    "elsewhere it is a comment (set server_version to decide)"
)
_GO_TAIL: Final = re.compile(r"[ \t\r]*(?:[0-9]+[ \t\r]*)?(--|\n)").match  # GO [count] [-- …]
_GO_TAIL_AT_END: Final = re.compile(r"[ \t\r]*(?:[0-9]+[ \t\r]*)?").fullmatch
_GO_UNDECIDED: Final = re.compile(r"[ \t\r]*(?:[0-9]+[ \t\r]*)?-?").fullmatch
# mysql.cc get_arg(): a quoted argument loses its quotes; a bare one ends at a space. The client
# ignores the rest of the line.
_DELIMITER_ARGUMENT: Final = re.compile(
    r"[ \t]+(?:(['\"`])([^'\"`\n]*)\1|([^ \r\n'\"`][^ \r\n]*)(?=[ \r\n]))"
).match
_DELIMITER_AT_END: Final = re.compile(r"[ \t]+([^ \r\n'\"`][^ \r\n]*)").fullmatch
_DELIMITER_UNDECIDED: Final = re.compile(r"[ \t]*(?:['\"`][^\n]*|[^ \r\n]*)").fullmatch
_DELIMITER_NEEDS: Final = "DELIMITER needs a terminator (of a few characters) on its line"
_SPACE_RUN: Final = cast(Run, re.compile(r"[ \t\n\r\f\v]*").match)
_SKIPPED_RUN: Final = cast(Run, re.compile(r"[^*\\]*").match)
_HORIZONTAL_RUN: Final = cast(Run, re.compile(r"[ \t\r\f\v]*").match)
_PSQL_NAME: Final = cast(Run, re.compile(r"[A-Za-z0-9_]{1,32}\+{0,2}|\S?").match)
_LINE_NAME: Final = re.compile(r"!!?|[A-Za-z_][A-Za-z0-9_]{0,31}").match  # '!' may become '!!'
# The rest of a client command's line: what each check lets pass.
SEND = "send"  # the check of the arguments of a command that sends: there should be none
_ARGS_RUN: Final[dict[str, Run]] = {
    SEND: cast(Run, re.compile(r"[ \t\r\f\v]*").match),  # psql \g: an argument is a file or a pipe
    # psql: `cmd`, a second \command, :variable
    HARMLESS: cast(Run, re.compile(r"[^\n`\\:]*").match),
    "": cast(Run, re.compile(r"[^\n]*").match),
}
_ARGS_REASON: Final = {
    SEND: "with an argument, it writes the result to a file or pipes it to a shell command",
    HARMLESS: "psql runs `…` in a meta-command's arguments as a shell command, reads \\ as a "
    "second meta-command and :name as a variable",
}
_CR_REASON: Final = (
    "a bare CR in a -- comment: PostgreSQL ends the comment there, MySQL and SQLite at the "
    "newline; engines differ, so the code after it is ambiguous"
)
_NESTED_REASON: Final = (
    "a '/*' inside a comment: PostgreSQL and SQL Server nest comments, MySQL and SQLite end "
    "the comment at the first '*/'; engines differ, so what follows is ambiguous"
)
_DASH_CONTROL: Final = (
    "MySQL starts a -- comment at a control character, the mysql client only at whitespace"
)
_DASH_LINE: Final = (
    "the mysql client drops a line that starts with -- as a comment, the server reads two "
    "minus signs"
)
_TCL: Final = (
    "SQLite reads $name(…) (also @name, :name, #name) as one parameter up to the next space "
    "or ')', quotes and ';' included, where other readers see a string"
)
_ASCII_SPACE: Final = " \t\n\r\f\v"


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

    def ambiguous(self, reason: str, offset: int) -> None: ...
    def client_command(
        self, reason: str, offset: int, name: str, start: int, end: int
    ) -> None: ...
    def command_end(self, offset: int) -> None: ...

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
    def __init__(self, lexing: Lexing, tokens: Tokens) -> None:
        self.lexing = lexing
        self.dialect = dialect = lexing.dialect
        self.client = client = lexing.client
        self.tokens = tokens
        self.modes: list[Handler] = [
            self._normal, self._in_quote, self._in_line_comment, self._in_block_comment,
            self._in_dollar, self._in_word, self._go_line, self._delimiter_line,
            self._continue, self._in_args,
        ]  # fmt: skip
        # Characters this stream reads besides the dialect's specials: client commands.
        specials: dict[str, str] = {}
        if client.backslash or dialect.DELIMITER_COMMAND:
            specials["\\"] = "backslash"
        for char in client.line + client.statement_line:
            specials[char] = "line_command"
        if client.substitution:
            specials["$"] = "substitution"
        if client.interpolation:
            specials[":"] = "interpolation"
        # Newlines are read one by one where line starts matter.
        self.lines = bool(
            dialect.GO_BATCHES or dialect.DASH_COMMENT_NEEDS_SPACE or client.line
            or client.statement_line or client.words
        )  # fmt: skip
        if self.lines:
            specials["\n"] = "newline"
        self.specials = specials
        self.no_word = "$" if client.substitution else ""  # sqlcmd: abc$(x) substitutes
        self.restart(0)

    def restart(self, offset: int) -> None:
        """Start afresh (a new input, a new ```sql fence) at input ``offset``."""
        dialect = self.dialect
        self.mode = NORMAL
        self.carry = ""
        self.base = offset  # input offset of the text the next feed() reads first
        self.commands = dialect.GO_BATCHES or dialect.DELIMITER_COMMAND
        self._set_delimiter(";", offset)
        self.quote: Quote = self.lexing.quotes["'"][0]
        self.token_start = 0  # offset where the open string, comment or word began
        self.depth = 0  # block comment nesting
        self.closer = ""  # the open dollar quote's closer
        self.word_text = ""  # the first characters of a word a chunk boundary cut
        self.word_deferred = False  # … whose statement start waits for the whole word
        self.last_word = ""
        self.last_word_end = -1
        self.line_start = True  # nothing but whitespace since the last newline
        self.executable = False  # inside a MySQL /*! … */
        self.skipped_code = False  # in a /*!NNNNN … */ the server skips (the client does not)
        self.after_cr = False  # in a line comment, after a bare CR (engines differ)
        self.comment_return = NORMAL  # the mode a line comment returns to
        self.newline_seen = False  # CONTINUE: a newline since the string closed
        self.sigil_end = self.param_end = -1  # SQLite: after $ (@ : #), after $name
        self.args_check = ""  # ARGS: what the rest of the line may hold (_ARGS_RUN)
        self.args_name = ""  # … the command's name
        self.send_at = -1  # … where the command that sends the statement began

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
        if mode == ARGS:
            if self.send_at >= 0:
                self.tokens.hard_end(self.send_at)
            self.tokens.command_end(offset)
        elif mode == GO_LINE:
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
            client = self.client
            if word is not None and (
                (word in client.words and self.line_start)
                or (word in client.statement_words and not self.tokens.pending)
            ):
                self.line_start = False
                self._command(word.lower(), raw, end, start)
                self._args(0, raw, "")
                return
        self.line_start = False
        if start == self.sigil_end:
            self.param_end = end  # SQLite: $name
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
        prefixed = self.lexing.prefixed.get(self.last_word)
        if (
            prefixed is not None
            and self.last_word_end == start
            and text.startswith(prefixed.opener, pos)  # not U&"…", an identifier
        ):
            quote = prefixed  # E'…'
        else:
            for quote in self.lexing.quotes[text[pos]]:  # longest opener first
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
            char = text[pos]
            if char == "\\":
                if pos + 1 >= end:
                    return self._wait(pos, final)
                # Unknown setting: both readings agree, pair by pair, up to a backslash that
                # would escape the closer ('a\'…); there they part, and the likely one goes on.
                if quote.backslash is None and text[pos + 1] == closer[0]:
                    self.tokens.ambiguous(quote.unknown, self.base + pos + 1)
                    pos += 2 if quote.likely else 1
                else:
                    pos += 2
            elif char == "$" and quote.substitution and char != closer[0]:
                if pos + 1 >= end:
                    return self._wait(pos, final)
                if text[pos + 1] == "(":
                    self._substitute(pos)
                pos += 1
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
        if self.dialect.STRING_CONTINUATION and closer == "'":
            self.mode = CONTINUE
            self.newline_seen = False
        return pos

    def _continue(self, text: str, pos: int, final: bool) -> int:
        """PostgreSQL: after a string, whitespace holding a newline (and ``--`` comments) then
        ``'`` continue the same constant, in the same escape mode: ``E'a'<newline>'\\''``."""
        m = _SPACE_RUN(text, pos)
        stop = m.end()
        if not self.newline_seen and ("\n" in m.group() or "\r" in m.group()):
            self.newline_seen = self.line_start = True
        end = len(text)
        if stop >= end:
            return end
        char = text[stop]
        if char == "'" and self.newline_seen:
            self.mode = QUOTE
            self.token_start = self.base + stop
            return stop + 1
        if char == "-":
            if stop + 1 >= end and not final:
                raise _More(stop)
            if text.startswith("--", stop):
                self.comment_return = CONTINUE
                return self._line_comment(stop + 2)
        self.mode = NORMAL
        return stop

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
        flow = self.dialect.FLOW_OPERATOR
        if flow and text.startswith(">", pos + 1):  # Snowflake: SELECT … ->> DELETE …
            if pos + 2 >= end and not final:
                raise _More(pos)
            if text.startswith(flow, pos):
                self.line_start = False
                offset = self.base + pos
                self.tokens.terminator(offset, offset + len(flow))
                return pos + len(flow)
        if pos + 1 < end and text[pos + 1] == "-":
            if not self.dialect.DASH_COMMENT_NEEDS_SPACE:
                return self._line_comment(pos + 2)
            if pos + 2 >= end:
                if not final:
                    raise _More(pos)
                return self._line_comment(pos + 2)
            third = text[pos + 2]
            if third <= " " or third == "\x7f":  # MySQL: '--' then whitespace or control
                if third not in _ASCII_SPACE:
                    self.tokens.ambiguous(_DASH_CONTROL, self.base + pos + 2)
                return self._line_comment(pos + 2)
            if self.line_start:
                after = self._punct(text, pos)  # the server's reading: minus signs
                self.tokens.ambiguous(_DASH_LINE, self.base + pos + 2)
                return after
        return self._punct(text, pos)

    def _hash(self, text: str, pos: int, final: bool) -> int:
        return self._line_comment(pos + 1)

    def _line_comment(self, after: int) -> int:
        self.mode = LINE_COMMENT
        self.after_cr = False
        return after

    def _in_line_comment(self, text: str, pos: int, final: bool) -> int:
        end = len(text)
        cr = self.dialect.LINE_COMMENT_CR
        while True:
            if self.after_cr:  # a bare CR: only whitespace may follow it on this line
                pos = _HORIZONTAL_RUN(text, pos).end()
                if pos >= end:
                    return end
                self.after_cr = False
                if text[pos] != "\n":
                    self.tokens.ambiguous(_CR_REASON, self.base + pos)
            m = self.dialect.COMMENT_END(text, pos)
            if m is None:
                return end
            stop = m.start()
            if text[stop] == "\r" and cr is None:
                if stop + 1 >= end and not final:
                    raise _More(stop)  # '\r' or '\r\n'
                if text.startswith("\r\n", stop):
                    stop += 1
                else:
                    self.after_cr = True
                    pos = stop + 1
                    continue
            self.mode = self.comment_return
            self.comment_return = NORMAL
            return stop  # NORMAL reads the newline: T-SQL's GO looks for line starts

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
                    return self._open_executable(text, pos, m)
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
        run = _SKIPPED_RUN if self.skipped_code else self.dialect.COMMENT_RUN
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
                    self.skipped_code = False
                    return pos
            elif pair[0] == "\\":  # the mysql client reads \x in /*!99999 … */ all the same
                self._command(pair[1], pair, self.base + pos + 1, self.base + pos)
                self.tokens.command_end(self.base + pos + 2)
                pos += 1 if pair[1] == "*" else 2  # \*/ still closes the comment
            elif pair == "/*":
                if self.dialect.NESTED_COMMENTS is None:
                    self.tokens.ambiguous(_NESTED_REASON, self.base + pos + 1)
                pos += 2
                self.depth += 1
            else:
                pos += 1

    def _open_executable(self, text: str, pos: int, m: re.Match[str]) -> int:
        """``/*!``, ``/*!50001``, ``/*M!100100``: code or a comment, as the server decides."""
        self.line_start = False
        mariadb_only = text[pos + 2] == "M"
        version = m.group(1)
        server = self.lexing.server
        if server is not None:
            family, number = server
            runs = (family == "mariadb" or not mariadb_only) and number >= int(version or 0)
            if not runs:
                self.mode = BLOCK_COMMENT
                self.token_start = self.base + pos
                self.depth = 1
                self.skipped_code = self.client.backslash == "char"
                return m.end()
        self.executable = True
        self.tokens.executable_comment(True, self.base + pos)
        if server is None and (version or mariadb_only):
            # Decided by the character after the version (or the last of six digits).
            at = m.end() - 1 if len(version) == 6 else m.end()
            self.tokens.ambiguous(_EXECUTABLE_REASON, self.base + at)
        return m.end()

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
        argument = m.group(m.lastindex or 1)
        if not argument:
            raise ScanError(_DELIMITER_NEEDS, self.base + pos)
        self._set_delimiter(argument, self.base + m.start(m.lastindex or 1))
        return self._args(m.end(), "DELIMITER", "")  # the client ignores the rest of the line

    def _set_delimiter(self, delimiter: str, offset: int) -> None:
        """The terminator (';' unless a MySQL DELIMITER set another): who handles what."""
        dialect = self.dialect
        self.delimiter = delimiter
        self.actions: dict[str, Handler] = {
            char: getattr(self, "_" + name)
            for char, name in (dialect.SPECIALS | self.specials).items()
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
            exclude=(first if delimiter != ";" else "") + self.no_word, lines=self.lines
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

    # -- client commands -----------------------------------------------------------------------
    def _backslash(self, text: str, pos: int, final: bool) -> int:
        """A backslash in code: psql's ``\\gexec``, the mysql client's ``\\!``, ``\\G``."""
        end = len(text)
        if self.client.backslash == "word":  # psql: a name, '\\;' or '\\\\'
            m = _PSQL_NAME(text, pos + 1)
            if m.end() >= end and not final:
                raise _More(pos)
            name = m.group()
            self.line_start = False
            if name == ";":  # sent to the server as ';' in the same query
                self.tokens.terminator(self.base + pos, self.base + pos + 2)
                return pos + 2
            if name == "\\":  # ends a meta-command's arguments
                return pos + 2
            harmless = self._command(name, "\\" + name, self.base + m.end(), self.base + pos)
            sends = name in self.client.sends  # at the end of its line: an argument is a file
            check = (SEND if sends else HARMLESS) if harmless else ""
            return self._args(m.end(), "\\" + name, check, self.base + pos if sends else -1)
        if pos + 1 >= end and not final:
            raise _More(pos)
        name = text[pos + 1 : pos + 2]
        if name in ("N", ""):  # mysql: \N is NULL
            return self._punct(text, pos)
        self.line_start = False
        # The name's one character decides.
        harmless = self._command(name, "\\" + name, self.base + pos + 1, self.base + pos)
        if name in self.client.sends:
            self.tokens.hard_end(self.base + pos)
            return pos + 2
        if harmless:
            return pos + 2  # the mysql client reads on after \W, \s …
        return self._args(pos + 2, "\\" + name, "")

    def _line_command(self, text: str, pos: int, final: bool) -> int:
        """``:setvar``, ``!!`` (sqlcmd), ``!set`` (snowsql) at a line start; ``.shell``
        (sqlite3) where no statement is pending: the client reads the whole line."""
        char = text[pos]
        if not self.line_start or (char in self.client.statement_line and self.tokens.pending):
            return self._punct(text, pos)
        after = pos + 1
        if char == "!" and text.startswith("!", after):
            name, stop = "!!", after + 1
        else:
            m = _LINE_NAME(text, after)
            name = m.group() if m is not None else ""
            stop = after + len(name)
        if stop >= len(text) and not final:
            raise _More(pos)
        if name in ("", "!"):
            return self._punct(text, pos)
        shown = name if char == "!" and name == "!!" else char + name
        self.line_start = False
        self._command(name.lower(), shown, self.base + stop, self.base + pos)
        return self._args(stop, shown, "")

    def _substitution(self, text: str, pos: int, final: bool) -> int:
        """sqlcmd: ``$(name)`` is replaced before the server reads the batch."""
        if pos + 1 >= len(text) and not final:
            raise _More(pos)
        after = self._punct(text, pos)
        if text.startswith("$(", pos):
            self._substitute(pos)
        return after

    def _substitute(self, pos: int) -> None:
        what = self.client.commands.get("$(", self.client.unknown)
        start = self.base + pos
        self.tokens.client_command("$(: " + what, start + 1, "$(", start, start + 2)

    def _interpolation(self, text: str, pos: int, final: bool) -> int:
        """psql: ``:name``, ``:'name'``, ``:"name"`` put a variable's value into the text."""
        end = len(text)
        if pos + 1 >= end and not final:
            raise _More(pos)
        following = text[pos + 1 : pos + 2]
        if following == ":":  # a cast
            self._punct(text, pos)
            return self._punct(text, pos + 1)
        after = self._punct(text, pos)
        if following and (following.isalpha() or following in "_'\""):
            self.tokens.client_command(
                ":" + following + ": psql puts a variable's value into the text",
                self.base + pos + 1, ":", self.base + pos, self.base + pos + 2,
            )  # fmt: skip
        return after

    def _command(self, name: str, shown: str, after: int, start: int) -> bool:
        """Client command ``name`` (``shown`` as written from ``start``), certain at ``after``:
        refused unless the named client's table says it is harmless. Whether it is."""
        client = self.client
        action = client.commands.get(name)
        if self.lexing.named and action == HARMLESS:
            return True
        what = client.unknown if action in (None, HARMLESS) else action
        self.tokens.client_command(f"{shown}: {what}", after, name, start, start + len(shown))
        return False

    def _args(self, pos: int, shown: str, check: str, send_at: int = -1) -> int:
        """The rest of the line belongs to the client command ``shown``: ``check`` says what
        it may hold; ``send_at``: the command sends the statement there at the line's end."""
        self.mode = ARGS
        self.args_name = shown
        self.args_check = check
        self.send_at = send_at
        return pos

    def _in_args(self, text: str, pos: int, final: bool) -> int:
        end = len(text)
        pos = _ARGS_RUN[self.args_check](text, pos).end()
        if pos >= end:
            return end
        if text[pos] != "\n":  # something the check does not let pass
            reason = _ARGS_REASON[self.args_check]
            offset = self.base + pos
            self.tokens.client_command(f"{self.args_name}: {reason}", offset, self.args_name,
                                       offset, offset + 1)  # fmt: skip
            self.args_check = ""
            return pos
        if self.send_at >= 0:
            self.tokens.hard_end(self.send_at)
            self.send_at = -1
        self.tokens.command_end(self.base + pos)
        self.mode = NORMAL
        return pos  # NORMAL reads the newline

    def _punct(self, text: str, pos: int) -> int:
        self.line_start = False
        char = text[pos]
        offset = self.base + pos
        sigils = self.dialect.TCL_PARAMETERS
        if sigils:  # SQLite: $name( opens a parameter that swallows quotes
            if char == "(" and offset == self.param_end:
                self.tokens.ambiguous(_TCL, offset)
            elif char in sigils:
                self.sigil_end = offset + 1
        if char == "&" and self.last_word == "U" and self.last_word_end == offset:
            self.last_word, self.last_word_end = "U&", offset + 1  # PostgreSQL U&'…'
        self.tokens.punct(char, offset)
        return pos + 1
