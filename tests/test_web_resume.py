"""Resume with Last-Event-ID: ``web.Relay`` over the in-memory store and over a real Redis.

The oracle: the stream's own final document (pydantic's dump of the validated JSON) and the
events a client that never dropped would get; a client that drops and comes back, on the same
relay or on another replica sharing the store, gets each event exactly once.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

import partialjson as pj
from partialjson import web


class Step(BaseModel):
    title: str
    minutes: int


class Plan(BaseModel):
    name: str
    steps: list[Step]


TEXT = json.dumps({"name": "Shakshuka for two 🍳", "steps": [
    {"title": f"step {i}: stir the sauce ~/ \"slowly\"", "minutes": i} for i in range(12)]},
    ensure_ascii=False)
FINAL = json.loads(Plan.model_validate_json(TEXT).model_dump_json())


def batches() -> Iterator[list[dict[str, Any]]]:
    stream = pj.ModelStream(Plan)
    steps = [stream.feed(TEXT[at : at + 5]) for at in range(0, len(TEXT), 5)] + [stream.end()]
    return web.json_patch(steps, model=Plan)


async def abatches() -> AsyncIterator[list[dict[str, Any]]]:
    for batch in batches():
        await asyncio.sleep(0)
        yield batch


def never() -> Any:
    raise AssertionError("a resumed request must not start the stream again")


def parse(texts: list[str]) -> list[dict[str, str]]:
    """SSE events (comments and the retry field left out) as dicts of their fields."""
    events = []
    for block in "".join(texts).split("\n\n"):
        fields = dict(line.split(":", 1) for line in block.split("\n")
                      if line and not line.startswith(":"))
        if "data" in fields:
            events.append(fields)
    return events


def document(events: list[dict[str, str]]) -> Any:
    reader = web.Document()
    for event in events:
        if "event" not in event:
            reader.apply(json.loads(event["data"]))
    return reader.value


def take(stream: Iterator[str], count: int) -> list[str]:
    """The first ``count`` events of a response, then the client goes away."""
    out: list[str] = []
    while len(parse(out)) < count:
        out.append(next(stream))
    stream.close()  # type: ignore[attr-defined]
    return out


async def atake(stream: AsyncIterator[str], count: int) -> list[str]:
    out: list[str] = []
    while len(parse(out)) < count:
        out.append(await stream.__anext__())
    await stream.aclose()  # type: ignore[attr-defined]
    return out


def check_resumed(first: list[str], rest: list[str], whole: list[str]) -> None:
    before, after = parse(first), parse(rest)
    ids = [int(event["id"]) for event in before + after]
    assert ids == list(range(1, len(ids) + 1))  # each event once, none missing
    assert before + after == parse(whole)  # what a client that never dropped got
    assert after[-1]["event"] == "end"
    assert document(before + after) == FINAL


# -- in memory -------------------------------------------------------------------------------
def test_a_client_that_reconnects_gets_only_what_it_missed() -> None:
    relay = web.Relay()
    whole = list(relay.sse("plan-1", batches))
    assert document(parse(whole)) == FINAL
    first = take(relay.sse("plan-2", batches), 3)
    rest = list(relay.sse("plan-2", never, last_event_id=parse(first)[-1]["id"]))
    check_resumed(first, rest, whole)
    # a page that loads again (no Last-Event-ID) gets the stream from its start, not a rerun
    assert parse(list(relay.sse("plan-2", never))) == parse(whole)


def test_async_resume_and_the_stream_outlives_its_first_client() -> None:
    async def run() -> None:
        relay = web.Relay(retry=250)
        whole = [text async for text in relay.asse("a-1", abatches)]
        assert whole[0] == "retry:250\n\n"
        first = await atake(relay.asse("a-2", abatches), 2)
        await asyncio.sleep(0.05)  # the client is gone; the stream runs on
        rest = [text async for text in relay.asse("a-2", never, parse(first)[-1]["id"])]
        check_resumed(first, rest, whole)

    asyncio.run(run())


def test_memory_is_bounded() -> None:
    store = web.MemoryStore(max_events=4, max_streams=2)
    relay = web.Relay(store)
    whole = parse(list(web.Relay().sse("reference", batches)))
    assert len(whole) > 8
    relay.run("s", batches())  # the stream, run to its end before anyone reads
    # the first events are no longer kept: resuming there is an error, not a silent hole
    gap = parse(list(relay.sse("s", never, last_event_id="1")))
    assert len(gap) == 1 and json.loads(gap[0]["data"])["type"] == "ResumeGap"
    recent = parse(list(relay.sse("s", never, last_event_id=str(len(whole) - 2))))
    assert recent == whole[-2:]
    for name in ("t", "u"):  # two more streams: "s", the oldest, is forgotten
        assert store.claim(name)
        relay.run(name, batches())
    assert store.claim("s") and not store.claim("u")


def test_a_library_error_ends_the_stored_stream_for_every_reader() -> None:
    def failing() -> Iterator[list[dict[str, Any]]]:
        stream = pj.ModelStream(Plan)
        steps = (stream.feed(chunk) for chunk in ['{"name": "x", "steps": [{"title": "t", ',
                                                  '"minutes": "no'])
        return web.json_patch(steps, model=Plan)

    relay = web.Relay()
    events = parse(list(relay.sse("bad", failing)))
    assert events[-1]["event"] == "error"
    assert json.loads(events[-1]["data"])["path"] == "/steps/0/minutes"
    assert parse(list(relay.sse("bad", never, last_event_id="1"))) == events[1:]


def test_a_source_that_fails_ends_the_stream_for_its_readers() -> None:
    def broken() -> Iterator[list[dict[str, Any]]]:
        raise OSError("the model's API is down")

    relay = web.Relay(idle=5)
    events = parse(list(relay.sse("broken", broken)))
    error = json.loads(events[-1]["data"])
    assert events[-1]["event"] == "error" and error["type"] == "RelayError"
    assert error["message"] == "OSError"  # the type only: the message may hold secrets
    assert parse(list(relay.sse("broken", never))) == events  # later readers too

    async def run() -> list[dict[str, str]]:
        async def abroken() -> AsyncIterator[list[dict[str, Any]]]:
            raise OSError("down")
            yield []

        return parse([text async for text in web.Relay(idle=5).asse("b", abroken)])

    assert json.loads(asyncio.run(run())[-1]["data"])["type"] == "RelayError"


def test_a_silent_stream_gets_keep_alives_then_is_lost() -> None:
    relay = web.Relay(wait=0.02, idle=0.1)
    texts = list(relay.sse("nobody-runs-this", never, last_event_id="3"))
    assert texts.count(":\n\n") >= 3
    assert json.loads(parse(texts)[-1]["data"])["type"] == "StreamLost"


def test_last_event_id_through_fastapi() -> None:
    relay = web.Relay()
    app = FastAPI()

    @app.get("/plan/{run}")
    async def plan(run: str, request: Request) -> StreamingResponse:
        events = relay.asse(run, abatches, request.headers.get("last-event-id"))
        return StreamingResponse(events, media_type="text/event-stream")

    with TestClient(app) as client:
        response = client.get("/plan/one")
        assert response.status_code == 200, response.text
        whole = parse([response.text])
        rest = parse([client.get("/plan/one", headers={"Last-Event-ID": "4"}).text])
    assert rest == whole[4:]
    assert document(whole) == FINAL


# -- Redis -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on 127.0.0.1 (a free port), no persistence, for this module."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install -y redis-server)")
    redis = pytest.importorskip("redis", reason="pip install 'partialjson[redis]'")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.02)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


def test_redis_another_replica_resumes_without_duplicates(redis_url: str) -> None:
    run = f"plan-{uuid.uuid4().hex}"
    replica_a = web.Relay(web.RedisStore(redis_url, ttl=60))
    replica_b = web.Relay(web.RedisStore(redis_url, ttl=60))  # another process, same Redis
    whole = list(web.Relay().sse("reference", batches))
    first = take(replica_a.sse(run, batches), 4)
    rest = list(replica_b.sse(run, never, last_event_id=parse(first)[-1]["id"]))
    check_resumed(first, rest, whole)
    # the stream is started once across replicas; its key expires
    assert not replica_b.store.claim(run)
    store = replica_a.store
    assert isinstance(store, web.RedisStore)
    assert 0 < store.client.ttl(store.prefix + run) <= 60


def test_redis_async_replicas(redis_url: str) -> None:
    async def run() -> None:
        name = f"a-{uuid.uuid4().hex}"
        whole = [text async for text in web.Relay().asse("reference", abatches)]
        replica_a = web.Relay(web.RedisStore(redis_url))
        replica_b = web.Relay(web.RedisStore(redis_url))
        first = await atake(replica_a.asse(name, abatches), 3)
        rest = [text async for text in replica_b.asse(name, never, parse(first)[-1]["id"])]
        check_resumed(first, rest, whole)

    asyncio.run(run())


def test_redis_keeps_a_bounded_number_of_events(redis_url: str) -> None:
    def many() -> Iterator[list[dict[str, Any]]]:
        yield [{"op": "add", "path": "", "value": []}]
        for i in range(600):
            yield [{"op": "add", "path": f"/{i}", "value": i}]

    store = web.RedisStore(redis_url, max_events=50)
    relay = web.Relay(store)
    name = f"many-{uuid.uuid4().hex}"
    relay.run(name, many())
    events = parse(list(web.Relay().sse(name, many)))  # the same stream, in memory
    assert len(events) == 602 and document(events) == list(range(600))
    kept = store.client.xlen(store.prefix + name)
    assert 50 <= kept < 300  # MAXLEN ~: trimmed by whole nodes, about max_events
    gap = parse(list(relay.sse(name, never, last_event_id="1")))
    assert json.loads(gap[0]["data"])["type"] == "ResumeGap"
    assert parse(list(relay.sse(name, never, last_event_id="600"))) == events[-2:]
