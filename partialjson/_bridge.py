"""What the provider bridges share: their events, their errors, the routing of text to the parts
of a response, and the loops that read an SDK stream.

A response is made of parts: content blocks (Anthropic), tool calls and message content (OpenAI
Chat), output items and their content (OpenAI Responses). A provider module knows its wire format
and turns each SDK event into calls on a :class:`Router`: a part started, it grew by some text, it
ended. The router owns every part's parser (a JsonStream, or a ModelStream for a part with a
model), so each piece of text is read once, and whatever goes wrong, the error it raises carries
every partial value and all the text received so far.
"""

from __future__ import annotations

import reprlib
from collections.abc import AsyncIterator, Hashable, Iterator, Mapping
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ._errors import IncompleteJSON, PartialJSONError
from ._events import DocumentCompleted, Event, ProseDelta
from ._model import ModelStream
from ._sse import SSESplitter
from ._stream import JsonStream


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


# -- routing -------------------------------------------------------------------------------------
class Parser(Protocol):
    """What the router needs of a JsonStream or a ModelStream."""

    @property
    def received(self) -> Any: ...
    @property
    def value(self) -> Any: ...
    def feed(self, chunk: str) -> list[Event]: ...
    def end(self) -> list[Event]: ...
    def close(self) -> Any: ...


def new_parser(model: Any, early_stop: bool, extract: bool = False) -> Parser:
    """A ModelStream for a part with a model (a listed tool, the output), else a JsonStream."""
    if model is None:
        return JsonStream[str](extract=extract)
    return ModelStream(model, early_stop=early_stop, extract=extract)


def partial_value(parser: Parser) -> Any:
    """The value so far: validated (a partial model instance...) if the parser has a model."""
    return parser.partial if isinstance(parser, ModelStream) else parser.value


Reads = Literal["text", "json", "nothing"]


class _State:
    """One part: its parser (JSON parts) or its text pieces (text parts), and how far it got."""

    __slots__ = ("call", "done", "empty", "ended", "parser", "part", "pieces", "value")

    def __init__(self, part: Part) -> None:
        self.part = part
        self.parser: Parser | None = None
        self.pieces: list[str] | None = None
        self.call: tuple[str, str] | None = None  # (id, name) of a tool call
        self.empty = "{}"  # what a tool call without argument text stands for
        self.done = False  # the JSON document completed and was reported
        self.value: Any = None
        self.ended = False


