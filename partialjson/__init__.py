"""partialjson: typed, validated objects from LLM output while it streams.

The JSON core is a sans-I/O state machine: feed it chunks of text or bytes as they arrive, get
events with paths and a live partial value that only ever grows, and errors with positions the
moment the input goes wrong. It never reads a socket and never re-parses what it has seen.
"""

from typing import TYPE_CHECKING

from ._errors import (
    IncompleteJSON,
    JsonSyntaxError,
    LimitExceeded,
    PartialJSONError,
    PositionedError,
)
from ._events import (
    DocumentCompleted,
    Event,
    Path,
    StringDelta,
    ValueCompleted,
    ValueStarted,
)
from ._stream import JsonStream, parse_partial

if TYPE_CHECKING:
    from . import sql

__all__ = [
    "DocumentCompleted",
    "Event",
    "IncompleteJSON",
    "JsonStream",
    "JsonSyntaxError",
    "LimitExceeded",
    "PartialJSONError",
    "Path",
    "PositionedError",
    "StringDelta",
    "ValueCompleted",
    "ValueStarted",
    "parse_partial",
    "sql",
]


def __getattr__(name: str) -> object:
    if name == "sql":  # loaded on first use, so that `import partialjson` stays light
        import importlib

        return importlib.import_module(".sql", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
