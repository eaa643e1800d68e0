"""Malformed and unexpected provider events: each is read where a provider really sends it (Azure
OpenAI's content filter chunks), or fails the stream with ``StreamFailed`` naming the event,
keeping everything received. Streams are recorded events (the provider's JSON) unless said.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
import sse_server as wire
from hypothesis import given

import partialjson as pj
from partialjson import anthropic, openai
from partialjson.anthropic import Block
from partialjson.openai import ChatPart, ResponsePart

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fuzz"))
import bridges as fuzz  # the bridges' fuzz harness

ARGS = '{"city": "Paris", "days": 3}'
CALLS = [("call_a", "get_weather", ARGS), ("call_b", "get_time", '{"tz": "CET"}')]


def run(bridge: Any, events: list[Any]) -> tuple[list[Any], Exception | None]:
    out: list[Any] = []
    try:
        out.extend(bridge.stream(events))
    except Exception as exc:
        return out, exc
    return out, None


def failed(bridge: Any, events: list[Any], *named: str) -> pj.StreamFailed:
    """The stream fails with StreamFailed, whose message names all of ``named``."""
    _, error = run(bridge, events)
    assert isinstance(error, pj.StreamFailed), repr(error)
    for name in named:
        assert name in str(error), (name, str(error))
    return error


def messages(*blocks: wire.Block) -> list[Any]:
    return [data for _, data in wire.message(list(blocks), "tool_use")]


# -- Anthropic -----------------------------------------------------------------------------------
def test_anthropic_an_event_without_type_fails_naming_it() -> None:
    events = messages(wire.tool_use("get_weather", ARGS))
    del events[3]["type"]  # a content_block_delta
    error = failed(anthropic, events, "'type' is missing", "input_json_delta")
    assert error.texts == {Block(0, "tool_use", "toolu_01", "get_weather"): ""}


def test_anthropic_a_delta_without_delta_fails_naming_the_event() -> None:
    events = messages(wire.tool_use("get_weather", ARGS))
    del events[4]["delta"]
    failed(anthropic, events, "content_block_delta", "'delta' is missing")


def test_anthropic_null_partial_json_fails_keeping_what_came() -> None:
    events = messages(wire.tool_use("get_weather", ARGS, size=8))
    events[5]["delta"]["partial_json"] = None  # after "" and '{"city"'
    error = failed(anthropic, events, "content_block_delta", "'partial_json' is missing")
    assert error.texts == {Block(0, "tool_use", "toolu_01", "get_weather"): ARGS[:8]}


def test_anthropic_a_tool_block_without_id_fails_naming_it() -> None:
    events = messages(wire.tool_use("get_weather", ARGS))
    del events[1]["content_block"]["id"]
    failed(anthropic, events, "content_block_start", "'id' is missing")


def test_anthropic_an_event_that_is_not_an_object_fails() -> None:
    events = messages(wire.tool_use("get_weather", ARGS))
    events[3] = ["not", "an", "event"]
    failed(anthropic, events, "an event is an object", "['not', 'an', 'event']")


def test_anthropic_a_second_start_at_an_open_index_fails_naming_the_open_call() -> None:
    first = messages(wire.tool_use("get_weather", ARGS, "toolu_01"))
    second = messages(wire.tool_use("get_time", '{"tz": "CET"}', "toolu_02"))
    cut = 6  # message_start, start, ping, then "" and two pieces of the first call
    events = first[:cut] + second[1:]  # the second call reuses index 0, the first one open
    error = failed(anthropic, events, "tool_use block 0 'get_weather' (toolu_01)", "still open")
    assert error.texts == {Block(0, "tool_use", "toolu_01", "get_weather"): ARGS[:8]}


def test_anthropic_a_start_at_an_index_already_ended_fails() -> None:
    events = messages(wire.tool_use("get_weather", ARGS, "toolu_01"))
    again = messages(wire.tool_use("get_time", "{}", "toolu_02"))
    stop = events.index({"type": "content_block_stop", "index": 0}) + 1
    _, error = run(anthropic, events[:stop] + again[1:])
    assert isinstance(error, pj.StreamFailed) and "ended already" in str(error)


# -- OpenAI Chat ---------------------------------------------------------------------------------
def calls_of(events: list[Any]) -> dict[str, Any]:
    return {e.id: e.value for e in events if isinstance(e, pj.ToolCallComplete)}


def test_chat_null_choices_and_null_delta_carry_nothing() -> None:
    chunks = wire.chat_calls(CALLS[:1])
    usage = {"prompt_tokens": 9, "completion_tokens": 5, "total_tokens": 14}
    odd = [wire.chunk(None, usage=usage) | {"choices": None},
           wire.chunk({}) | {"choices": [{"index": 0, "delta": None, "finish_reason": None}]}]
    events, error = run(openai, chunks[:3] + odd + chunks[3:])
    assert error is None
    assert calls_of(events) == {"call_a": json.loads(ARGS)}
    passed = [e.data for e in events if isinstance(e, pj.ProviderEvent)]
    assert odd[0] in passed and odd[1] in passed


def test_chat_a_tool_call_index_not_an_integer_fails_naming_the_chunk() -> None:
    # (one without an index continues a call: see tests/test_openai_compat.py)
    chunks = wire.chat_calls(CALLS[:1])
    chunks[3]["choices"][0]["delta"]["tool_calls"][0]["index"] = "0"
    failed(openai, chunks, "'index' is str '0', not an integer", "chatcmpl-1")


def test_chat_arguments_that_are_not_a_string_fail() -> None:
    chunks = wire.chat_calls(CALLS[:1])
    chunks[3]["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"] = {"city": 1}
    failed(openai, chunks, "'arguments' is dict {'city': 1}, not a string")


def test_chat_a_second_call_at_an_open_index_fails_naming_both() -> None:
    chunks = wire.chat_calls(CALLS[:1], finish=None)
    other = wire.chat_calls(CALLS[1:], finish="tool_calls")
    error = failed(openai, chunks[:4] + other[1:], "call_a", "call_b")
    assert error.texts == {ChatPart(0, "function", 0, "call_a", "get_weather"): ARGS[:8]}


# Azure OpenAI: a first chunk of prompt filter results (no choices, "object": ""), and the
# content filter's results on each choice in chunks of their own, without delta.
FILTERS = {name: {"filtered": False, "severity": "safe"}
           for name in ("hate", "self_harm", "sexual", "violence")}
PROMPT_FILTER = {"id": "", "object": "", "created": 0, "model": "", "choices": [],
                 "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": FILTERS}]}


def azure(chunks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chunks as Azure streams them: after the prompt filter chunk, a filter chunk after each
    second chunk, and the filter results on the chunk that finishes."""
    out = [PROMPT_FILTER]
    for n, chunk in enumerate(chunks):
        if chunk["choices"] and chunk["choices"][0]["finish_reason"] is not None:
            chunk["choices"][0]["content_filter_results"] = FILTERS
        out.append(chunk)
        if n % 2:
            out.append(wire.chunk({}) | {"choices": [
                {"index": 0, "finish_reason": None, "content_filter_results": FILTERS,
                 "content_filter_offsets": {"check_offset": 0, "start_offset": 0,
                                            "end_offset": 10}}]})
    return out


