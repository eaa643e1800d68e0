"""The JSON state machine: text chunks in, calls on a sink out.

Everything that decides what is valid JSON lives in this file.

Theory of operation
-------------------
The scanner is a pushdown automaton fed one decoded text chunk at a time. Its whole state is a few
fields: ``state`` (what may come next), ``stack`` (True for each open object, False for each open
array), and, while a token is cut by a chunk boundary, that token's progress: the pieces of a key,
the half escape of a string, the text and automaton state of a number, the letters of a literal.
Nothing is ever re-read: each character is examined once, and runs of ordinary characters
(whitespace, string bodies, digits) are consumed by compiled regular expressions, so the cost of a
chunk is proportional to the chunk.

Between tokens the scanner looks at one character and acts on it by its current state; inside
a token it continues where the previous chunk stopped. What it recognises it reports to
its sink, the builder: containers opening and closing, keys, string starts, decoded string
text (one delta per string per chunk), completed scalars. Numbers and literals are reported only
once complete, a half escape or half surrogate pair only once resolved.

Errors are raised as :class:`ScanError` with the position, in the current chunk, of the first
character that no valid continuation could contain — the same character however the text is cut.
The stream turns it into a public error with offset, line and column.

Lenient input (``LENIENT``: trailing commas, comments, single quotes, Python literals, raw
control characters in strings, unquoted keys) is taken only where strict JSON would raise: the
one place that raises between tokens, ``_relax``, first asks whether a relaxation allows the
character. Strict input never reaches it, so it pays nothing. Strings change only their run
regex (which quote ends them, whether controls stand for themselves); comments and unquoted
keys are tokens of their own (``COMMENT``, ``BARE_KEY``), cut by chunk boundaries like the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final, cast

if TYPE_CHECKING:
    from ._builder import Builder

# States between tokens.
VALUE: Final = 0  # a value must come (document start, after ':' or an array ',')
ARRAY_FIRST: Final = 1  # after '[': a value or ']'
OBJECT_FIRST: Final = 2  # after '{': a key or '}'
KEY: Final = 3  # after an object ',': a key
COLON: Final = 4  # after a key: ':'
AFTER: Final = 5  # after a member: ',' or the closer
DONE: Final = 6  # after a whole document: only whitespace (or, if allowed, another document)
# States inside a token cut by a chunk boundary.
STRING: Final = 7
NUMBER: Final = 8
LITERAL: Final = 9
COMMENT: Final = 10  # lenient: a comment, between tokens (``resume`` is the state after it)
BARE_KEY: Final = 11  # lenient: an unquoted key

# The relaxations of lenient input, by name (see ``lenient_names``).
LENIENT: Final = ("trailing_commas", "comments", "single_quotes", "python_literals",
                  "control_chars", "unquoted_keys")

# Number automaton (RFC 8259 section 6). Accepting states: N_ZERO, N_INT, N_FRAC, N_EXP.
N_START, N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP = range(9)
_N_ACCEPTING: Final = frozenset((N_ZERO, N_INT, N_FRAC, N_EXP))
_N_AFTER_DIGITS: Final = {
    N_START: N_INT, N_MINUS: N_INT, N_INT: N_INT,
    N_DOT: N_FRAC, N_FRAC: N_FRAC,
    N_E: N_EXP, N_ESIGN: N_EXP, N_EXP: N_EXP,
}
_N_EXPECTED: Final = {
    N_MINUS: "expected a digit after '-'",
    N_DOT: "expected a digit after '.'",
    N_E: "expected a digit or sign in the exponent",
    N_ESIGN: "expected a digit in the exponent",
}

_PLAIN: Final = re.compile(r'[^"\\\x00-\x1f]*')  # string characters that stand for themselves
# ... where only Unicode scalar values may: surrogate code points (which str input can hold,
# UTF-8 cannot) are refused, as pydantic refuses them.
_SCALARS: Final = re.compile(r'[^"\\\x00-\x1f\ud800-\udfff]*')
# Runs that may be empty: their match() never returns None, which the casts tell mypy.
_Run = Callable[[str, int], "re.Match[str]"]
_WS: Final = cast(_Run, re.compile(r"[ \t\n\r]*").match)
_DIGITS: Final = cast(_Run, re.compile(r"[0-9]*").match)
# A whole number followed, inside the chunk, by a character that cannot continue it.
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?(?=[^0-9.eE+-])")

_SIMPLE_ESCAPES: Final = {
    '"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
}
_QUOTE_ESCAPES: Final = {**_SIMPLE_ESCAPES, "'": "'"}  # single_quotes: \' too
_PYTHON_LITERALS: Final[dict[str, tuple[str, Any]]] = {
    "T": ("True", True), "F": ("False", False), "N": ("None", None),
}
_LINE: Final = cast(_Run, re.compile(r"[^\n\r]*").match)  # a line comment's text
_IDENT_START: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$")
_IDENT: Final = cast(_Run, re.compile(r"[A-Za-z0-9_$]*").match)  # an unquoted key's text
_HEX4: Final = cast(_Run, re.compile(r"[0-9a-fA-F]{0,4}").match)
_LITERALS: Final[dict[str, tuple[str, Any]]] = {
    "t": ("true", True), "f": ("false", False), "n": ("null", None),
}
_NAN_LITERALS: Final[dict[str, tuple[str, Any]]] = {
    "N": ("NaN", float("nan")), "I": ("Infinity", float("inf")),
}
_EXPECTED: Final = {
    VALUE: "expected a JSON value",
    ARRAY_FIRST: "expected a JSON value or ']'",
    OBJECT_FIRST: "expected a string key or '}'",
    KEY: "expected a string key",
    COLON: "expected ':' after the key",
    DONE: "expected the end of input after the JSON document",
}


def lenient_names(lenient: bool | Iterable[str] | None) -> frozenset[str]:
    """The relaxations ``lenient`` asks for: True for all of them, a set (or any iterable)
    of their names, False or None for none (strict JSON)."""
    if lenient is None or lenient is False:
        return frozenset()
    if lenient is True:
        return frozenset(LENIENT)
    if isinstance(lenient, str):
        raise TypeError(f"lenient takes a set of names, not one string: {{{lenient!r}}}")
    names = frozenset(lenient)
    unknown = sorted(names.difference(LENIENT))
    if unknown:
        raise ValueError(f"unknown lenient relaxation {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(LENIENT)}")
    return names


def _string_run(quote: str, controls: bool, scalars: bool) -> re.Pattern[str]:
    """Characters that stand for themselves in a string closed by ``quote``."""
    excluded = quote + "\\\\" + ("" if controls else "\\x00-\\x1f") + (
        "\\ud800-\\udfff" if scalars else "")
    return re.compile(f"[^{excluded}]*")


class ScanError(Exception):
    """Raised at ``pos`` (an index into the current chunk; ``len(chunk)`` for end of input)."""

    def __init__(self, pos: int, message: str, limit: bool = False) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message
        self.limit = limit


class DocumentEnd(Exception):
    """Raised, with ``stop_at_end``, at the end of a top-level container: ``pos`` is the
    position after its closing bracket. What follows is not the scanner's to read."""

    def __init__(self, pos: int) -> None:
        super().__init__(pos)
        self.pos = pos


