"""The routing of text to the parts of a response.

A bridge knows its wire format and turns each provider event into calls on a :class:`Router`: a
part started, it grew by some text, it ended. The router owns every part's parser (a JsonStream,
or a ModelStream for a part with a model), so each piece of text is read once, and whatever goes
wrong, the error it raises carries every partial value and all the text received so far.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal, Protocol

from .._errors import GuardViolation, IncompleteJSON, PartialJSONError
from .._events import DocumentCompleted, Event, GuardFlagged, ProseDelta
from .._guard import Guard, Guards, TextGuard
from .._model import ModelStream
from .._stream import JsonStream
from ..schema import tool_schemas
from ._events import (
    BridgeEvent,
    Continued,
    IncompleteStream,
    InvalidPart,
    JsonEvent,
    OutputComplete,
    Part,
    PartCompleted,
    PartStarted,
    StreamFailed,
    TextDelta,
    ToolCallComplete,
)


class Parser(Protocol):
    """What the router needs of a JsonStream or a ModelStream."""

    @property
    def received(self) -> Any: ...
    @property
    def value(self) -> Any: ...
    def feed(self, chunk: str) -> list[Event]: ...
    def end(self) -> list[Event]: ...
    def close(self) -> Any: ...


def new_parser(model: Any, early_stop: bool, extract: bool = False,
               guards: Sequence[Guard] = ()) -> Parser:
    """A ModelStream for a part with a model (a listed tool, the output), else a JsonStream."""
    if model is None:
        return JsonStream[str](extract=extract, guards=guards)
    return ModelStream(model, early_stop=early_stop, extract=extract, guards=guards)


def partial_value(parser: Parser) -> Any:
    """The value so far: validated (a partial model instance...) if the parser has a model."""
    return parser.partial if isinstance(parser, ModelStream) else parser.value


Reads = Literal["text", "json", "nothing"]


class _State:
    """One part: its parser (JSON parts) or its text pieces (text parts), and how far it got."""

    __slots__ = ("call", "done", "empty", "ended", "guard", "parser", "part", "pieces", "value")

    def __init__(self, part: Part) -> None:
        self.part = part
        self.parser: Parser | None = None
        self.pieces: list[str] | None = None
        self.call: tuple[str, str] | None = None  # (id, name) of a tool call
        self.empty = "{}"  # what a tool call without argument text stands for
        self.done = False  # the JSON document completed and was reported
        self.value: Any = None
        self.ended = False
        self.guard: TextGuard | None = None  # the guards of its text (or prose)


class Router:
    """Every part of one response, by a key the provider chooses (a block index, a tool-call
    index...). Each method returns the events it caused."""

    def __init__(self, tools: Mapping[str, Any] | None, output: Any, early_stop: bool,
                 extract: bool = False, guards: Sequence[Guard] = ()) -> None:
        self.tools = tool_schemas(tools)  # {name: Model} or the request's own tool list
        self.output = output
        self.early_stop = early_stop
        self.extract = extract  # the output's JSON may be inside prose
        self.guards = list(guards)  # each JSON part's parser applies them to its strings
        self._text_guards = Guards(guards) if guards else None
        self.incomplete: list[Part] = []  # JSON parts that ended before their document did
        self.deltas = 0  # pieces of text fed to parts (for the stream's figures)
        self._parts: dict[Hashable, _State] = {}

    def __contains__(self, key: Hashable) -> bool:
        return key in self._parts

    def value(self, key: Hashable) -> Any:
        """A JSON part's value so far (validated, for a part with a model), or once complete
        its final value; None for a text part."""
        state = self._parts[key]
        if state.done or state.parser is None:
            return state.value
        return partial_value(state.parser)

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
        if self._text_guards is not None and (
                reads == "text" or (reads == "json" and call is None and self.extract)):
            state.guard = self._text_guards.for_text(part)
        if reads == "text":
            state.pieces = []
        elif reads == "json":
            if call is None:
                state.parser = new_parser(self.output, self.early_stop, self.extract,
                                          self.guards)
            else:
                state.parser = new_parser(self.tools.get(call[1]), self.early_stop,
                                          guards=self.guards)
            state.call, state.empty = call, empty
            if prefix:
                fed = self._feed(state, str(prefix))
                if not isinstance(prefix, Continued):  # (a continuation's were given already)
                    events += fed
        return events

    def feed(self, key: Hashable, text: str) -> list[BridgeEvent]:
        state = self._parts.get(key)
        if state is None or state.ended:
            raise self.failed(f"content for {key!r}, a part that is not open")
        if text:
            self.deltas += 1
        return self._feed(state, text)

    def _feed(self, state: _State, text: str) -> list[BridgeEvent]:
        parser = state.parser
        if parser is None:
            return self._text(state, text)
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
                out += self._text(state, event.text)
                continue
            if type(event) is GuardFlagged:
                out.append(replace(event, part=part))
                continue
            out.append(JsonEvent(part, event))
            if type(event) is DocumentCompleted:
                state.done, state.value = True, event.value
                if state.call is None:
                    out.append(OutputComplete(state.value, part))
                else:
                    out.append(ToolCallComplete(state.call[0], state.call[1], state.value, part))
        return out

    def _text(self, state: _State, text: str, end: bool = False) -> list[BridgeEvent]:
        """Text of a part (or prose around its JSON), through its guards if it has any."""
        guard = state.guard
        if guard is None:
            pieces: list[Any] = [text] if text else []
        else:
            try:
                pieces = guard.end() if end else guard.feed(text)
            except GuardViolation as exc:
                exc.text_so_far = "".join(state.pieces or ()) + guard.held
                raise self._invalid(state, exc) from exc
        out: list[BridgeEvent] = []
        for piece in pieces:
            if type(piece) is str:
                if state.pieces is not None:
                    state.pieces.append(piece)
                out.append(TextDelta(state.part, piece))
            else:
                out.append(piece)
        return out

    def end(self, key: Hashable) -> list[BridgeEvent]:
        """The part ended. A JSON part whose document is not whole is set aside as incomplete:
        the stop reason that explains it may come later (see :meth:`finish`)."""
        state = self._parts.get(key)
        if state is None or state.ended:
            return []
        state.ended = True
        parser = state.parser
        events: list[BridgeEvent] = []
        if parser is None:
            events = self._text(state, "", end=True)
            text = None if state.pieces is None else "".join(state.pieces)
            return [*events, PartCompleted(state.part, text)]
        if state.call is not None and not parser.received.strip():
            events = self._feed(state, state.empty)
        try:
            # end() completes what only end of input can (a top-level number); close() checks
            # the whole document once more (a ModelStream with early_stop=False raises here).
            events += self._tagged(state, parser.end())
            events += self._text(state, "", end=True)  # the prose its guards held back
            parser.close()
        except IncompleteJSON:
            self.incomplete.append(state.part)
        except InvalidPart:
            raise  # a guard stopped the prose around the JSON: the part is named already
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
