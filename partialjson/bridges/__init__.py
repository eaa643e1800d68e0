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
    IncompleteStream,
    InvalidPart,
    JsonEvent,
    OutputComplete,
    Part,
    PartCompleted,
    PartStarted,
    ProviderEvent,
    StreamFailed,
    TextDelta,
    ToolCallComplete,
)

__all__ = [
    "BridgeError",
    "BridgeEvent",
    "IncompleteStream",
    "InvalidPart",
    "JsonEvent",
    "OutputComplete",
    "Part",
    "PartCompleted",
    "PartStarted",
    "ProviderEvent",
    "StreamFailed",
    "TextDelta",
    "ToolCallComplete",
]
