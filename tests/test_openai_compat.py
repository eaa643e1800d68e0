"""The OpenAI Chat bridge on the streams of OpenAI-compatible servers (Ollama, vLLM, LiteLLM,
Mistral), whose chunks differ from OpenAI's in ways the protocol leaves open: read through the
real openai client from a local server, as the raw stream (sync and async) and the SDK's helper.

The chunks are authored here after each server's documented or observed shape; expectations are
``json.loads`` of the authored arguments and the tools' models.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import sse_server as wire
from sse_server import ReplayServer
from test_bridge_openai import (
    FLIGHTS,
    FLIGHTS_TEXT,
    TYPED,
    WEATHER,
    WEATHER_TEXT,
    Flights,
    Weather,
    read,
)

import partialjson as pj
from partialjson.openai import ChatPart

USAGE = {"prompt_tokens": 31, "completion_tokens": 42, "total_tokens": 73}


def weather(index: int = 0, id: str = "call_w") -> ChatPart:
    return ChatPart(0, "function", index, id, "get_weather")


def flights(index: int = 1, id: str = "call_f") -> ChatPart:
    return ChatPart(0, "function", index, id, "search_flights")


def whole(id: str, name: str, arguments: str, index: int | None = None) -> dict[str, Any]:
    call: dict[str, Any] = {"id": id, "type": "function",
                            "function": {"name": name, "arguments": arguments}}
    if index is not None:
        call["index"] = index
    return call


def completes_both(outcome: Any, first: ChatPart, second: ChatPart) -> None:
    assert outcome.error is None, outcome.error
    assert outcome.of(pj.ToolCallComplete) == [
        pj.ToolCallComplete(first.id or "", "get_weather", Weather(**WEATHER), first),
        pj.ToolCallComplete(second.id or "", "search_flights", Flights(**FLIGHTS), second),
    ]


def test_whole_calls_without_index_and_stop_as_the_finish_reason(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    # Ollama: each call whole in one chunk, no "index", then finish_reason "stop".
    chunks = [
        wire.chunk({"role": "assistant", "content": "", "tool_calls": [
            whole("call_w", "get_weather", WEATHER_TEXT)]}),
        wire.chunk({"role": "assistant", "content": "", "tool_calls": [
            whole("call_f", "search_flights", FLIGHTS_TEXT)]}),
        wire.chunk({"role": "assistant", "content": ""}, "stop"),
    ]
    outcome = read(server, wire.chat(chunks), "chat", *via, tools=TYPED)
    if via[0] == "helper":  # the SDK's helper needs the index to accumulate a call
        assert isinstance(outcome.error, pj.StreamFailed)
        assert isinstance(outcome.error.__cause__, TypeError)  # its own error, passed on
        return
    completes_both(outcome, weather(0), flights(1))


def test_fragments_without_index_continue_the_call_their_id_names(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    # No "index" anywhere; the id only on a call's first fragment.
    chunks = [wire.chunk({"role": "assistant", "content": None})]
    for id, name, arguments in (("call_w", "get_weather", WEATHER_TEXT),
                                ("call_f", "search_flights", FLIGHTS_TEXT)):
        chunks.append(wire.chunk({"tool_calls": [whole(id, name, "")]}))
        chunks += [wire.chunk({"tool_calls": [{"function": {"arguments": piece}}]})
                   for piece in wire.fragments(arguments, 5)]
    chunks.append(wire.chunk({}, "tool_calls"))
    outcome = read(server, wire.chat(chunks), "chat", *via, tools=TYPED)
    if via[0] == "helper":
        assert isinstance(outcome.error, pj.StreamFailed)
        assert isinstance(outcome.error.__cause__, TypeError)
        return
    completes_both(outcome, weather(0), flights(1))


def test_id_and_name_on_every_fragment_and_null_arguments(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    # vLLM / LiteLLM: id, type and name repeated on each fragment; the first with arguments null.
    chunks = [wire.chunk({"role": "assistant", "content": None})]
    for index, (id, name, arguments) in enumerate((("call_w", "get_weather", WEATHER_TEXT),
                                                   ("call_f", "search_flights", FLIGHTS_TEXT))):
        head = whole(id, name, "", index)
        head["function"]["arguments"] = None
        chunks.append(wire.chunk({"tool_calls": [head]}))
        chunks += [wire.chunk({"tool_calls": [whole(id, name, piece, index)]})
                   for piece in wire.fragments(arguments, 3)]
    chunks.append(wire.chunk({}, "tool_calls"))
    outcome = read(server, wire.chat(chunks), "chat", *via, tools=TYPED)
    completes_both(outcome, weather(0), flights(1))
    if outcome.sdk is not None:  # what the SDK accumulated (its helper repeats the name)
        calls = outcome.sdk.choices[0].message.tool_calls
        assert [json.loads(call.function.arguments) for call in calls] == [WEATHER, FLIGHTS]


def test_parallel_calls_in_one_chunk_usage_after_and_no_done(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    # Mistral: both calls whole in one delta, then an empty-choices chunk with the usage, and
    # the body ends without "data: [DONE]".
    chunks = [
        wire.chunk({"role": "assistant", "content": ""}),
        wire.chunk({"tool_calls": [whole("D681PevKs", "get_weather", WEATHER_TEXT, 0),
                                   whole("A2c9Xk3Lm", "search_flights", FLIGHTS_TEXT, 1)]},
                   "tool_calls"),
        wire.chunk(None, usage=USAGE),
    ]
    outcome = read(server, wire.chat(chunks, done=False), "chat", *via, tools=TYPED)
    completes_both(outcome, weather(0, "D681PevKs"), flights(1, "A2c9Xk3Lm"))
    assert wire.dig(outcome.of(pj.ProviderEvent)[-1].data, "usage", "total_tokens") == 73


def test_without_done_a_call_left_unfinished_is_incomplete(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    # No "[DONE]": complete only if a finish_reason came and every part completed.
    cut = WEATHER_TEXT.index('"days"')
    chunks = wire.chat_calls([("call_w", "get_weather", WEATHER_TEXT[:cut])], finish="stop")
    outcome = read(server, wire.chat(chunks, done=False), "chat", *via, tools=TYPED)
    error = outcome.error
    assert isinstance(error, pj.IncompleteStream)
    assert error.incomplete == [weather()] and error.stop_reason is None
    assert error.texts == {weather(): WEATHER_TEXT[:cut]}


@pytest.mark.parametrize("finish", ["stop", "tool_calls"])
def test_stop_or_tool_calls_both_end_a_stream_of_calls(
    server: ReplayServer, finish: str, via: tuple[str, bool]
) -> None:
    chunks = wire.chat_calls([("call_w", "get_weather", WEATHER_TEXT),
                              ("call_f", "search_flights", FLIGHTS_TEXT)], finish=finish)
    outcome = read(server, wire.chat(chunks), "chat", *via, tools=TYPED)
    completes_both(outcome, weather(), flights())
    assert wire.dig(outcome.of(pj.ProviderEvent)[-1].data, "choices", 0,
                    "finish_reason") == finish
