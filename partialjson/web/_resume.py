"""Resume: the relay keeps the events it sent, so a client that reconnects gets what it missed.

A stream runs once, in the background, from the first request for its id: its SSE events go
to a store as they are made. Every request for the id (the first, a reconnection with
``Last-Event-ID``, or a page that loads again) reads the store from where it is and follows it
to the ``end`` (or ``error``) event. A dropped connection does not stop the stream: the model's
output is not lost, and a client that comes back gets each event once.

Stores: ``MemoryStore`` (one process: the default) and ``RedisStore`` (Redis Streams, shared by
the replicas of a relay behind a load balancer: a client resumes on any of them). Both keep a
bounded number of events per stream for a bounded time.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import Any, Protocol

from .._errors import PartialJSONError
from ._wire import _Framing, _json

Op = dict[str, Any]
Event = tuple[int, str]  # (id, the event's SSE text)


class Store(Protocol):
    """Where a relay keeps the events of its streams (ids count from 1, in order)."""

    def claim(self, stream: str) -> bool:
        """True for the one caller that is to run ``stream`` (the first to ask)."""

    def add(self, stream: str, event_id: int, text: str) -> None: ...

    def read(self, stream: str, after: int, timeout: float) -> list[Event]:
        """The events after ``after``, waiting up to ``timeout`` seconds for one."""

    async def aclaim(self, stream: str) -> bool: ...

    async def aadd(self, stream: str, event_id: int, text: str) -> None: ...

    async def aread(self, stream: str, after: int, timeout: float) -> list[Event]: ...


class _Log:
    __slots__ = ("claimed", "events", "touched", "waiters")

    def __init__(self, size: int) -> None:
        self.claimed = False
        self.events: collections.deque[Event] = collections.deque(maxlen=size)
        self.touched = time.monotonic()
        self.waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []


def _after(log: _Log, after: int) -> list[Event]:
    events = log.events
    if not events or events[-1][0] <= after:
        return []
    start = max(after - events[0][0] + 1, 0)  # ids are consecutive in the log
    return [events[i] for i in range(start, len(events))]  # a follower: O(what it gets)


class MemoryStore:
    """The events of this process's recent streams: at most ``max_events`` per stream (the
    oldest dropped first), a stream forgotten ``ttl`` seconds after its last event, at most
    ``max_streams`` streams (the least recently written forgotten first). Works for sync and
    async relays alike (threads and event loops may share it)."""

    def __init__(self, *, max_events: int = 10_000, max_streams: int = 1_000,
                 ttl: float = 600.0) -> None:
        self.max_events = max_events
        self.max_streams = max_streams
        self.ttl = ttl
        self._logs: collections.OrderedDict[str, _Log] = collections.OrderedDict()
        self._lock = threading.Condition()

    def _forget_old(self) -> None:
        now = time.monotonic()
        logs = self._logs
        while logs:
            oldest = next(iter(logs.values()))
            if len(logs) <= self.max_streams and now - oldest.touched <= self.ttl:
                break
            logs.popitem(last=False)

    def _log(self, stream: str) -> _Log:
        log = self._logs.get(stream)
        if log is None:
            log = self._logs[stream] = _Log(self.max_events)
        return log

    def claim(self, stream: str) -> bool:
        with self._lock:
            self._forget_old()
            log = self._log(stream)
            claimed, log.claimed = log.claimed, True
            return not claimed

    def add(self, stream: str, event_id: int, text: str) -> None:
        with self._lock:
            log = self._log(stream)  # (made again if forgotten while it ran)
            log.events.append((event_id, text))
            log.touched = time.monotonic()
            self._logs.move_to_end(stream)
            self._lock.notify_all()
            waiters, log.waiters = log.waiters, []
        for loop, future in waiters:
            loop.call_soon_threadsafe(_wake, future)

    def read(self, stream: str, after: int, timeout: float) -> list[Event]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                log = self._logs.get(stream)
                events = _after(log, after) if log is not None else []
                left = deadline - time.monotonic()
                if events or left <= 0:
                    return events
                self._lock.wait(left)

    async def aclaim(self, stream: str) -> bool:
        return self.claim(stream)

    async def aadd(self, stream: str, event_id: int, text: str) -> None:
        self.add(stream, event_id, text)

    async def aread(self, stream: str, after: int, timeout: float) -> list[Event]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            future: asyncio.Future[None] = loop.create_future()
            with self._lock:
                log = self._log(stream)  # maybe not started yet: wait for its first event
                events = _after(log, after)
                left = deadline - loop.time()
                if events or left <= 0:
                    return events
                log.waiters.append((loop, future))
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(future, left)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class RedisStore:
    """Redis Streams: a stream's events under ``prefix + id``, event ``n`` with the entry id
    ``0-n`` (``XADD``, read with ``XREAD BLOCK``), at most about ``max_events`` of them
    (``MAXLEN ~``), the key expiring ``ttl`` seconds after its last event. ``url`` is a
    ``redis://`` URL; the ``redis`` package (``pip install partialjson[redis]``) is imported
    when the store is made."""

    def __init__(self, url: str = "redis://127.0.0.1:6379/0", *, max_events: int = 10_000,
                 ttl: int = 600, prefix: str = "partialjson:") -> None:
        import redis  # type: ignore[import-not-found, unused-ignore]  # an optional extra
        import redis.asyncio  # type: ignore[import-not-found, unused-ignore]

        self.url = url
        self.max_events = max_events
        self.ttl = ttl
        self.prefix = prefix
        self.client = redis.Redis.from_url(url)
        self._async: dict[asyncio.AbstractEventLoop, Any] = {}  # a client per event loop
        self._make_async = redis.asyncio.Redis.from_url

    def _aclient(self) -> Any:
        loop = asyncio.get_running_loop()
        client = self._async.get(loop)
        if client is None:
            client = self._async[loop] = self._make_async(self.url)
        return client

    def _key(self, stream: str) -> str:
        return self.prefix + stream

    @staticmethod
    def _events(reply: Any) -> list[Event]:
        events = []
        for _key, entries in reply or ():
            for entry_id, fields in entries:
                number = int(entry_id.split(b"-")[1])
                events.append((number, fields[b"e"].decode()))
        return events

    def claim(self, stream: str) -> bool:
        return bool(self.client.set(self._key(stream) + ":run", 1, nx=True, ex=self.ttl))

    def add(self, stream: str, event_id: int, text: str) -> None:
        key = self._key(stream)
        with self.client.pipeline() as pipe:
            pipe.xadd(key, {"e": text}, id=f"0-{event_id}", maxlen=self.max_events,
                      approximate=True)
            pipe.expire(key, self.ttl)
            pipe.expire(key + ":run", self.ttl)
            pipe.execute()

    def read(self, stream: str, after: int, timeout: float) -> list[Event]:
        reply = self.client.xread({self._key(stream): f"0-{after}"},
                                  block=max(int(timeout * 1000), 1))
        return self._events(reply)

    async def aclaim(self, stream: str) -> bool:
        return bool(await self._aclient().set(self._key(stream) + ":run", 1, nx=True,
                                              ex=self.ttl))

    async def aadd(self, stream: str, event_id: int, text: str) -> None:
        key = self._key(stream)
        async with self._aclient().pipeline() as pipe:
            pipe.xadd(key, {"e": text}, id=f"0-{event_id}", maxlen=self.max_events,
                      approximate=True)
            pipe.expire(key, self.ttl)
            pipe.expire(key + ":run", self.ttl)
            await pipe.execute()

    async def aread(self, stream: str, after: int, timeout: float) -> list[Event]:
        reply = await self._aclient().xread({self._key(stream): f"0-{after}"},
                                            block=max(int(timeout * 1000), 1))
        return self._events(reply)


def _later(source: Callable[[], Iterable[list[Op]]]) -> Iterator[list[Op]]:
    yield from source()


async def _alater(source: Callable[[], AsyncIterable[list[Op]]]) -> AsyncIterator[list[Op]]:
    async for batch in source():
        yield batch


def _last(text: str) -> bool:
    """Is it the stream's last event (``end`` or ``error``)? Batches have no ``event:`` line."""
    return "\nevent:" in text


