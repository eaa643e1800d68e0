"""partialjson: typed, validated objects from LLM output while it streams.

The JSON core is a sans-I/O state machine: feed it chunks of text or bytes as they arrive, get
events with paths and a live partial value that only ever grows, and errors with positions the
moment the input goes wrong. It never reads a socket and never re-parses what it has seen.

The bridges (``partialjson.anthropic``, ``openai``, ``gemini``, ``langchain``, ``pydantic_ai``)
read providers' and frameworks' streams into the events below (``PartStarted`` ...
``ToolCallComplete``); the SDKs are optional and only the bridges' callers import them. A
``ModelStream`` takes a pydantic type or a JSON Schema dict; ``Guard`` rules check streamed
text; ``partialjson.web`` carries it all to a browser.
"""

from typing import TYPE_CHECKING

from . import _scanner
from ._directives import Stream
from ._errors import (
    GuardViolation,
    IncompleteJSON,
    JsonSyntaxError,
    LimitExceeded,
    PartialJSONError,
    PositionedError,
    SchemaError,
    SchemaViolation,
)
from ._events import (
    DocumentCompleted,
    Event,
    GuardFlagged,
    Path,
    ProseDelta,
    StringDelta,
    ValueCompleted,
    ValueStarted,
    Violation,
)
from ._guard import Guard
from ._model import ModelStream
from ._partial import Partial, partial_model
from ._retry import RetryPolicy
from ._stats import StreamStats
from ._stream import JsonStream, parse_partial
from .bridges import (
    BridgeError,
    BridgeEvent,
    Cancelled,
    IncompleteStream,
    InvalidPart,
    JsonEvent,
    OutputComplete,
    Part,
    PartCompleted,
    PartStarted,
    ProviderEvent,
    Restarted,
    StreamFailed,
    TextDelta,
    ToolCallComplete,
)

if TYPE_CHECKING:
    from . import recovery, sql

#: True where the JSON core and the schema layer run compiled (mypyc), False in the pure-Python
#: build (no C compiler at install time, or PARTIALJSON_PURE=1). Both behave the same.
compiled: bool = not (_scanner.__file__ or "").endswith(".py")

__all__ = [
    "BridgeError",
    "BridgeEvent",
    "Cancelled",
    "DocumentCompleted",
    "Event",
    "Guard",
    "GuardFlagged",
    "GuardViolation",
    "IncompleteJSON",
    "IncompleteStream",
    "InvalidPart",
    "JsonEvent",
    "JsonStream",
    "JsonSyntaxError",
    "LimitExceeded",
    "ModelStream",
    "OutputComplete",
    "Part",
    "PartCompleted",
    "PartStarted",
    "Partial",
    "PartialJSONError",
    "Path",
    "PositionedError",
    "ProseDelta",
    "ProviderEvent",
    "Restarted",
    "RetryPolicy",
    "SchemaError",
    "SchemaViolation",
    "Stream",
    "StreamFailed",
    "StreamStats",
    "StringDelta",
    "TextDelta",
    "ToolCallComplete",
    "ValueCompleted",
    "ValueStarted",
    "Violation",
    "compiled",
    "parse_partial",
    "partial_model",
    "recovery",
    "sql",
]


def __getattr__(name: str) -> object:
    if name in ("sql", "recovery"):  # loaded on first use: `import partialjson` stays light
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
