"""The LangChain bridge, driven through real chat models (langchain-openai's ``ChatOpenAI``,
langchain-anthropic's ``ChatAnthropic``) against the local SSE server, and on generated
``AIMessageChunk`` sequences.

Expectations come from ``json.loads`` / ``model_validate_json`` of the authored arguments, and from
what LangChain itself merges (``AIMessageChunk.__add__``). langchain-google-genai is not tested:
its client talks to Google's endpoints through google-genai, and the Gemini bridge's own tests
own that local server.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import operator
import subprocess
import sys
from functools import reduce
from typing import Any, Literal

import pytest
import sse_server as wire
from hypothesis import given, settings
from hypothesis import strategies as st
from langchain_anthropic import ChatAnthropic
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field
from sse_server import Outcome, ReplayServer
from test_bridge_examples import run_example

import partialjson as pj
from partialjson import langchain as pjl
from partialjson.langchain import MessagePart


class GetWeather(BaseModel):
    city: str
    days: int = Field(le=14)
    units: Literal["celsius", "fahrenheit"]


class Flight(BaseModel):
    origin: str
    destination: str
    passengers: int


class Recipe(BaseModel):
    title: str
    servings: int = Field(ge=1)
    steps: list[str]


TOOLS = {"GetWeather": GetWeather, "Flight": Flight}
WEATHER = '{"city": "São Paulo 🌧️", "days": 3, "units": "celsius"}'
FLIGHT = '{"origin": "GRU", "destination": "LIS", "passengers": 2}'
RECIPE = '{"title": "Shakshuka — \\"eggs\\"", "servings": 2, "steps": ["fry", "simmer", "eat"]}'
BAD_WEATHER = '{"city": "Oslo", "days": 40, "units": "celsius", "notes": "' + "x" * 60_000 + '"}'


# Both integrations cache their async HTTP client per base URL, and a client is bound to the
# event loop it first ran on: each chat model gets a URL of its own (the server ignores paths).
_clients = itertools.count()


def openai_chat(server: ReplayServer) -> ChatOpenAI:
    return ChatOpenAI(model="gpt-4o", api_key="test-key",
                      base_url=f"{server.url}/{next(_clients)}/v1", max_retries=0)


def anthropic_chat(server: ReplayServer) -> ChatAnthropic:
    return ChatAnthropic(model="claude-sonnet-4-6", api_key="test-key",
                         base_url=f"{server.url}/{next(_clients)}", max_retries=0)


def read(events: Any, is_async: bool = False) -> Outcome:
    if is_async:
        return asyncio.run(Outcome().adrain(events))
    return Outcome().drain(events)


def consume(source: Any, is_async: bool) -> list[Any]:
    """Everything a sync or async stream yields, or the error as the last item."""
    async def gather() -> list[Any]:
        out: list[Any] = []
        try:
            async for item in source:
                out.append(item)
        except Exception as exc:
            out.append(exc)
        return out

    if is_async:
        return asyncio.run(gather())
    out: list[Any] = []
    try:
        out.extend(source)
    except Exception as exc:
        out.append(exc)
    return out


# -- real chat models --------------------------------------------------------------------------
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_openai_parallel_calls_interleaved_each_validated(server: ReplayServer,
                                                          is_async: bool) -> None:
    chunks = wire.chat_calls([("call_w", "GetWeather", WEATHER), ("call_f", "Flight", FLIGHT)],
                             interleave=True, size=3)
    server.reply(wire.chat(chunks), piece=3)
    chat = openai_chat(server).bind_tools([GetWeather, Flight])
    source = chat.astream("go") if is_async else chat.stream("go")
    out = read(pjl.stream(source, tools=TOOLS), is_async)
    assert out.error is None
    calls = out.of(pj.ToolCallComplete)
    assert [(c.id, c.name) for c in calls] == [("call_w", "GetWeather"), ("call_f", "Flight")]
    assert calls[0].value == GetWeather.model_validate_json(WEATHER)
    assert calls[1].value == Flight.model_validate_json(FLIGHT)
    part = MessagePart("tool_call", 0, "call_w", "GetWeather")
    strings = {k: v for k, v in json.loads(WEATHER).items() if isinstance(v, str)}
    assert out.strings(part) == {(key,): value for key, value in strings.items()}
    assert [t["function"]["name"] for t in server.last().request["tools"]] == ["GetWeather",
                                                                             "Flight"]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_anthropic_text_and_parallel_tool_blocks(server: ReplayServer, is_async: bool) -> None:
    blocks = [wire.text("Let me check. ", 3), wire.tool_use("GetWeather", WEATHER, "toolu_w", 3),
              wire.tool_use("Flight", FLIGHT, "toolu_f", 5)]
    server.reply(wire.sse(wire.message(blocks, "tool_use")), piece=3)
    chat = anthropic_chat(server).bind_tools([GetWeather, Flight])
    source = chat.astream("go") if is_async else chat.stream("go")
    out = read(pjl.stream(source, tools=TOOLS), is_async)
    assert out.error is None
    assert [(c.id, c.value) for c in out.of(pj.ToolCallComplete)] == [
        ("toolu_w", GetWeather.model_validate_json(WEATHER)),
        ("toolu_f", Flight.model_validate_json(FLIGHT))]
    # the tool blocks' index in the message, as LangChain numbers the calls
    assert [c.part.index for c in out.of(pj.ToolCallComplete)] == [1, 2]
    assert [(p.part, p.text) for p in out.of(pj.PartCompleted)] == [
        (MessagePart("text", 0), "Let me check. ")]


def test_openai_responses_api_through_chat_openai(server: ReplayServer) -> None:
    items = [("message", "Checking."), ("function_call", "GetWeather", WEATHER),
             ("function_call", "Flight", FLIGHT[:-9])]
    events = wire.responses(items)
    events[-1] = ("response.incomplete", {**events[-1][1], "type": "response.incomplete"})
    events[-1][1]["response"]["incomplete_details"] = {"reason": "max_output_tokens"}
    server.reply(wire.sse(events), piece=5)
    chat = ChatOpenAI(model="gpt-4o", api_key="test-key", use_responses_api=True,
                      base_url=f"{server.url}/{next(_clients)}/v1", max_retries=0)
    out = read(pjl.stream(chat.bind_tools([GetWeather, Flight]).stream("go"), tools=TOOLS))
    assert [(c.part.index, c.value) for c in out.of(pj.ToolCallComplete)] == [
        (1, GetWeather.model_validate_json(WEATHER))]
    assert [p.text for p in out.of(pj.PartCompleted)] == ["Checking."]
    assert isinstance(out.error, pj.IncompleteStream)
    assert out.error.stop_reason == "max_output_tokens"
    assert out.error.text == FLIGHT[:-9]


def test_a_truncated_call_is_never_a_call_though_langchain_merges_it(
        server: ReplayServer) -> None:
    cut = WEATHER[: WEATHER.index('"units"') + 5]
    chunks = wire.chat_calls([("call_w", "GetWeather", WEATHER), ("call_x", "GetWeather", cut)],
                             finish="length")
    server.reply(wire.chat(chunks), piece=7)
    received = list(openai_chat(server).bind_tools([GetWeather]).stream("go"))
    merged = reduce(operator.add, received)  # LangChain's own merging: two calls, one truncated
    assert [c["id"] for c in merged.tool_calls] == ["call_w", "call_x"]
    assert merged.tool_calls[1]["args"] == {"city": "São Paulo 🌧️", "days": 3}
    assert merged.response_metadata["finish_reason"] == "length"

    out = read(pjl.stream(received, tools=TOOLS))
    assert isinstance(out.error, pj.IncompleteStream)
    assert out.error.stop_reason == "length"
    assert out.error.incomplete == [MessagePart("tool_call", 1, "call_x", "GetWeather")]
    assert out.error.texts[out.error.incomplete[0]] == cut  # nothing received is lost
    assert [c.id for c in out.of(pj.ToolCallComplete)] == ["call_w"]


def test_anthropic_max_tokens_cuts_the_output(server: ReplayServer) -> None:
    server.reply(wire.sse(wire.message([wire.text(RECIPE[:40])], "max_tokens")), piece=4)
    with pytest.raises(pj.IncompleteStream) as caught:
        list((anthropic_chat(server) | pjl.PartialOutputParser(Recipe)).stream("go"))
    assert caught.value.stop_reason == "max_tokens"
    assert caught.value.text == RECIPE[:40]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("how", ["stream", "lcel"])
def test_early_stop_hangs_up_on_the_model(server: ReplayServer, is_async: bool,
                                          how: str) -> None:
    chunks = wire.chat_calls([("call_w", "GetWeather", BAD_WEATHER)])
    server.reply(wire.chat(chunks), **wire.PACED)
    chat = openai_chat(server).bind_tools([GetWeather])
    if how == "stream":
        source = pjl.stream(chat.astream("go") if is_async else chat.stream("go"), tools=TOOLS)
    else:
        lcel = chat | pjl.PartialToolsParser(tools=TOOLS)
        source = lcel.astream("go") if is_async else lcel.stream("go")
    error = consume(source, is_async)[-1]
    assert isinstance(error, pj.InvalidPart)
    assert error.path == ("days",) and "less than or equal to 14" in str(error)
    served = server.last()
    assert served.outcome == "client closed"
    assert served.sent < served.total // 10


# -- LCEL ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_lcel_output_parser_streams_validated_partials(server: ReplayServer,
                                                       is_async: bool) -> None:
    server.reply(wire.chat(wire.chat_content(RECIPE, size=3)), piece=3)
    schema = {"type": "json_schema", "json_schema": {"name": "Recipe",
                                                     "schema": Recipe.model_json_schema()}}
    chain = openai_chat(server).bind(response_format=schema) | pjl.PartialOutputParser(Recipe)
    seen: list[Any] = []
    source = chain.astream("go") if is_async else chain.stream("go")
    for value in consume(source, is_async):
        assert not isinstance(value, Exception), value
        seen.append(value.model_dump())  # a snapshot: the partial object fills in place
    assert server.last().request["response_format"]["json_schema"]["name"] == "Recipe"
    final = Recipe.model_validate_json(RECIPE)
    assert seen[-1] == final.model_dump()
    titles = [s["title"] for s in seen if s["title"] is not None]
    assert len(titles) > 3 and all(final.title.startswith(t) for t in titles)  # grows, validated
    assert titles == sorted(titles, key=len)
    assert len(seen) < len(RECIPE) // 3  # at most once a chunk, only when the JSON moved on
    assert all(s["servings"] in (None, 2) for s in seen)


def test_lcel_invoke_and_ainvoke_return_the_final_object(server: ReplayServer) -> None:
    completion = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000,
                  "model": "gpt-4o", "choices": [{"index": 0, "finish_reason": "stop",
                                                  "message": {"role": "assistant",
                                                              "content": RECIPE}}]}
    chain = openai_chat(server) | pjl.PartialOutputParser(Recipe)
    for run in (lambda: chain.invoke("go"), lambda: asyncio.run(chain.ainvoke("go"))):
        server.reply(json.dumps(completion), content_type="application/json")
        assert run() == Recipe.model_validate_json(RECIPE)


def test_lcel_tools_parser_on_anthropic(server: ReplayServer) -> None:
    blocks = [wire.tool_use("GetWeather", WEATHER, "toolu_w"), wire.tool_use("Flight", FLIGHT,
                                                                             "toolu_f")]
    server.reply(wire.sse(wire.message(blocks, "tool_use")), piece=3)
    chain = anthropic_chat(server).bind_tools([GetWeather, Flight])
    snapshots = list((chain | pjl.PartialToolsParser(tools=TOOLS)).stream("go"))
    assert snapshots[-1] == [
        pjl.PartialToolCall("toolu_w", "GetWeather", GetWeather.model_validate_json(WEATHER), True),
        pjl.PartialToolCall("toolu_f", "Flight", Flight.model_validate_json(FLIGHT), True)]
    with pytest.raises(TypeError):  # snapshots: LangChain's run output keeps the last one
        snapshots[0] + snapshots[1]
    first_complete = next(i for i, s in enumerate(snapshots) if s[0].complete)
    assert len(snapshots[first_complete]) == 1 or not snapshots[first_complete][1].complete
    server.reply(wire.sse(wire.message(blocks, "tool_use")), piece=3)
    parser = pjl.PartialToolsParser(tools=TOOLS, first_tool_only=True)
    values = list((chain | parser).stream("go"))
    assert values[-1] == GetWeather.model_validate_json(WEATHER)


def test_whole_messages_are_read_as_one_chunk() -> None:
    message = AIMessage(content="", tool_calls=[
        {"name": "GetWeather", "args": json.loads(WEATHER), "id": "c1"}])
    parser = pjl.PartialToolsParser(tools=TOOLS, first_tool_only=True)
    assert parser.invoke(message) == GetWeather.model_validate_json(WEATHER)
    truncated = AIMessage(content="", invalid_tool_calls=[
        {"name": "GetWeather", "args": WEATHER[:20], "id": "c1", "error": None}])
    with pytest.raises(pj.IncompleteStream):
        parser.invoke(truncated)
    with pytest.raises(pj.IncompleteStream, match="no structured output"):
        pjl.PartialOutputParser(Recipe).invoke(AIMessage(content=""))
    with pytest.raises(pj.InvalidPart) as caught:
        pjl.PartialOutputParser(Recipe).invoke(RECIPE.replace('"servings": 2', '"servings": 0'))
    assert caught.value.path == ("servings",)


def test_imports_without_langchain() -> None:
    code = (
        "import sys; sys.modules['langchain_core'] = None\n"
        "from partialjson import langchain as pjl\n"
        "chunks = [{'content': '{\"a\": ', 'tool_call_chunks': []},"
        " {'content': '[1]}', 'tool_call_chunks': []}]\n"
        "print([type(e).__name__ for e in pjl.stream(chunks, output=dict)][-1])\n"
        "try:\n    pjl.PartialOutputParser\nexcept ImportError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    last, message = done.stdout.splitlines()
    assert last == "OutputComplete"
    assert "pip install 'partialjson-toolkit[langchain]'" in message


# -- the example --------------------------------------------------------------------------------
@pytest.mark.parametrize("flags", [[], ["--async", "--lcel"]], ids=["stream", "async-lcel"])
def test_the_example_completes_each_interleaved_call(flags: list[str]) -> None:
    done = run_example("langchain_tools.py", *flags)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    weather = "GetWeather(city='São Paulo', days=3, units='celsius')"
    flights = "SearchFlights(origin='GRU', destination='LIS', date='2025-07-14', passengers=2)"
    if not flags:
        assert lines[-1] == f"call_9PzEflights: complete -> {flights}"
        assert lines.index(f"call_4Yq7weather: complete -> {weather}") < lines.index(
            "call 1:   date = '2025-07-14'")  # the first call is whole before the second
    else:
        assert lines[-1] == f"get_weather: done {weather} | search_flights: done {flights}"
        assert any("search_flights: so far PartialSearchFlights(origin='GRU'" in line
                   for line in lines)


# -- properties on generated chunks ----------------------------------------------------------------
def chunk_pieces(text: str, cuts: list[int]) -> list[str]:
    points = sorted({c % (len(text) + 1) for c in cuts} | {0, len(text)})
    return [text[a:b] for a, b in itertools.pairwise(points)]


def call_chunks(calls: list[tuple[str, str, str]], cuts: list[int],
                anthropic_blocks: bool) -> list[AIMessageChunk]:
    """The chunks a chat model gives for these calls, their arguments cut at ``cuts``; with
    ``anthropic_blocks``, as ChatAnthropic does (content blocks beside tool_call_chunks)."""
    out: list[AIMessageChunk] = []
    for index, (id, name, args) in enumerate(calls):
        pieces = [(id, name, "")] + [(None, None, p) for p in chunk_pieces(args, cuts)]
        for pid, pname, piece in pieces:
            content: Any = ""
            if anthropic_blocks:
                block = ({"type": "tool_use", "id": pid, "name": pname, "input": {}}
                         if pid else {"type": "input_json_delta", "partial_json": piece})
                content = [{**block, "index": index}]
            out.append(AIMessageChunk(content=content, tool_call_chunks=[
                {"name": pname, "args": piece, "id": pid, "index": index}]))
    out.append(AIMessageChunk(content="", response_metadata={"finish_reason": "tool_calls"},
                              chunk_position="last"))
    return out


def normalized(events: list[Any]) -> list[Any]:
    """Events with adjacent string deltas of one path joined, as chunk-independence promises."""
    out: list[Any] = []
    for event in events:
        inner = getattr(event, "event", None)
        if isinstance(inner, pj.StringDelta) and out:
            last = getattr(out[-1], "event", None)
            if (isinstance(last, pj.StringDelta) and last.path == inner.path
                    and out[-1].part == event.part):
                joined = pj.StringDelta(inner.path, last.text + inner.text)
                out[-1] = pj.JsonEvent(event.part, joined)
                continue
        if isinstance(event, pj.PartStarted):
            event = pj.PartStarted(event.part, None)
        out.append(event)
    return out


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
weathers = st.builds(GetWeather, city=names, days=st.integers(-5, 14),
                     units=st.sampled_from(["celsius", "fahrenheit"]))
flights = st.builds(Flight, origin=names, destination=names, passengers=st.integers(0, 9))


# (each example builds LangChain messages, pydantic models themselves: a smaller budget)
@settings(max_examples=40)
@given(weathers, flights, st.lists(st.integers(0, 500), max_size=12),
       st.lists(st.integers(0, 500), max_size=12), st.booleans(), st.booleans())
def test_calls_are_independent_of_the_chunking(weather: GetWeather, flight: Flight,
                                               cuts_a: list[int], cuts_b: list[int],
                                               blocks: bool, ascii_only: bool) -> None:
    calls = [("c1", "GetWeather", weather.model_dump_json()),
             ("c2", "Flight", json.dumps(flight.model_dump(), ensure_ascii=ascii_only))]
    one = list(pjl.stream(call_chunks(calls, cuts_a, blocks), tools=TOOLS))
    two = list(pjl.stream(call_chunks(calls, cuts_b, False), tools=TOOLS))
    assert normalized(one) == normalized(two)
    done = [e.value for e in one if isinstance(e, pj.ToolCallComplete)]
    assert done == [GetWeather.model_validate_json(calls[0][2]),
                    Flight.model_validate_json(calls[1][2])]


@settings(max_examples=40)
@given(st.lists(st.text(max_size=8), min_size=1, max_size=5), st.integers(1, 9),
       st.lists(st.integers(0, 300), max_size=10), st.lists(st.integers(0, 300), max_size=10))
def test_output_is_independent_of_the_chunking(steps: list[str], servings: int,
                                               cuts_a: list[int], cuts_b: list[int]) -> None:
    text = json.dumps({"title": steps[0], "servings": servings, "steps": steps})
    finals = []
    for cuts in (cuts_a, cuts_b):
        chunks = [AIMessageChunk(content=p) for p in chunk_pieces(text, cuts)]
        values = [v.model_dump() for v in pjl.PartialOutputParser(Recipe).transform(iter(chunks))]
        # chunks that bring nothing (empty, usage only) yield nothing more
        padded = [c for chunk in chunks for c in (chunk, AIMessageChunk(content=""))]
        padded_values = pjl.PartialOutputParser(Recipe).transform(iter(padded))
        assert [v.model_dump() for v in padded_values] == values
        finals.append(values[-1])
    assert finals[0] == finals[1] == Recipe.model_validate_json(text).model_dump()
