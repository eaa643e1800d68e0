"""JsonStream: the public, sans-I/O face of the JSON core.

It owns what the scanner does not: the input kind (str, or bytes decoded incrementally as UTF-8),
the text received so far, limits on size, finding the JSON in prose (``extract``, with the finder
of ``_extract.py``), and turning scanner positions into public errors with offset, line and
column, always counted in the whole input. Chunks in, events out; it never does I/O.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, AnyStr, Generic, final

from ._builder import Builder
from ._errors import (
    GuardViolation,
    IncompleteJSON,
    JsonSyntaxError,
    LimitExceeded,
    PartialJSONError,
    PositionedError,
)
from ._events import DocumentCompleted, Event, ProseDelta
from ._extract import CLOSE, FENCE, JSON, OPEN, PROSE, Finder
from ._extract import VALUE as IN_VALUE
from ._received import Received
from ._scanner import (
    COMMENT,
    DONE,
    LITERAL,
    NUMBER,
    STRING,
    VALUE,
    DocumentEnd,
    ScanError,
    Scanner,
    lenient_names,
)

if TYPE_CHECKING:
    from ._guard import Guard

_utf8_decode = codecs.utf_8_decode
_dumps = json.dumps


@final  # compiled, it cannot be subclassed: wrap it instead
class JsonStream(Generic[AnyStr]):
    """Parse one JSON document (or several) from chunks of ``str`` or ``bytes``.

    ``feed(chunk)`` returns the events the chunk caused; ``value`` is the live partial value;
    ``close()`` ends the input and returns the final value.

    Options:
        trailing_strings: show strings in ``value`` while they grow (default) or only whole.
        max_depth: deepest nesting of objects and arrays allowed (``None``: no limit).
        max_bytes: most input accepted, in characters for str input, bytes for bytes input.
        allow_nan: accept ``NaN``, ``Infinity`` and ``-Infinity`` like ``json.loads`` does.
        lone_surrogates: accept a ``\\u`` escape of half a surrogate pair alone, as
            ``json.loads`` does (default), or refuse it as strict UTF-8 parsers (and pydantic)
            do; with False, a surrogate code point in str input is refused too.
        multiple: accept several documents, one after another (concatenated, JSON Lines);
            ``close()`` then returns the list of them.
        extract: find the JSON in prose: the content of a ```json (or bare ```) fence, or a
            ``{`` or ``[`` that starts a value, whichever comes first (see ``_extract.py``);
            the text around it comes as :class:`ProseDelta` events. Offsets stay counted in
            the whole input.
        keep_text: keep everything fed, for :attr:`received` and errors (default); if False,
            keep only a bounded tail of it (the current chunk and 4096 units before), which
            is then all that :attr:`received` gives.
        lenient: accept JSON as smaller models write it: a set of relaxations by name
            (``trailing_commas``, ``comments``, ``single_quotes``, ``python_literals``,
            ``control_chars``, ``unquoted_keys``), or True for all of them. Default: strict.
        guards: content rules (:class:`Guard`) applied to string values before they are
            shown: what a guard holds back or redacts never reaches events or ``value``.
    """

    def __init__(
        self,
        *,
        trailing_strings: bool = True,
        max_depth: int | None = 1000,
        max_bytes: int | None = None,
        allow_nan: bool = False,
        multiple: bool = False,
        lone_surrogates: bool = True,
        extract: bool = False,
        keep_text: bool = True,
        lenient: bool | Iterable[str] = False,
        guards: Iterable[Guard] | None = None,
        _builder: Builder | None = None,
    ) -> None:
        if extract and multiple:
            raise ValueError("extract finds one value: it does not combine with multiple")
        if max_depth is not None and max_depth < 1:
            raise ValueError("max_depth must be at least 1 (or None for no limit)")
        if max_bytes is not None and max_bytes < 0:
            raise ValueError("max_bytes must not be negative (or None for no limit)")
        self.max_bytes = max_bytes
        self.multiple = multiple
        self._builder = _builder or Builder(trailing_strings, keep_documents=multiple)
        self._root = self._builder.root
        self.lenient = lenient_names(lenient)
        if guards:
            from ._guard import Guards

            self._builder.guards = Guards(guards)
        self._scanner = Scanner(
            self._builder, max_depth=max_depth, allow_nan=allow_nan, multiple=multiple,
            lone_surrogates=lone_surrogates, lenient=self.lenient,
        )
        self._kind: type | None = None
        self._accepting: type | None = None  # the chunk type feed() takes without more checks
        self._room: float = float("inf") if max_bytes is None else max_bytes
        self._received = Received(keep_text)
        self._base = 0  # input offset where the text being scanned starts
        self._pending = b""  # bytes of a UTF-8 character cut by a chunk boundary
        self._encoded: tuple[str, int, int] = ("", 0, 0)  # a chunk, a position, bytes before it
        self._error: PartialJSONError | None = None
        self._closed = False
        # Extraction: the finder, where the JSON text starts and ends in the input, and the
        # completion of a fenced document, held until its fence closes.
        self._finder = Finder() if extract else None
        self._json_start: int | None = None if extract else 0
        self._json_end: int | None = None
        self._fenced = False
        self._held: Event | None = None

    # -- the live state --------------------------------------------------------------------
    @property
    def value(self) -> Any:
        """The current partial value, updated in place (copy it to keep a snapshot).

        ``None`` until a value is known. With ``multiple=True``: the document being read, or
        the last one completed.
        """
        return self._root[0]

    @property
    def complete(self) -> bool:
        """True once a whole document has been read (with ``extract``, and its fence closed)."""
        return self._builder.completed > 0 and self._held is None

    @property
    def documents(self) -> list[Any]:
        """The completed documents (``multiple=True`` only)."""
        return self._builder.documents

    @property
    def received(self) -> AnyStr:
        """Everything fed so far, errors or not (with ``keep_text=False``, its tail)."""
        text: AnyStr = self._received.slice()
        return text

    @property
    def error(self) -> PartialJSONError | None:
        """The error that ended the stream, if any."""
        return self._error

    def completed_json(self) -> str:
        """The received prefix closed into strict JSON text: compact, and read by
        ``json.loads`` as exactly :attr:`value` (``"null"`` before a value is known).

        What ``value`` does not show yet is left out, as there: a number or literal not yet
        whole, a key without its value, a half escape; an open string is closed where it
        stands, open containers are closed. Lenient input gives strict JSON. Cost: one
        serialisation of ``value`` (``json.dumps``, in C), proportional to its size.
        """
        return json_text(self._root[0])

    # -- input -----------------------------------------------------------------------------
    def feed(self, chunk: AnyStr) -> list[Event]:
        """Take the next chunk; return the events it completes, in document order."""
        if type(chunk) is not self._accepting:
            self._admit(chunk)
        self._received.append(chunk)
        self._room -= len(chunk)
        over = self._room < 0
        data: Any = chunk  # not AnyStr: the compiled build (mypyc) erases the type variable
        if over:  # scan what fits (an error in it wins), then fail
            data = data[: len(data) + int(self._room)]
        if isinstance(data, str):
            self._take(data, len(data))
        else:
            self._take(*self._decode(data))
        if over:
            limit = self.max_bytes or 0
            self._fail(LimitExceeded(f"input longer than max_bytes={limit}", limit,
                                     *self._line_column(limit), self._error_path()))
        builder = self._builder
        events = builder.events
        builder.events = []
        return events

    def _admit(self, chunk: AnyStr) -> None:
        """The checks behind the one-line test in ``feed``: first chunk, wrong kind, ended."""
        if self._error is not None:
            raise self._error
        if self._closed:
            raise PartialJSONError("feed() after close()")
        kind = type(chunk)
        if self._kind is not None or kind not in (str, bytes):
            raise TypeError(f"a JsonStream takes str or bytes chunks, one kind per stream: {kind}")
        self._kind = self._accepting = kind

    def end(self) -> list[Event]:
        """End of input: return the events it completes (a top-level number, the last
        document). Raises :class:`IncompleteJSON` if the document is not whole."""
        if self._error is not None:
            raise self._error
        if self._closed:
            return []
        if self._pending:
            self._end_in_character()
        if self._finder is not None:
            self._end_extract()
        try:
            self._scanner.finish()
        except ScanError as exc:
            self._fail_at(exc, "", IncompleteJSON)
        self._closed = True
        self._accepting = None
        events = self._builder.events
        self._builder.events = []
        return events

    def close(self) -> Any:
        """End of input (see :meth:`end`); return the final value, or with ``multiple=True``
        the list of documents."""
        self.end()
        return self._builder.documents if self.multiple else self._root[0]

    def _take(self, text: str, size: int) -> None:
        """Scan ``text`` (``size`` input units), or with ``extract`` find the JSON in it."""
        if self._finder is None:
            self._scan(text, size)
        else:
            self._extract(text, size)

    def _scan(self, text: str, size: int) -> None:
        """Scan ``text``, which is ``size`` input units long."""
        self._builder.chunk = text
        try:
            self._scanner.feed(text)
        except ScanError as exc:
            self._fail_at(exc, text, JsonSyntaxError)
        except GuardViolation as stop:  # (its own name: mypyc types one name once)
            stop.text_so_far = self._received.slice()
            self._fail(stop)
        self._base += size

    def _decode(self, chunk: bytes, final: bool = False) -> tuple[str, int]:
        """Decode ``chunk`` after the bytes held back; return the text and the bytes it took,
        holding back a character the chunk cuts."""
        if not self._pending:
            try:  # the usual chunk cuts no character: one quick decode
                return chunk.decode(), len(chunk)
            except UnicodeDecodeError:
                pass
        data = self._pending + chunk
        try:
            text, used = _utf8_decode(data, "strict", final)
        except UnicodeDecodeError as exc:
            self._take(data[: exc.start].decode("utf-8"), exc.start)  # an earlier error wins
            self._fail(JsonSyntaxError("invalid UTF-8", self._base, *self._line_column(self._base)))
        self._pending = data[used:]
        return text, used

    def _end_in_character(self) -> None:
        """The input ended inside a UTF-8 character, which more bytes would have completed.
        In a string (or in prose) the input is merely incomplete: what ends it decides. In
        JSON outside a string no character beyond ASCII may stand, so whatever it would have
        been, the scanner refuses it at its first byte: a stand-in tells it where."""
        size = len(self._pending)
        self._pending = b""
        finder = self._finder
        in_json = finder is None or finder.state in (FENCE, IN_VALUE)
        if in_json and self._scanner.state == COMMENT:  # whatever ends it, not this
            self._fail(IncompleteJSON("input ends inside a UTF-8 character", self._base,
                                      *self._line_column(self._base), self._error_path()))
        if in_json and self._scanner.state != STRING:
            self._take("\ufffd", size)
        self._base += size  # nothing: end of input is after it

    # -- extract ---------------------------------------------------------------------------
    def _extract(self, text: str, size: int) -> None:
        """Scan the JSON in ``text`` (``size`` input units); the rest is prose."""
        assert self._finder is not None
        for kind, piece in self._finder.feed(text):
            self._piece(kind, piece)

    def _piece(self, kind: int, text: str) -> None:
        if kind == PROSE:
            self._prose(text)
        elif kind == JSON:
            self._json(text)
        elif kind == OPEN:
            self._fenced = True
            self._json_start = self._base
        elif kind == CLOSE:
            self._close_fence()

    def _units(self, text: str) -> int:
        return len(text) if self._kind is str else len(text.encode("utf-8", "surrogatepass"))

    def _prose(self, text: str) -> None:
        self._builder.events.append(ProseDelta(text))
        self._base += self._units(text)

    def _json(self, text: str) -> None:
        if self._json_start is None:  # a bare value starts: it ends at its closing bracket
            self._json_start = self._base
            self._scanner.stop_at_end = True
        try:
            self._scan(text, self._units(text))
        except DocumentEnd as end:
            assert self._finder is not None
            self._finder.value_ended()
            self._base += self._units(text[: end.pos])
            self._json_end = self._base
            if end.pos < len(text):
                self._prose(text[end.pos :])
            return
        events = self._builder.events
        if self._fenced and events and type(events[-1]) is DocumentCompleted:
            self._held = events.pop()  # whole only once the fence closes

    def _close_fence(self) -> None:
        self._json_end = self._base
        if self._held is not None:
            self._builder.events.append(self._held)
            self._held = None
            return
        self._builder.chunk = ""
        try:
            self._scanner.finish()  # a top-level number completes here; anything else fails
        except ScanError as exc:
            exc.message = exc.message + " (the fence closed)"  # not +=: mypyc trips on it
            self._fail_at(exc, "", JsonSyntaxError)

    def _end_extract(self) -> None:
        """End of input for the finder: a value must have been found, and its fence closed."""
        assert self._finder is not None
        for kind, piece in self._finder.finish():
            self._piece(kind, piece)
        state = self._finder.state
        if state == FENCE:
            expected = ("expected the closing fence" if self._held is not None
                        else self._scanner.expected() + " (in an unclosed fence)")
        elif self._json_start is None:
            expected = "no JSON value found"
        else:
            return  # the scanner knows whether the value is whole
        self._fail(IncompleteJSON(expected, *self._position(0, ""), self._error_path()))

    def _json_text(self, stop: int | None = None) -> AnyStr:
        """The JSON text received (without the prose around it), up to input offset ``stop``."""
        text: AnyStr = self._received.slice(self._json_start or 0,
                                            self._json_end if stop is None else stop)
        return text

    # -- errors ----------------------------------------------------------------------------
    def _fail_at(self, exc: ScanError, text: str, kind: type[PositionedError]) -> None:
        """Raise ``exc`` (at ``exc.pos`` in ``text``) as a public error."""
        if exc.limit:
            kind = LimitExceeded
        elif self._fenced and self._scanner.state == DONE:
            exc.message = "expected the closing fence after the JSON value"
        self._fail(kind(exc.message, *self._position(exc.pos, text), self._error_path()))

    def _position(self, pos: int, text: str | None = None) -> tuple[int, int, int]:
        """Offset, line and column of ``pos`` in ``text`` (the text being scanned)."""
        if text is None:
            text = self._builder.chunk
        offset: int
        if self._kind is not bytes:
            offset = self._base + pos
        else:  # bytes up to pos, counted on from the last question in the same chunk
            text_at, pos_at, bytes_at = self._encoded
            if text_at is not text or pos < pos_at:
                pos_at = bytes_at = 0
            bytes_at += len(text[pos_at:pos].encode("utf-8", "surrogatepass"))
            self._encoded = (text, pos, bytes_at)
            offset = self._base + bytes_at
        return (offset, *self._line_column(offset))

    def _fail(self, error: PartialJSONError) -> None:
        self._error = error
        self._accepting = None
        raise error

    def _line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``, in input units."""
        return self._received.line_column(offset)

    def _error_path(self) -> tuple[str | int, ...]:
        """The path of the value being read when the error happened."""
        builder, scanner = self._builder, self._scanner
        if scanner.state == STRING and not scanner.in_key:
            return builder.string_path.as_tuple()
        if scanner.stack and scanner.state in (VALUE, NUMBER, LITERAL):
            return builder.member_path().as_tuple()
        return builder.path.as_tuple()


def parse_partial(text: str | bytes, *, as_text: bool = False, **options: Any) -> Any:
    """The partial value of a prefix of a JSON document: what is known of it so far.

    ``parse_partial('{"a": [1, 2')`` gives ``{'a': [1]}`` (the 2 may still become 23); with
    ``as_text=True``, that value as JSON text, ``'{"a":[1]}'`` (see
    :meth:`JsonStream.completed_json`). Takes the options of :class:`JsonStream`; raises its
    errors for text that cannot be a prefix.
    """
    stream: JsonStream[Any] = JsonStream(**options)
    stream.feed(text)
    return stream.completed_json() if as_text else stream.value


def json_text(value: Any) -> str:
    """``value`` (parsed JSON) as compact JSON text, at any depth: ``json.dumps`` where
    Python's recursion limit lets it, else an explicit stack (one container at a time)."""
    try:
        return _dumps(value, ensure_ascii=False, separators=(",", ":"))
    except RecursionError:
        pass
    parts: list[str] = []
    todo: list[Any] = [value]  # what is left to write, last first; a tuple holds punctuation
    while todo:
        item = todo.pop()
        if type(item) is tuple:
            parts.append(item[0])
        elif type(item) is dict:
            parts.append("{")
            todo.append(("}",))
            members = list(item.items())
            for i in range(len(members) - 1, -1, -1):
                key, member = members[i]
                todo.append(member)
                todo.append((("," if i else "") + _dumps(key, ensure_ascii=False) + ":",))
        elif type(item) is list:
            parts.append("[")
            todo.append(("]",))
            for i in range(len(item) - 1, -1, -1):
                todo.append(item[i])
                if i:
                    todo.append((",",))
        else:
            parts.append(_dumps(item, ensure_ascii=False))
    return "".join(parts)
