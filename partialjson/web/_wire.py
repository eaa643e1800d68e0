"""Batches of operations as ``text/event-stream`` events or NDJSON lines, sync and async.

The source is batches of operations (from ``json_patch`` or ``coalesce``). Batches are counted
from 1 (``id``); an error of the library (``PartialJSONError``: a schema violation, a failed
provider stream...) becomes an ``error`` event that ends the stream, a normal end an ``end``
event. Other exceptions are bugs or cancellations and propagate.

On the wire, operations take their short forms (``compact``): a path relative to the previous
operation's where that is shorter, and an ``append`` to the previous operation's string as a
bare string. Most batches of a stream at UI rate are a few characters of one string: the
short forms keep them a few bytes more than the text.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

from .._errors import PartialJSONError
from ._pointer import pointer

Op = dict[str, Any]


# One encoder for the module: json.dumps with options builds a new one per call.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def error_data(error: PartialJSONError) -> dict[str, Any]:
    """``{"type", "message", "path", "offset"}`` of an error (path as a pointer, or null)."""
    inner = getattr(error, "error", None)  # a bridge's InvalidPart carries the parser's error
    path = getattr(error, "path", None)
    offset = getattr(error, "offset", None)
    where = None
    if path is not None:
        where = pointer(path)
        part = getattr(error, "part", None)
        if part is not None and inner is not None:
            from ._patch import default_part_key

            where = pointer([default_part_key(part), *path])
    return {"type": type(error).__name__, "message": str(error), "path": where,
            "offset": offset if isinstance(offset, int) else None}


class Compactor:
    """Operations to their short forms on the wire, in the order they are sent: O(path).

    Paths are compared as their escaped segments (escaping is one-to-one per segment), so a
    relative path is cut from the text as it is, never unescaped."""

    def __init__(self) -> None:
        self.last: str | None = None  # the previous operation's path ...
        self.segments: list[str] = []  # ... split at "/" (its first is "")

    def compact(self, ops: list[Op]) -> list[Any]:
        out: list[Any] = []
        last = self.last
        for op in ops:
            path = op["path"]
            if path == last:
                if op["op"] == "append":
                    out.append(op["value"])
                    continue
                if len(path) > 1:
                    op = {**op, "path": "0"}
            elif last is not None and path:
                segments = path.split("/")
                base = self.segments
                common, end = 1, min(len(segments), len(base))
                while common < end and segments[common] == base[common]:
                    common += 1
                short = str(len(base) - common) + "".join(
                    "/" + segment for segment in segments[common:])
                if len(short) < len(path):
                    op = {**op, "path": short}
                self.segments = segments
            else:
                self.segments = path.split("/")
            out.append(op)
            last = path
        self.last = last
        return out


def compact(batches: Iterable[list[Op]]) -> Iterator[list[Any]]:
    """The batches in their short forms, for a client that applies all of them in order."""
    compactor = Compactor()
    for batch in batches:
        yield compactor.compact(batch)


class _Framing:
    """How one format writes a batch, an error and the end, numbering them from 1."""

    def __init__(self, ndjson: bool, short: bool) -> None:
        self.ndjson = ndjson
        self.compactor = Compactor() if short else None
        self.n = 0

    def batch(self, ops: list[Op]) -> str:
        self.n += 1
        sent: list[Any] = ops if self.compactor is None else self.compactor.compact(ops)
        if self.ndjson:
            return _json({"id": self.n, "ops": sent}) + "\n"
        return f"id:{self.n}\ndata:{_json(sent)}\n\n"

    def error(self, error: PartialJSONError) -> str:
        self.n += 1
        if self.ndjson:
            return _json({"id": self.n, "error": error_data(error)}) + "\n"
        return f"id:{self.n}\nevent:error\ndata:{_json(error_data(error))}\n\n"

    def failure(self, error: Exception) -> str:
        """An error that is not the library's (a bug, a failed source): its type only."""
        self.n += 1
        data = {"type": "RelayError", "message": type(error).__name__, "path": None,
                "offset": None}
        return f"id:{self.n}\nevent:error\ndata:{_json(data)}\n\n"

    def end(self) -> str:
        self.n += 1
        if self.ndjson:
            return _json({"id": self.n, "end": True}) + "\n"
        return f"id:{self.n}\nevent:end\ndata:{{}}\n\n"


def _frames(batches: Iterable[list[Op]], ndjson: bool, short: bool) -> Iterator[str]:
    framing = _Framing(ndjson, short)
    try:
        for batch in batches:
            yield framing.batch(batch)
    except PartialJSONError as error:
        yield framing.error(error)
        return
    yield framing.end()


async def _aframes(batches: AsyncIterable[list[Op]], ndjson: bool, short: bool
                   ) -> AsyncIterator[str]:
    framing = _Framing(ndjson, short)
    try:
        async for batch in batches:
            yield framing.batch(batch)
    except PartialJSONError as error:
        yield framing.error(error)
        return
    yield framing.end()


def sse(batches: Iterable[list[Op]], *, compact: bool = True) -> Iterator[str]:
    """One SSE event per batch: ``id:n``, ``data:[ops]`` (the default ``message`` event);
    then ``event:end`` (or ``event:error``), for a ``StreamingResponse(...,
    media_type="text/event-stream")``. ``compact=False``: the operations as they are (for a
    strict-RFC stream, which any RFC 6902 library applies)."""
    return _frames(batches, False, compact)


def asse(batches: AsyncIterable[list[Op]], *, compact: bool = True) -> AsyncIterator[str]:
    """:func:`sse` over an async iterable."""
    return _aframes(batches, False, compact)


def ndjson(batches: Iterable[list[Op]], *, compact: bool = True) -> Iterator[str]:
    """One line per batch: ``{"id": n, "ops": [...]}``; then ``{"id": n, "end": true}`` or
    ``{"id": n, "error": {...}}``."""
    return _frames(batches, True, compact)


def andjson(batches: AsyncIterable[list[Op]], *, compact: bool = True) -> AsyncIterator[str]:
    """:func:`ndjson` over an async iterable."""
    return _aframes(batches, True, compact)
