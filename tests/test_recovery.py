"""Recovery, through the real SDK clients and the local server: a violation, then the output
continued from its valid prefix; a max_tokens cut, then a continuation with a higher limit; a
connection dropped anywhere, then a clean restart (retry=) or a resume by sequence number; and
the re-ask messages of repair_prompt in each provider's format.

Oracles: json.loads / model_validate_json of the authored texts, and paths walked from them.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
import sse_server as wire
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field
from sse_server import ReplayServer

import partialjson as pj
from partialjson import anthropic as bridge
from partialjson import openai as openai_bridge
from partialjson.recovery import continue_request, repair_prompt, valid_prefix


class Stop(BaseModel):
    name: str
    hours: int


class Plan(BaseModel):
    title: str
    stops: list[Stop]
    days: int = Field(ge=1)
    note: str


REQUEST: dict[str, Any] = {"model": "claude-sonnet-4-6", "max_tokens": 1024,
                           "messages": [{"role": "user", "content": "Plan a day in Lisbon."}]}
STOPS = ('{"title": "Lisbon", "stops": [{"name": "Belém", "hours": 3}, '
         '{"name": "Alfama", "hours": 2}]')


def paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path of a JSON value, the root excluded (the oracle for completion events)."""
    found = [at] if at else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*at, index))
    return found


def completed(events: list[Any]) -> list[tuple[Any, ...]]:
    return [tuple(e.event.path) for e in events if isinstance(e, pj.JsonEvent)
            and isinstance(e.event, pj.ValueCompleted) and tuple(e.event.path)]


def read(server: ReplayServer, text: str, stop_reason: str, request: dict[str, Any],
         **options: Any) -> tuple[list[Any], Exception | None]:
    server.reply(wire.sse(wire.message([wire.text(text, size=7)], stop_reason)), piece=11)
    client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)
    events: list[Any] = []
    try:
        for event in bridge.stream(client.messages.create(stream=True, **request), **options):
            events.append(event)
    except pj.BridgeError as exc:
        return events, exc
    return events, None


@pytest.mark.parametrize(("first", "stop_reason", "prefix", "rest"), [
    # a violation (days >= 1): cut back to the stops, the last value before it
    (STOPS + ', "days": 0, "note": "x"}', "end_turn", STOPS, ', "days": 2, "note": "Trams."}'),
    # a max_tokens cut inside the second stop: back to the end of the first
    (STOPS[:-20], "max_tokens", STOPS[: STOPS.index(", {")],
     STOPS[STOPS.index(", {"):] + ', "days": 1, "note": "é"}'),
], ids=["violation", "max_tokens"])
def test_an_output_continues_from_its_valid_prefix_without_repeating_an_event(
    server: ReplayServer, first: str, stop_reason: str, prefix: str, rest: str
) -> None:
    events, error = read(server, first, stop_reason, REQUEST, output=Plan)
    assert isinstance(error, pj.InvalidPart if stop_reason == "end_turn" else pj.IncompleteStream)

    request, prefill = continue_request(REQUEST, error)
    assert prefill == prefix
    assert request["messages"][-1] == {"role": "assistant", "content": prefix}
    assert request["max_tokens"] == (2048 if stop_reason == "max_tokens" else 1024)
    more, again = read(server, rest, "end_turn", request, output=Plan, prefill=prefill)
    assert again is None
    assert server.last().request["messages"][-1]["content"] == prefix  # what the API got

    whole = prefix + rest
    (output,) = [e for e in more if isinstance(e, pj.OutputComplete)]
    assert output.value == Plan.model_validate_json(whole)
    # each value completes once over both streams: those of the prefix in the first only
    before, after = completed(events), completed(more)
    assert not set(before) & set(after)
    assert sorted(before + after, key=str) == sorted(paths(json.loads(whole)), key=str)
    assert all(tuple(p) in paths(json.loads(whole)) for p in before)


def test_valid_prefix_cuts_back_to_the_last_complete_value() -> None:
    assert valid_prefix('{"a": 12, "b": "xy') == '{"a": 12'
    assert valid_prefix('{"a": [true, {"c": null}], "b": 1') == '{"a": [true, {"c": null}]'
    assert valid_prefix('  {"a": "unfinished') == "  {"
    assert valid_prefix("[1, 2, 3") == "[1, 2"  # the 3 may still become 30
    # a violation: not its value, nor anything inside it
    stream = pj.ModelStream(Plan)
    with pytest.raises(pj.SchemaViolation) as caught:
        stream.feed(STOPS + ', "days": 0, "note"')
    assert valid_prefix(STOPS + ', "days": 0, "note"', caught.value) == STOPS


# -- restarts and resumes after a dropped connection -----------------------------------------------
ARGS = json.dumps({"title": "Lisbon", "stops": [{"name": "Belém", "hours": 3}],
                   "days": 2, "note": "trams, pastéis"})
