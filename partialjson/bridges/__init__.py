"""The provider and framework bridges: each reads one source's stream into the same events.

One module per source (``anthropic``, ``openai``, ...), each importable as
``partialjson.<name>`` too; what they share lives beside them: the events and errors
(``_events``), the router that gives every part of a response its parser (``_router``), the
loops that read SDK streams and raw bodies (``_reader``) and the server-sent-events splitter
(``_sse``). The SDKs are optional: a bridge never imports its SDK at import time.
"""

from ._events import (
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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._reader import AsyncBridgeStream, BridgeStream

__all__ = [
    "AsyncBridgeStream",
    "BridgeError",
    "BridgeEvent",
    "BridgeStream",
    "Cancelled",
    "IncompleteStream",
    "InvalidPart",
    "JsonEvent",
    "OutputComplete",
    "Part",
    "PartCompleted",
    "PartStarted",
    "ProviderEvent",
    "Restarted",
    "StreamFailed",
    "TextDelta",
    "ToolCallComplete",
]


def __getattr__(name: str) -> object:
    if name in ("BridgeStream", "AsyncBridgeStream"):  # (the reader imports asyncio: on use)
        from . import _reader

        return getattr(_reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