class Scanner:
    def __init__(
        self,
        sink: Builder,
        *,
        max_depth: int | None = 1000,
        allow_nan: bool = False,
        multiple: bool = False,
        lone_surrogates: bool = True,
        lenient: frozenset[str] = frozenset(),
    ) -> None:
        # The sink is the builder (or the schema layer's subclass of it): typed as the class,
        # so compiled code calls it directly. Its hooks are called only if it has them.
        self.sink = sink
        self.hooks = sink.hooks
        self.lone_surrogates = lone_surrogates
        plain = _PLAIN if lone_surrogates else _SCALARS
        self.string_run = cast(_Run, plain.match)
        self.plain_chunk = plain.fullmatch
        self.max_depth = max_depth
        self.multiple = multiple
        self.stop_at_end = False  # raise DocumentEnd after a top-level container (extract)
        self.literals = {**_LITERALS, **_NAN_LITERALS} if allow_nan else _LITERALS
        self.allow_nan = allow_nan
        # Lenient input: each relaxation is taken where strict JSON raises, so strict input
        # costs nothing more (see ``_relax``).
        self.lenient = lenient
        self.comma_hook = self.hooks and "trailing_commas" not in lenient  # proves a member
        self.escapes = _QUOTE_ESCAPES if "single_quotes" in lenient else _SIMPLE_ESCAPES
        self.words: list[tuple[str, Any]] = []  # literals one may turn into after a letter
        if "python_literals" in lenient:
            self.words = [*self.literals.values(), *_PYTHON_LITERALS.values()]
            self.literals = {**_PYTHON_LITERALS, **self.literals}  # 'N': NaN first, if allowed
        controls = "control_chars" in lenient
        if controls:
            plain = _string_run('"', True, not lone_surrogates)
            self.string_run = cast(_Run, plain.match)
            self.plain_chunk = plain.fullmatch
        self.double_run, self.double_chunk = self.string_run, self.plain_chunk
        single = _string_run("'", controls, not lone_surrogates)
        self.single_run, self.single_chunk = cast(_Run, single.match), single.fullmatch
        self.resume = VALUE  # the state a comment returns to
        self.comment = 0  # where in a comment: 0 after '/', 1 a line, 2 a block, 3 after its '*'
        self.state: int = VALUE
        self.stack: list[bool] = []
        # Token progress across chunk boundaries.
        self.in_key = False
        self.key_parts: list[str] = []
        self.escape = ""  # a half escape: '\\', '\\u12', '\\ud83d', '\\ud83d\\u', ...
        self.number: list[str] = []
        self.number_state = N_START
        self.word = ""  # the literal being read, e.g. "true"
        self.word_value: Any = None
        self.word_seen = 0  # letters of it seen so far

    # -- the main loop ---------------------------------------------------------------------
    def feed(self, text: str) -> None:
        if self.state == STRING and not self.escape and self.plain_chunk(text) is not None:
            # The common chunk of an LLM stream: more of a string, nothing else.
            if self.in_key:
                self.key_parts.append(text)
                if self.hooks and text:
                    self.sink.key_delta(text)
            elif text:
                self.sink.string_delta(text)
            return
        pos = 0
        end = len(text)
        stack = self.stack
        while pos < end:
            state = self.state
            if state >= STRING:
                if state == STRING:
                    pos = self._string(text, pos)
                elif state == NUMBER:
                    pos = self._number(text, pos)
                elif state == LITERAL:
                    pos = self._literal(text, pos)
                elif state == COMMENT:
                    pos = self._comment(text, pos)
                else:
                    pos = self._bare_key(text, pos)
                continue
            c = text[pos]
            if c in " \t\n\r":
                pos = _WS(text, pos).end()
                if pos == end:
                    break
                c = text[pos]
            if state == AFTER:
                if c == ",":
                    self.state = KEY if stack[-1] else VALUE
                    if self.comma_hook:
                        self.sink.comma(pos)
                elif c == ("}" if stack[-1] else "]"):
                    self._close_container(pos)
                else:
                    pos = self._relax(text, pos, "expected ',' or " + (
                        "'}'" if stack[-1] else "']'"))
                    continue
                pos += 1
            elif state == COLON:
                if c != ":":
                    pos = self._relax(text, pos, _EXPECTED[COLON])
                    continue
                self.state = VALUE
                pos += 1
            elif state in (KEY, OBJECT_FIRST):
                if c == '"':
                    self.in_key = True
                    self.state = STRING
                    if self.hooks:
                        self.sink.start_key(pos)
                elif c == "}" and state == OBJECT_FIRST:
                    self._close_container(pos)
                else:
                    pos = self._relax(text, pos, _EXPECTED[state])
                    continue
                pos += 1
            elif state == ARRAY_FIRST and c == "]":
                self._close_container(pos)
                pos += 1
            elif state == DONE and not self.multiple:
                pos = self._relax(text, pos, _EXPECTED[DONE])
            else:
                pos = self._value(text, pos, c)

    def _close_container(self, pos: int) -> None:
        self.stack.pop()
        self.sink.end_container(pos)
        self._after_value()
        if self.stop_at_end and not self.stack:
            raise DocumentEnd(pos + 1)

    def _after_value(self) -> None:
        self.state = AFTER if self.stack else DONE

    def _value(self, text: str, pos: int, c: str) -> int:
        """Start the value whose first character ``c`` is at ``pos``; return the new position."""
        if c == '"':
            self.in_key = False
            self.state = STRING
            self.sink.start_string(pos)
            return pos + 1
        if c == "{" or c == "[":
            if self.max_depth is not None and len(self.stack) >= self.max_depth:
                raise ScanError(pos, f"nesting deeper than max_depth={self.max_depth}", True)
            is_object = c == "{"
            self.stack.append(is_object)
            self.sink.start_container(is_object, pos)
            self.state = OBJECT_FIRST if is_object else ARRAY_FIRST
            return pos + 1
        if c == "-" or "0" <= c <= "9":
            m = _NUMBER.match(text, pos)
            if m is not None:
                stop = m.end()
                self._scalar(_number_value(m.group(), m.lastindex is not None, stop), pos, stop)
                return stop
            if self.hooks:
                self.sink.start_scalar(pos)
            self.number = []
            self.number_state = N_START
            self.state = NUMBER
            return self._number(text, pos)
        literal = self.literals.get(c)
        if literal is not None:
            word, value = literal
            if text.startswith(word, pos):
                self._scalar(value, pos, pos + len(word))
                return pos + len(word)
            if self.hooks:
                self.sink.start_scalar(pos)
            self.word, self.word_value, self.word_seen = word, value, 0
            self.state = LITERAL
            return self._literal(text, pos)
        state = self.state
        return self._relax(text, pos, _EXPECTED[VALUE if state in (DONE, AFTER) else state])

    def _scalar(self, value: Any, start: int, end: int) -> None:
        self.sink.scalar(value, start, end)
        self._after_value()

    # -- strings ---------------------------------------------------------------------------
    def _string(self, text: str, pos: int) -> int:
        """Continue a string (key or value) at ``pos``; return where it stopped."""
        end = len(text)
        pieces: list[str] = []
        run = self.string_run
        closed = False
        try:
            if self.escape:
                pos = self._escape(text, pos, pieces)
            while pos < end:
                stop = run(text, pos).end()
                if stop > pos:
                    pieces.append(text[pos:stop])
                    pos = stop
                    if pos == end:
                        break
                c = text[pos]
                if c == '"':
                    pos += 1
                    closed = True
                    break
                if c == "\\":
                    pos = self._escape(text, pos, pieces)
                elif c == "'":  # only a single-quoted string's run stops at a "'"
                    self.string_run, self.plain_chunk = self.double_run, self.double_chunk
                    pos += 1
                    closed = True
                    break
                elif c < " ":
                    raise ScanError(pos, "unescaped control character in string")
                else:
                    raise ScanError(pos, "surrogate character in string (not Unicode text)")
        except ScanError:
            self._grew(pieces)  # the text before the error, which a schema may refuse first
            raise
        self._grew(pieces)
        if closed:
            if self.in_key:
                name = "".join(self.key_parts)
                self.key_parts = []
                self.sink.key(name, pos - 1)
                self.state = COLON
            else:
                self.sink.end_string(pos - 1)
                self._after_value()
        return pos

    def _grew(self, pieces: list[str]) -> None:
        """Report the text a string (or key) grew by in this chunk."""
        if not pieces:
            return
        if self.in_key:
            self.key_parts += pieces
            if self.hooks:
                self.sink.key_delta("".join(pieces))
        else:
            self.sink.string_delta("".join(pieces))

    def _escape(self, text: str, pos: int, pieces: list[str]) -> int:
        """Decode the escape made of ``self.escape`` (held from earlier chunks) + ``text[pos:]``.

        Returns the position after it, or ``len(text)`` with the half escape held in
        ``self.escape`` when the chunk ends first.
        """
        while True:
            held = len(self.escape)
            frag = self.escape + text[pos : pos + 12 - held]
            decoded, used, bad = _decode_escape(frag, self.escapes)
            if bad >= 0:
                message = "expected 4 hex digits in \\u escape" if bad > 1 else (
                    "invalid escape character in string"
                )
                raise ScanError(pos + bad - held, message)
            if used < 0:
                self.escape = frag
                return len(text)
            if not self.lone_surrogates and 0xD800 <= ord(decoded[0]) <= 0xDFFF:
                raise ScanError(pos + _lone_proof(frag) - held, "lone surrogate in \\u escape")
            pieces.append(decoded)
            if used >= held:
                self.escape = ""
                return pos + used - held
            # A held high surrogate turned out lone; the rest held starts the next escape.
            self.escape = frag[used:held]

    # -- numbers and literals --------------------------------------------------------------
    def _number(self, text: str, pos: int) -> int:
        """Continue a number that a chunk boundary cut (or an unusual one): one automaton step
        per character, runs of digits at once. Return where it stopped."""
        end = len(text)
        start = pos
        st = self.number_state
        while pos < end:
            c = text[pos]
            if "0" <= c <= "9":
                if st == N_ZERO:
                    break  # '01' is the number 0, then a '1' that the caller rejects
                if c == "0" and st <= N_MINUS:
                    st = N_ZERO
                    pos += 1
                else:
                    st = _N_AFTER_DIGITS[st]
                    pos = _DIGITS(text, pos + 1).end()
                continue
            if c == "-" and st == N_START:
                st = N_MINUS
            elif c == "." and st in (N_ZERO, N_INT):
                st = N_DOT
            elif c in "eE" and st in (N_ZERO, N_INT, N_FRAC):
                st = N_E
            elif c in "+-" and st == N_E:
                st = N_ESIGN
            elif c == "I" and st == N_MINUS and self.allow_nan:
                # '-Infinity' is a literal that starts like a number.
                self.number = []
                self.word, self.word_value, self.word_seen = "-Infinity", float("-inf"), 1
                self.state = LITERAL
                return self._literal(text, pos)
            elif st in _N_ACCEPTING:
                break
            else:
                raise ScanError(pos, _N_EXPECTED[st])
            pos += 1
        self.number_state = st
        self.number.append(text[start:pos])
        if pos < end:
            self._finish_number(pos)
        return pos

    def _finish_number(self, pos: int) -> None:
        """The number ends before ``pos`` (a character that cannot continue it, or end of input)."""
        st = self.number_state
        if st not in _N_ACCEPTING:
            raise ScanError(pos, _N_EXPECTED[st])
        literal = "".join(self.number)
        self.number = []
        self._scalar(_number_value(literal, st in (N_FRAC, N_EXP), pos), -1, pos)

    def _literal(self, text: str, pos: int) -> int:
        word = self.word
        seen = self.word_seen
        end = len(text)
        while seen < len(word) and pos < end:
            if text[pos] != word[seen]:
                if not self._other_word(word[:seen] + text[pos]):
                    raise ScanError(pos, f"expected '{word}'")
                word = self.word
            seen += 1
            pos += 1
        self.word_seen = seen
        if seen == len(word):
            self._scalar(self.word_value, -1, pos)
        return pos

    def _other_word(self, prefix: str) -> bool:
        """python_literals: the literal being read turns out another one (``NaN``, ``None``)."""
        for word, value in self.words:
            if word.startswith(prefix):
                self.word, self.word_value = word, value
                return True
        return False

    # -- lenient input ---------------------------------------------------------------------
    def _relax(self, text: str, pos: int, message: str) -> int:
        """Strict JSON refuses ``text[pos]`` here, with ``message``: take it if a relaxation
        asked for allows it (return the position after what it took), else raise."""
        lenient = self.lenient
        if lenient:
            c = text[pos]
            state = self.state
            if c == "/" and "comments" in lenient:
                self.resume, self.comment, self.state = state, 0, COMMENT
                return self._comment(text, pos + 1)
            keyed = state in (KEY, OBJECT_FIRST)
            if c == "'" and "single_quotes" in lenient and (
                    keyed or state in (VALUE, ARRAY_FIRST) or (state == DONE and self.multiple)):
                self.string_run, self.plain_chunk = self.single_run, self.single_chunk
                self.state = STRING
                self.in_key = keyed
                if not keyed:
                    self.sink.start_string(pos)
                elif self.hooks:
                    self.sink.start_key(pos)
                return pos + 1
            if keyed and c in _IDENT_START and "unquoted_keys" in lenient:
                self.in_key = True
                self.state = BARE_KEY
                if self.hooks:
                    self.sink.start_key(pos - 1)  # where its opening quote would stand
                return self._bare_key(text, pos)
            if "trailing_commas" in lenient and (
                    (c == "}" and state == KEY) or (c == "]" and state == VALUE and self.stack
                                                    and not self.stack[-1])):
                self._close_container(pos)
                return pos + 1
        raise ScanError(pos, message)

    def _comment(self, text: str, pos: int) -> int:
        """Continue a comment at ``pos``; return where it stopped (its end, or the chunk's)."""
        stage = self.comment
        end = len(text)
        while pos < end:
            if stage == 0:  # after '/'
                c = text[pos]
                if c == "/":
                    stage = 1
                elif c == "*":
                    stage = 2
                else:
                    raise ScanError(pos, "expected '/' or '*' after '/' (a comment)")
                pos += 1
            elif stage == 1:  # '//': to the end of the line
                pos = _LINE(text, pos).end()
                if pos < end:
                    self.state = self.resume
                    return pos + 1
            elif stage == 2:  # '/*': to the next '*'
                star = text.find("*", pos)
                if star < 0:
                    pos = end
                else:
                    stage = 3
                    pos = star + 1
            else:  # after a '*' in a block comment
                c = text[pos]
                if c == "/":
                    self.state = self.resume
                    return pos + 1
                if c != "*":
                    stage = 2
                pos += 1
        self.comment = stage
        return pos

    def _bare_key(self, text: str, pos: int) -> int:
        """Continue an unquoted key at ``pos``: it ends at the first character that cannot
        continue it, which is also where the key is reported whole."""
        stop = _IDENT(text, pos).end()
        if stop > pos:
            piece = text[pos:stop]
            self.key_parts.append(piece)
            if self.hooks:
                self.sink.key_delta(piece)
        if stop < len(text):
            name = "".join(self.key_parts)
            self.key_parts = []
            self.sink.key(name, stop)
            self.state = COLON
        return stop

    # -- end of input ----------------------------------------------------------------------
    def finish(self) -> None:
        """End of input: complete a top-level number, or raise what was still expected."""
        state = self.state
        if state == COMMENT and self.comment == 1:
            state = self.resume  # end of input ends a line comment
        if state == NUMBER and not self.stack:
            self._finish_number(0)
        elif not (state == DONE or (self.multiple and state == VALUE and not self.stack)):
            raise ScanError(0, self.expected())

    def expected(self) -> str:
        """What the input lacks right now, for an incomplete document."""
        state = self.state
        if state == COMMENT:
            if self.comment != 1:
                return ("expected '/' or '*' after '/' (a comment)" if self.comment == 0
                        else "unterminated comment")
            state = self.resume
        if state == BARE_KEY:
            return _EXPECTED[COLON]
        if state == STRING:
            return "unterminated string key" if self.in_key else "unterminated string"
        if state == NUMBER and self.number_state not in _N_ACCEPTING:
            return _N_EXPECTED[self.number_state]
        if state == LITERAL:
            return f"unterminated '{self.word}'"
        if state in (AFTER, NUMBER):
            return "expected ',' or " + ("'}'" if self.stack[-1] else "']'")
        if state == VALUE and not self.stack:
            return "expected a JSON value, got end of input"
        return _EXPECTED[state]