TOOL_EVENTS = wire.message([wire.tool_use("plan", ARGS, size=5)], "tool_use")
TOOL_BODY = wire.sse(TOOL_EVENTS).encode()


def signature(event: Any) -> Any:
    """An event as comparable data (the events are frozen dataclasses of plain values)."""
    return repr(event)


def reference(server: ReplayServer) -> list[Any]:
    server.reply(TOOL_BODY, piece=9)
    client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)
    return list(bridge.stream(client.messages.create(stream=True, **REQUEST),
                              tools={"plan": Plan}))


@settings(max_examples=6)
@given(drop=st.integers(0, len(TOOL_BODY) - 1))
def test_a_dropped_connection_restarts_cleanly(drop: int) -> None:
    with ReplayServer() as server:
        expected = [signature(e) for e in reference(server)]
        server.reply(TOOL_BODY, piece=9, drop_at=drop)
        server.reply(TOOL_BODY, piece=9)
        client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)
        events = bridge.stream(lambda: client.messages.create(stream=True, **REQUEST),
                               tools={"plan": Plan},
                               retry=pj.RetryPolicy(attempts=2, backoff=0, jitter=0))
        got = list(events)
    restarts = [i for i, e in enumerate(got) if isinstance(e, pj.Restarted)]
    assert len(restarts) == 1 and events.stats.restarts == 1
    assert isinstance(got[restarts[0]].error, pj.StreamFailed)
    before, after = got[: restarts[0]], got[restarts[0] + 1:]
    assert [signature(e) for e in after] == expected  # the new attempt: all of it, once
    assert [signature(e) for e in before] == expected[: len(before)]
    (call,) = [e for e in after if isinstance(e, pj.ToolCallComplete)]
    assert call.value == Plan.model_validate_json(ARGS)


def test_retry_gives_up_after_its_attempts(server: ReplayServer) -> None:
    for _ in range(2):
        server.reply(TOOL_BODY, piece=9, drop_at=300)
    client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)
    events = bridge.stream(lambda: client.messages.create(stream=True, **REQUEST),
                           retry=pj.RetryPolicy(attempts=2, backoff=0.01))
    with pytest.raises(pj.StreamFailed):
        for _ in events:
            pass
    assert events.stats.restarts == 1 and events.stats.outcome == "failed"
    with pytest.raises(TypeError, match="factory"):
        bridge.stream([], retry=pj.RetryPolicy())


def test_retry_policy_delays_grow_to_their_bound() -> None:
    policy = pj.RetryPolicy(attempts=6, backoff=1.0, max_delay=5.0, jitter=0.0)
    assert [policy.delay(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    jittered = pj.RetryPolicy(backoff=1.0, jitter=0.5)
    assert all(0.5 <= jittered.delay(1) <= 1.0 for _ in range(50))
    assert not policy.retries(pj.Cancelled("x", None, {}, {}), 1)


RESPONSE = wire.responses([("function_call", "plan", ARGS)], size=5)
RESPONSE_BODY = wire.sse(RESPONSE).encode()


@settings(max_examples=5)
@given(drop=st.integers(len(wire.sse(RESPONSE[:2]).encode()), len(RESPONSE_BODY) - 1))
def test_a_dropped_responses_stream_resumes_after_its_last_event(drop: int) -> None:
    with ReplayServer() as server:
        server.reply(RESPONSE_BODY, piece=9)
        client = openai.OpenAI(api_key="k", base_url=server.url + "/v1", max_retries=0)
        tools = {"plan": Plan}
        expected = [signature(e) for e in openai_bridge.stream(
            client.responses.create(model="gpt-4o", input="x", stream=True), tools=tools)]
        server.reply(RESPONSE_BODY, piece=9, drop_at=drop)
        server.reply(RESPONSE_BODY, piece=9)  # (the server repeats all: the bridge skips)
        resumed: list[tuple[str, int]] = []

        def resume(response_id: str, after: int) -> Any:
            resumed.append((response_id, after))
            return client.responses.retrieve(response_id, stream=True, starting_after=after)

        events = openai_bridge.stream(
            lambda: client.responses.create(model="gpt-4o", input="x", stream=True,
                                            background=True),
            tools=tools, retry=pj.RetryPolicy(attempts=2, backoff=0), resume=resume)
        got = [signature(e) for e in events]
        last = server.last()
    assert got == expected  # nothing repeated, nothing lost, no restart
    (call,) = resumed
    assert call[0] == "resp_1"
    assert f"starting_after={call[1]}" in last.path and last.path.startswith("/v1/responses/")
    assert events.stats.resumes == 1 and events.stats.restarts == 0


# -- repair prompts ------------------------------------------------------------------------------
def violation(server: ReplayServer) -> pj.InvalidPart:
    bad = ARGS.replace('"days": 2', '"days": 0')
    server.reply(wire.sse(wire.message([wire.tool_use("plan", bad)], "tool_use")), piece=9)
    client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)
    with pytest.raises(pj.InvalidPart) as caught:
        for _ in bridge.stream(client.messages.create(stream=True, **REQUEST),
                               tools={"plan": Plan}):
            pass
    return caught.value


def test_repair_prompt_in_each_provider_format(server: ReplayServer) -> None:
    error = violation(server)
    anthropic_messages = repair_prompt(error, "anthropic")
    assistant, user = anthropic_messages
    (use,) = assistant["content"]
    assert use["type"] == "tool_use" and use["id"] == "toolu_01" and use["name"] == "plan"
    assert use["input"] == json.loads(ARGS[: ARGS.index(', "days"')] + "}")  # the valid part
    (result,) = user["content"]
    assert result["tool_use_id"] == "toolu_01" and result["is_error"] is True
    text = result["content"]
    assert "$.days" in text and "greater than or equal to 1" in text
    assert "greater_than_equal" in text  # pydantic's error type
    assert "The offending text: '\"days\": 0" in text

    chat = repair_prompt(error, "openai-chat")
    assert chat[0]["tool_calls"][0]["function"] == {"name": "plan", "arguments": error.text}
    assert chat[1] == {"role": "tool", "tool_call_id": "toolu_01", "content": text}
    responses = repair_prompt(error, "openai-responses")
    assert [item["type"] for item in responses] == ["function_call", "function_call_output"]
    assert responses[1]["output"] == text

    # The messages are accepted by the real SDK clients as the next request's input.
    server.reply(wire.sse(wire.message([wire.tool_use("plan", ARGS)], "tool_use")), piece=50)
    client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)
    messages = [*REQUEST["messages"], *anthropic_messages]
    values = [e.value for e in bridge.stream(
        client.messages.create(stream=True, **{**REQUEST, "messages": messages}),
        tools={"plan": Plan}) if isinstance(e, pj.ToolCallComplete)]
    assert values == [Plan.model_validate_json(ARGS)]
    assert server.last().request["messages"][-1]["content"][0]["is_error"] is True


