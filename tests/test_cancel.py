"""Cancelling a bridge stream: from another thread, another task, an event, a task cancellation
or a timeout. The real SDK clients read a slow stream from the local server, which tells whether
the client hung up; no socket may be left for the garbage collector (ResourceWarning is an error).
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import threading
import time
from typing import Any

import anthropic
import openai
import pytest
import sse_server as wire
from sse_server import ReplayServer

import partialjson as pj
from partialjson import anthropic as bridge
from partialjson import openai as openai_bridge

pytestmark = pytest.mark.filterwarnings("error::ResourceWarning",
                                        "error::pytest.PytestUnraisableExceptionWarning")

REQUEST: dict[str, Any] = {"model": "claude-sonnet-4-6", "max_tokens": 1024,
                           "messages": [{"role": "user", "content": "Write a long note."}]}
LONG = json.dumps({"note": "ab" * 3000})  # 6 kB of one string: many deltas
@pytest.fixture(autouse=True)
def _earlier_garbage_collected_first() -> None:
    """What earlier modules' tests left for the garbage collector (an SDK client's pooled
    connection) is collected before each test here, unheard: the ResourceWarnings this module
    turns into errors are then about its own streams only."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


SLOW: dict[str, Any] = {"piece": 40, "delay": 0.02}  # ~3 s for the whole body
STALL: dict[str, Any] = {"piece": 900, "delay": 1.0}  # a read blocks a second
LONG_STALL: dict[str, Any] = {"piece": 900, "delay": 3.0}  # longer than any wake-up


def queue(server: ReplayServer, **pace: Any) -> None:
    events = wire.message([wire.tool_use("write_note", LONG, size=16)], "tool_use")
    server.reply(wire.sse(events), **pace)


def hung_up(server: ReplayServer) -> wire.Served:
    served = server.last()
    assert served.outcome == "client closed", served.outcome
    assert served.sent < served.total // 2
    return served


def open_sync(server: ReplayServer, how: str) -> Any:
    client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)
    if how == "raw":
        return client.messages.create(stream=True, **REQUEST)
    return client.messages.stream(**REQUEST)  # the manager


@pytest.mark.parametrize("how", ["raw", "manager"])
def test_cancel_from_another_thread_wakes_a_blocked_read_at_once(
    server: ReplayServer, how: str
) -> None:
    queue(server, **LONG_STALL)
    events = bridge.stream(open_sync(server, how))
    received: list[Any] = []
    cancelled_at: list[float] = []

    reading = threading.Event()

    def cancel_soon() -> None:
        reading.wait(10)
        time.sleep(0.2)  # the reader is now waiting for the next piece (3 s away)
        cancelled_at.append(time.monotonic())
        events.cancel()

    threading.Thread(target=cancel_soon).start()
    with pytest.raises(pj.Cancelled) as caught:
        for event in events:
            received.append(event)
            if isinstance(event, pj.JsonEvent):
                reading.set()
    waited = time.monotonic() - cancelled_at[0]
    assert waited < 1.5  # not the seconds until the next piece
    hung_up(server)
    error = caught.value
    assert isinstance(error, pj.BridgeError)
    (part,) = error.texts
    assert LONG.startswith(error.texts[part]) and error.texts[part]  # all received, no more
    strings = "".join(e.event.text for e in received if isinstance(e, pj.JsonEvent)
                      and isinstance(e.event, pj.StringDelta))
    assert json.loads(LONG)["note"].startswith(strings)
    assert events.stats.outcome == "cancelled"
    gc.collect()


def test_a_threading_event_cancels_the_stream(server: ReplayServer) -> None:
    queue(server, **SLOW)
    stop = threading.Event()
    count = 0
    with pytest.raises(pj.Cancelled):
        for event in bridge.stream(open_sync(server, "raw"), cancel=stop):
            if isinstance(event, pj.JsonEvent):
                count += 1
                if count == 5:
                    stop.set()  # the watcher cancels: no further event arrives after a moment
    hung_up(server)
    gc.collect()


def test_cancel_between_reads_ends_the_iteration_with_cancelled(server: ReplayServer) -> None:
    queue(server, **SLOW)
    events = bridge.stream(open_sync(server, "raw"))
    seen = 0
    with pytest.raises(pj.Cancelled) as caught:
        for event in events:
            seen += 1
            if isinstance(event, pj.JsonEvent):
                events.cancel()  # in the loop's own thread: the response is closed now
                assert server.last().outcome == "client closed"
    assert seen and caught.value.texts
    gc.collect()