def _decode_escape(frag: str, simple_escapes: dict[str, str] = _SIMPLE_ESCAPES
                   ) -> tuple[str, int, int]:
    """Decode the escape at the start of ``frag`` (which starts with a backslash).

    Returns ``(text, used, bad)``: ``bad`` is the index of the first invalid character or -1;
    ``used`` is -1 while ``frag`` ends before the escape is known, including the half of a
    surrogate pair whose other half may follow.
    """
    if len(frag) < 2:
        return "", -1, -1
    c = frag[1]
    if c != "u":
        simple = simple_escapes.get(c)
        return ("", 0, 1) if simple is None else (simple, 2, -1)
    bad = _bad_hex(frag, 2)
    if bad >= 0:
        return "", 0, bad
    if len(frag) < 6:
        return "", -1, -1
    unit = int(frag[2:6], 16)
    if not 0xD800 <= unit <= 0xDBFF:
        return chr(unit), 6, -1
    # A high surrogate: paired only if a '\\u' low surrogate follows.
    if len(frag) < 7 or (frag[6] == "\\" and len(frag) < 8):
        return "", -1, -1
    if frag[6:8] != "\\u":
        return chr(unit), 6, -1
    bad = _bad_hex(frag, 8)
    if bad >= 0:
        return "", 0, bad
    if len(frag) < 12:
        return "", -1, -1
    low = int(frag[8:12], 16)
    if 0xDC00 <= low <= 0xDFFF:
        return chr(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), 12, -1
    return chr(unit), 6, -1  # a lone high surrogate, as json.loads gives it


def _lone_proof(frag: str) -> int:
    """Index of the character that proved the surrogate escaped at the start of ``frag`` lone:
    its own last digit for a low one; for a high one, what follows instead of a low one."""
    if int(frag[2:6], 16) >= 0xDC00:
        return 5
    if frag[6] != "\\":
        return 6
    return 7 if frag[7] != "u" else 11


def _bad_hex(frag: str, start: int) -> int:
    """Index of the first of the 4 characters from ``start`` that is not a hex digit, or -1."""
    stop = _HEX4(frag, start).end()
    return stop if stop < min(len(frag), start + 4) else -1


def _number_value(literal: str, is_float: bool, pos: int) -> Any:
    if is_float:
        return float(literal)
    try:
        return int(literal)
    except ValueError:  # beyond sys.get_int_max_str_digits()
        message = f"integer of {len(literal)} digits exceeds Python's limit"
        raise ScanError(pos, message, True) from None
