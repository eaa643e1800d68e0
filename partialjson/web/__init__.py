"""To the browser: the stream's events as JSON Patch operations, over SSE or NDJSON.

    from partialjson import web
    batches = web.json_patch(events, model=Recipe)      # lists of operations (dicts)
    batches = web.coalesce(batches, interval=0.05)      # at UI rate
    body = web.sse(batches)                             # text/event-stream, one event a batch

The wire format (RFC 6902 ``add``/``replace`` plus ``append`` and ``done``, and short forms on
the wire) is described in the README; ``Document`` is its reference applier. Nothing in
``partialjson`` imports this package.
"""

from ._apply import Document, PatchError, apply
from ._coalesce import acoalesce, coalesce
from ._patch import PatchEncoder, ajson_patch, default_part_key, dump, json_patch
from ._pointer import escape, pointer, relative, resolve, tokens
from ._resume import MemoryStore, RedisStore, Relay, Store
from ._wire import Compactor, andjson, asse, compact, error_data, ndjson, sse

__all__ = [
    "Compactor",
    "Document",
    "MemoryStore",
    "PatchEncoder",
    "PatchError",
    "RedisStore",
    "Relay",
    "Store",
    "acoalesce",
    "ajson_patch",
    "andjson",
    "apply",
    "asse",
    "coalesce",
    "compact",
    "default_part_key",
    "dump",
    "error_data",
    "escape",
    "json_patch",
    "ndjson",
    "pointer",
    "relative",
    "resolve",
    "sse",
    "tokens",
]
