"""partialjson.web: the wire format from the stream's events, its applier, SSE/NDJSON, coalesce.

The oracle of every property is the stream itself: after every batch, the document the
operations build equals ``JsonStream.value`` (plain JSON) or the JSON-mode dump of
``ModelStream.partial`` (a schema); strict mode is checked with the ``jsonpatch`` library.
"""

from __future__ import annotations

import asyncio
import copy
import datetime
import decimal
import enum
import json
import pathlib
import time
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Literal

import jsonpatch
import pytest
import sse_server as wire
from hypothesis import given
from hypothesis import strategies as st
from make_web_fixtures import FOLDER, fixtures
from pydantic import BaseModel, ConfigDict, Field
from support import chunkings, documents

import partialjson as pj
from partialjson import web


# -- helpers ---------------------------------------------------------------------------------
def json_steps(chunks: list[str], trailing_strings: bool = True
               ) -> Iterator[tuple[list[Any], pj.JsonStream[str]]]:
    stream = pj.JsonStream[str](trailing_strings=trailing_strings)
    for chunk in chunks:
        yield stream.feed(chunk), stream
    yield stream.end(), stream


def replay(batches: list[list[dict[str, Any]]]) -> tuple[Any, set[str]]:
    done: set[str] = set()
    document: Any = None
    for batch in batches:
        document = web.apply(document, batch, done)
    return document, done