def test_azure_content_filter_chunks_pass_through_and_calls_complete() -> None:
    chunks = azure(wire.chat_calls(CALLS, interleave=True))
    events, error = run(openai, chunks)
    assert error is None
    assert calls_of(events) == {id: json.loads(text) for id, _, text in CALLS}
    passed = [e.data for e in events if isinstance(e, pj.ProviderEvent)]
    filtered = [c for c in chunks if "content_filter_results" in str(c)]
    assert passed == filtered  # the prompt filter, every annotation, the finishing chunk


@pytest.mark.parametrize("is_async", [False, True], ids=["raw", "raw-async"])
def test_azure_structured_output_with_content_filter_chunks(
    server: wire.ReplayServer, is_async: bool
) -> None:
    # Through the real client's raw stream. (The SDK's chat helper itself fails on a choice
    # without delta: AttributeError in its accumulation, which the bridge reports as
    # StreamFailed.)
    import pydantic
    from test_bridge_openai import read

    class Weather(pydantic.BaseModel):
        city: str
        days: int

    chunks = azure(wire.chat_content(ARGS))
    outcome = read(server, wire.chat(chunks), "chat", "raw", is_async, output=Weather)
    assert outcome.error is None
    assert [e.value for e in outcome.of(pj.OutputComplete)] == [Weather(city="Paris", days=3)]
    assert len(outcome.of(pj.ProviderEvent)) == len(
        [c for c in chunks if "content_filter_results" in str(c)])