class Router:
    """Every part of one response, by a key the provider chooses (a block index, a tool-call
    index...). Each method returns the events it caused."""

    def __init__(self, tools: Mapping[str, Any] | None, output: Any, early_stop: bool,
                 extract: bool = False) -> None:
        self.tools = dict(tools or {})
        self.output = output
        self.early_stop = early_stop
        self.extract = extract  # the output's JSON may be inside prose
        self.incomplete: list[Part] = []  # JSON parts that ended before their document did
        self._parts: dict[Hashable, _State] = {}

    def __contains__(self, key: Hashable) -> bool:
        return key in self._parts

    def start(
        self,
        key: Hashable,
        part: Part,
        data: Any,
        reads: Reads = "text",
        call: tuple[str, str] | None = None,
        prefix: str = "",
        empty: str = "{}",
    ) -> list[BridgeEvent]:
        """A part began. A JSON part is a tool call (``call``: its id and name) or the output;
        ``prefix`` is JSON the request already holds (an assistant prefill). A key already
        used fails the stream: replacing an open part would lose it without a word."""
        old = self._parts.get(key)
        if old is not None:
            how = "ended already" if old.ended else "is still open"
            raise self.failed(f"{part} started where {old.part} {how}")
        state = self._parts[key] = _State(part)
        events: list[BridgeEvent] = [PartStarted(part, data)]
        if reads == "text":
            state.pieces = []
        elif reads == "json":
            if call is None:
                state.parser = new_parser(self.output, self.early_stop, self.extract)
            else:
                state.parser = new_parser(self.tools.get(call[1]), self.early_stop)
            state.call, state.empty = call, empty
            if prefix:
                events += self._feed(state, prefix)
        return events

    def feed(self, key: Hashable, text: str) -> list[BridgeEvent]:
        state = self._parts.get(key)
        if state is None or state.ended:
            raise self.failed(f"content for {key!r}, a part that is not open")
        return self._feed(state, text)

    def _feed(self, state: _State, text: str) -> list[BridgeEvent]:
        parser = state.parser
        if parser is None:
            if state.pieces is not None:
                state.pieces.append(text)
            return [TextDelta(state.part, text)]
        try:
            events = parser.feed(text)
        except PartialJSONError as exc:
            raise self._invalid(state, exc) from exc
        return self._tagged(state, events)

    def _tagged(self, state: _State, events: list[Event]) -> list[BridgeEvent]:
        """A JSON part's events, tagged (prose around the output's JSON is text); its
        completion right after its document's."""
        part = state.part
        out: list[BridgeEvent] = []
        for event in events:
            if type(event) is ProseDelta:
                out.append(TextDelta(part, event.text))
                continue
            out.append(JsonEvent(part, event))
            if type(event) is DocumentCompleted:
                state.done, state.value = True, event.value
                if state.call is None:
                    out.append(OutputComplete(state.value, part))
                else:
                    out.append(ToolCallComplete(state.call[0], state.call[1], state.value, part))
        return out

    def end(self, key: Hashable) -> list[BridgeEvent]:
        """The part ended. A JSON part whose document is not whole is set aside as incomplete:
        the stop reason that explains it may come later (see :meth:`finish`)."""
        state = self._parts.get(key)
        if state is None or state.ended:
            return []
        state.ended = True
        parser = state.parser
        if parser is None:
            text = None if state.pieces is None else "".join(state.pieces)
            return [PartCompleted(state.part, text)]
        events: list[BridgeEvent] = []
        if state.call is not None and not parser.received.strip():
            events = self._feed(state, state.empty)
        try:
            # end() completes what only end of input can (a top-level number); close() checks
            # the whole document once more (a ModelStream with early_stop=False raises here).
            events += self._tagged(state, parser.end())
            parser.close()
        except IncompleteJSON:
            self.incomplete.append(state.part)
        except PartialJSONError as exc:
            raise self._invalid(state, exc) from exc
        return events

    def finish(self, stop_reason: str | None, ended: bool) -> list[BridgeEvent]:
        """The stream ended (``ended``: with its closing event). Raises IncompleteStream if
        any JSON part is unfinished, or if the stream was cut short."""
        unended = [s.part for s in self._parts.values() if s.parser is not None and not s.ended]
        incomplete = self.incomplete + unended
        if incomplete or not ended:
            if incomplete:
                message = ", ".join(map(str, incomplete)) + " did not complete"
            else:
                message = "the stream ended before the response did"
            if stop_reason is not None:
                message += f" (stop reason {stop_reason!r})"
            elif not ended:
                message += " (the stream was cut short)"
            part = incomplete[0] if incomplete else None
            raise IncompleteStream(message, stop_reason, incomplete, part, *self._snapshot())
        return []

    def failed(self, cause: Exception | str) -> StreamFailed:
        """The error for a stream that failed part-way (raise it ``from`` the cause)."""
        message = cause if isinstance(cause, str) else f"{type(cause).__name__}: {cause}"
        return StreamFailed(f"the stream failed: {message}", None, *self._snapshot())

    def _invalid(self, state: _State, error: PartialJSONError) -> InvalidPart:
        return InvalidPart(f"{state.part}: {error}", error, state.part, *self._snapshot())

    def _snapshot(self) -> tuple[dict[Part, Any], dict[Part, str]]:
        """Every part's value and text so far, as an error carries them."""
        values: dict[Part, Any] = {}
        texts: dict[Part, str] = {}
        for state in self._parts.values():
            if state.parser is not None:
                values[state.part] = state.value if state.done else partial_value(state.parser)
                texts[state.part] = state.parser.received
            elif state.pieces is not None:
                texts[state.part] = "".join(state.pieces)
        return values, texts


