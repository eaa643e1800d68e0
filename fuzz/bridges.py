"""Fuzz harness of the provider bridges: any events, in any order, into ``anthropic.stream`` and
``openai.stream``.

``streams()`` draws a well-formed stream of one of the three protocols (Anthropic Messages, OpenAI
Chat Completions, OpenAI Responses) with tool calls whose arguments are generated JSON, then maybe
breaks it: events dropped, repeated, swapped, a field deleted or set to any JSON value, an event
replaced by a non-object. ``check(case, read)`` reads it through the bridge and asserts that

- the bridge raises nothing but the library's own errors (``pj.PartialJSONError``);
- an unbroken stream gives every call's arguments, exactly as ``json.loads`` reads them;
- whatever the stream, a run without an error completes every tool call that started exactly once,
  with the value its JSON document completed with: no part disappears, none completes twice.

``read`` is how the events reach the bridge: ``recorded`` (a list of the provider's JSON events,
what a recording replays), or in ``fuzz_bridges.py`` through the real SDK clients (the raw body
and the SDKs' helpers).
"""

from __future__ import annotations

import copy
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

import sse_server as wire  # the SSE writers of the bridge tests

import partialjson as pj
from partialjson import anthropic, openai

PROTOCOLS = ("anthropic", "chat", "responses")
NAMES = ("get_weather", "search_flights", "get_time")

json_scalars = st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=6)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=8,
)
arguments = st.dictionaries(st.sampled_from(["a", "b", "é", "k\\"]), json_values, max_size=3)


@dataclass
class Case:
    """A stream: its protocol, its events (Anthropic and Responses: ``(name, data)``; Chat: the
    chunks), each call's arguments ``{id: value}``, and whether it was broken."""

    protocol: str
    events: list[Any]
    calls: dict[str, Any]
    broken: bool

    def data(self) -> list[Any]:
        """The provider's JSON events, as a recording holds them."""
        if self.protocol == "chat":
            return list(self.events)
        return [data for _, data in self.events]

    def body(self) -> str:
        """The stream's SSE body."""
        if self.protocol == "chat":
            return wire.chat(self.events)
        return wire.sse(self.events)


@st.composite
def well_formed(draw: st.DrawFn) -> Case:
    protocol = draw(st.sampled_from(PROTOCOLS))
    values = draw(st.lists(arguments, min_size=1, max_size=3))
    size = draw(st.integers(1, 6))
    calls = [(f"call_{n}", draw(st.sampled_from(NAMES)), json.dumps(value, ensure_ascii=False))
             for n, value in enumerate(values)]
    expected = {id: value for (id, _, _), value in zip(calls, values, strict=True)}
    events: list[Any]
    if protocol == "anthropic":
        blocks = [wire.tool_use(name, text, id, size) for id, name, text in calls]
        if draw(st.booleans()):
            blocks.insert(0, wire.text("Let me see.", size))
        events = wire.message(blocks, "tool_use")
    elif protocol == "chat":
        events = wire.chat_calls(calls, interleave=draw(st.booleans()), size=size)
    else:
        items = [("function_call", name, text) for _, name, text in calls]
        events = wire.responses(items, size)
        expected = {f"call_{n}": value for n, value in enumerate(values)}  # (its call ids)
    return Case(protocol, events, expected, False)


# What a broken field may become: gone, null, any other JSON type, or another event's value.
ODD_VALUES = [None, 0, -1, 7, True, 1.5, "", "x", "{", [], {}, [1], {"type": "x"}]
GONE = object()


@st.composite
def streams(draw: st.DrawFn) -> Case:
    case = draw(well_formed())
    events = case.events
    breaks = draw(st.integers(0, 3))
    for _ in range(breaks):
        events = copy.deepcopy(events)
        action = draw(st.sampled_from(["drop", "repeat", "swap", "field", "field", "non-object"]))
        at = draw(st.integers(0, len(events) - 1))
        if action == "drop" and len(events) > 1:
            del events[at]
        elif action == "repeat":
            events.insert(draw(st.integers(0, len(events))), events[at])
        elif action == "swap":
            other = draw(st.integers(0, len(events) - 1))
            events[at], events[other] = events[other], events[at]
        elif action == "field":
            _break_field(draw, events[at] if case.protocol == "chat" else events[at][1])
        else:
            odd = draw(st.sampled_from([None, 1, "x", []]))
            events[at] = odd if case.protocol == "chat" else (events[at][0], odd)
    return Case(case.protocol, events, case.calls, breaks > 0)


def _break_field(draw: st.DrawFn, data: Any) -> None:
    """Walk down ``data`` to some object and delete one of its fields or set it to anything."""
    while True:
        if isinstance(data, list) and data:
            data = data[draw(st.integers(0, len(data) - 1))]
            continue
        if not isinstance(data, dict) or not data:
            return
        key = draw(st.sampled_from(sorted(data)))
        if isinstance(data[key], (dict, list)) and data[key] and draw(st.booleans()):
            data = data[key]
            continue
        value = draw(st.sampled_from([GONE, *ODD_VALUES]) | json_values)
        if value is GONE:
            del data[key]
        else:
            data[key] = value
        return


# -- reading a case -----------------------------------------------------------------------------
Read = Callable[[Case], Iterable[Any]]  # the bridge's events for a case


def recorded(case: Case) -> Iterable[Any]:
    """The bridge reading the provider's JSON events, as a recording replays them."""
    bridge: Any = anthropic if case.protocol == "anthropic" else openai
    return bridge.stream(case.data())  # type: ignore[no-any-return]


def check(case: Case, read: Read = recorded) -> None:
    events: list[Any] = []
    try:
        for event in read(case):
            events.append(event)
    except pj.PartialJSONError as exc:
        assert case.broken, f"a well-formed stream failed: {exc!r}"
        assert isinstance(exc, pj.BridgeError), f"not a bridge error: {exc!r}"
        assert isinstance(exc.values, dict) and isinstance(exc.texts, dict)
        return
    # (anything else propagates: the fuzzer reports it)
    completed = Counter(e.part for e in events
                        if isinstance(e, (pj.ToolCallComplete, pj.OutputComplete)))
    assert all(n == 1 for n in completed.values()), f"a part completed twice: {completed}"
    documents = {e.part: e.event.value for e in events
                 if isinstance(e, pj.JsonEvent) and isinstance(e.event, pj.DocumentCompleted)}
    calls = [e for e in events if isinstance(e, pj.ToolCallComplete)]
    for call in calls:
        assert documents[call.part] == call.value
    for started in (e.part for e in events if isinstance(e, pj.PartStarted)):
        if _is_call(started):
            assert completed[started] == 1, f"{started} started and vanished"
    if not case.broken:
        assert {c.id: c.value for c in calls} == case.calls


def _is_call(part: Any) -> bool:
    if isinstance(part, anthropic.Block):
        return part.name is not None
    if isinstance(part, openai.ChatPart):
        return part.index is not None
    return part.type in ("function_call", "mcp_call")
