"""The pydantic-ai bridge: typed tool-call arguments and structured output from an agent's run.

``stream(source)`` reads the event stream of a pydantic-ai run, ``agent.run_stream_events(...)``
(the manager, which it enters, or the handle it gives), a node's ``node.stream(ctx)`` in
``agent.iter(...)``, or any iterable of those events: ``PartStartEvent``, ``PartDeltaEvent``
(``TextPartDelta``, ``ThinkingPartDelta``, ``ToolCallPartDelta`` with ``args_delta`` text or a
dict), ``PartEndEvent``, and the rest (``FinalResultEvent``, tool calls and results, the run's
result) passed through. A run holds several model responses (one per step of the agent's loop),
each numbered from 0, its parts by their index. pydantic-ai is never imported here: events are
read by their ``event_kind``, ``part_kind`` and ``part_delta_kind``.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, overload

from .._guard import Guard
from .._retry import RetryPolicy
from .._stats import StreamStats
from ._events import BridgeEvent, Part, ProviderEvent
from ._reader import OBJECT, Malformed, drive, need, sdk
from ._router import Reads, Router

__all__ = ["AgentPart", "stream"]


@dataclass(frozen=True, slots=True)
class AgentPart(Part):
    """A part of a model response in a run: the ``response`` (0 for the run's first model
    request, 1 for the next step...), the part's ``index`` in it, its ``type`` (pydantic-ai's
    ``part_kind``: ``"text"``, ``"thinking"``, ``"tool-call"``...), and for a tool call its
    ``id`` and tool ``name``."""

    response: int
    index: int
    type: str
    id: str | None = None
    name: str | None = None

    def __str__(self) -> str:
        call = f" {self.name!r} ({self.id})" if self.name is not None else ""
        return f"{self.type}{call} part {self.index} of response {self.response}"


_PART_EVENTS = frozenset({"part_start", "part_delta", "part_end", "final_result"})


class _State:
    """A part of the current response: its text so far is the router's; a tool call whose
    arguments came as a dict keeps the dict until the part ends."""

    __slots__ = ("args", "ended", "kind", "received")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.args: dict[str, Any] | None = None
        self.received = 0  # characters fed (to continue a part that a new start replaces)
        self.ended = False


class _Run:
    """Reads a run's events into the router, a response at a time."""

    def __init__(self, router: Router, output_tool: str | None) -> None:
        self.router = router
        self.output_tool = output_tool
        self._response = 0
        self._parts: dict[int, _State] = {}  # the current response's parts, by index

    def feed(self, event: Any) -> list[BridgeEvent]:
        kind = need(event, "event_kind", str)
        if kind == "part_delta":
            return self._delta(need(event, "index", int), need(event, "delta", OBJECT))
        if kind == "part_start":
            return self._start(need(event, "index", int), need(event, "part", OBJECT), event)
        if kind == "part_end":
            return self._end(need(event, "index", int))
        events = [] if kind in _PART_EVENTS else self._next_response()
        return [*events, ProviderEvent(sdk(event))]

    def _key(self, index: int) -> Hashable:
        return (self._response, index)

    def _next_response(self) -> list[BridgeEvent]:
        """Events between model responses (a tool's call or result, the run's result): the
        response before them has ended. A call or output it left unfinished (a token limit)
        stops the run here, before pydantic-ai runs the tools or asks the model again."""
        events: list[BridgeEvent] = []
        if self._parts:
            for index in list(self._parts):
                events += self._end(index)
            self._parts = {}
            self._response += 1
            events += self.router.finish(None, True)
        return events

    def _start(self, index: int, part: Any, event: Any) -> list[BridgeEvent]:
        kind = need(part, "part_kind", str)
        state = self._parts.get(index)
        if state is not None and not state.ended:
            return self._replace(index, state, kind, part)
        events: list[BridgeEvent] = []
        if state is not None:  # an index used already: a new response (a retry, the next step)
            events = self._next_response()
        state = self._parts[index] = _State(kind)
        router, key = self.router, self._key(index)
        if kind == "tool-call":
            name = need(part, "tool_name", str)
            id = need(part, "tool_call_id", str, True) or ""
            where = AgentPart(self._response, index, kind, id, name)
            if name == self.output_tool and router.output is not None:
                events += router.start(key, where, sdk(part), "json")
            else:
                events += router.start(key, where, sdk(part), "json", (id, name))
            return events + self._args(state, key, part.get("args"))
        where = AgentPart(self._response, index, kind)
        if kind == "text":
            is_output = self.output_tool is None and router.output is not None
            reads: Reads = "json" if is_output else "text"
            events += router.start(key, where, sdk(part), reads)
        elif kind == "thinking":
            events += router.start(key, where, sdk(part), "text")
        else:  # built-in tools and their results, files...: whole, nothing to parse
            return events + router.start(key, where, sdk(part), "nothing")
        return events + self._text(state, key, need(part, "content", str, True))

    def _replace(self, index: int, state: _State, kind: str, part: Any) -> list[BridgeEvent]:
        """A start at an open index replaces the part with one that holds all its content so
        far: continue with what it adds, if it continues the same part."""
        if kind != state.kind:
            raise self.router.failed(f"part {index} of response {self._response} ({state.kind})"
                                     f" was replaced by a {kind} part")
        key = self._key(index)
        field = "args" if kind == "tool-call" else "content"
        whole = part.get(field)
        if isinstance(whole, dict) or state.args is not None:
            state.args = None
            return self._args(state, key, whole)
        text = whole if isinstance(whole, str) else ""
        if len(text) < state.received:
            raise self.router.failed(f"part {index} of response {self._response} was replaced "
                                     "by one with less content")
        return self._text(state, key, text[state.received :])

    def _delta(self, index: int, delta: Any) -> list[BridgeEvent]:
        state = self._parts.get(index)
        if state is None or state.ended:
            raise self.router.failed(f"a delta for part {index} of response {self._response}, "
                                     "a part that is not open")
        kind = need(delta, "part_delta_kind", str)
        key = self._key(index)
        if kind == "tool_call":
            return self._args(state, key, delta.get("args_delta"))
        if kind in ("text", "thinking"):
            return self._text(state, key, need(delta, "content_delta", str, True))
        return [ProviderEvent(sdk(delta))]

    def _text(self, state: _State, key: Hashable, text: str | None) -> list[BridgeEvent]:
        if not text:
            return []
        state.received += len(text)
        return self.router.feed(key, text)

    def _args(self, state: _State, key: Hashable, args: Any) -> list[BridgeEvent]:
        """Argument text, or a dict: dicts are merged, and read as JSON when the part ends."""
        if isinstance(args, dict):
            if state.received:
                raise Malformed("dict arguments after argument text")
            state.args = {**(state.args or {}), **args}
            return []
        if args is not None and not isinstance(args, str):
            raise Malformed("'args' is neither a string nor a dict")
        if args and state.args is not None:
            raise Malformed("argument text after dict arguments")
        return self._text(state, key, args)

    def _end(self, index: int) -> list[BridgeEvent]:
        state = self._parts.get(index)
        if state is None or state.ended:
            return []
        key = self._key(index)
        events: list[BridgeEvent] = []
        if state.args is not None:
            events = self._text(state, key, json.dumps(state.args))
        state.ended = True
        return events + self.router.end(key)

    def finish(self) -> list[BridgeEvent]:
        return self._next_response()

    def sse(self, stream: Any, name: str | None, data: str) -> Any:  # (no raw streams here)
        raise NotImplementedError

    def transport_error(self, stream: Any, error: Exception) -> Exception:
        return error