# -- reading a source ----------------------------------------------------------------------------
class Translator(Protocol):
    """A provider's reading of its stream. ``feed`` takes an event as the provider's JSON (a
    dict) or an SDK object seen through :class:`Fields`: one reading serves both."""

    router: Router

    def feed(self, item: Any) -> list[BridgeEvent]: ...
    def finish(self) -> list[BridgeEvent]: ...

    def sse(self, stream: Any, name: str | None, data: str) -> Any:
        """A server-sent event of a raw SDK ``stream`` as its JSON, or None for one to skip;
        raises what the SDK's stream would for an error event."""
        ...

    def transport_error(self, stream: Any, error: Exception) -> Exception:
        """What the SDK's stream raises when reading its body fails with ``error``."""
        ...


class Fields:
    """An SDK object read like the provider's JSON: ``event["index"]``, ``event.get("id")``.
    ``obj`` is the object itself, which the events carry as their ``data``."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __getitem__(self, name: str) -> Any:
        return fields(getattr(self.obj, name))

    def get(self, name: str, default: Any = None) -> Any:
        return fields(getattr(self.obj, name, default))


_PLAIN = (str, int, float, dict, type(None))  # as JSON has them (bool is an int)


def fields(value: Any) -> Any:
    """``value`` as the provider's JSON would have it: an SDK object seen through Fields."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list):
        return [fields(item) for item in value]
    return Fields(value)


class Malformed(Exception):
    """An event the protocol does not allow (a field missing, or of the wrong type); the
    reading loop turns it into a StreamFailed that names the event."""


_KINDS: dict[Any, str] = {str: "a string", int: "an integer", list: "a list"}
OBJECT = (dict, Fields)  # a JSON object, or an SDK object read through Fields


def need(event: Any, name: str, kind: Any, optional: bool = False) -> Any:
    """``event[name]``, which the protocol makes a ``kind`` (str, int, list or OBJECT); with
    ``optional``, None when absent or null."""
    value = event.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        what = "missing" if value is None else f"{type(value).__name__} {_short.repr(value)}"
        raise Malformed(f"{name!r} is {what}, not {_KINDS.get(kind, 'an object')}")
    return value


_short = reprlib.Repr()  # events in messages: a long one would bury the message
_short.maxstring, _short.maxother, _short.maxdict, _short.maxlist = 60, 60, 8, 4


def describe(item: Any) -> str:
    """An event for a message: its type, then its content, shortened."""
    kind = item.get("type") if isinstance(item, OBJECT) else None
    return (f"{kind} " if isinstance(kind, str) else "") + _short.repr(sdk(item))


def sdk(value: Any) -> Any:
    """What an event carries as ``data``: the SDK's object, or the provider's JSON (a dict)
    from a raw stream, read without making SDK objects."""
    return value.obj if isinstance(value, Fields) else value


def drive(source: Any, translator: Translator) -> Any:
    """Read ``source`` (an SDK stream or helper, the manager that opens one, or any iterable
    of SDK events or of the provider's JSON events) through ``translator``: an iterator of
    events, or an async one for an async source."""
    is_async = hasattr(source, "__aiter__") or hasattr(source, "__aenter__")
    if _is_raw(source):
        reader = _read_body_async if is_async else _read_body
        return reader(source, translator)
    return _read_async(source, translator) if is_async else _read(source, translator)


def translate(translator: Translator, item: Any) -> list[BridgeEvent]:
    """The events of one provider event; one the protocol does not allow fails the stream."""
    try:
        if not isinstance(item, OBJECT):
            raise Malformed("an event is an object")
        return translator.feed(item)
    except Malformed as exc:
        raise translator.router.failed(f"malformed event ({exc}): {describe(item)}") from None


