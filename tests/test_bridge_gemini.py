"""The Gemini bridge, driven through the real google-genai client (sync and async) against a
local server that streams ``alt=sse`` bodies authored here, in a few bytes at a time.

Expectations come from ``json.dumps``/``json.loads`` of the authored values and from pydantic
(``Model.model_validate_json`` of the assembled text); never from the bridge's own output.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any, Literal

import pydantic
import pytest
import sse_server as wire
from google import genai
from google.genai import errors, types
from hypothesis import given
from hypothesis import strategies as st
from sse_server import Outcome, ReplayServer

import partialjson as pj
from partialjson import gemini as bridge
from partialjson.gemini import GeminiPart

MODEL = "gemini-2.5-flash"
WEATHER = {"city": "São Paulo", "units": "celsius", "days": 3,
           "notes": "chuva à tarde 🌧️ — 東京 \"too\"",
           "hours": [{"h": 0, "t": 21.5}, {"h": 1, "t": 20}]}
WEATHER_TEXT = json.dumps(WEATHER, ensure_ascii=False)
FLIGHTS = {"origin": "GRU", "destination": "LIS", "date": "2025-07-14", "passengers": 2}


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
TEXT = GeminiPart(0, "text")


def client(server: ReplayServer) -> genai.Client:
    return genai.Client(api_key="dummy", http_options=types.HttpOptions(base_url=server.url))


def read(server: ReplayServer, body: str, is_async: bool = False, piece: int = 5,
         delay: float = 0.0, drop_at: int | None = None, until: Any = None,
         config: Any = None, awaited: bool = True, **options: Any) -> Outcome:
    """Queue the stream, request it through the real client (``config``: the request's
    GenerateContentConfig), read it through the bridge; async: the awaited stream, or (not
    ``awaited``) the coroutine that gives it."""
    server.reply(body, piece=piece, delay=delay, drop_at=drop_at)
    api = client(server)  # (kept: a client closes its connections when collected)
    request: dict[str, Any] = {"model": MODEL, "contents": "Weather, please", "config": config}
    if not is_async:
        return Outcome().drain(bridge.stream(api.models.generate_content_stream(**request),
                                             **options), until)

    async def run() -> Outcome:
        source: Any = api.aio.models.generate_content_stream(**request)
        if awaited:
            source = await source
        outcome = await Outcome().adrain(bridge.stream(source, **options), until)
        server.last()  # the reply ended while the loop still ran: the close seen is the bridge's
        return outcome

    return asyncio.run(run())


def call_part(index: int, name: str, id: str | None = None) -> GeminiPart:
    return GeminiPart(0, "function_call", index, name, id)


ASYNC = [(False, True), (True, True), (True, False)]
ASYNC_IDS = ["sync", "async", "async-coroutine"]


# -- structured output ---------------------------------------------------------------------------
@pytest.mark.parametrize(("is_async", "awaited"), ASYNC, ids=ASYNC_IDS)
def test_json_output_in_small_pieces_is_validated_as_it_streams(
    server: ReplayServer, is_async: bool, awaited: bool
) -> None:
    config = types.GenerateContentConfig(response_mime_type="application/json",
                                         response_schema=Weather)
    outcome = read(server, wire.gemini(wire.gemini_text(WEATHER_TEXT, 3)), is_async,
                   piece=3, config=config, awaited=awaited, output=Weather)

    assert outcome.error is None
    assert outcome.of(pj.OutputComplete) == [
        pj.OutputComplete(Weather.model_validate_json(WEATHER_TEXT), TEXT)]
    assert outcome.strings(TEXT)[("notes",)] == WEATHER["notes"]
    completed = [e.event.path for e in outcome.of(pj.JsonEvent)
                 if isinstance(e.event, pj.ValueCompleted)]
    assert completed.index(("city",)) < completed.index(("days",)) < completed.index(())
    last = outcome.of(pj.ProviderEvent)[-1].data
    assert last.candidates[0].finish_reason == types.FinishReason.STOP
    request = server.last().request
    assert request["generationConfig"]["responseMimeType"] == "application/json"
    assert "responseSchema" in request["generationConfig"]


def test_each_output_field_completes_validated_before_the_stream_ends(
    server: ReplayServer,
) -> None:
    cut = WEATHER_TEXT.index('"notes"')
    outcome = read(server, wire.gemini(wire.gemini_text(WEATHER_TEXT[:cut], 7, finish=None)),
                   output=Weather)
    assert isinstance(outcome.error, pj.IncompleteStream)
    completed = [(e.event.path, e.event.value) for e in outcome.of(pj.JsonEvent)
                 if isinstance(e.event, pj.ValueCompleted)]
    assert completed == [(("city",), "São Paulo"), (("units",), "celsius"), (("days",), 3)]


@pytest.mark.parametrize("finish", ["MAX_TOKENS", "SAFETY"])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_stop_other_than_stop_leaves_the_output_incomplete_never_valid(
    server: ReplayServer, finish: str, is_async: bool
) -> None:
    cut = WEATHER_TEXT.index('"notes"')
    chunks = wire.gemini_text(WEATHER_TEXT[:cut], 5, finish=finish)
    outcome = read(server, wire.gemini(chunks), is_async, output=Weather)

    error = outcome.error
    assert isinstance(error, pj.IncompleteStream)
    assert error.stop_reason == finish and error.incomplete == [TEXT]
    assert error.texts == {TEXT: WEATHER_TEXT[:cut]}
    partial = error.values[TEXT]
    assert (partial.city, partial.units, partial.days, partial.notes) == (
        "São Paulo", "celsius", 3, None)
    assert not outcome.of(pj.OutputComplete)


def test_a_safety_stop_after_whole_text_is_still_incomplete(server: ReplayServer) -> None:
    # The JSON is whole, but only STOP says the answer is: the stop reason is the caller's to see.
    outcome = read(server, wire.gemini(wire.gemini_text('{"a": 1}', finish="SAFETY")))
    error = outcome.error
    assert isinstance(error, pj.IncompleteStream) and error.stop_reason == "SAFETY"
    assert error.incomplete == [] and "SAFETY" in str(error)
    assert outcome.of(pj.PartCompleted) == [pj.PartCompleted(TEXT, '{"a": 1}')]


def test_a_blocked_prompt_is_incomplete_with_its_block_reason(server: ReplayServer) -> None:
    blocked = wire.gemini_chunk(promptFeedback={"blockReason": "PROHIBITED_CONTENT"})
    outcome = read(server, wire.gemini([blocked]), output=Weather)
    error = outcome.error
    assert isinstance(error, pj.IncompleteStream)
    assert error.stop_reason == "PROHIBITED_CONTENT" and error.values == {}


def test_a_stream_without_finish_reason_is_cut_short(server: ReplayServer) -> None:
    outcome = read(server, wire.gemini(wire.gemini_text(WEATHER_TEXT, finish=None)),
                   output=Weather)
    error = outcome.error
    assert isinstance(error, pj.IncompleteStream) and "cut short" in str(error)
    assert outcome.of(pj.OutputComplete)  # the JSON was whole: it completed when it was
    assert error.incomplete == [TEXT]


def test_thought_summary_then_text(server: ReplayServer) -> None:
    chunks = [*wire.gemini_text("Checking the forecast…", 6, None, thought=True),
              *wire.gemini_text("Rain — 東京 too.", 5)]
    outcome = read(server, wire.gemini(chunks))
    assert outcome.error is None
    thought = GeminiPart(0, "thought")
    assert outcome.of(pj.PartCompleted) == [pj.PartCompleted(thought, "Checking the forecast…"),
                                            pj.PartCompleted(TEXT, "Rain — 東京 too.")]
    ended = outcome.events.index(outcome.of(pj.PartCompleted)[0])
    first_text = next(e for e in outcome.of(pj.TextDelta) if e.part == TEXT)
    assert ended < outcome.events.index(first_text)  # the thought ends when the answer begins


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_an_error_mid_stream_fails_with_everything_received(
    server: ReplayServer, is_async: bool
) -> None:
    chunks = wire.gemini_text(WEATHER_TEXT, 6, finish=None)[:10]
    failure = {"error": {"code": 503, "message": "The model is overloaded.",
                         "status": "UNAVAILABLE"}}
    outcome = read(server, wire.gemini([*chunks, failure]), is_async, output=Weather)

    error = outcome.error
    assert isinstance(error, pj.StreamFailed)
    assert isinstance(error.__cause__, errors.ServerError) and error.__cause__.code == 503
    assert error.texts == {TEXT: WEATHER_TEXT[:60]}
    assert error.values[TEXT].city == "São Paulo"


def test_a_dropped_connection_fails_with_everything_received(server: ReplayServer) -> None:
    chunks = wire.gemini_text(WEATHER_TEXT, 6)
    drop_at = len(wire.gemini(chunks[:4]).encode()) + 3
    outcome = read(server, wire.gemini(chunks), drop_at=drop_at, output=Weather)
    assert isinstance(outcome.error, pj.StreamFailed)
    assert server.last().outcome == "dropped"
    assert outcome.error.texts == {TEXT: WEATHER_TEXT[:24]}


@pytest.mark.parametrize(("is_async", "awaited"), ASYNC, ids=ASYNC_IDS)
def test_a_schema_violation_closes_the_response_at_once(
    server: ReplayServer, is_async: bool, awaited: bool
) -> None:
    bad = WEATHER_TEXT.replace('"days": 3', '"days": "three"') + " " * 4000
    outcome = read(server, wire.gemini(wire.gemini_text(bad, 8)), is_async, awaited=awaited,
                   **wire.PACED, output=Weather)

    error = outcome.error
    assert isinstance(error, pj.InvalidPart) and isinstance(error.error, pj.SchemaViolation)
    assert error.part == TEXT and error.path == ("days",)
    assert error.offset == bad.index('"three"') + 1
    served = server.last()
    assert served.outcome == "client closed" and served.sent < served.total // 4


# -- the REST API's body, read past the SDK ---------------------------------------------------
REST = f"/v1beta/models/{MODEL}:streamGenerateContent?alt=sse"
REQUEST = {"contents": [{"role": "user", "parts": [{"text": "Weather, please"}]}]}


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_an_httpx_response_of_the_rest_api_is_read_as_the_sdk_stream_is(
    server: ReplayServer, is_async: bool
) -> None:
    import httpx

    body = wire.gemini(wire.gemini_text(WEATHER_TEXT, 3))
    by_sdk = read(server, body, piece=3, output=Weather)
    server.reply(body, piece=3)
    if is_async:
        async def run() -> Outcome:
            async with httpx.AsyncClient() as http, http.stream(
                    "POST", server.url + REST, json=REQUEST) as response:
                return await Outcome().adrain(bridge.stream(response, output=Weather), None)
        by_body = asyncio.run(run())
    else:
        with httpx.Client() as http, http.stream("POST", server.url + REST,
                                                 json=REQUEST) as response:
            by_body = Outcome().drain(bridge.stream(response, output=Weather), None)
    assert by_body.error is None and by_sdk.error is None
    assert by_body.of(pj.OutputComplete) == by_sdk.of(pj.OutputComplete) == [
        pj.OutputComplete(Weather.model_validate_json(WEATHER_TEXT), TEXT)]
    assert by_body.of(pj.JsonEvent) == by_sdk.of(pj.JsonEvent)
    assert server.last().request == REQUEST


def test_an_early_stop_on_the_rest_body_hangs_up(server: ReplayServer) -> None:
    import httpx

    bad = WEATHER_TEXT.replace('"days": 3', '"days": "three"') + " " * 4000
    server.reply(wire.gemini(wire.gemini_text(bad, 8)), **wire.PACED)
    with httpx.Client() as http, http.stream("POST", server.url + REST,
                                             json=REQUEST) as response:
        outcome = Outcome().drain(bridge.stream(response, output=Weather), None)
    assert isinstance(outcome.error, pj.InvalidPart) and outcome.error.path == ("days",)
    served = server.last()
    assert served.outcome == "client closed" and served.sent < served.total // 4


def test_an_http_error_of_the_rest_api_fails_the_stream(server: ReplayServer) -> None:
    import httpx

    server.reply('{"error": {"code": 429, "message": "quota"}}', status=429)
    with httpx.Client() as http, http.stream("POST", server.url + REST,
                                             json=REQUEST) as response:
        outcome = Outcome().drain(bridge.stream(response, output=Weather), None)
    assert isinstance(outcome.error, pj.StreamFailed) and "HTTP 429" in str(outcome.error)


def test_two_candidates_interleaved_are_two_outputs(server: ReplayServer) -> None:
    other = json.dumps({**WEATHER, "city": "Lisboa", "days": 2}, ensure_ascii=False)
    first, second = wire.gemini_text(WEATHER_TEXT, 9), wire.gemini_text(other, 5)
    for chunk in second:
        chunk["candidates"][0]["index"] = 1
    chunks = [c for pair in zip(first, second, strict=False) for c in pair]
    chunks += second[len(first):] + first[len(second):]
    outcome = read(server, wire.gemini(chunks), output=Weather)
    assert outcome.error is None
    assert {c.part: c.value for c in outcome.of(pj.OutputComplete)} == {
        TEXT: Weather.model_validate_json(WEATHER_TEXT),
        GeminiPart(1, "text"): Weather.model_validate_json(other)}


# -- function calls ------------------------------------------------------------------------------
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_whole_function_calls_complete_as_their_models(
    server: ReplayServer, is_async: bool
) -> None:
    calls = [wire.gemini_call("get_weather", WEATHER, "fc_1"),
             wire.gemini_call("search_flights", FLIGHTS)]
    chunks = [wire.gemini_chunk([{"text": "Let me check."}]),
              wire.gemini_chunk(calls, "STOP")]
    outcome = read(server, wire.gemini(chunks), is_async, tools=TYPED)

    assert outcome.error is None
    assert outcome.of(pj.ToolCallComplete) == [
        pj.ToolCallComplete("fc_1", "get_weather", Weather(**WEATHER),  # type: ignore[arg-type]
                            call_part(0, "get_weather", "fc_1")),
        pj.ToolCallComplete("", "search_flights", Flights(**FLIGHTS),  # type: ignore[arg-type]
                            call_part(1, "search_flights")),
    ]
    assert outcome.strings(call_part(0, "get_weather", "fc_1"))[("notes",)] == WEATHER["notes"]
    assert outcome.of(pj.PartCompleted) == [pj.PartCompleted(TEXT, "Let me check.")]


def test_a_call_without_args_completes_with_an_empty_object(server: ReplayServer) -> None:
    outcome = read(server, wire.gemini([wire.gemini_chunk([wire.gemini_call("now", None)],
                                                          "STOP")]))
    assert outcome.error is None
    assert [(c.name, c.value) for c in outcome.of(pj.ToolCallComplete)] == [("now", {})]


NESTED = {"trip": {"from": "GRU", "legs": [{"to": "LIS", "seats": [1, 2]}, {"to": "OPO",
          "seats": []}]}, "odd key's": "ünïcode \\ \" 🌧️", "ok": True, "none": None, "n": -1.5e-3}


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_streamed_partial_args_give_the_same_events_as_text(
    server: ReplayServer, is_async: bool
) -> None:
    value = {k: v for k, v in NESTED.items()}
    value["trip"] = {"from": "GRU", "legs": [{"to": "LIS", "seats": [1, 2]}]}  # (no [] leaves)
    pieces = wire.partial_args(value, 3)
    config = types.GenerateContentConfig(tool_config=types.ToolConfig(
        function_calling_config=types.FunctionCallingConfig(mode=types.FunctionCallingConfigMode.AUTO)))
    streamed = read(server, wire.gemini(wire.gemini_streamed_call("plan", pieces, 2)),
                    is_async, config=config)
    whole = read(server, wire.gemini(wire.gemini_text(json.dumps(value), 5)), output=dict)
    streamed_typed = read(server, wire.gemini(wire.gemini_streamed_call("plan", pieces, 2)),
                          tools={"plan": dict})

    assert streamed.error is None and whole.error is None
    call = call_part(0, "plan")
    assert [c.value for c in streamed.of(pj.ToolCallComplete)] == [value]
    assert normalized(streamed_typed, call) == normalized(whole, TEXT)
    assert normalized(streamed, call) == normalized(whole, TEXT)


def normalized(outcome: Outcome, part: GeminiPart) -> list[tuple[Any, ...]]:
    """A part's JSON events, adjacent string deltas of one path merged."""
    out: list[tuple[Any, ...]] = []
    for event in outcome.of(pj.JsonEvent):
        if event.part != part:
            continue
        inner = event.event
        if isinstance(inner, pj.StringDelta):
            if out and out[-1][0] == "delta" and out[-1][1] == tuple(inner.path):
                out[-1] = ("delta", out[-1][1], out[-1][2] + inner.text)
                continue
            out.append(("delta", tuple(inner.path), inner.text))
        elif isinstance(inner, pj.ValueStarted):
            out.append(("start", tuple(inner.path), inner.kind))
        elif isinstance(inner, pj.ValueCompleted):
            out.append(("done", tuple(inner.path), repr(inner.value)))
        else:
            out.append((type(inner).__name__,))
    return out


