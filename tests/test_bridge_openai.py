"""The OpenAI bridge, driven through the real openai clients against a local SSE server:
Chat Completions and the Responses API, raw streams and the SDK's helpers, sync and async.

Streams are authored here and sent in 3-byte pieces (so UTF-8 characters are cut); expectations
come from ``json.loads`` of the authored JSON, or from what the SDK's own helper accumulated.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Literal

import openai
import pydantic
import pytest
import sse_server as wire
from sse_server import Outcome, ReplayServer

import partialjson as pj
from partialjson import openai as bridge
from partialjson.openai import ChatPart, ResponsePart

CHAT: dict[str, Any] = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Plan a trip"}]}
RESPONSES: dict[str, Any] = {"model": "gpt-4o", "input": "Plan a trip"}
WEATHER = {"city": "São Paulo", "units": "celsius", "days": 3,
           "notes": "chuva à tarde 🌧️ — 東京 too", "hours": [{"h": 0, "t": 21.5}]}
FLIGHTS = {"origin": "GRU", "destination": "LIS", "date": "2025-07-14", "passengers": 2}
WEATHER_TEXT = json.dumps(WEATHER, ensure_ascii=False)
FLIGHTS_TEXT = json.dumps(FLIGHTS, ensure_ascii=False)
CALLS = [("call_w", "get_weather", WEATHER_TEXT), ("call_f", "search_flights", FLIGHTS_TEXT)]


class Hour(pydantic.BaseModel):
    h: int
    t: float


class Weather(pydantic.BaseModel):
    city: str
    units: Literal["celsius", "fahrenheit"]
    days: int
    notes: str
    hours: list[Hour]


class Flights(pydantic.BaseModel):
    origin: str
    destination: str
    date: str
    passengers: int


TYPED = {"get_weather": Weather, "search_flights": Flights}
PACED = wire.PACED



def read(server: ReplayServer, body: str, api: str = "chat", source: str = "raw",
         is_async: bool = False, piece: int = 3, delay: float = 0.0,
         request: dict[str, Any] | None = None, drop_at: int | None = None,
         until: Any = None, **options: Any) -> Outcome:
    """Queue the stream (``drop_at``: the connection drops after so many bytes), request it
    through the real client (``api``: "chat" or "responses"; ``request``: more parameters),
    read it through the bridge (``until``: stop at the first event for which it holds); with a
    helper, keep what the helper accumulated."""
    server.reply(body, piece=piece, delay=delay, drop_at=drop_at)
    request = {**(CHAT if api == "chat" else RESPONSES), **(request or {})}
    if is_async:
        return asyncio.run(_read_async(server, api, source, request, until, options))
    client = openai.OpenAI(api_key="test-key", base_url=server.url + "/v1", max_retries=0)
    resource: Any = client.chat.completions if api == "chat" else client.responses
    if source == "raw":
        raw = resource.create(stream=True, **request)
        return Outcome().drain(bridge.stream(raw, **options), until)
    manager = resource.stream(**request)
    if source == "manager":
        return Outcome().drain(bridge.stream(manager, **options), until)
    with manager as helper:
        outcome = Outcome().drain(bridge.stream(helper, **options), until)
        final = helper.get_final_completion if api == "chat" else helper.get_final_response
        if outcome.error is None and until is None:  # (an error may be the helper's own)
            outcome.sdk = final()
    return outcome


async def _read_async(server: ReplayServer, api: str, source: str, request: dict[str, Any],
                      until: Any, options: dict[str, Any]) -> Outcome:
    client = openai.AsyncOpenAI(api_key="test-key", base_url=server.url + "/v1", max_retries=0)
    resource: Any = client.chat.completions if api == "chat" else client.responses
    if source == "raw":
        raw = await resource.create(stream=True, **request)
        outcome = await Outcome().adrain(bridge.stream(raw, **options), until)
    elif source == "manager":
        manager = resource.stream(**request)
        outcome = await Outcome().adrain(bridge.stream(manager, **options), until)
    else:
        async with resource.stream(**request) as helper:
            outcome = await Outcome().adrain(bridge.stream(helper, **options), until)
            final = helper.get_final_completion if api == "chat" else helper.get_final_response
            if outcome.error is None and until is None:
                outcome.sdk = await final()
    server.last()  # see tests/test_bridge_anthropic.py: the close seen is the bridge's
    return outcome


def call_part(index: int) -> ChatPart:
    id, name, _ = CALLS[index]
    return ChatPart(0, "function", index, id, name)


# -- Chat Completions ----------------------------------------------------------------------------
@pytest.mark.parametrize(("source", "is_async"), wire.SOURCES)
def test_chat_parallel_tool_calls_stream_and_complete_validated(
    server: ReplayServer, source: str, is_async: bool
) -> None:
    outcome = read(server, wire.chat(wire.chat_calls(CALLS)), "chat", source, is_async,
                   tools=TYPED)

    assert outcome.error is None
    assert outcome.of(pj.ToolCallComplete) == [
        pj.ToolCallComplete("call_w", "get_weather", Weather(**WEATHER), call_part(0)),
        pj.ToolCallComplete("call_f", "search_flights", Flights(**FLIGHTS), call_part(1)),
    ]
    assert outcome.strings(call_part(0))[("notes",)] == WEATHER["notes"]
    assert [e.part for e in outcome.of(pj.PartStarted)] == [call_part(0), call_part(1)]
    finish = outcome.of(pj.ProviderEvent)[-1].data
    assert wire.dig(finish, "choices", 0, "finish_reason") == "tool_calls"
    if outcome.sdk is not None:
        sdk_calls = outcome.sdk.choices[0].message.tool_calls
        assert [json.loads(c.function.arguments) for c in sdk_calls] == [WEATHER, FLIGHTS]


@pytest.mark.parametrize("eol", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_the_raw_body_is_read_whatever_its_line_ends_pieces_and_keep_alives(
    server: ReplayServer, is_async: bool, eol: str
) -> None:
    # 1- and 2-byte pieces cut every UTF-8 character and every "\r\n"; comments, ids and
    # retry fields change nothing.
    chat = wire.chat(wire.chat_calls(CALLS, interleave=True), eol=eol, noise=True)
    items = [("function_call", "get_weather", WEATHER_TEXT), ("message", FLIGHTS_TEXT)]
    responses = wire.sse(wire.responses(items), eol, noise=True)
    for piece in (1, 2):
        outcome = read(server, chat, "chat", "raw", is_async, piece=piece, tools=TYPED)
        assert outcome.error is None
        assert {c.part: c.value for c in outcome.of(pj.ToolCallComplete)} == {
            call_part(0): Weather(**WEATHER), call_part(1): Flights(**FLIGHTS)}
        outcome = read(server, responses, "responses", "raw", is_async, piece=piece,
                       output=Flights)
        assert outcome.error is None
        assert [c.value for c in outcome.of(pj.ToolCallComplete)] == [WEATHER]
        assert [c.value for c in outcome.of(pj.OutputComplete)] == [Flights(**FLIGHTS)]


def test_chat_interleaved_calls_each_complete_when_their_json_does(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    body = wire.chat(wire.chat_calls(CALLS, interleave=True))
    outcome = read(server, body, "chat", *via, tools=TYPED)

    assert outcome.error is None
    calls = outcome.of(pj.ToolCallComplete)
    assert [(c.part, c.value) for c in calls] == [  # the shorter call ends first
        (call_part(1), Flights(**FLIGHTS)), (call_part(0), Weather(**WEATHER))]
    for call in calls:  # right after its document, not at the next index or at finish_reason
        before = outcome.events[outcome.events.index(call) - 1]
        assert isinstance(before.event, pj.DocumentCompleted) and before.part == call.part
    finish = outcome.of(pj.ProviderEvent)[-1]
    assert outcome.events.index(calls[-1]) < outcome.events.index(finish)


def test_chat_helper_guesses_done_on_interleaving_where_the_bridge_is_exact(
    server: ReplayServer,
) -> None:
    body = wire.chat(wire.chat_calls(CALLS, interleave=True))
    server.reply(body, piece=3)
    client = openai.OpenAI(api_key="test-key", base_url=server.url + "/v1", max_retries=0)
    with client.chat.completions.stream(**CHAT) as helper:
        done = [(e.index, e.arguments) for e in helper
                if e.type == "tool_calls.function.arguments.done"]
    assert (0, "") in done  # the SDK's guess: index 0 "done" when index 1 first appears
    server.reply(body, piece=3)
    strict = [openai.pydantic_function_tool(Weather, name="get_weather"),
              openai.pydantic_function_tool(Flights, name="search_flights")]
    with pytest.raises(pydantic.ValidationError), \
            client.chat.completions.stream(tools=strict, **CHAT) as helper:
        helper.until_done()  # with strict tools the guess parses '' as the arguments
    failed = read(server, body, source="helper", request={"tools": strict}, tools=TYPED)
    assert isinstance(failed.error, pj.StreamFailed)  # the helper's failure, as it is
    assert isinstance(failed.error.__cause__, pydantic.ValidationError)

    outcome = read(server, body, source="helper", tools=TYPED)  # the same stream, bridged
    assert {c.name: c.value for c in outcome.of(pj.ToolCallComplete)} == {
        "get_weather": Weather(**WEATHER), "search_flights": Flights(**FLIGHTS)}


@pytest.mark.parametrize("arguments", ["", "{}"], ids=["empty", "empty object"])
def test_chat_a_call_without_arguments_completes_with_an_empty_object(
    server: ReplayServer, arguments: str, via: tuple[str, bool]
) -> None:
    chunks = wire.chat_calls([("call_t", "get_time", arguments)])
    outcome = read(server, wire.chat(chunks), "chat", *via)

    assert outcome.error is None
    assert [(c.name, c.value) for c in outcome.of(pj.ToolCallComplete)] == [("get_time", {})]


@pytest.mark.parametrize(("source", "is_async"), wire.SOURCES)
def test_chat_structured_output_in_the_content(
    server: ReplayServer, source: str, is_async: bool
) -> None:
    chunks = wire.chat_content(WEATHER_TEXT)
    chunks.append(wire.chunk(None, usage={"prompt_tokens": 9, "completion_tokens": 30,
                                          "total_tokens": 39}))
    response_format = Weather if source != "raw" else {"type": "json_schema", "json_schema": {
        "name": "Weather", "schema": Weather.model_json_schema()}}
    outcome = read(server, wire.chat(chunks), "chat", source, is_async,
                   request={"response_format": response_format}, output=Weather)

    assert outcome.error is None
    part = ChatPart(0, "content")
    assert outcome.of(pj.OutputComplete) == [pj.OutputComplete(Weather(**WEATHER), part)]
    assert not outcome.of(pj.TextDelta)
    assert wire.dig(outcome.of(pj.ProviderEvent)[-1].data, "usage", "total_tokens") == 39
    if outcome.sdk is not None:
        assert outcome.sdk.choices[0].message.parsed == Weather(**WEATHER)
    assert server.last().request["response_format"]["type"] == "json_schema"


def test_chat_structured_output_found_in_prose_with_extract(server: ReplayServer) -> None:
    answer = f"Sure! {WEATHER_TEXT} Anything else?"
    outcome = read(server, wire.chat(wire.chat_content(answer)), output=Weather, extract=True)

    assert outcome.error is None
    part = ChatPart(0, "content")
    assert outcome.of(pj.OutputComplete) == [pj.OutputComplete(Weather(**WEATHER), part)]
    assert "".join(e.text for e in outcome.of(pj.TextDelta)) == "Sure!  Anything else?"


def test_chat_content_without_output_is_text_and_a_refusal_is_text(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    chunks = wire.chat_content("Sure — 東京 it is.")
    refusal = [wire.chunk({"refusal": piece}) for piece in wire.fragments("I can't help.")]
    outcome = read(server, wire.chat(chunks[:-1] + refusal + chunks[-1:]), "chat", *via)

    assert outcome.error is None
    assert outcome.of(pj.PartCompleted) == [
        pj.PartCompleted(ChatPart(0, "content"), "Sure — 東京 it is."),
        pj.PartCompleted(ChatPart(0, "refusal"), "I can't help."),
    ]


def test_chat_length_leaves_the_cut_call_incomplete_never_valid(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    cut = WEATHER_TEXT.index('"notes"')
    chunks = wire.chat_calls([("call_w", "get_weather", WEATHER_TEXT[:cut])], finish="length")
    outcome = read(server, wire.chat(chunks), "chat", *via)

    error = outcome.error
    assert isinstance(error, pj.IncompleteStream)
    assert error.stop_reason == "length" and error.incomplete == [call_part(0)]
    assert error.texts == {call_part(0): WEATHER_TEXT[:cut]}
    assert error.values == {call_part(0): {"city": "São Paulo", "units": "celsius", "days": 3}}
    assert not outcome.of(pj.ToolCallComplete)


def test_chat_a_stream_without_finish_reason_is_incomplete(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    body = wire.chat(wire.chat_calls(CALLS[:1], finish=None), done=False)
    outcome = read(server, body, "chat", *via)

    error = outcome.error
    assert isinstance(error, pj.IncompleteStream)
    assert error.incomplete == [call_part(0)] and "cut short" in str(error)
    assert error.texts == {call_part(0): WEATHER_TEXT}
    assert outcome.of(pj.ToolCallComplete)  # its JSON was whole: it completed when it was


def test_chat_an_error_mid_stream_fails_with_everything_received(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    chunks = wire.chat_calls(CALLS, finish=None)
    failure = {"error": {"message": "The server had an error", "type": "server_error"}}
    first = len(wire.fragments(WEATHER_TEXT))
    head = chunks[: 1 + (1 + first) + (1 + 5)]  # role; call 0 whole; call 1, 5 fragments
    outcome = read(server, wire.chat([*head, failure], done=False), "chat", *via)

    error = outcome.error
    assert isinstance(error, pj.StreamFailed)
    assert isinstance(error.__cause__, openai.APIError)
    assert error.__cause__.message == "The server had an error"
    assert error.__cause__.body == failure["error"]
    assert error.texts == {call_part(0): WEATHER_TEXT, call_part(1): FLIGHTS_TEXT[:20]}
    assert error.values == {call_part(0): WEATHER, call_part(1): {"origin": "GRU"}}


def test_chat_a_dropped_connection_fails_with_everything_received(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    chunks = wire.chat_calls(CALLS)
    drop_at = len(wire.chat(chunks[:6], done=False).encode())
    outcome = read(server, wire.chat(chunks), "chat", *via, drop_at=drop_at)

    error = outcome.error
    assert isinstance(error, pj.StreamFailed)
    # (the helper of an SDK before 3.x lets the HTTP library's error through)
    assert isinstance(error.__cause__, (openai.APIConnectionError, *wire.transport_errors()))
    assert server.last().outcome == "dropped"
    assert error.texts == {call_part(0): "".join(wire.fragments(WEATHER_TEXT)[:4])}


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_chat_invalid_arguments_close_the_response_at_once(
    server: ReplayServer, is_async: bool
) -> None:
    bad = '{"city": "Paris", "days": [1, 2}' + " " * 4000
    chunks = wire.chat_calls([("call_w", "get_weather", bad), *CALLS[1:]])
    outcome = read(server, wire.chat(chunks), is_async=is_async, **PACED)

    error = outcome.error
    assert isinstance(error, pj.InvalidPart) and isinstance(error.error, pj.JsonSyntaxError)
    assert error.part == call_part(0) and error.offset == bad.index("}")
    assert error.path == ("days",)
    assert error.text is not None and bad.startswith(error.text)
    served = server.last()
    assert served.outcome == "client closed" and served.sent < served.total // 4


# -- Responses -----------------------------------------------------------------------------------
def function_part(at: int, name: str) -> ResponsePart:
    return ResponsePart(at, "function_call", f"fc_{at}", None, f"call_{at}", name)


@pytest.mark.parametrize(("source", "is_async"), wire.SOURCES)
def test_responses_function_calls_and_output_text(
    server: ReplayServer, source: str, is_async: bool
) -> None:
    items = [("function_call", "get_weather", WEATHER_TEXT), ("message", FLIGHTS_TEXT)]
    text_format = {} if source == "raw" else {"text_format": Flights}
    outcome = read(server, wire.sse(wire.responses(items)), "responses", source, is_async,
                   request=text_format, output=Flights)

    assert outcome.error is None
    output = ResponsePart(1, "output_text", "msg_1", 0)
    assert outcome.of(pj.ToolCallComplete) == [
        pj.ToolCallComplete("call_0", "get_weather", WEATHER, function_part(0, "get_weather"))]
    assert outcome.of(pj.OutputComplete) == [pj.OutputComplete(Flights(**FLIGHTS), output)]
    assert outcome.of(pj.PartCompleted) == [
        pj.PartCompleted(ResponsePart(1, "message", "msg_1"), None)]
    assert outcome.strings(function_part(0, "get_weather"))[("notes",)] == WEATHER["notes"]
    assert wire.dig(outcome.of(pj.ProviderEvent)[-1].data, "type") == "response.completed"
    if outcome.sdk is not None:
        assert json.loads(outcome.sdk.output[0].arguments) == WEATHER
        assert outcome.sdk.output_parsed == Flights(**FLIGHTS)


def test_responses_reasoning_refusals_and_other_calls(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    arguments = '{"repo": "acme/api", "state": "open"}'
    reasoning = {"id": "rs_0", "type": "reasoning", "summary": []}
    where = {"item_id": "rs_0", "output_index": 0, "summary_index": 0}
    mcp = {"id": "mcp_1", "type": "mcp_call", "name": "list_issues", "server_label": "github",
           "arguments": ""}
    events = [
        ("response.output_item.added", {"output_index": 0, "item": reasoning}),
        ("response.reasoning_summary_part.added",
         {**where, "part": {"type": "summary_text", "text": ""}}),
        *[("response.reasoning_summary_text.delta", {**where, "delta": piece})
          for piece in wire.fragments("Look up open issues first.")],
        ("response.reasoning_summary_part.done",
         {**where, "part": {"type": "summary_text", "text": "Look up open issues first."}}),
        ("response.output_item.done", {"output_index": 0, "item": reasoning}),
        ("response.output_item.added", {"output_index": 1, "item": mcp}),
        *[("response.mcp_call_arguments.delta", {"item_id": "mcp_1", "output_index": 1,
                                                 "delta": piece})
          for piece in wire.fragments(arguments)],
        ("response.output_item.done", {"output_index": 1, "item": {**mcp, "arguments": arguments}}),
        *_text_item(2, "message", "refusal", "I can't open private repos."),
        *_text_item(3, "custom_tool_call", None, "SELECT 1;"),
    ]
    outcome = read(server, wire.sse(wire.response(events)), "responses", *via, output=Flights)

    assert outcome.error is None
    summary = ResponsePart(0, "summary_text", "rs_0", 0)
    part = ResponsePart(1, "mcp_call", "mcp_1", None, None, "list_issues")
    assert outcome.of(pj.ToolCallComplete) == [
        pj.ToolCallComplete("mcp_1", "list_issues", json.loads(arguments), part)]
    assert outcome.of(pj.PartCompleted) == [
        pj.PartCompleted(summary, "Look up open issues first."),
        pj.PartCompleted(ResponsePart(0, "reasoning", "rs_0"), None),
        pj.PartCompleted(ResponsePart(2, "refusal", "item_2", 0), "I can't open private repos."),
        pj.PartCompleted(ResponsePart(2, "message", "item_2"), None),
        pj.PartCompleted(ResponsePart(3, "custom_tool_call", "item_3", None, "call_3", "sql"),
                         "SELECT 1;"),
    ]
    assert not outcome.of(pj.OutputComplete)  # a refusal is no output


def _text_item(at: int, kind: str, content: str | None, text: str) -> list[tuple[str, Any]]:
    """A message with one ``content`` part (e.g. a refusal), or a custom tool call's input."""
    item: dict[str, Any] = {"id": f"item_{at}", "type": kind, "status": "in_progress"}
    if kind == "message":
        item.update(role="assistant", content=[])
    else:
        item.update(call_id=f"call_{at}", name="sql", input="")
    where: dict[str, Any] = {"item_id": item["id"], "output_index": at}
    if content is None:
        deltas = [("response.custom_tool_call_input.delta", {**where, "delta": piece})
                  for piece in wire.fragments(text)]
        return [("response.output_item.added", {"output_index": at, "item": item}), *deltas,
                ("response.output_item.done", {"output_index": at, "item": item})]
    where["content_index"] = 0
    part = {"type": content, content: ""}
    return [
        ("response.output_item.added", {"output_index": at, "item": item}),
        ("response.content_part.added", {**where, "part": part}),
        *[(f"response.{content}.delta", {**where, "delta": piece})
          for piece in wire.fragments(text)],
        ("response.content_part.done", {**where, "part": {**part, content: text}}),
        ("response.output_item.done", {"output_index": at, "item": item}),
    ]