# -- the example ---------------------------------------------------------------------------------
def recorded_input(name: str) -> dict[str, Any]:
    """The tool input of a bundled recording, read without partialjson."""
    path = Path(__file__).resolve().parents[1] / "examples" / "data" / name
    text = ""
    for line in path.read_text().splitlines():
        if line.startswith("data: {"):
            delta = json.loads(line[6:]).get("delta", {})
            text += delta.get("partial_json", "") if isinstance(delta, dict) else ""
    return json.loads(text)  # type: ignore[no-any-return]


@pytest.mark.parametrize("flags", [[], ["--async"]], ids=["sync", "async"])
def test_retry_on_violation_example_re_asks_then_completes(flags: list[str]) -> None:
    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env["PYTHONPATH"] = str(root)
    done = subprocess.run([sys.executable, str(root / "examples" / "retry_on_violation.py"),
                           *flags], env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    bad, good = (recorded_input(f"anthropic_meeting_{n}.sse") for n in ("invalid", "valid"))
    refused = next(line for line in lines if line.startswith("refused"))
    assert "at $.date" in refused and "'schedule_meeting'" in refused
    assert f"   | The offending text: '\"date\": \"{bad['date']}\"'" in lines
    assert lines.index(refused) < lines.index("re-asking with repair_prompt:")
    complete = next(line for line in lines if line.startswith("complete: "))
    assert complete.startswith(f"complete: Meeting(title={good['title']!r}, "
                               f"date={good['date']!r}, ")
    size = len((root / "examples" / "data" / "anthropic_meeting_valid.sse").read_bytes())
    assert lines[-1] == f"server: 2 requests; the last: the server sent all {size:,} bytes"


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_request_refused_at_open_is_retried_by_its_sdk_error(
    server: ReplayServer, is_async: bool
) -> None:
    server.reply('{"type": "error", "error": {"type": "overloaded_error"}}', status=529)
    server.reply(TOOL_BODY, piece=50)
    policy = pj.RetryPolicy(attempts=2, backoff=0, on=(anthropic.InternalServerError,))
    if is_async:
        client: Any = anthropic.AsyncAnthropic(api_key="k", base_url=server.url,
                                               max_retries=0)

        async def main() -> list[Any]:
            events = bridge.stream(lambda: client.messages.create(stream=True, **REQUEST),
                                   tools={"plan": Plan}, retry=policy)
            return [event async for event in events]

        got = asyncio.run(main())
    else:
        client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)
        got = list(bridge.stream(lambda: client.messages.create(stream=True, **REQUEST),
                                 tools={"plan": Plan}, retry=policy))
    restarted = got[0]
    assert isinstance(restarted, pj.Restarted) and restarted.attempt == 2
    assert isinstance(restarted.error.__cause__, anthropic.InternalServerError)
    assert [e.value for e in got if isinstance(e, pj.ToolCallComplete)] == [
        Plan.model_validate_json(ARGS)]