def test_a_streamed_value_completes_with_the_piece_that_finishes_it() -> None:
    pieces = wire.partial_args({"city": "São Paulo", "days": 3, "hours": [{"h": 0, "t": 21.5}]},
                               4)
    chunks = wire.gemini_streamed_call("get_weather", pieces, 1)  # chunk n + 1 has piece n
    yielded = 0

    def source() -> Any:  # the SDK's own objects, one at a time
        nonlocal yielded
        for chunk in chunks:
            yielded += 1
            yield types.GenerateContentResponse.model_validate(chunk)

    completed = {}
    for event in bridge.stream(source()):
        if isinstance(event, pj.JsonEvent) and isinstance(event.event, pj.ValueCompleted):
            completed[tuple(event.event.path)] = yielded - 1
    paths = [piece["jsonPath"] for piece in pieces]
    assert completed[("city",)] == 1 + max(n for n, p in enumerate(paths) if p == "$.city")
    assert completed[("days",)] == 1 + paths.index("$.days")
    assert completed[("hours", 0, "h")] == 1 + paths.index("$.hours[0].h")
    assert completed[("hours", 0, "t")] == 1 + paths.index("$.hours[0].t")
    assert completed[("hours", 0)] == completed[()] == len(chunks) - 1  # the closing piece


