"""partialjson: typed, validated objects from LLM output while it streams.

The JSON core is a sans-I/O state machine: feed it chunks of text or bytes as they arrive, get
events with paths and a live partial value that only ever grows, and errors with positions the
moment the input goes wrong. It never reads a socket and never re-parses what it has seen.
"""

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
from ._model import ModelStream, SchemaViolation, Violation
from ._partial import Partial, partial_model
from ._stream import JsonStream, parse_partial

__all__ = [
    "DocumentCompleted",
    "Event",
    "IncompleteJSON",
    "JsonStream",
    "JsonSyntaxError",
    "LimitExceeded",
    "ModelStream",
    "Partial",
    "PartialJSONError",
    "Path",
    "PositionedError",
    "SchemaViolation",
    "StringDelta",
    "ValueCompleted",
    "ValueStarted",
    "Violation",
    "parse_partial",
    "partial_model",
]
