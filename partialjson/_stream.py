"""JsonStream: the public, sans-I/O face of the JSON core.

It owns what the scanner does not: the input kind (str, or bytes decoded incrementally as UTF-8),
the text received so far, limits on size, and turning scanner positions into public errors with
offset, line and column. Chunks in, events out; it never does I/O.
"""

from __future__ import annotations

import codecs
from typing import Any, AnyStr, Generic

from ._builder import Builder
from ._errors import (
    IncompleteJSON,
    JsonSyntaxError,
    LimitExceeded,
    PartialJSONError,
    PositionedError,
)
from ._events import Event
from ._scanner import LITERAL, NUMBER, STRING, VALUE, ScanError, Scanner

_utf8_decode = codecs.utf_8_decode


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
            ``json.loads`` does (default), or refuse it as strict UTF-8 parsers (and pydantic) do.
        multiple: accept several documents, one after another (concatenated, JSON Lines);
            ``close()`` then returns the list of them.
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
        _builder: Builder | None = None,
    ) -> None:
        if max_depth is not None and max_depth < 1:
            raise ValueError("max_depth must be at least 1 (or None for no limit)")
        if max_bytes is not None and max_bytes < 0:
            raise ValueError("max_bytes must not be negative (or None for no limit)")
        self.max_bytes = max_bytes
        self.multiple = multiple
        self._builder = _builder or Builder(trailing_strings, keep_documents=multiple)
        self._root = self._builder.root
        self._scanner = Scanner(
            self._builder, max_depth=max_depth, allow_nan=allow_nan, multiple=multiple,
            lone_surrogates=lone_surrogates,
        )
        self._kind: type | None = None
        self._accepting: type | None = None  # the chunk type feed() takes without more checks
        self._room: float = float("inf") if max_bytes is None else max_bytes
        self._chunks: list[Any] = []
        self._base = 0  # input offset where the text being scanned starts
        self._pending = b""  # bytes of a UTF-8 character cut by a chunk boundary
        self._error: PartialJSONError | None = None
        self._closed = False

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
        """True once a whole document has been read."""
        return self._builder.completed > 0

    @property
    def documents(self) -> list[Any]:
        """The completed documents (``multiple=True`` only)."""
        return self._builder.documents

    @property
    def received(self) -> AnyStr:
        """Everything fed so far, errors or not."""
        if len(self._chunks) != 1:
            empty: Any = b"" if self._kind is bytes else ""
            self._chunks = [empty.join(self._chunks)]
        joined: AnyStr = self._chunks[0]
        return joined

    @property
    def error(self) -> PartialJSONError | None:
        """The error that ended the stream, if any."""
        return self._error

    # -- input -----------------------------------------------------------------------------
    def feed(self, chunk: AnyStr) -> list[Event]:
        """Take the next chunk; return the events it completes, in document order."""
        if type(chunk) is not self._accepting:
            self._admit(chunk)
        self._chunks.append(chunk)
        self._room -= len(chunk)
        over = self._room < 0
        if over:  # scan what fits (an error in it wins), then fail
            chunk = chunk[: len(chunk) + int(self._room)]
        if isinstance(chunk, str):
            self._scan(chunk, len(chunk))
        else:
            self._scan(*self._decode(chunk))
        if over:
            limit = self.max_bytes or 0
            self._fail(LimitExceeded(f"input longer than max_bytes={limit}", limit))
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
            self._scan(*self._decode(b"", final=True))
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

    def _scan(self, text: str, size: int) -> None:
        """Scan ``text``, which is ``size`` input units long."""
        self._builder.chunk = text
        try:
            self._scanner.feed(text)
        except ScanError as exc:
            self._fail_at(exc, text, JsonSyntaxError)
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
            self._scan(data[: exc.start].decode("utf-8"), exc.start)  # an earlier error wins
            self._fail(JsonSyntaxError("invalid UTF-8", self._base, *self._line_column(self._base)))
        self._pending = data[used:]
        return text, used

    # -- errors ----------------------------------------------------------------------------
    def _fail_at(self, exc: ScanError, text: str, kind: type[PositionedError]) -> None:
        """Raise ``exc`` (at ``exc.pos`` in ``text``) as a public error."""
        if exc.limit:
            kind = LimitExceeded
        self._fail(kind(exc.message, *self._position(exc.pos, text), self._error_path()))

    def _position(self, pos: int, text: str | None = None) -> tuple[int, int, int]:
        """Offset, line and column of ``pos`` in ``text`` (the text being scanned)."""
        if text is None:
            text = self._builder.chunk
        offset: int = self._base + (
            len(text[:pos].encode("utf-8", "surrogatepass")) if self._kind is bytes else pos)
        return (offset, *self._line_column(offset))

    def _fail(self, error: PartialJSONError) -> None:
        self._error = error
        self._accepting = None
        raise error

    def _line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``, in input units; O(input), errors only."""
        before = self.received[:offset]
        newline = b"\n" if isinstance(before, bytes) else "\n"
        line_start = before.rfind(newline) + 1
        return before.count(newline) + 1, offset - line_start + 1

    def _error_path(self) -> tuple[str | int, ...]:
        """The path of the value being read when the error happened."""
        builder, scanner = self._builder, self._scanner
        if scanner.state == STRING and not scanner.in_key:
            return builder.string_path.as_tuple()
        if scanner.stack and scanner.state in (VALUE, NUMBER, LITERAL):
            return builder.member_path().as_tuple()
        return builder.path.as_tuple()


def parse_partial(text: str | bytes, **options: Any) -> Any:
    """The partial value of a prefix of a JSON document: what is known of it so far.

    ``parse_partial('{"a": [1, 2')`` gives ``{'a': [1]}`` (the 2 may still become 23).
    Takes the options of :class:`JsonStream`; raises its errors for text that cannot be a prefix.
    """
    stream: JsonStream[Any] = JsonStream(**options)
    stream.feed(text)
    return stream.value