def test_partial_args_validate_and_early_stop_as_text_does(server: ReplayServer) -> None:
    value = {**WEATHER, "days": "three", "notes": "x" * 4000}
    body = wire.gemini(wire.gemini_streamed_call("get_weather", wire.partial_args(value, 8)))
    outcome = read(server, body, **wire.PACED, tools=TYPED)

    error = outcome.error
    call = call_part(0, "get_weather")
    assert isinstance(error, pj.InvalidPart) and isinstance(error.error, pj.SchemaViolation)
    assert error.part == call and error.path == ("days",)
    assert error.values[call].city == "São Paulo"  # a validated partial Weather
    served = server.last()
    assert served.outcome == "client closed" and served.sent < served.total // 4


def test_a_streamed_call_cut_by_max_tokens_is_incomplete(server: ReplayServer) -> None:
    pieces = wire.partial_args(WEATHER, 5)
    chunks = wire.gemini_streamed_call("get_weather", pieces[:3], finish=None)[:-1]
    chunks.append(wire.gemini_chunk([], "MAX_TOKENS"))
    outcome = read(server, wire.gemini(chunks), tools=TYPED)
    error = outcome.error
    call = call_part(0, "get_weather")
    assert isinstance(error, pj.IncompleteStream)
    assert error.stop_reason == "MAX_TOKENS" and error.incomplete == [call]
    assert json.loads(error.texts[call] + '"}') == {"city": "São Paulo", "units": "celsi"}
    assert error.values[call].city == "São Paulo" and error.values[call].days is None


