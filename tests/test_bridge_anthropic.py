"""The Anthropic bridge, driven through the real anthropic clients against a local SSE server.

Every stream is authored here, sent in 3-byte pieces (so UTF-8 characters are cut), read by the
real ``Anthropic`` / ``AsyncAnthropic`` client, and the expectations come from ``json.loads`` of
the authored JSON, or from what the SDK's own helper accumulated.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Sequence
from typing import Any, Literal

import anthropic
import pytest
import sse_server as wire
from pydantic import BaseModel
from sse_server import Outcome, ReplayServer

import partialjson as pj
from partialjson import anthropic as bridge
from partialjson.anthropic import Block

REQUEST: dict[str, Any] = {
    "model": "claude-sonnet-4-6",
    "max_tokens": 1024,
    "messages": [{"role": "user", "content": "What will the weather be?"}],
}
FORECAST = {
    "location": {"city": "São Paulo", "country": "BR", "coords": [-23.55, -46.63]},
    "days": 3,
    "units": "celsius",
    "notes": "chuva à tarde 🌧️ — 東京 too, \"quoted\"\n",
    "hourly": [{"h": 0, "t": 21.5}, {"h": 1, "t": 20.75}],
}
FORECAST_TEXT = json.dumps(FORECAST, ensure_ascii=False)


class Location(BaseModel):
    city: str
    country: str
    coords: list[float]


class Hour(BaseModel):
    h: int
    t: float


class Forecast(BaseModel):
    location: Location
    days: int
    units: Literal["celsius", "fahrenheit"]
    notes: str
    hourly: list[Hour]


TYPED = {"get_weather": Forecast}
PACED = wire.PACED



def read(server: ReplayServer, events: list[tuple[str, Any]], source: str = "raw",
         is_async: bool = False, piece: int = 3, delay: float = 0.0, beta: bool = False,
         request: dict[str, Any] | None = None, drop_at: int | None = None, eol: str = "\n",
         noise: bool = False, until: Any = None, **options: Any) -> Outcome:
    """Queue the stream (``drop_at``: the connection drops after the body's first ``drop_at``
    events; ``eol``, ``noise``: see ``wire.sse``), request it through the real client
    (``request``: more parameters), read it through the bridge (``until``: stop at the first
    event for which it holds)."""
    body = wire.sse(events, eol, noise)
    drop = None if drop_at is None else len(wire.sse(events[:drop_at], eol, noise).encode())
    server.reply(body, piece=piece, delay=delay, drop_at=drop)
    request = {**REQUEST, **(request or {})}
    if is_async:
        return asyncio.run(_read_async(server, source, request, beta, until, options))
    client = anthropic.Anthropic(api_key="test-key", base_url=server.url, max_retries=0)
    if source == "raw":
        messages: Any = client.beta.messages if beta else client.messages
        raw = messages.create(stream=True, **request)
        return Outcome().drain(bridge.stream(raw, **options), until)
    manager = client.messages.stream(**request)
    if source == "manager":
        return Outcome().drain(bridge.stream(manager, **options), until)
    with manager as helper:
        outcome = Outcome().drain(bridge.stream(helper, **options), until)
        if outcome.error is None and until is None:
            outcome.sdk = helper.get_final_message()
    return outcome


async def _read_async(server: ReplayServer, source: str, request: dict[str, Any], beta: bool,
                      until: Any, options: dict[str, Any]) -> Outcome:
    client = anthropic.AsyncAnthropic(api_key="test-key", base_url=server.url, max_retries=0)
    if source == "raw":
        messages: Any = client.beta.messages if beta else client.messages
        raw = await messages.create(stream=True, **request)
        outcome = await Outcome().adrain(bridge.stream(raw, **options), until)
    elif source == "manager":
        manager = client.messages.stream(**request)
        outcome = await Outcome().adrain(bridge.stream(manager, **options), until)
    else:
        async with client.messages.stream(**request) as helper:
            outcome = await Outcome().adrain(bridge.stream(helper, **options), until)
            if outcome.error is None and until is None:
                outcome.sdk = await helper.get_final_message()
    # Wait for the reply to end while the loop waits too: a close seen now is the bridge's,
    # not one the loop's shutdown makes when it finalizes the abandoned SDK stream.
    server.last()
    return outcome


TOOL = Block(0, "tool_use", "toolu_01", "get_weather")


# -- tool use ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("source", "is_async"), wire.SOURCES)
def test_tool_input_streams_as_tagged_events_then_completes_validated(
    server: ReplayServer, source: str, is_async: bool
) -> None:
    events = wire.message([wire.tool_use("get_weather", FORECAST_TEXT)], "tool_use")
    outcome = read(server, events, source, is_async, tools=TYPED)

    assert outcome.error is None
    expected = Forecast.model_validate_json(FORECAST_TEXT)
    assert outcome.of(pj.ToolCallComplete) == [
        pj.ToolCallComplete("toolu_01", "get_weather", expected, TOOL)
    ]
    assert {e.part for e in outcome.of(pj.JsonEvent)} == {TOOL}
    strings = outcome.strings(TOOL)
    assert strings[("location", "city")] == "São Paulo"
    assert strings[("notes",)] == FORECAST["notes"]
    completed = {tuple(e.event.path): e.event.value for e in outcome.of(pj.JsonEvent)
                 if isinstance(e.event, pj.ValueCompleted)}
    assert completed[("location",)] == expected.location  # validated: a Location
    assert completed[("hourly", 1)] == Hour(h=1, t=20.75)
    assert completed[()] == expected
    kinds = [type(e).__name__ for e in outcome.events]
    assert kinds.index("ToolCallComplete") < len(kinds) - 2  # before message_delta, message_stop
    assert [wire.dig(e.data, "type") for e in outcome.of(pj.ProviderEvent)] == [
        "message_start", "message_delta", "message_stop"
    ]
    if outcome.sdk is not None:
        assert Forecast.model_validate(outcome.sdk.content[0].input) == expected


@pytest.mark.parametrize("eol", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_the_raw_body_is_read_whatever_its_line_ends_pieces_and_keep_alives(
    server: ReplayServer, is_async: bool, eol: str
) -> None:
    # 1- and 2-byte pieces cut every UTF-8 character and every "\r\n"; comments, ids and
    # retry fields change nothing.
    events = wire.message([wire.text("Sunny — 晴れ 🌞."), wire.tool_use("get_weather",
                                                                    FORECAST_TEXT)], "tool_use")
    for piece in (1, 2):
        outcome = read(server, events, is_async=is_async, piece=piece, eol=eol, noise=True,
                       tools=TYPED)
        assert outcome.error is None
        tool = Block(1, "tool_use", "toolu_01", "get_weather")
        expected = Forecast.model_validate_json(FORECAST_TEXT)
        assert outcome.of(pj.ToolCallComplete) == [
            pj.ToolCallComplete("toolu_01", "get_weather", expected, tool)]
        assert outcome.of(pj.PartCompleted) == [pj.PartCompleted(Block(0, "text"),
                                                                 "Sunny — 晴れ 🌞.")]
        assert [e.data["type"] for e in outcome.of(pj.ProviderEvent)] == [
            "message_start", "message_delta", "message_stop"]


def test_each_block_of_a_mixed_message_is_a_part_of_its_own(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    search_input = '{"query": "previsão do tempo São Paulo"}'
    result = {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01", "content": [
        {"type": "web_search_result", "title": "Clima", "url": "https://example.com/clima",
         "encrypted_content": "EqgfCioIARgB", "page_age": None}]}
    citation = {"type": "char_location", "cited_text": "chuva", "document_index": 0,
                "document_title": "Clima", "start_char_index": 0, "end_char_index": 5}
    cited = wire.text("Rain is likely.")
    cited[1].append({"type": "citations_delta", "citation": citation})
    blocks = [
        wire.thinking("The user wants a forecast; search first."),
        wire.tool_use("web_search", search_input, "srvtoolu_01", kind="server_tool_use"),
        (result, []),
        cited,
        wire.tool_use("get_weather", FORECAST_TEXT, "toolu_02"),
    ]
    outcome = read(server, wire.message(blocks, "tool_use"), *via)

    assert outcome.error is None
    ends = pj.PartStarted | pj.PartCompleted | pj.ToolCallComplete
    lifecycle = [(type(e).__name__, e.part.index, e.part.type) for e in outcome.events
                 if isinstance(e, ends)]
    result_type = "web_search_tool_result"
    assert lifecycle == [
        ("PartStarted", 0, "thinking"), ("PartCompleted", 0, "thinking"),
        ("PartStarted", 1, "server_tool_use"), ("ToolCallComplete", 1, "server_tool_use"),
        ("PartStarted", 2, result_type), ("PartCompleted", 2, result_type),
        ("PartStarted", 3, "text"), ("PartCompleted", 3, "text"),
        ("PartStarted", 4, "tool_use"), ("ToolCallComplete", 4, "tool_use"),
    ]
    completed = {e.part.index: e.text for e in outcome.of(pj.PartCompleted)}
    assert completed == {0: "The user wants a forecast; search first.", 2: None,
                         3: "Rain is likely."}
    assert "".join(e.text for e in outcome.of(pj.TextDelta) if e.part.index == 3) == (
        "Rain is likely.")
    calls = {e.part.index: (e.id, e.name, e.value) for e in outcome.of(pj.ToolCallComplete)}
    assert calls == {1: ("srvtoolu_01", "web_search", json.loads(search_input)),
                     4: ("toolu_02", "get_weather", json.loads(FORECAST_TEXT))}
    started = {e.part.index: e.data for e in outcome.of(pj.PartStarted)}
    assert wire.dig(started[2], "content", 0, "url") == "https://example.com/clima"
    # From a raw stream, data is the API's JSON; from a helper, the SDK's objects.
    assert isinstance(started[2], dict) == (via[0] == "raw")
    passed = [wire.dig(e.data, "delta", "type") for e in outcome.of(pj.ProviderEvent)
              if wire.dig(e.data, "type") == "content_block_delta"]
    assert passed == ["signature_delta", "citations_delta"]
    if outcome.sdk is None:
        return
    sdk = outcome.sdk.content
    assert (sdk[0].thinking, sdk[3].text) == (completed[0], completed[3])
    assert (sdk[1].input, sdk[4].input) == (calls[1][2], calls[4][2])


def test_parallel_tool_calls_complete_in_turn_each_with_its_own_identity(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    second = '{"origin": "GRU", "destination": "LIS", "date": "2025-07-14"}'
    blocks = [wire.tool_use("get_weather", FORECAST_TEXT, "toolu_01"),
              wire.tool_use("search_flights", second, "toolu_02")]
    outcome = read(server, wire.message(blocks, "tool_use"), *via)

    calls = outcome.of(pj.ToolCallComplete)
    assert [(c.id, c.name, c.part.index) for c in calls] == [
        ("toolu_01", "get_weather", 0), ("toolu_02", "search_flights", 1)]
    assert [c.value for c in calls] == [json.loads(FORECAST_TEXT), json.loads(second)]
    assert outcome.events.index(calls[0]) < outcome.events.index(
        next(e for e in outcome.of(pj.PartStarted) if e.part.index == 1))


@pytest.mark.parametrize("deltas", [[""], []], ids=["empty partial_json", "no delta"])
def test_a_tool_without_arguments_completes_with_an_empty_input(
    server: ReplayServer, deltas: list[str], via: tuple[str, bool]
) -> None:
    block = {"type": "tool_use", "id": "toolu_01", "name": "get_time", "input": {}}
    events = [{"type": "input_json_delta", "partial_json": d} for d in deltas]
    outcome = read(server, wire.message([(block, events)], "tool_use"), *via)

    assert outcome.error is None
    assert [(c.name, c.value) for c in outcome.of(pj.ToolCallComplete)] == [("get_time", {})]
    if outcome.sdk is not None:
        assert outcome.sdk.content[0].input == {}


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_mcp_tool_use_blocks_of_the_beta_stream_are_tool_calls(
    server: ReplayServer, is_async: bool
) -> None:
    arguments = '{"repo": "acme/api", "labels": ["bug", "p1"]}'
    mcp, deltas = wire.tool_use("list_issues", arguments, "mcptoolu_01", kind="mcp_tool_use")
    mcp["server_name"] = "github"
    result = {"type": "mcp_tool_result", "tool_use_id": "mcptoolu_01", "is_error": False,
              "content": [{"type": "text", "text": "2 issues"}]}
    outcome = read(server, wire.message([(mcp, deltas), (result, [])]), is_async=is_async,
                   beta=True)

    assert outcome.error is None
    part = Block(0, "mcp_tool_use", "mcptoolu_01", "list_issues")
    assert outcome.of(pj.ToolCallComplete) == [
        pj.ToolCallComplete("mcptoolu_01", "list_issues", json.loads(arguments), part)]
    assert wire.dig(outcome.of(pj.PartStarted)[0].data, "server_name") == "github"
    assert outcome.of(pj.PartCompleted) == [
        pj.PartCompleted(Block(1, "mcp_tool_result"), None)]


@pytest.mark.parametrize(("source", "is_async"), wire.SOURCES)
def test_structured_output_in_a_text_block_is_the_helpers_parsed_output(
    server: ReplayServer, source: str, is_async: bool
) -> None:
    events = wire.message([wire.thinking("JSON it is."), wire.text(FORECAST_TEXT)])
    request = {"output_format": Forecast} if source != "raw" else {"output_config": {
        "format": {"type": "json_schema", "schema": Forecast.model_json_schema()}}}
    outcome = read(server, events, source, is_async, request=request, output=Forecast)

    assert outcome.error is None
    part = Block(1, "text")
    expected = Forecast.model_validate_json(FORECAST_TEXT)
    assert outcome.of(pj.OutputComplete) == [pj.OutputComplete(expected, part)]
    if outcome.sdk is not None:
        assert outcome.sdk.content[1].parsed_output == expected
    assert [e.part for e in outcome.of(pj.TextDelta)] == [Block(0, "thinking")] * 2
    assert outcome.strings(part)[("notes",)] == FORECAST["notes"]
    request = server.last().request
    assert request["output_config"]["format"]["type"] == "json_schema"


def test_output_continues_a_prefill_in_the_first_text_block(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    rest = FORECAST_TEXT[1:]  # the request's assistant turn ends with "{"
    outcome = read(server, wire.message([wire.text(rest)]), *via, output=Forecast, prefill="{")

    assert outcome.error is None
    expected = Forecast.model_validate_json(FORECAST_TEXT)
    assert outcome.of(pj.OutputComplete) == [pj.OutputComplete(expected, Block(0, "text"))]
    assert not outcome.of(pj.TextDelta)


def test_output_found_in_prose_with_extract(server: ReplayServer) -> None:
    answer = f"Here is the forecast:\n```json\n{FORECAST_TEXT}\n```\nStay dry!"
    outcome = read(server, wire.message([wire.text(answer)]), output=Forecast, extract=True)

    assert outcome.error is None
    part = Block(0, "text")
    expected = Forecast.model_validate_json(FORECAST_TEXT)
    assert outcome.of(pj.OutputComplete) == [pj.OutputComplete(expected, part)]
    prose = "".join(e.text for e in outcome.of(pj.TextDelta))
    assert prose == "Here is the forecast:\n```json\n```\nStay dry!"
    assert outcome.strings(part)[("notes",)] == FORECAST["notes"]
    kinds = [type(e).__name__ for e in outcome.events]
    assert kinds.index("OutputComplete") < max(i for i, k in enumerate(kinds) if k == "TextDelta")


def test_output_in_prose_without_its_closing_fence_is_incomplete(server: ReplayServer) -> None:
    answer = f"```json\n{FORECAST_TEXT}\n"
    outcome = read(server, wire.message([wire.text(answer)], "max_tokens"), output=Forecast,
                   extract=True)

    assert isinstance(outcome.error, pj.IncompleteStream)
    assert outcome.error.incomplete == [Block(0, "text")]
    assert not outcome.of(pj.OutputComplete)


# -- how streams end badly -----------------------------------------------------------------------
def test_max_tokens_leaves_the_cut_call_incomplete_never_valid(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    cut = FORECAST_TEXT.index('"units"')  # the input stops after "days": 3,
    events = wire.message([wire.tool_use("get_weather", FORECAST_TEXT[:cut])], "max_tokens")
    outcome = read(server, events, *via, tools=TYPED)

    error = outcome.error
    assert isinstance(error, pj.IncompleteStream)
    assert error.stop_reason == "max_tokens"
    assert error.incomplete == [TOOL] and error.part == TOOL
    assert error.text == FORECAST_TEXT[:cut]
    partial = error.values[TOOL]  # the validated partial object
    assert partial.location == Location(**FORECAST["location"])
    assert (partial.days, partial.units, partial.hourly) == (3, None, None)
    assert "max_tokens" in str(error) and "get_weather" in str(error)
    assert not outcome.of(pj.ToolCallComplete)
    if via[0] != "helper":
        return
    # The SDK's helper presents the cut input as the tool's input; only stop_reason tells.
    server.reply(wire.sse(events), piece=3)
    client = anthropic.Anthropic(api_key="test-key", base_url=server.url, max_retries=0)
    with client.messages.stream(**REQUEST) as helper:
        outcome.sdk = helper.get_final_message()
    assert outcome.sdk.content[0].input == {"location": FORECAST["location"], "days": 3}
    assert outcome.sdk.stop_reason == "max_tokens"


def cut_stream(cut: int, before: Sequence[wire.Block] = ()) -> tuple[list[Any], list[Any]]:
    """A get_weather stream (after the blocks ``before``) whose input pieces break at
    ``FORECAST_TEXT[cut]``: the whole stream, and its events up to that point."""
    head, tail = wire.fragments(FORECAST_TEXT[:cut]), wire.fragments(FORECAST_TEXT[cut:])
    whole = wire.message([*before, wire.tool_use("get_weather", head + tail)], "tool_use")
    upto = wire.message([*before, wire.tool_use("get_weather", head)], None)[:-1]
    assert whole[: len(upto)] == upto
    return whole, upto


def test_an_error_event_mid_stream_fails_with_everything_received(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    cut = FORECAST_TEXT.index('"notes"')
    _, upto = cut_stream(cut, [wire.text("Checking.")])
    error_event = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    outcome = read(server, [*upto, ("error", error_event)], *via)

    error = outcome.error
    assert isinstance(error, pj.StreamFailed)
    assert isinstance(error.__cause__, anthropic.APIStatusError)
    assert error.__cause__.body == error_event
    tool = Block(1, "tool_use", "toolu_01", "get_weather")
    assert error.part is None
    assert error.texts == {Block(0, "text"): "Checking.", tool: FORECAST_TEXT[:cut]}
    assert error.values == {tool: {k: FORECAST[k] for k in ("location", "days", "units")}}


def test_a_dropped_connection_fails_with_everything_received(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    cut = FORECAST_TEXT.index('"units"')
    whole, upto = cut_stream(cut)
    outcome = read(server, whole, *via, drop_at=len(upto))

    error = outcome.error
    assert isinstance(error, pj.StreamFailed)
    assert isinstance(error.__cause__, wire.transport_errors())
    assert server.last().outcome == "dropped"
    assert error.texts == {TOOL: FORECAST_TEXT[:cut]}
    assert error.values == {TOOL: {"location": FORECAST["location"], "days": 3}}


def test_a_stream_that_stops_without_message_stop_is_incomplete(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    cut = FORECAST_TEXT.index('"hourly"')
    _, upto = cut_stream(cut)
    outcome = read(server, upto, *via)

    error = outcome.error
    assert isinstance(error, pj.IncompleteStream)
    assert error.stop_reason is None and error.incomplete == [TOOL]
    assert "cut short" in str(error)
    assert error.texts == {TOOL: FORECAST_TEXT[:cut]}
    assert not outcome.of(pj.ToolCallComplete)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_invalid_json_closes_the_response_at_once_and_says_where(
    server: ReplayServer, is_async: bool
) -> None:
    # (The helper itself fails on such JSON, with a ValueError of its own.)
    bad = '{"city": "Paris", "days": 3,, ' + '"padding": "' + "x" * 6000 + '"}'
    events = wire.message([wire.tool_use("get_weather", bad)], "tool_use")
    outcome = read(server, events, is_async=is_async, **PACED)

    error = outcome.error
    assert isinstance(error, pj.InvalidPart)
    assert isinstance(error.error, pj.JsonSyntaxError)
    assert error.part == TOOL and error.offset == bad.index(",,") + 1
    assert bad.startswith(error.text) and len(error.text) < 40
    assert error.values[TOOL] == {"city": "Paris", "days": 3}
    served = server.last()
    assert served.outcome == "client closed"
    assert served.sent < served.total // 4


# -- packaging -----------------------------------------------------------------------------------
def test_importing_partialjson_and_its_bridges_imports_no_sdk() -> None:
    code = ("import sys, partialjson, partialjson.anthropic, partialjson.openai; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('anthropic', 'openai', 'httpx', 'httpx2')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_recorded_events_can_be_replayed_without_a_client(server: ReplayServer) -> None:
    events = wire.message([wire.tool_use("get_weather", FORECAST_TEXT)], "tool_use")
    server.reply(wire.sse(events))
    client = anthropic.Anthropic(api_key="test-key", base_url=server.url, max_retries=0)
    recorded = list(client.messages.create(stream=True, **REQUEST))

    replayed = Outcome().drain(bridge.stream(recorded))
    assert replayed.error is None
    assert [c.value for c in replayed.of(pj.ToolCallComplete)] == [FORECAST]


# -- early stop ----------------------------------------------------------------------------------
def test_a_schema_violation_closes_the_response_at_once_and_says_where(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    bad = FORECAST_TEXT.replace('"celsius"', '"kelvin"') + " " * 6000
    events = wire.message([wire.text("Looking it up."), wire.tool_use("get_weather", bad)])
    outcome = read(server, events, *via, **PACED, tools=TYPED)

    error = outcome.error
    tool = Block(1, "tool_use", "toolu_01", "get_weather")
    assert isinstance(error, pj.InvalidPart) and isinstance(error.error, pj.SchemaViolation)
    assert error.part == tool and error.path == ("units",)
    assert error.offset == bad.index('"kelvin"') + 1  # "k" leaves every allowed value
    assert error.text is not None and bad.startswith(error.text)
    assert len(error.text) <= error.offset + 4  # nothing was read past the chunk with the "k"
    assert error.texts[Block(0, "text")] == "Looking it up."
    assert error.values[tool].days == 3 and error.values[tool].units is None
    assert not outcome.of(pj.ToolCallComplete)
    served = server.last()
    assert served.outcome == "client closed" and served.sent < served.total // 4


def test_leaving_the_loop_early_closes_the_response(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    long = json.dumps({"notes": "x" * 20000})
    events = wire.message([wire.tool_use("get_weather", long)], "tool_use")
    outcome = read(server, events, *via, **PACED, until=lambda event: isinstance(
        event, pj.JsonEvent) and isinstance(event.event, pj.StringDelta))
    assert outcome.error is None
    served = server.last()
    assert served.outcome == "client closed" and served.sent < served.total // 4


def test_without_early_stop_violations_are_events_and_the_call_still_fails(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    bad = FORECAST_TEXT.replace('"celsius"', '"kelvin"')
    events = wire.message([wire.tool_use("get_weather", bad)], "tool_use")
    outcome = read(server, events, *via, tools=TYPED, early_stop=False)

    error = outcome.error
    assert isinstance(error, pj.InvalidPart) and isinstance(error.error, pj.SchemaViolation)
    violations = [e.event for e in outcome.of(pj.JsonEvent) if isinstance(e.event, pj.Violation)]
    assert [tuple(v.path) for v in violations] == [("units",)]
    assert error.text == bad  # read to the end of the block, then refused
    assert not outcome.of(pj.ToolCallComplete)