def wire_replay(batches: list[list[Any]]) -> tuple[Any, set[str]]:
    """The batches as the wire carries them (short forms), in one ``Document``."""
    reader = web.Document()
    for batch in batches:
        reader.apply(batch)
    return reader.value, reader.done


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every value in a JSON document with its path."""
    yield path, value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()
    for key, item in items:
        yield from leaves(item, (*path, key))


def fake_clock(step: float) -> Any:
    """A clock that advances ``step`` seconds each time it is read (a token every ``step``)."""
    now = [0.0]

    def clock() -> float:
        now[0] += step
        return now[0]

    return clock


# -- plain JSON ----------------------------------------------------------------------------
@given(st.data())
def test_after_every_batch_the_document_is_the_streams_value(data: st.DataObject) -> None:
    text = data.draw(documents())
    trailing = data.draw(st.booleans())
    encoder = web.PatchEncoder(trailing_strings=trailing)
    document: Any = None
    shown = False
    for events, stream in json_steps(data.draw(chunkings(text)), trailing):
        ops = encoder.encode(events)
        document = web.apply(document, ops)
        shown = shown or bool(ops)
        if shown:
            assert document == stream.value
            assert json.dumps(document) == json.dumps(stream.value)  # 1 vs 1.0 vs True
    assert document == json.loads(text)


@given(st.data())
def test_final_document_and_done_paths_do_not_depend_on_chunking_or_interval(
        data: st.DataObject) -> None:
    text = data.draw(documents())
    runs = []
    for _ in range(2):
        chunks = data.draw(chunkings(text))
        batches = list(web.json_patch(events for events, _ in json_steps(chunks)))
        step = data.draw(st.sampled_from([0.0, 0.001, 0.02, 1.0]))
        merged = list(web.coalesce(batches, interval=0.05, clock=fake_clock(step)))
        runs.append(replay(batches))
        runs.append(replay(merged))
        assert sum(map(len, merged)) <= sum(map(len, batches))
    document, done = runs[0]
    assert document == json.loads(text)
    assert all(run == (document, done) for run in runs)
    assert "" in done


@given(st.data())
def test_strict_mode_is_rfc6902_that_jsonpatch_applies_the_same(data: st.DataObject) -> None:
    text = data.draw(documents())
    encoder = web.PatchEncoder(strict=True)
    mine: Any = None
    theirs: Any = None
    for events, stream in json_steps(data.draw(chunkings(text))):
        ops = encoder.encode(events)
        assert {op["op"] for op in ops} <= {"add", "replace"}
        if not ops:
            continue
        mine = web.apply(mine, ops)
        if theirs is None:  # jsonpatch applies to a document: the first op makes the root
            assert ops[0]["op"] == "add" and ops[0]["path"] == ""
            theirs, ops = copy.deepcopy(ops[0]["value"]), ops[1:]
        patch = jsonpatch.JsonPatch(copy.deepcopy(ops))  # validates the operations too
        theirs = patch.apply(theirs)
        assert theirs == mine == stream.value
    assert mine == json.loads(text)


def test_pointer_escaping_is_exact() -> None:
    assert web.escape("a/b") == "a~1b"
    assert web.escape("m~n") == "m~0n"
    assert web.escape("~1") == "~01"  # ~ first: "~1" is not a slash
    assert web.escape("/~") == "~1~0"
    assert web.escape("") == ""
    assert web.pointer(["", "a/b", 0, "~"]) == "//a~1b/0/~0"
    for key in ["", "~", "/", "~0", "~1", "a/~b", "//", "~~//"]:
        assert web.tokens(web.pointer([key, key])) == [key, key]
    text = json.dumps({"a/b": 1, "m~n": {"~1": "x"}, "": {"": [True]}, "~/": None})
    batches = list(web.json_patch(events for events, _ in json_steps([text])))
    paths = [op["path"] for op in batches[0] if op["op"] == "add"]
    assert paths == ["", "/a~1b", "/m~0n", "/m~0n/~01", "/", "//", "///0", "/~0~1"]
    assert replay(batches)[0] == json.loads(text)
    for bad in ["a", "/~2", "/~"]:
        with pytest.raises(ValueError):
            web.tokens(bad)


def test_apply_refuses_what_does_not_apply() -> None:
    doc = {"a": [1], "s": "x", "n": 1}
    for op in [{"op": "append", "path": "/n", "value": "x"},
               {"op": "add", "path": "/a/2", "value": 1},
               {"op": "replace", "path": "/missing", "value": 1},
               {"op": "move", "path": "/a"},
               {"op": "add", "path": "/a/01", "value": 1},
               {"op": "add", "path": "/n/x", "value": 1},
               {"op": "add", "path": "/a"}]:
        with pytest.raises(web.PatchError):
            web.apply(copy.deepcopy(doc), [op])
    assert web.apply(copy.deepcopy(doc), [{"op": "append", "path": "/s", "value": "é"},
                                          {"op": "add", "path": "/a/1", "value": {}}]) == {
        "a": [1, {}], "s": "xé", "n": 1}


# -- models --------------------------------------------------------------------------------
class Color(enum.Enum):
    red = "red"
    blue = "blue"


class Item(BaseModel):
    name: str
    when: datetime.datetime
    price: decimal.Decimal
    color: Color
    kind: Literal["tool", "part"]
    count: int | str
    note: str = Field(default="", alias="the note")


class Order(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    title: str
    items: list[Item]
    tags: dict[str, float] = {}
    maybe: str | None = None


_TEXT = st.text(st.sampled_from('ab"\\/\n 東😀~é'), max_size=8)
_ITEMS = st.fixed_dictionaries(
    {"name": _TEXT,
     "when": st.datetimes(min_value=datetime.datetime(2000, 1, 1),
                          max_value=datetime.datetime(2100, 1, 1)).map(lambda d: d.isoformat()),
     "price": st.decimals(min_value=-1000, max_value=1000, places=2).map(str),
     "color": st.sampled_from(["red", "blue"]),
     "kind": st.sampled_from(["tool", "part"]),
     "count": st.one_of(st.integers(-5, 10**6), _TEXT)},
    optional={"the note": _TEXT, "ignored": st.lists(st.integers(), max_size=2)})
ORDERS = st.fixed_dictionaries(
    {"title": _TEXT, "items": st.lists(_ITEMS, max_size=3)},
    optional={"tags": st.dictionaries(_TEXT, st.floats(-1e6, 1e6), max_size=3),
              "maybe": st.one_of(st.none(), _TEXT), "extra": _TEXT})


@given(st.data())
def test_after_every_batch_the_document_is_the_partial_objects_json_dump(
        data: st.DataObject) -> None:
    value = data.draw(ORDERS)
    text = json.dumps(value, ensure_ascii=data.draw(st.booleans()))
    stream = pj.ModelStream(Order)
    encoder = web.PatchEncoder(model=Order)
    document: Any = None
    for chunk in data.draw(chunkings(text)):
        ops = encoder.encode(stream.feed(chunk))
        document = web.apply(document, ops)
        if document is not None:
            # The equality that holds: keys as in the JSON (aliases), fields not seen left
            # out, every value as pydantic's JSON mode dumps it.
            assert document == stream.partial.model_dump(mode="json", by_alias=True,
                                                         exclude_unset=True)
        for op in ops:  # a value validation transforms is never sent as raw deltas
            if op["op"] == "append":
                assert op["path"].rsplit("/", 1)[-1] in ("title", "name", "the note", "count",
                                                         "maybe") or "/tags/" in op["path"]
    document = web.apply(document, encoder.encode(stream.end()))
    final = stream.close()
    assert document == final.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert document == json.loads(Order.model_validate_json(text).model_dump_json(
        by_alias=True, exclude_unset=True))


class Pair(BaseModel):
    a: Item
    z: int


class Query(BaseModel):
    q: str


class Tool(BaseModel):
    kind: Literal["tool"]
    x: int


class Part(BaseModel):
    kind: Literal["part"]
    y: str


class Mixed(BaseModel):
    loose: list[Pair | Query]
    nums: list[int | float]
    anything: Any = None
    lists: dict[str, list[int]] = {}
    tagged: list[Annotated[Tool | Part, Field(discriminator="kind")]] = []


MIXED = json.dumps({
    "loose": [{"a": {"name": "n", "when": "2026-01-02T03:04:05Z", "price": "2",
                     "color": "blue", "kind": "part", "count": "7"}, "z": 3}, {"q": "qq"}],
    "nums": [1, 2.5, 3], "anything": {"k": ["v", 1]}, "lists": {"k/~": [1, 2]},
    "tagged": [{"kind": "tool", "x": 1}, {"kind": "part", "y": "hi"}]})


@given(st.data())
def test_unions_are_sent_when_pydantic_decides_them(data: st.DataObject) -> None:
    # Members pydantic validates only with their parent (an open union: int | float, Pair |
    # Query) complete with no event of their own: they are sent with the parent. The partial
    # object shows a discriminated union's item from its tag on, which no event tells: there
    # the document holds the item only once it completes (null if a later item came first).
    stream = pj.ModelStream(Mixed)
    encoder = web.PatchEncoder(model=Mixed)
    document: Any = None
    done: set[str] = set()
    for chunk in data.draw(chunkings(MIXED)):
        document = web.apply(document, encoder.encode(stream.feed(chunk)), done)
        expected = stream.partial.model_dump(mode="json", by_alias=True, exclude_unset=True)
        tagged = expected.pop("tagged", None)
        assert {k: v for k, v in (document or {}).items() if k != "tagged"} == expected
        if tagged is not None:
            sent = document["tagged"]
            assert all(item is None or item == tagged[i] for i, item in enumerate(sent))
            assert all(stream.is_complete(("tagged", i)) for i, item in enumerate(sent)
                       if item is not None)
    document = web.apply(document, encoder.encode(stream.end()), done)
    assert document == json.loads(Mixed.model_validate_json(MIXED).model_dump_json(
        by_alias=True, exclude_unset=True))
    assert done == MIXED_DONE  # whatever the chunking


def _done_in_one_piece() -> set[str]:
    stream = pj.ModelStream(Mixed)
    return replay(list(web.json_patch([stream.feed(MIXED), stream.end()], model=Mixed)))[1]


MIXED_DONE = _done_in_one_piece()


def test_typed_values_are_added_whole_when_they_complete() -> None:
    text = json.dumps({"title": "t", "items": [
        {"name": "n", "when": "2026-01-02T03:04:05+00:00", "price": "1.50", "color": "red",
         "kind": "tool", "count": 3.0, "ignored": {"deep": ["x"]}}]})
    ops = [op for batch in web.json_patch(
        [pj.ModelStream(Order).feed(text)], model=Order) for op in batch]
    sent = {op["path"]: op for op in ops if op["op"] != "done"}
    assert sent["/items/0/when"] == {"op": "add", "path": "/items/0/when",
                                     "value": "2026-01-02T03:04:05Z"}  # pydantic's form
    assert sent["/items/0/price"]["value"] == "1.50"
    assert sent["/items/0/color"]["value"] == "red"
    assert sent["/items/0/count"]["value"] == 3  # validated: 3.0 is the int 3
    assert not any("ignored" in op["path"] for op in ops)  # pydantic drops the key
    done = [op["path"] for op in ops if op["op"] == "done"]
    assert done[-1] == "" and "/items/0/when" in done and "/items" in done


def test_a_value_validation_changes_is_replaced() -> None:
    # Events of a ModelStream encoded without the model: the raw string is shown as it grows
    # and replaced by pydantic's value when it completes.
    stream = pj.ModelStream(Item)
    text = json.dumps({"name": "n", "when": "2026-01-02T03:04:05+00:00", "price": "1.5",
                       "color": "red", "kind": "tool", "count": 1})
    batches = list(web.json_patch([stream.feed(c) for c in (text[:40], text[40:])]))
    ops = [op for batch in batches for op in batch]
    assert {"op": "replace", "path": "/when", "value": "2026-01-02T03:04:05Z"} in ops
    assert replay(batches)[0]["when"] == "2026-01-02T03:04:05Z"


# -- coalesce ------------------------------------------------------------------------------
def test_coalesce_merges_appends_and_never_holds_a_completion() -> None:
    batches = [[{"op": "add", "path": "", "value": {}}, {"op": "add", "path": "/s", "value": ""}],
               [{"op": "append", "path": "/s", "value": "ab"}],
               [{"op": "append", "path": "/s", "value": "c"}],
               [{"op": "append", "path": "/s", "value": "d"}, {"op": "done", "path": "/s"}],
               [{"op": "add", "path": "/t", "value": "x"}],
               [{"op": "append", "path": "/t", "value": "y"}]]
    original = copy.deepcopy(batches)
    merged = list(web.coalesce(batches, interval=10, clock=fake_clock(1)))
    assert merged == [[{"op": "add", "path": "", "value": {}},
                       {"op": "add", "path": "/s", "value": "abcd"},
                       {"op": "done", "path": "/s"}],
                      [{"op": "add", "path": "/t", "value": "xy"}]]  # flushed at the end
    assert batches == original  # the input's operations are not changed
    # A long interval is cut by the clock: each batch arrives 1 s after the last.
    assert len(list(web.coalesce(batches, interval=0.5, clock=fake_clock(1)))) == len(batches)


def test_coalesce_sends_what_it_gathered_before_an_error() -> None:
    def failing() -> Iterator[list[dict[str, Any]]]:
        yield [{"op": "add", "path": "", "value": "a"}]
        yield [{"op": "append", "path": "", "value": "b"}]
        raise pj.StreamFailed("dropped", None, {}, {})

    out: list[list[dict[str, Any]]] = []
    with pytest.raises(pj.StreamFailed):
        for batch in web.coalesce(failing(), interval=10, clock=fake_clock(0)):
            out.append(batch)
    assert out == [[{"op": "add", "path": "", "value": "ab"}]]

    async def afailing() -> AsyncIterator[list[dict[str, Any]]]:
        for batch in failing():
            yield batch

    async def run() -> list[str]:
        return [piece async for piece in web.asse(web.acoalesce(afailing(), interval=10))]

    pieces = asyncio.run(run())
    assert pieces[0] == 'id:1\ndata:[{"op":"add","path":"","value":"ab"}]\n\n'
    assert pieces[1].startswith('id:2\nevent:error\ndata:{"type":"StreamFailed"')
    assert len(pieces) == 2


def test_async_coalesce_and_sse() -> None:
    async def source() -> AsyncIterator[list[dict[str, Any]]]:
        yield [{"op": "add", "path": "", "value": ""}]
        yield [{"op": "append", "path": "", "value": "é"}]
        yield [{"op": "done", "path": ""}]

    async def run() -> list[str]:
        merged = web.acoalesce(source(), interval=10, clock=fake_clock(0))
        return [piece async for piece in web.asse(merged)]

    assert asyncio.run(run()) == [
        'id:1\ndata:[{"op":"add","path":"","value":"é"},{"op":"done","path":""}]\n\n',
        "id:2\nevent:end\ndata:{}\n\n"]


# -- SSE and NDJSON ------------------------------------------------------------------------
def failing_model_stream() -> Iterator[list[Any]]:
    stream = pj.ModelStream(Order)
    yield stream.feed('{"title": "t", "items": [{"name": "n", ')
    yield stream.feed('"color": "gr')  # no color starts with "g": certain at the g


def test_sse_ends_with_error_or_end() -> None:
    body = "".join(web.sse(web.json_patch(failing_model_stream(), model=Order)))
    events = body.split("\n\n")[:-1]
    assert events[0].startswith("id:1\ndata:[")
    head, data = events[-1].rsplit("\ndata:", 1)
    assert head == f"id:{len(events)}\nevent:error"
    error = json.loads(data)
    assert error["type"] == "SchemaViolation" and error["path"] == "/items/0/color"
    text = '{"title": "t", "items": [{"name": "n", "color": "gr'
    assert error["offset"] == text.index("gr") and "red" in error["message"]

    stream = pj.JsonStream[str]()
    body = "".join(web.sse(web.json_patch([stream.feed('{"a": 1}'), stream.end()])))
    assert body.endswith("id:2\nevent:end\ndata:{}\n\n")


def test_ndjson_lines() -> None:
    lines = list(web.ndjson(web.json_patch(failing_model_stream(), model=Order)))
    parsed = [json.loads(line) for line in lines]
    assert [p["id"] for p in parsed] == list(range(1, len(lines) + 1))
    assert "ops" in parsed[0] and parsed[-1]["error"]["type"] == "SchemaViolation"
    assert all(line.endswith("\n") and "\n" not in line[:-1] for line in lines)

    async def source() -> AsyncIterator[list[dict[str, Any]]]:
        yield [{"op": "add", "path": "", "value": 1}]

    async def run() -> list[str]:
        return [line async for line in web.andjson(source())]

    assert asyncio.run(run()) == ['{"id":1,"ops":[{"op":"add","path":"","value":1}]}\n',
                                  '{"id":2,"end":true}\n']


# -- bridges -------------------------------------------------------------------------------
class Weather(BaseModel):
    city: str
    when: datetime.date


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_bridge_events_through_the_real_client_are_prefixed_by_part(
        server: Any, is_async: bool) -> None:
    import anthropic

    from partialjson import anthropic as bridge

    first = '{"city": "São Paulo/SP ~ \\"x\\"", "when": "2026-12-03"}'
    second = '{"q": ["a", {"b": null}], "n": 1.5}'
    events = wire.message([wire.text("Let me check."),
                           wire.tool_use("get_weather", first, "toolu_01"),
                           wire.tool_use("search", second, "toolu_02")], "tool_use")
    server.reply(wire.sse(events), piece=3)
    tools = {"get_weather": Weather}
    request = {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "?"}]}
    if is_async:
        async def run() -> list[list[dict[str, Any]]]:
            client = anthropic.AsyncAnthropic(api_key="k", base_url=server.url, max_retries=0)
            raw = await client.messages.create(stream=True, **request)
            return [b async for b in web.ajson_patch(bridge.stream(raw, tools=tools),
                                                     tools=tools)]
        batches = asyncio.run(run())
    else:
        client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)
        raw = client.messages.create(stream=True, **request)
        batches = list(web.json_patch(bridge.stream(raw, tools=tools), tools=tools))
    document, done = replay(batches)
    assert document == {"toolu_01": {"city": 'São Paulo/SP ~ "x"', "when": "2026-12-03"},
                        "toolu_02": json.loads(second)}
    assert {"/toolu_01", "/toolu_02", "/toolu_01/when", "/toolu_02/q/1/b"} <= done
    ops = [op for batch in batches for op in batch]
    assert ops[0] == {"op": "add", "path": "", "value": {}}
    assert all(op["path"].startswith(("/toolu_01", "/toolu_02")) for op in ops[1:])
    # the date is typed: added whole, never grown
    assert not any(op["op"] == "append" and op["path"] == "/toolu_01/when" for op in ops)
    assert any(op["op"] == "append" and op["path"] == "/toolu_01/city" for op in ops)


def test_a_restarted_bridge_stream_starts_a_new_document_with_nothing_done() -> None:
    from partialjson import anthropic as bridge

    first = wire.message([wire.tool_use("get_weather", '{"city": "Oslo", "when": "2026-12-03"}',
                                        "toolu_01")], "tool_use")
    # The first attempt drops after the city completed; the retry answers another call.
    attempts = iter([[data for _, data in first][:12],
                     [data for _, data in first]])

    def factory() -> Iterator[Any]:
        events = next(attempts)
        yield from events
        if len(events) < len(first):
            raise ConnectionError("dropped")

    tools = {"get_weather": Weather}
    events = list(bridge.stream(factory, tools=tools,
                                retry=pj.RetryPolicy(attempts=2, backoff=0, jitter=0)))
    restart = next(i for i, e in enumerate(events) if isinstance(e, pj.Restarted))
    before = list(web.json_patch(events[:restart], tools=tools))
    _, done_before = replay(before)
    assert "/toolu_01/city" in done_before  # the dead attempt had completed a field
    batches = list(web.json_patch(events, tools=tools))
    reset = batches.index([{"op": "replace", "path": "", "value": {}}])
    reader = web.Document()
    for batch in batches[: reset + 1]:
        reader.apply(batch)
    assert reader.value == {} and not reader.done  # nothing of the dead attempt survives
    for batch in batches[reset + 1 :]:
        reader.apply(batch)
    assert reader.value == {"toolu_01": {"city": "Oslo", "when": "2026-12-03"}}
    assert {"/toolu_01/city", "/toolu_01/when"} <= reader.done


# -- fixtures for the JavaScript client ----------------------------------------------------
def test_committed_fixtures_are_what_the_encoder_makes_now() -> None:
    made = {f["name"]: f for f in fixtures()}
    committed = {path.stem: json.loads(path.read_text(encoding="utf-8"))
                 for path in pathlib.Path(FOLDER).glob("*.json")
                 if not path.stem.startswith("js-")}  # written by hand for the JS tests
    assert committed.keys() == made.keys(), "regenerate: python tests/make_web_fixtures.py"
    for name, fixture in made.items():
        assert committed[name] == json.loads(json.dumps(fixture)), (
            f"{name}: regenerate with python tests/make_web_fixtures.py")
        document, done = wire_replay(fixture["batches"])
        assert document == fixture["final"] and sorted(done) == fixture["done"]
    # strict-RFC: no "done" operations; only numbers and booleans are known complete
    assert made["strict-rfc6902"]["done"] == sorted(
        web.pointer(path) for path, value in leaves(made["strict-rfc6902"]["final"])
        if type(value) in (int, float, bool))
    assert all(op["op"] in ("add", "replace") for b in made["strict-rfc6902"]["batches"]
               for op in b)


def test_the_python_applier_replays_every_fixture_as_the_js_client_must() -> None:
    # tests/js/fixtures.test.mjs replays the same files: the two appliers agree on all of them.
    paths = sorted(pathlib.Path(FOLDER).glob("*.json"))
    assert any(path.stem.startswith("js-") for path in paths)
    for path in paths:
        fixture = json.loads(path.read_text(encoding="utf-8"))
        document, done = wire_replay(fixture["batches"])
        assert document == fixture["final"], path.name
        assert sorted(done) == sorted(fixture["done"]), path.name


def test_a_fastapi_streaming_response_relays_the_stream() -> None:
    from fastapi import FastAPI
    from fastapi.responses import StreamingResponse
    from fastapi.testclient import TestClient

    text = json.dumps({"title": "Soup 🍲", "items": [
        {"name": "leek", "when": "2026-12-03T12:00:00Z", "price": "3.20", "color": "red",
         "kind": "part", "count": 2}]}, ensure_ascii=False)
    app = FastAPI()

    @app.get("/order")
    async def order() -> StreamingResponse:
        async def steps() -> AsyncIterator[list[Any]]:
            stream = pj.ModelStream(Order)
            for at in range(0, len(text), 5):
                yield stream.feed(text[at : at + 5])
            yield stream.end()

        batches = web.acoalesce(web.ajson_patch(steps(), model=Order))
        return StreamingResponse(web.asse(batches), media_type="text/event-stream")

    with TestClient(app) as client:
        response = client.get("/order")
    assert response.headers["content-type"].startswith("text/event-stream")
    reader = web.Document()
    events = response.text.split("\n\n")[:-1]
    for n, block in enumerate(events, 1):
        fields = dict(line.split(":", 1) for line in block.split("\n"))
        assert fields["id"] == str(n)
        if "event" not in fields:  # a batch: the default "message" event
            reader.apply(json.loads(fields["data"]))
    assert fields["event"] == "end" and fields["data"] == "{}"
    assert reader.value == json.loads(Order.model_validate_json(text).model_dump_json(
        by_alias=True, exclude_unset=True))
    assert reader.is_done("") and reader.is_done("/items/0/name")


def test_a_bridge_error_names_the_path_inside_its_part() -> None:
    from make_web_fixtures import Weather as Call

    from partialjson import anthropic as bridge

    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": {
            "id": "m", "type": "message", "role": "assistant", "model": "c", "content": [],
            "stop_reason": None, "usage": {"input_tokens": 1, "output_tokens": 1}}},
        {"type": "content_block_start", "index": 0, "content_block": {
            "type": "tool_use", "id": "toolu_09", "name": "get_weather", "input": {}}},
        *({"type": "content_block_delta", "index": 0, "delta": {
            "type": "input_json_delta", "partial_json": piece}}
          for piece in ('{"city": "Oslo", ', '"days": [')),  # a list for an int: at the [
    ]
    tools = {"get_weather": Call}
    lines = [json.loads(line) for line in web.ndjson(web.json_patch(
        bridge.stream(events, tools=tools), tools=tools))]
    error = lines[-1]["error"]
    assert error["type"] == "InvalidPart" and error["path"] == "/toolu_09/days"
    assert wire_replay([line["ops"] for line in lines[:-1]])[0] == {"toolu_09": {"city": "Oslo"}}


def test_partialjson_does_not_import_web() -> None:
    import subprocess
    import sys

    code = "import sys, partialjson; print('partialjson.web' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_async_coalesce_sends_when_the_source_is_silent() -> None:
    times: dict[str, float] = {}

    async def source() -> AsyncIterator[list[dict[str, Any]]]:
        yield [{"op": "add", "path": "", "value": "a"}]
        yield [{"op": "append", "path": "", "value": "b"}]
        await asyncio.sleep(0.5)  # the model pauses mid-string
        times["resumed"] = time.monotonic()
        yield [{"op": "append", "path": "", "value": "c"}]

    async def run() -> list[list[dict[str, Any]]]:
        out = []
        async for batch in web.acoalesce(source(), interval=0.05):
            times.setdefault("first", time.monotonic())
            out.append(batch)
        return out

    batches = asyncio.run(run())
    assert batches == [[{"op": "add", "path": "", "value": "ab"}],
                       [{"op": "append", "path": "", "value": "c"}]]
    assert times["first"] < times["resumed"]  # not held until the source spoke again


# -- the wire's short forms ----------------------------------------------------------------
def test_relative_pointers_follow_the_drafts_examples() -> None:
    # draft-bhutton-relative-json-pointer-00, section 5.1: from /foo/1 in this document.
    document = {"foo": ["bar", "baz"], "highly": {"nested": {"objects": True}}}
    base = ["foo", "1"]
    for text, expected in [("0", "baz"), ("1/0", "bar"), ("0-1", None),
                           ("2/highly/nested/objects", True)]:
        if expected is None:  # index manipulation is not part of the wire format
            with pytest.raises(ValueError):
                web.resolve(text, base)
            continue
        keys = web.resolve(text, base)
        value: Any = document
        for key in keys:
            value = value[int(key)] if isinstance(value, list) else value[key]
        assert value == expected
    assert web.relative(["a", "b~/", "c"], ["a", "x"]) == "1/b~0~1/c"
    for bad in ["01", "3", "1x", "-1"]:
        with pytest.raises(ValueError):
            web.resolve(bad, ["a", "b"])


@given(st.data())
def test_the_short_forms_build_the_same_document_in_fewer_bytes(data: st.DataObject) -> None:
    text = data.draw(documents())
    batches = list(web.json_patch(events for events, _ in json_steps(data.draw(chunkings(text)))))
    batches = list(web.coalesce(batches, interval=0.05,
                                clock=fake_clock(data.draw(st.sampled_from([0.0, 0.02, 1.0])))))
    reader = web.Document()
    canonical: Any = None
    for batch, short in zip(batches, web.compact(batches), strict=True):
        canonical = web.apply(canonical, batch)
        assert reader.apply(short) == canonical
        assert len(json.dumps(short)) <= len(json.dumps(batch))
        assert all(isinstance(op, str) or op["op"] != "append" or op["path"].startswith("/")
                   for op in short)  # an append is a bare string unless another path was between
    assert reader.value == json.loads(text)
    assert reader.done == replay(batches)[1]


def test_numbers_and_booleans_are_complete_when_they_arrive() -> None:
    stream = pj.JsonStream[str]()
    ops = [op for batch in web.json_patch([stream.feed('{"n": 1.5, "b": true, "z": null, '
                                                       '"s": "x", "l": [2]}'), stream.end()])
           for op in batch]
    assert [op["path"] for op in ops if op["op"] == "done"] == ["/z", "/s", "/l", ""]
    done = replay([ops])[1]
    assert done == {"/n", "/b", "/z", "/s", "/l/0", "/l", ""}
    # ... so coalesce sends one at once, as it does a done
    batches = [[{"op": "add", "path": "", "value": {}}], [{"op": "add", "path": "/n", "value": 2}],
               [{"op": "add", "path": "/s", "value": "a"}]]
    assert list(web.coalesce(batches, interval=10, clock=fake_clock(0))) == [
        batches[0] + batches[1], batches[2]]


def test_a_strict_stream_framed_with_compact_false_is_rfc6902_on_the_wire() -> None:
    text = json.dumps({"a/b": ["x", {"~": "long text"}], "n": [1.5, None, True]})
    stream = pj.JsonStream[str]()
    steps = [stream.feed(text[at : at + 3]) for at in range(0, len(text), 3)] + [stream.end()]
    body = "".join(web.sse(web.json_patch(steps, strict=True), compact=False))
    document: Any = None
    for block in body.split("\n\n")[:-2]:  # the batches, then the end event
        ops = json.loads(block.split("\ndata:", 1)[1])
        if document is None:
            document, ops = ops[0]["value"], ops[1:]
        document = jsonpatch.JsonPatch(ops).apply(document)
    assert document == json.loads(text)