def test_azure_a_call_cut_by_the_content_filter_is_incomplete() -> None:
    chunks = azure(wire.chat_calls(CALLS[:1], finish=None)[:4])  # the call's first 8 chars
    chunks.append(wire.chunk({}, "content_filter"))
    _, error = run(openai, chunks)
    assert isinstance(error, pj.IncompleteStream)
    assert error.stop_reason == "content_filter"
    assert error.incomplete == [ChatPart(0, "function", 0, "call_a", "get_weather")]


# -- OpenAI Responses ----------------------------------------------------------------------------
def responses(*items: tuple[str, ...]) -> list[Any]:
    return [data for _, data in wire.responses(list(items))]


def test_responses_a_delta_without_output_index_fails_naming_it() -> None:
    events = responses(("function_call", "get_weather", ARGS))
    del events[3]["output_index"]
    failed(openai, events, "response.function_call_arguments.delta", "'output_index' is missing")


def test_responses_a_final_event_without_response_fails() -> None:
    events = responses(("function_call", "get_weather", ARGS))
    del events[-1]["response"]
    error = failed(openai, events, "response.completed", "'response' is missing")
    assert error.values == {ResponsePart(0, "function_call", "fc_0", None, "call_0",
                                         "get_weather"): json.loads(ARGS)}


def test_responses_a_failed_response_without_details_still_fails() -> None:
    events = responses(("function_call", "get_weather", ARGS))
    events[-1] = {"type": "response.failed", "sequence_number": 99}
    failed(openai, events, "response.failed")


def test_responses_a_second_item_at_an_open_output_index_fails_naming_the_open_one() -> None:
    first = responses(("function_call", "get_weather", ARGS))
    second = responses(("function_call", "get_time", '{"tz": "CET"}'))
    events = first[:3] + second[1:]  # created, added, one delta; then another item at 0
    failed(openai, events, "function_call 'get_weather' (call_0) at output 0", "still open")


# -- the command line ----------------------------------------------------------------------------
@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_the_cli_exits_1_on_a_malformed_event(provider: str) -> None:
    if provider == "anthropic":
        events = wire.message([wire.tool_use("get_weather", ARGS)], "tool_use")
        events[3][1]["delta"]["partial_json"] = None
        body = wire.sse(events)
    else:
        chunks = wire.chat_calls(CALLS[:1])
        chunks[3]["choices"][0]["delta"]["tool_calls"][0]["index"] = "0"
        body = wire.chat(chunks)
    done = subprocess.run([sys.executable, "-m", "partialjson", "parse", "--sse", provider],
                          input=body.encode(), capture_output=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert b"malformed event" in done.stderr


# -- any events, in any order --------------------------------------------------------------------
@given(fuzz.streams())
def test_any_events_give_the_librarys_error_or_a_correct_result(case: fuzz.Case) -> None:
    fuzz.check(case)