def test_the_context_manager_closes_the_response(server: ReplayServer) -> None:
    queue(server, **SLOW)
    with bridge.stream(open_sync(server, "raw")) as events:
        for event in events:
            if isinstance(event, pj.JsonEvent):
                break
    hung_up(server)
    assert events.stats.outcome == "cancelled"
    gc.collect()


# -- async ---------------------------------------------------------------------------------------
async def open_async(server: ReplayServer, how: str) -> Any:
    client = anthropic.AsyncAnthropic(api_key="k", base_url=server.url, max_retries=0)
    if how == "raw":
        return await client.messages.create(stream=True, **REQUEST)
    return client.messages.stream(**REQUEST)


def no_other_task() -> None:
    assert asyncio.all_tasks() == {asyncio.current_task()}


@pytest.mark.parametrize("how", ["raw", "manager"])
def test_cancel_from_another_task(server: ReplayServer, how: str) -> None:
    queue(server, **STALL)

    async def main() -> None:
        events = bridge.stream(await open_async(server, how))
        reading = asyncio.Event()
        cancelled_at: list[float] = []

        async def cancel_soon() -> None:
            await reading.wait()
            await asyncio.sleep(0.2)  # the reader waits for the next piece (1 s away)
            cancelled_at.append(time.monotonic())
            events.cancel()

        canceller = asyncio.create_task(cancel_soon())
        with pytest.raises(pj.Cancelled) as caught:
            async for event in events:
                if isinstance(event, pj.JsonEvent):
                    reading.set()
        assert time.monotonic() - cancelled_at[0] < 0.9
        await canceller
        assert caught.value.texts
        assert events.stats.outcome == "cancelled"
        hung_up(server)
        no_other_task()

    asyncio.run(main())
    gc.collect()


def test_an_asyncio_event_cancels_and_leaves_no_task(server: ReplayServer) -> None:
    queue(server, **SLOW)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, stop.set)
        with pytest.raises(pj.Cancelled):
            async for _event in bridge.stream(await open_async(server, "raw"), cancel=stop):
                pass
        hung_up(server)
        no_other_task()

    asyncio.run(main())
    gc.collect()


def test_cancel_from_another_thread_of_an_async_stream(server: ReplayServer) -> None:
    queue(server, **STALL)

    async def main() -> None:
        events = bridge.stream(await open_async(server, "raw"))
        timer = threading.Timer(0.2, events.cancel)
        timer.start()
        with pytest.raises(pj.Cancelled):
            async for _event in events:
                pass
        timer.join()
        hung_up(server)

    asyncio.run(main())
    gc.collect()


@pytest.mark.parametrize("how", ["timeout", "wait_for", "task.cancel"])
def test_task_cancellation_and_timeouts_close_the_connection(
    server: ReplayServer, how: str
) -> None:
    if how == "timeout" and not hasattr(asyncio, "timeout"):
        pytest.skip("asyncio.timeout is Python 3.11+")
    queue(server, **STALL)

    async def main() -> None:
        events = bridge.stream(await open_async(server, "raw"))

        async def consume() -> None:
            async for _event in events:
                pass

        if how == "timeout":
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.2):
                    await consume()
        elif how == "wait_for":
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(consume(), 0.2)
        else:
            task = asyncio.create_task(consume())
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        assert events.stats.outcome == "cancelled"
        hung_up(server)
        no_other_task()

    asyncio.run(main())
    gc.collect()


def test_an_openai_chat_helper_is_cancelled_too(server: ReplayServer) -> None:
    chunks = wire.chat_content(LONG, size=16)
    server.reply(wire.chat(chunks), **STALL)
    client = openai.OpenAI(api_key="k", base_url=server.url + "/v1", max_retries=0)
    with client.chat.completions.stream(model="gpt-4o", messages=[]) as helper:
        events = openai_bridge.stream(helper)
        threading.Timer(0.2, events.cancel).start()
        with pytest.raises(pj.Cancelled):
            for _event in events:
                pass
    hung_up(server)
    gc.collect()