@overload
def stream(
    source: AsyncIterable[Any] | AbstractAsyncContextManager[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    output_tool: str | None = "final_result",
    early_stop: bool = True,
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> AsyncIterator[BridgeEvent]: ...
@overload
def stream(
    source: Iterable[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    output_tool: str | None = "final_result",
    early_stop: bool = True,
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> Iterator[BridgeEvent]: ...
def stream(
    source: Any,
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    output_tool: str | None = "final_result",
    early_stop: bool = True,
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> Any:
    """The events of a pydantic-ai run, as it streams.

    Args:
        source: ``agent.run_stream_events(...)`` (entered here, and left on an error or an early
            stop: the run is cancelled, and with it the model's HTTP response), the handle it
            gives, ``node.stream(ctx)`` of a model request node in ``agent.iter(...)``, or any
            iterable or async iterable of pydantic-ai's stream events.
        tools: ``{tool name: model}``: these tools' arguments are validated against their model
            while they stream; other calls' arguments are parsed as plain JSON.
        output: the model of the agent's structured output, read from the calls to
            ``output_tool`` (pydantic-ai's ``ToolOutput``, its default), or with
            ``output_tool=None`` from the text (``NativeOutput`` / ``PromptedOutput``).
        output_tool: the name of the output tool (pydantic-ai's default: ``"final_result"``).
        early_stop: on the first certain schema violation, stop the run and raise
            :class:`InvalidPart`.
        extract: with ``output`` read from text, find its JSON in prose or a ```json fence.
        guards, cancel, retry, stats: as for :func:`partialjson.anthropic.stream` (with
            ``retry``, the source is a callable that opens a new stream).
    """
    def translator() -> _Run:
        return _Run(Router(tools, output, early_stop, extract, guards), output_tool)

    return drive(source, translator, cancel=cancel, retry=retry, stats=stats)