def _is_raw(source: Any) -> bool:
    """A raw SDK stream, ``create(stream=True)``: both SDKs name its class ``Stream`` /
    ``AsyncStream`` and give it the HTTP response. (Their helpers also hold a ``response``, but
    are read as they are: their users expect what they accumulate.)"""
    kind = type(source).__name__
    return kind in ("Stream", "AsyncStream") and hasattr(getattr(source, "response", None),
                                                         "iter_bytes")


def _read(source: Any, translator: Translator) -> Iterator[BridgeEvent]:
    with ExitStack() as stack:
        if not hasattr(source, "__iter__"):  # a helper's manager: open the helper
            source = stack.enter_context(source)
        # Closing the HTTP response stops the provider generating: at once on an error (an
        # early stop), or when the caller stops iterating. After a full read it is a no-op.
        if hasattr(source, "close"):  # (a list of recorded events has nothing to close)
            stack.callback(source.close)
        items = iter(source)
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except Exception as exc:  # an error event, a dropped connection: the SDK's own error
                raise translator.router.failed(exc) from exc
            yield from translate(translator, fields(item))
        yield from translator.finish()


async def _read_async(source: Any, translator: Translator) -> AsyncIterator[BridgeEvent]:
    async with AsyncExitStack() as stack:
        if not hasattr(source, "__aiter__"):
            source = await stack.enter_async_context(source)
        if hasattr(source, "close"):
            stack.push_async_callback(source.close)
        items = source.__aiter__()
        while True:
            try:
                item = await items.__anext__()
            except StopAsyncIteration:
                break
            except Exception as exc:
                raise translator.router.failed(exc) from exc
            for event in translate(translator, fields(item)):
                yield event
        for event in translator.finish():
            yield event


# A raw stream's body is read here rather than through the SDK's stream, whose decoding and
# event objects cost more than the bridge itself; the provider's ``sse`` and
# ``transport_error`` keep the SDK's errors. Closing the stream closes the HTTP response, as above.
def _read_body(stream: Any, translator: Translator) -> Iterator[BridgeEvent]:
    splitter = SSESplitter()
    chunks = stream.response.iter_bytes()
    try:
        while True:
            try:
                chunk = next(chunks)
            except StopIteration:
                break
            except Exception as exc:
                error = translator.transport_error(stream, exc)
                raise translator.router.failed(error) from error
            for item in _items(stream, translator, splitter, chunk):
                yield from translate(translator, item)
        yield from translator.finish()
    finally:
        chunks.close()
        stream.close()


async def _read_body_async(stream: Any, translator: Translator) -> AsyncIterator[BridgeEvent]:
    splitter = SSESplitter()
    chunks = stream.response.aiter_bytes()
    try:
        while True:
            try:
                chunk = await chunks.__anext__()
            except StopAsyncIteration:
                break
            except Exception as exc:
                error = translator.transport_error(stream, exc)
                raise translator.router.failed(error) from error
            for item in _items(stream, translator, splitter, chunk):
                for event in translate(translator, item):
                    yield event
        for event in translator.finish():
            yield event
    finally:
        await chunks.aclose()  # in this task: the body's generator is not left to the loop
        await stream.close()


def _items(stream: Any, translator: Translator, splitter: SSESplitter,
           chunk: bytes) -> Iterator[Any]:
    """The JSON of each event that ``chunk`` completes, one at a time: an error event raises
    only once the events before it were read."""
    try:
        events = splitter.feed(chunk)
    except UnicodeDecodeError as exc:
        raise translator.router.failed(exc) from exc
    for name, data in events:
        try:
            item = translator.sse(stream, name, data)
        except Exception as exc:  # an error event, JSON that does not parse: the SDK's error
            raise translator.router.failed(exc) from exc
        if item is not None:
            yield item