def _error(kind: str, message: str) -> str:
    """An ``error`` event of the relay itself (no ``id``: it is not one of the stream's)."""
    data = {"type": kind, "message": message, "path": None, "offset": None}
    return f"event:error\ndata:{_json(data)}\n\n"


def _gap(after: int, first: int) -> str:
    """What a client that asks for events no longer kept gets: an error, not a silent hole."""
    return _error("ResumeGap", f"the events after {after} are no longer kept (the first kept "
                  f"is {first}): start again")


def _from(last_event_id: str | None) -> int:
    if last_event_id is None or not last_event_id.strip().isdigit():
        return 0
    return int(last_event_id)


class Relay:
    """Runs each stream once and serves its SSE events to any number of requests, resuming
    a client from its ``Last-Event-ID``.

        relay = web.Relay()                      # or web.Relay(web.RedisStore(url))

        @app.get("/recipe/{run}")
        async def recipe(run: str, request: Request) -> StreamingResponse:
            events = relay.asse(run, lambda: web.acoalesce(web.ajson_patch(steps(), ...)),
                                request.headers.get("last-event-id"))
            return StreamingResponse(events, media_type="text/event-stream")

    ``source`` makes the stream's batches; it is called only by the request that starts the
    stream (the first for its id, on any replica sharing the store). ``wait``: seconds between
    keep-alive comments while the stream is silent; ``idle``: seconds without an event after
    which a request gives up (an ``error`` event, ``StreamLost``). ``retry``: the reconnection
    delay (ms) sent to the browser, or None for its default."""

    def __init__(self, store: Store | None = None, *, wait: float = 15.0, idle: float = 300.0,
                 retry: int | None = None) -> None:
        self.store: Store = store if store is not None else MemoryStore()
        self.wait = wait
        self.idle = idle
        self.retry = retry
        self._tasks: set[asyncio.Task[None]] = set()  # running streams (kept from the GC)

    def _head(self) -> Iterator[str]:
        if self.retry is not None:
            yield f"retry:{self.retry}\n\n"

    def _lost(self) -> str:
        return _error("StreamLost", f"no event for {self.idle:g} s: the stream is gone")

    # -- sync --------------------------------------------------------------------------------
    def run(self, stream: str, batches: Iterable[list[Op]]) -> None:
        """Store the events of ``batches`` (in this thread), through the ``end``."""
        framing = _Framing(False, True)
        try:
            for batch in batches:
                text = framing.batch(batch)
                self.store.add(stream, framing.n, text)
        except PartialJSONError as error:
            text = framing.error(error)
            self.store.add(stream, framing.n, text)
            return
        except Exception as error:  # a bug or a failed source: the readers must not wait
            text = framing.failure(error)
            self.store.add(stream, framing.n, text)
            raise
        text = framing.end()
        self.store.add(stream, framing.n, text)

    def _background(self, stream: str, batches: Iterable[list[Op]]) -> None:
        try:
            self.run(stream, batches)
        except Exception:  # its readers got an error event; the traceback goes to the log
            logging.getLogger("partialjson.web").exception("stream %r failed", stream)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logging.getLogger("partialjson.web").error("a stream failed",
                                                       exc_info=task.exception())

    def sse(self, stream: str, source: Callable[[], Iterable[list[Op]]],
            last_event_id: str | None = None) -> Iterator[str]:
        """The events of ``stream`` after ``last_event_id``, starting the stream in a thread
        if it is new (a request without ``Last-Event-ID`` that claims it)."""
        if last_event_id is None and self.store.claim(stream):
            batches = _later(source)  # a source that fails to start fails the stream
            threading.Thread(target=self._background, args=(stream, batches),
                             daemon=True).start()
        yield from self._head()
        follow = _Follow(_from(last_event_id), self)
        while not follow.over:
            yield from follow.take(self.store.read(stream, follow.after, self.wait))

    # -- async -------------------------------------------------------------------------------
    async def arun(self, stream: str, batches: AsyncIterable[list[Op]]) -> None:
        """:meth:`run` for an async source."""
        framing = _Framing(False, True)
        try:
            async for batch in batches:
                text = framing.batch(batch)
                await self.store.aadd(stream, framing.n, text)
        except PartialJSONError as error:
            text = framing.error(error)
            await self.store.aadd(stream, framing.n, text)
            return
        except Exception as error:
            text = framing.failure(error)
            await self.store.aadd(stream, framing.n, text)
            raise
        text = framing.end()
        await self.store.aadd(stream, framing.n, text)

    async def asse(self, stream: str, source: Callable[[], AsyncIterable[list[Op]]],
                   last_event_id: str | None = None) -> AsyncIterator[str]:
        """:meth:`sse` for an async source, which runs as a task of the event loop (a client
        that goes away does not cancel it)."""
        if last_event_id is None and await self.store.aclaim(stream):
            task = asyncio.ensure_future(self.arun(stream, _alater(source)))
            self._tasks.add(task)
            task.add_done_callback(self._finished)
        for head in self._head():
            yield head
        follow = _Follow(_from(last_event_id), self)
        while not follow.over:
            for text in follow.take(await self.store.aread(stream, follow.after, self.wait)):
                yield text


class _Follow:
    """A request following a stream in the store: what to send of the events read."""

    def __init__(self, after: int, relay: Relay) -> None:
        self.after = after  # the last event sent
        self.relay = relay
        self.silent = 0.0  # seconds without an event
        self.over = False

    def take(self, events: list[Event]) -> list[str]:
        if not events:
            self.silent += self.relay.wait
            if self.silent >= self.relay.idle:
                self.over = True
                return [self.relay._lost()]
            return [":\n\n"]  # a keep-alive comment: a dead connection shows itself
        self.silent = 0.0
        if events[0][0] > self.after + 1:
            self.over = True
            return [_gap(self.after, events[0][0])]
        out = []
        for event_id, text in events:
            out.append(text)
            self.after = event_id
            if _last(text):
                self.over = True
                break
        return out