@pytest.mark.parametrize(("paths", "message"), [
    (["$.a.x", "$.b", "$.a.y"], "not a new member"),
    (["$.list[0]", "$.list[2]"], "expected index 1"),
    (["$.a", "$.a.b"], "not a new member"),
    (["a.b"], "does not start with '$'"),
])
def test_partial_args_that_go_back_fail_the_stream(
    server: ReplayServer, paths: list[str], message: str
) -> None:
    pieces = [{"jsonPath": path, "numberValue": 1} for path in paths]
    outcome = read(server, wire.gemini(wire.gemini_streamed_call("f", pieces)))
    assert isinstance(outcome.error, pj.StreamFailed)
    assert message in str(outcome.error)


def calls_to_read(chunks: list[dict[str, Any]]) -> int:
    """Python and C function calls made while the bridge reads ``chunks`` (work, not time)."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        events = list(bridge.stream(iter(chunks)))
    finally:
        sys.setprofile(None)
    assert isinstance(events[-2], pj.ToolCallComplete)
    return count


@pytest.mark.parametrize("shape", ["records", "one long string"])
def test_partial_args_cost_linear_work(shape: str) -> None:
    # 8x the arguments in the same pieces: ~8x the calls (re-writing what came before: ~64x).
    def arguments(n: int) -> dict[str, Any]:
        if shape == "records":
            item = {"id": 7, "title": "Zürich 東京", "tags": ["x", "y"], "meta": {"ok": True}}
            return {"items": [item] * n}
        return {"text": "a \"quoted\" line of prose 😀 " * n}

    small, large = (calls_to_read(wire.gemini_streamed_call("f", wire.partial_args(
        arguments(n), 4))) for n in (20, 160))
    assert 6 * small < large < 10 * small


# -- chunk-boundary independence -----------------------------------------------------------------
JSON_LEAF = st.one_of(
    st.text(max_size=12), st.booleans(), st.none(),
    st.integers(-(2**40), 2**40),
    # (a double that holds an integer is sent as one: the API cannot tell 2.0 from 2)
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(st.lists(inner, min_size=1, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, min_size=1, max_size=3)),
    max_leaves=12,
)
DOCUMENT = st.dictionaries(st.text(max_size=6), JSON_VALUE, min_size=1, max_size=4)


class Anything(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")


@given(DOCUMENT, st.data())
def test_events_and_values_do_not_depend_on_the_split(document: dict[str, Any],
                                                      data: st.DataObject) -> None:
    text = json.dumps(document, ensure_ascii=False)
    sizes = data.draw(st.lists(st.integers(1, 9), min_size=1, max_size=6))

    def cut(string: str) -> list[str]:
        pieces, at, n = [], 0, 0
        while at < len(string):
            pieces.append(string[at : at + sizes[n % len(sizes)]])
            at += sizes[n % len(sizes)]
            n += 1
        return pieces

    per_chunk = data.draw(st.integers(1, 4))
    as_text = wire.gemini_text(text, data.draw(st.integers(1, 11)))
    as_args = wire.gemini_streamed_call("f", wire.partial_args(document, cut), per_chunk)
    as_sdk = data.draw(st.booleans())  # the SDK's objects, or the API's JSON
    if as_sdk:
        as_args = [types.GenerateContentResponse.model_validate(c) for c in as_args]
    text_outcome = Outcome().drain(bridge.stream(iter(as_text), output=Anything))
    args_outcome = Outcome().drain(bridge.stream(iter(as_args), tools={"f": Anything}))

    assert text_outcome.error is None and args_outcome.error is None
    expected = Anything.model_validate_json(text)
    assert text_outcome.of(pj.OutputComplete)[0].value == expected
    [call] = args_outcome.of(pj.ToolCallComplete)
    assert call.value == expected and call.value.model_dump() == expected.model_dump()
    assert normalized(args_outcome, call_part(0, "f")) == normalized(text_outcome, TEXT)


# -- the example ---------------------------------------------------------------------------------
@pytest.mark.parametrize("flags", [[], ["--async"]], ids=["sync", "async"])
def test_the_example_shows_each_field_then_the_itinerary(flags: list[str]) -> None:
    from test_bridge_examples import ROOT, run_example

    text = ""  # the recording's output, read without partialjson
    for line in (ROOT / "examples" / "data" / "gemini_itinerary.sse").read_text().splitlines():
        if line.startswith("data: "):
            text += json.loads(line[6:])["candidates"][0]["content"]["parts"][0]["text"]
    expected = json.loads(text)
    done = run_example("gemini_output.py", *flags)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"✓ title = {expected['title']!r}"
    stops = [line for line in lines if line.startswith("✓ stop ")]
    assert [line.split(": ")[1].split(",")[0] for line in stops] == [
        stop["city"] for stop in expected["stops"]]
    assert lines.index(stops[-1]) < lines.index(f"✓ budget_eur = {expected['budget_eur']!r}")
    assert lines[-1] == (f"{expected['title']}: {len(expected['stops'])} stops, "
                         f"{sum(s['nights'] for s in expected['stops'])} nights, "
                         f"{expected['budget_eur']} EUR")