def test_responses_incomplete_leaves_the_cut_call_incomplete(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    cut = WEATHER_TEXT.index('"days"')
    item = {"id": "fc_0", "type": "function_call", "status": "in_progress", "arguments": "",
            "call_id": "call_0", "name": "get_weather"}
    events = [("response.output_item.added", {"output_index": 0, "item": item}),
              *[("response.function_call_arguments.delta",
                 {"item_id": "fc_0", "output_index": 0, "delta": piece})
                for piece in wire.fragments(WEATHER_TEXT[:cut])]]
    stream = wire.response(events, "response.incomplete",
                               incomplete_details={"reason": "max_output_tokens"})
    outcome = read(server, wire.sse(stream), "responses", *via)

    error = outcome.error
    part = function_part(0, "get_weather")
    assert isinstance(error, pj.IncompleteStream)
    assert error.stop_reason == "max_output_tokens" and error.incomplete == [part]
    assert error.values == {part: {"city": "São Paulo", "units": "celsius"}}


@pytest.mark.parametrize("end", ["error", "response.failed"])
def test_responses_an_error_event_fails_with_everything_received(
    server: ReplayServer, end: str, via: tuple[str, bool]
) -> None:
    events = wire.responses([("message", FLIGHTS_TEXT)])[:-4]  # up to the last text delta
    failure = {"code": "server_error", "message": "The server had an error", "param": None}
    data = failure if end == "error" else {"response": {
        **events[0][1]["response"], "status": "failed", "error": failure}}
    body = wire.sse([*events, (end, {"type": end, "sequence_number": 99, **data})])
    outcome = read(server, body, "responses", *via, output=Flights)

    error = outcome.error
    assert isinstance(error, pj.StreamFailed)
    assert "server_error" in str(error) and "The server had an error" in str(error)
    assert error.texts == {ResponsePart(0, "output_text", "msg_0", 0): FLIGHTS_TEXT}


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_chat_a_schema_violation_in_interleaved_calls_closes_the_response_at_once(
    server: ReplayServer, is_async: bool
) -> None:
    bad = WEATHER_TEXT.replace('"days": 3', '"days": "three"') + " " * 4000
    chunks = wire.chat_calls([("call_w", "get_weather", bad), CALLS[1]], interleave=True)
    outcome = read(server, wire.chat(chunks), is_async=is_async, **PACED, tools=TYPED)

    error = outcome.error
    assert isinstance(error, pj.InvalidPart) and isinstance(error.error, pj.SchemaViolation)
    assert error.part == call_part(0) and error.path == ("days",)
    assert error.offset == bad.index('"three"') + 1  # "t" cannot begin a lax int
    assert error.values[call_part(0)].city == "São Paulo"
    assert error.values[call_part(1)] is not None  # the other call's partial object too
    served = server.last()
    assert served.outcome == "client closed" and served.sent < served.total // 4
