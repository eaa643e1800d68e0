"""Batches of operations as ``text/event-stream`` events or NDJSON lines, sync and async.

The source is batches of operations (from ``json_patch`` or ``coalesce``). Batches are counted
from 1 (``id``); an error of the library (``PartialJSONError``: a schema violation, a failed
provider stream...) becomes an ``error`` event that ends the stream, a normal end an ``end``
event. Other exceptions are bugs or cancellations and propagate.
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


class _Framing:
    """How one format writes a batch, an error and the end, numbering them from 1."""

    def __init__(self, ndjson: bool) -> None:
        self.ndjson = ndjson
        self.n = 0

    def batch(self, ops: list[Op]) -> str:
        self.n += 1
        if self.ndjson:
            return _json({"id": self.n, "ops": ops}) + "\n"
        return f"id: {self.n}\nevent: patch\ndata: {_json(ops)}\n\n"

    def error(self, error: PartialJSONError) -> str:
        self.n += 1
        if self.ndjson:
            return _json({"id": self.n, "error": error_data(error)}) + "\n"
        return f"id: {self.n}\nevent: error\ndata: {_json(error_data(error))}\n\n"

    def end(self) -> str:
        self.n += 1
        if self.ndjson:
            return _json({"id": self.n, "end": True}) + "\n"
        return f"id: {self.n}\nevent: end\ndata: {{}}\n\n"


def _frames(batches: Iterable[list[Op]], ndjson: bool) -> Iterator[str]:
    framing = _Framing(ndjson)
    try:
        for batch in batches:
            yield framing.batch(batch)
    except PartialJSONError as error:
        yield framing.error(error)
        return
    yield framing.end()


async def _aframes(batches: AsyncIterable[list[Op]], ndjson: bool) -> AsyncIterator[str]:
    framing = _Framing(ndjson)
    try:
        async for batch in batches:
            yield framing.batch(batch)
    except PartialJSONError as error:
        yield framing.error(error)
        return
    yield framing.end()


def sse(batches: Iterable[list[Op]]) -> Iterator[str]:
    """One SSE event per batch: ``id: n``, ``event: patch``, ``data: [ops]``; then ``end``
    (or ``error``), for a ``StreamingResponse(..., media_type="text/event-stream")``."""
    return _frames(batches, ndjson=False)


def asse(batches: AsyncIterable[list[Op]]) -> AsyncIterator[str]:
    """:func:`sse` over an async iterable."""
    return _aframes(batches, ndjson=False)


def ndjson(batches: Iterable[list[Op]]) -> Iterator[str]:
    """One line per batch: ``{"id": n, "ops": [...]}``; then ``{"id": n, "end": true}`` or
    ``{"id": n, "error": {...}}``."""
    return _frames(batches, ndjson=True)


def andjson(batches: AsyncIterable[list[Op]]) -> AsyncIterator[str]:
    """:func:`ndjson` over an async iterable."""
    return _aframes(batches, ndjson=True)
