"""The bridges' events and errors: one event model for every provider and framework.

A response is made of parts: content blocks (Anthropic), tool calls and message content (OpenAI
Chat), output items and their content (OpenAI Responses), and so on for each bridge. Events say
which part they are about; errors carry every partial value and all the text received so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._errors import PartialJSONError
from .._events import Event


# -- events --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Part:
    """Which part of a response an event is about; each provider names its own fields."""


@dataclass(frozen=True, slots=True)
class PartStarted:
    """A part began; ``data`` is the provider's own object that opened it (a content block,
    the first fragment of a tool call, an output item)."""

    part: Part
    data: Any


@dataclass(frozen=True, slots=True)
class TextDelta:
    """A part that holds text (text, thinking, refusal, reasoning) grew by ``text``."""

    part: Part
    text: str


@dataclass(frozen=True, slots=True)
class JsonEvent:
    """An event of the JSON in a tool call or a structured output: ``event`` is a
    ``ValueStarted``, ``StringDelta``, ``ValueCompleted`` or ``DocumentCompleted``."""

    part: Part
    event: Event


@dataclass(frozen=True, slots=True)
class ToolCallComplete:
    """A tool call's arguments are complete: ``value`` is the validated model of a listed tool,
    plain JSON for any other. ``id`` is what a tool result must refer to."""

    id: str
    name: str
    value: Any
    part: Part


@dataclass(frozen=True, slots=True)
class OutputComplete:
    """The structured output is complete: ``value`` is the validated ``output`` model."""

    value: Any
    part: Part


@dataclass(frozen=True, slots=True)
class PartCompleted:
    """A part that is neither a tool call nor an output ended; ``text`` is its whole text, or
    None for a part without text (a server tool's result, redacted thinking, ...)."""

    part: Part
    text: str | None


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    """An SDK event the bridge has nothing to add to (message start and stop, usage, stop
    reasons, citations, signatures, lifecycle events), passed through as it came."""

    data: Any


BridgeEvent = (
    PartStarted | TextDelta | JsonEvent | ToolCallComplete | OutputComplete | PartCompleted
    | ProviderEvent
)


# -- errors --------------------------------------------------------------------------------------
class BridgeError(PartialJSONError):
    """A provider stream could not be read to a valid end. Nothing received is lost:

    - ``part``: the part at fault, or None when the stream as a whole failed;
    - ``values``: each tool call's and output's value so far (validated partial objects for parts
      with a model; the final value for parts already complete);
    - ``texts``: the text each part received so far (the JSON text for tool calls and outputs).
    """

    def __init__(
        self,
        message: str,
        part: Part | None,
        values: dict[Part, Any],
        texts: dict[Part, str],
    ) -> None:
        super().__init__(message)
        self.part = part
        self.values = values
        self.texts = texts

    @property
    def text(self) -> str | None:
        """The text the part at fault received so far."""
        return None if self.part is None else self.texts.get(self.part)


class InvalidPart(BridgeError):
    """A tool call's arguments or the output broke their schema or JSON itself. ``error`` is the
    parser's error (a ``SchemaViolation``, ``JsonSyntaxError``, ...), with the path and offset."""

    def __init__(self, message: str, error: PartialJSONError, part: Part,
                 values: dict[Part, Any], texts: dict[Part, str]) -> None:
        super().__init__(message, part, values, texts)
        self.error = error

    @property
    def path(self) -> tuple[str | int, ...]:
        return tuple(getattr(self.error, "path", ()))

    @property
    def offset(self) -> int | None:
        return getattr(self.error, "offset", None)


class IncompleteStream(BridgeError):
    """The stream ended before its parts did: a token limit (``stop_reason``), or a stream cut
    short without its closing event. ``incomplete`` lists the parts left unfinished."""

    def __init__(self, message: str, stop_reason: str | None, incomplete: list[Part],
                 part: Part | None, values: dict[Part, Any], texts: dict[Part, str]) -> None:
        super().__init__(message, part, values, texts)
        self.stop_reason = stop_reason
        self.incomplete = incomplete


class StreamFailed(BridgeError):
    """The stream failed part-way: the provider sent an error, the connection dropped, or the
    events broke the protocol. The SDK's exception, if any, is the ``__cause__``."""
