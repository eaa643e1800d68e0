"""Reading a source through a provider's translator: SDK streams and helpers (sync and async),
the managers that open them, raw streams' bodies (read here, past the SDK's decoding), and plain
iterables of recorded events.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import reprlib
import socket
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from contextlib import AsyncExitStack, ExitStack
from typing import TYPE_CHECKING, Any, Protocol, cast

from .._stats import Outcome, StreamStats, system_of
from ._events import (
    BridgeError,
    BridgeEvent,
    Cancelled,
    IncompleteStream,
    InvalidPart,
    Part,
    Restarted,
    StreamFailed,
)
from ._router import Router
from ._sse import SSESplitter

if TYPE_CHECKING:
    from .._retry import RetryPolicy


class Translator(Protocol):
    """A provider's reading of its stream. ``feed`` takes an event as the provider's JSON (a
    dict) or an SDK object seen through :class:`Fields`: one reading serves both."""

    router: Router

    def feed(self, item: Any) -> list[BridgeEvent]: ...
    def finish(self) -> list[BridgeEvent]: ...

    def sse(self, stream: Any, name: str | None, data: str) -> Any:
        """A server-sent event of a raw SDK ``stream`` as its JSON, or None for one to skip;
        raises what the SDK's stream would for an error event."""
        ...

    def transport_error(self, stream: Any, error: Exception) -> Exception:
        """What the SDK's stream raises when reading its body fails with ``error``."""
        ...


class Fields:
    """An SDK object read like the provider's JSON: ``event["index"]``, ``event.get("id")``.
    ``obj`` is the object itself, which the events carry as their ``data``."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __getitem__(self, name: str) -> Any:
        return fields(getattr(self.obj, name))

    def get(self, name: str, default: Any = None) -> Any:
        return fields(getattr(self.obj, name, default))


_PLAIN = (str, int, float, dict, type(None))  # as JSON has them (bool is an int)


def fields(value: Any) -> Any:
    """``value`` as the provider's JSON would have it: an SDK object seen through Fields."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list):
        return [fields(item) for item in value]
    return Fields(value)


class Malformed(Exception):
    """An event the protocol does not allow (a field missing, or of the wrong type); the
    reading loop turns it into a StreamFailed that names the event."""


_KINDS: dict[Any, str] = {str: "a string", int: "an integer", list: "a list"}
OBJECT = (dict, Fields)  # a JSON object, or an SDK object read through Fields


def need(event: Any, name: str, kind: Any, optional: bool = False) -> Any:
    """``event[name]``, which the protocol makes a ``kind`` (str, int, list or OBJECT); with
    ``optional``, None when absent or null."""
    value = event.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        what = "missing" if value is None else f"{type(value).__name__} {_short.repr(value)}"
        raise Malformed(f"{name!r} is {what}, not {_KINDS.get(kind, 'an object')}")
    return value


_short = reprlib.Repr()  # events in messages: a long one would bury the message
_short.maxstring, _short.maxother, _short.maxdict, _short.maxlist = 60, 60, 8, 4


def describe(item: Any) -> str:
    """An event for a message: its type, then its content, shortened."""
    kind = item.get("type") if isinstance(item, OBJECT) else None
    return (f"{kind} " if isinstance(kind, str) else "") + _short.repr(sdk(item))


def sdk(value: Any) -> Any:
    """What an event carries as ``data``: the SDK's object, or the provider's JSON (a dict)
    from a raw stream, read without making SDK objects."""
    return value.obj if isinstance(value, Fields) else value


def translate(translator: Translator, item: Any) -> list[BridgeEvent]:
    """The events of one provider event; one the protocol does not allow fails the stream."""
    try:
        if not isinstance(item, OBJECT):
            raise Malformed("an event is an object")
        return translator.feed(item)
    except Malformed as exc:
        raise translator.router.failed(f"malformed event ({exc}): {describe(item)}") from None


def _is_raw(source: Any) -> bool:
    """A raw SDK stream, ``create(stream=True)``: both SDKs name its class ``Stream`` /
    ``AsyncStream`` and give it the HTTP response. (Their helpers also hold a ``response``, but
    are read as they are: their users expect what they accumulate.) Or an HTTP response
    itself, wrapped as a :class:`RawBody`."""
    if isinstance(source, (RawBody, AsyncRawBody)):
        return True
    kind = type(source).__name__
    return kind in ("Stream", "AsyncStream") and hasattr(getattr(source, "response", None),
                                                         "iter_bytes")


class RawBody:
    """An HTTP response of server-sent events (``httpx``), read by the bridge itself: for an
    API whose SDK has no raw stream, the request sent directly (``client.stream("POST",
    ...)``)."""

    def __init__(self, response: Any) -> None:
        self.response = response

    def __iter__(self) -> Iterator[Any]:  # (read as a body, never iterated)
        return iter(())

    def close(self) -> None:
        self.response.close()


class AsyncRawBody:
    """:class:`RawBody` for an async response."""

    def __init__(self, response: Any) -> None:
        self.response = response

    def __aiter__(self) -> AsyncIterator[Any]:  # (read as a body, never iterated)
        return self._nothing()

    async def _nothing(self) -> AsyncIterator[Any]:
        return
        yield

    async def close(self) -> None:
        await self.response.aclose()


def http_status_error(response: Any) -> str | None:
    """Why an HTTP response read as a raw body failed, or None (an SDK's raw stream has
    raised its own error before it is read)."""
    status = getattr(response, "status_code", 200)
    if not isinstance(status, int) or status < 400:
        return None
    return f"HTTP {status} {getattr(response, 'reason_phrase', '')}".rstrip()


# -- the stream a bridge returns -------------------------------------------------------------
Opener = Callable[[], Any]  # a factory: opens a new stream (for a retry)
Resumer = Callable[[str, int], Any]  # (response id, last sequence number) -> the rest of it


def drive(
    source: Any,
    translator: Translator | Callable[[], Translator],
    *,
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
    resume: Resumer | None = None,
) -> BridgeStream | AsyncBridgeStream:
    """Read ``source`` through a provider's translator: a :class:`BridgeStream` of events, or
    an :class:`AsyncBridgeStream` for an async source.

    ``source`` is an SDK stream or helper, the manager that opens one, any iterable of SDK
    events or of the provider's JSON events, or a factory (a callable that opens one of
    these; it is called now, and again for each restart with ``retry``). ``translator`` is
    the translator, or a callable making a fresh one (for restarts; otherwise a pristine
    copy is kept). ``cancel``: an event that cancels the stream when set. ``stats``: the
    :class:`StreamStats` to fill (by default a new one, with the real clocks). ``resume``:
    reopens a numbered stream (OpenAI Responses' ``sequence_number``) after its connection
    dropped, where it stopped, parsers kept.
    """
    make: Callable[[], Translator]
    if hasattr(translator, "feed"):
        given = cast(Translator, translator)
        pristine = copy.deepcopy(given) if retry is not None else given
        first = [given]

        def make() -> Translator:  # the one given, then pristine copies of it
            return first.pop() if first else copy.deepcopy(pristine)
    else:
        make = translator
    first_translator = make()
    if stats is None:
        stats = StreamStats()
    if stats.system is None:
        stats.system = system_of(first_translator)
    stats._begin()
    factory: Opener | None = None
    if callable(source) and not (hasattr(source, "__iter__") or hasattr(source, "__aiter__")
                                 or hasattr(source, "__enter__")
                                 or hasattr(source, "__aenter__")):
        factory = source
        source = _open(factory)
    elif retry is not None:
        raise TypeError("retry= needs a factory: a callable that opens a new stream, e.g. "
                        "lambda: client.messages.create(..., stream=True)")
    is_async = (inspect.isawaitable(source) or hasattr(source, "__aiter__")
                or hasattr(source, "__aenter__"))
    kind = AsyncBridgeStream if is_async else BridgeStream
    return kind(source, factory, make, first_translator, stats, cancel, retry, resume)


class _FailedOpen:
    """A factory (or resume) call that raised: the attempt fails with ``error``, and may be
    retried as any other failed attempt."""

    def __init__(self, error: Exception) -> None:
        self.error = error


def _open(opener: Callable[[], Any]) -> Any:
    try:
        return opener()
    except Exception as exc:  # the SDK's error for a request that failed (a connection...)
        return _FailedOpen(exc)


class _Core:
    """What the sync and async streams share: the attempt's translator, its numbering (for a
    resume), the figures, the cancel flag and the HTTP response to hang up."""

    def __init__(self, source: Any, factory: Opener | None, make: Callable[[], Translator],
                 translator: Translator, stats: StreamStats, cancel: Any,
                 retry: RetryPolicy | None, resume: Resumer | None) -> None:
        self.stats = stats
        self._source = source
        self._factory = factory
        self._make = make
        self._retry = retry
        self._resume = resume
        self._cancel_event = cancel
        self._translator = translator
        self._cancelled = threading.Event()
        self._reader: int | None = None  # the thread reading it, once it started
        self._over = False
        self._response: Any = None  # the HTTP response of the attempt being read
        self._response_id: str | None = None  # Responses: for resume=
        self._after: int | None = None  # the last sequence number read
        self._skip = -1  # a resumed stream repeats nothing up to this sequence number

    # -- one provider event --------------------------------------------------------------------
    def _step(self, item: Any) -> list[BridgeEvent]:
        stats = self.stats
        if stats.time_to_first_byte is None:
            stats._received()
        if self._resume is not None and self._numbered(item):
            return []
        router = self._translator.router
        before = router.deltas
        start = stats.cpu_clock()
        try:
            events = translate(self._translator, item)
        finally:
            stats.cpu += stats.cpu_clock() - start
        stats._events(events, router.deltas - before)
        return events

    def _numbered(self, item: Any) -> bool:
        """Notes a numbered event's place; True for one a resumed stream repeats."""
        if not isinstance(item, OBJECT):
            return False
        number = item.get("sequence_number")
        if not isinstance(number, int):
            return False
        if number <= self._skip:
            return True
        self._after = number
        if item.get("type") == "response.created":
            response = item.get("response")
            self._response_id = response.get("id") if isinstance(response, OBJECT) else None
        return False

    def _chunk(self, stream: Any, splitter: SSESplitter,
               chunk: bytes) -> tuple[list[BridgeEvent], BridgeError | None]:
        """The events of a piece of a raw body, and the error that ended them if any: the
        events before an error event are given first."""
        stats = self.stats
        stats._received(len(chunk))
        events: list[BridgeEvent] = []
        translator = self._translator
        start = stats.cpu_clock()
        try:
            for item in _items(stream, translator, splitter, chunk):
                if self._resume is not None and self._numbered(item):
                    continue
                before = translator.router.deltas
                new = translate(translator, item)
                stats._events(new, translator.router.deltas - before)
                events += new
        except BridgeError as exc:
            return events, exc
        finally:
            stats.cpu += stats.cpu_clock() - start
        return events, None

    def _finish(self) -> list[BridgeEvent]:
        start = self.stats.cpu_clock()
        try:
            events = self._translator.finish()
        finally:
            self.stats.cpu += self.stats.cpu_clock() - start
        self.stats._events(events)
        return events

    # -- after a failure ---------------------------------------------------------------------
    def _next_attempt(self, error: BridgeError, attempt: int) -> tuple[str, float] | None:
        """How the stream goes on after ``error``: ("resume" or "restart", seconds to wait),
        or None when it does not."""
        if self._cancelled.is_set() or self._retry is None or self._factory is None:
            return None
        if not self._retry.retries(error, attempt):
            return None
        delay = self._retry.delay(attempt)
        if (self._resume is not None and self._response_id is not None
                and self._after is not None and isinstance(error, StreamFailed)):
            return "resume", delay
        return "restart", delay

    def _reopen(self, how: str) -> Any:
        self._response = None
        if how == "resume":
            assert self._resume is not None and self._response_id is not None
            self._skip = self._after if self._after is not None else -1
            self.stats.resumes += 1
            resume, response_id, after = self._resume, self._response_id, self._skip
            return _open(lambda: resume(response_id, after))
        assert self._factory is not None
        self._translator = self._make()
        self._response_id, self._after, self._skip = None, None, -1
        return _open(self._factory)

    def _opened(self, source: Any) -> Any:
        """``source``, unless opening it failed: then the attempt fails with the SDK's error."""
        if isinstance(source, _FailedOpen):
            raise self._translator.router.failed(source.error) from source.error
        return source

    # -- the end -------------------------------------------------------------------------------
    def _texts(self) -> dict[Part, str]:
        return self._translator.router._snapshot()[1]

    def _cancelled_error(self) -> Cancelled:
        values, texts = self._translator.router._snapshot()
        return Cancelled("the stream was cancelled", None, values, texts)

    def _ended(self, outcome: Outcome, error: Exception | None) -> None:
        self._over = True
        self.stats._end(outcome, error, self._texts())

    def _hang_up(self) -> None:
        """Shut the connection's socket: a read blocked in another thread wakes at once (a
        close alone would not wake it), and the server sees the client hang up."""
        response = self._response
        try:
            network = response.extensions["network_stream"]
            network.get_extra_info("socket").shutdown(socket.SHUT_RDWR)
        except Exception:  # no socket to shut (recorded events, a closed one): the flag will do
            pass


def _outcome(error: BaseException) -> Outcome:
    if isinstance(error, Cancelled):
        return "cancelled"
    if isinstance(error, InvalidPart):
        return "violation"
    if isinstance(error, IncompleteStream):
        return "truncated"
    return "failed"


def _response_of(source: Any) -> Any:
    """The HTTP response of an SDK stream or helper (the OpenAI helpers keep it private)."""
    for name in ("response", "_response"):
        response = getattr(source, name, None)
        if hasattr(response, "extensions"):
            return response
    raw = getattr(source, "_raw_stream", None)
    return getattr(raw, "response", None)


class BridgeStream(_Core):
    """The events of a provider stream (iterate it), with:

    - ``cancel()``, from any thread: the HTTP response is closed at once and the iteration
      ends with :class:`Cancelled`, which carries everything received;
    - ``stats``: the stream's :class:`StreamStats`, filled in as it streams;
    - ``close()`` and ``with``: closing it closes the response (the model stops generating).
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._events = self._run()
        self._outer = self._guarded()
        self._pending: Cancelled | None = None  # cancelled by the reading thread itself
        if self._cancel_event is not None:
            if not hasattr(self._cancel_event, "wait") or asyncio.iscoroutinefunction(
                    self._cancel_event.wait):
                raise TypeError("cancel= of a sync stream is a threading.Event")
            threading.Thread(target=self._watch, daemon=True).start()

    def __iter__(self) -> Iterator[BridgeEvent]:
        return self._outer  # a generator: a for loop over it runs at C speed

    def __next__(self) -> BridgeEvent:
        return next(self._outer)

    def _guarded(self) -> Generator[BridgeEvent, None, None]:
        """The events, and how the stream ended, noted in its figures."""
        try:
            yield from self._events
        except BridgeError as exc:
            if self._cancelled.is_set() and not isinstance(exc, Cancelled):
                error = self._cancelled_error()  # (the hang-up's own error)
                self._ended("cancelled", error)
                raise error from exc
            self._ended(_outcome(exc), exc)
            raise
        except GeneratorExit:  # closed: by close(), or a loop left early
            if not self._over:
                self._ended("cancelled", self._cancelled_error())
            raise
        except BaseException as exc:
            self._ended("failed", exc if isinstance(exc, Exception) else None)
            raise
        if self._pending is not None:
            raise self._pending
        self._ended("complete", None)

    def cancel(self) -> None:
        """Cancel the stream: from any thread, at any time (after its end, nothing happens).
        In the reading thread (or before any read) the response is closed now; from another
        thread its socket is shut now, which wakes a blocked read, and the reading thread
        closes the response and raises :class:`Cancelled` at its next read."""
        self._cancelled.set()
        if self._over:
            return
        if self._reader is not None and self._reader != threading.get_ident():
            self._hang_up()
            return
        self._pending = self._cancelled_error()
        self._events.close()  # closes the response (not running: this is the reading thread)
        self._close_unread()
        self._ended("cancelled", self._pending)

    def close(self) -> None:
        """Stop reading and close the response; a stream not at its end is ``cancelled``."""
        if self._reader is not None and self._reader != threading.get_ident():
            self.cancel()  # another thread reads it
            return
        self._outer.close()
        self._close_unread()
        if not self._over:
            self._ended("cancelled", self._cancelled_error())

    def _close_unread(self) -> None:
        """A source never read is closed here (its reading loop, never started, cannot)."""
        if self._reader is None and not inspect.isawaitable(self._source):
            close = getattr(self._source, "close", None)
            if callable(close):
                close()

    def __enter__(self) -> BridgeStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _watch(self) -> None:
        while not self._over:
            if self._cancel_event.wait(0.05):
                self.cancel()
                return

    def _run(self) -> Generator[BridgeEvent, None, None]:
        self._reader = threading.get_ident()
        source, attempt = self._source, 1
        while True:
            try:
                yield from self._attempt(source)
                return
            except BridgeError as exc:
                step = self._next_attempt(exc, attempt)
                if step is None:
                    raise
                how, delay = step
                if self._cancelled.wait(delay):
                    raise self._cancelled_error() from exc
                attempt += 1
                if how == "restart":
                    restarted = Restarted(attempt, exc, delay)
                    self.stats._events([restarted])
                    yield restarted
                source = self._reopen(how)

    def _attempt(self, source: Any) -> Iterator[BridgeEvent]:
        source = self._opened(source)
        if _is_raw(source):
            yield from self._read_body(source)
            return
        with ExitStack() as stack:
            if not hasattr(source, "__iter__"):  # a helper's manager: open the helper
                source = stack.enter_context(source)
            # Closing the HTTP response stops the provider generating: at once on an error (an
            # early stop), or when the caller stops iterating. After a full read it is a no-op.
            if hasattr(source, "close"):  # (a list of recorded events has nothing to close)
                stack.callback(source.close)
            self._response = _response_of(source)
            items = iter(source)
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    break
                except Exception as exc:  # an error event, a dropped connection: the SDK's own
                    raise self._translator.router.failed(exc) from exc
                if self._cancelled.is_set():  # by another thread (recorded events: no socket)
                    raise self._cancelled_error()
                yield from self._step(fields(item))
            yield from self._finish()

    # A raw stream's body is read here rather than through the SDK's stream, whose decoding
    # and event objects cost more than the bridge itself; the provider's ``sse`` and
    # ``transport_error`` keep the SDK's errors. Closing the stream closes the HTTP response.
    def _read_body(self, stream: Any) -> Iterator[BridgeEvent]:
        splitter = SSESplitter()
        self._response = stream.response
        failed = http_status_error(stream.response)
        if failed is not None:
            stream.close()
            raise self._translator.router.failed(failed)
        chunks = stream.response.iter_bytes()
        try:
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                except Exception as exc:
                    error = self._translator.transport_error(stream, exc)
                    raise self._translator.router.failed(error) from error
                if self._cancelled.is_set():  # by another thread, after it shut the socket
                    raise self._cancelled_error()
                events, failure = self._chunk(stream, splitter, chunk)
                yield from events
                if failure is not None:
                    raise failure
            yield from self._finish()
        finally:
            chunks.close()
            stream.close()


_ANEXT_CANCELLED = "partialjson: the stream was cancelled"


class AsyncBridgeStream(_Core):
    """The events of an async provider stream (``async for``), with ``cancel()`` (from another
    task or thread: the read in progress stops, the response is closed, the iteration ends
    with :class:`Cancelled`), ``stats``, ``aclose()`` and ``async with``. Cancelling the task
    that reads it, or a timeout (``asyncio.timeout``, ``wait_for``), closes the response too.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._events = self._run()
        self._task: asyncio.Task[Any] | None = None  # the task inside __anext__
        self._loop: asyncio.AbstractEventLoop | None = None
        self._requested = False  # this stream asked for the task's cancellation
        self._watcher: asyncio.Task[None] | None = None

    def __aiter__(self) -> AsyncBridgeStream:
        return self

    async def __anext__(self) -> BridgeEvent:
        if self._over:
            raise StopAsyncIteration
        if self._cancelled.is_set():
            error = self._cancelled_error()
            await self._stop("cancelled", error)
            raise error
        self._loop = asyncio.get_running_loop()
        if self._cancel_event is not None and self._watcher is None:
            self._watcher = self._loop.create_task(self._watch())
        self._task = asyncio.current_task()
        try:
            return await self._events.__anext__()
        except StopAsyncIteration:
            await self._stop("complete", None)
            raise
        except asyncio.CancelledError as exc:
            task, self._task = self._task, None
            if self._requested and task is not None:
                self._requested = False
                if getattr(task, "uncancel", lambda: 0)() == 0:  # none but ours (3.11+)
                    error = self._cancelled_error()
                    await self._stop("cancelled", error)
                    raise error from exc
            await self._stop("cancelled", self._cancelled_error())
            raise
        except BridgeError as exc:
            if self._cancelled.is_set() and not isinstance(exc, Cancelled):
                error = self._cancelled_error()
                await self._stop("cancelled", error)
                raise error from exc
            await self._stop(_outcome(exc), exc)
            raise
        except Exception as exc:
            await self._stop("failed", exc)
            raise
        finally:
            self._task = None

    def cancel(self) -> None:
        """Cancel the stream: from another task, or any thread."""
        self._cancelled.set()
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._interrupt()
        else:
            loop.call_soon_threadsafe(self._interrupt)

    def _interrupt(self) -> None:
        """In the loop: stop the read in progress, if the reading task is still inside it."""
        task = self._task
        if task is not None and not task.done() and task is not asyncio.current_task():
            self._requested = True
            task.cancel(_ANEXT_CANCELLED)

    async def aclose(self) -> None:
        """Stop reading and close the response; a stream not at its end is ``cancelled``."""
        if self._over:
            return
        await self._stop("cancelled", self._cancelled_error())

    async def __aenter__(self) -> AsyncBridgeStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _stop(self, outcome: Outcome, error: Exception | None) -> None:
        if not self._over:
            self._ended(outcome, error)
        watcher, self._watcher = self._watcher, None
        if watcher is not None and watcher is not asyncio.current_task():
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        await self._events.aclose()
        if self._reader is None:  # never read: its reading loop cannot close it
            close = getattr(self._source, "close", None)
            closed = close() if callable(close) else None  # (a coroutine's close: no warning)
            if inspect.isawaitable(closed):
                await closed

    async def _watch(self) -> None:
        event = self._cancel_event
        if isinstance(event, asyncio.Event):
            await event.wait()
        else:  # a threading.Event: looked at between pauses
            while not event.wait(0):
                await asyncio.sleep(0.05)
        self._watcher = None
        self.cancel()

    async def _run(self) -> AsyncGenerator[BridgeEvent, None]:
        self._reader = threading.get_ident()
        source, attempt = self._source, 1
        while True:
            try:
                if inspect.isawaitable(source):  # an async factory's coroutine
                    try:
                        source = await source
                    except Exception as exc:  # the request failed
                        source = _FailedOpen(exc)
                # (an async generator left by ``async for`` is not closed with this one)
                async with contextlib.aclosing(self._attempt(source)) as events:
                    async for event in events:
                        yield event
                return
            except BridgeError as exc:
                step = self._next_attempt(exc, attempt)
                if step is None:
                    raise
                how, delay = step
                await asyncio.sleep(delay)
                attempt += 1
                if how == "restart":
                    restarted = Restarted(attempt, exc, delay)
                    self.stats._events([restarted])
                    yield restarted
                source = self._reopen(how)

    async def _attempt(self, source: Any) -> AsyncGenerator[BridgeEvent, None]:
        source = self._opened(source)
        if _is_raw(source):
            async with contextlib.aclosing(self._read_body(source)) as events:
                async for event in events:
                    yield event
            return
        async with AsyncExitStack() as stack:
            if not hasattr(source, "__aiter__"):
                source = await stack.enter_async_context(source)
            # An async generator (``chat.astream(...)``) closes with ``aclose``: now, not when
            # it is garbage.
            close = getattr(source, "close", None) or getattr(source, "aclose", None)
            if close is not None:
                stack.push_async_callback(close)
            self._response = _response_of(source)
            items = source.__aiter__()
            while True:
                try:
                    item = await items.__anext__()
                except StopAsyncIteration:
                    break
                except Exception as exc:
                    raise self._translator.router.failed(exc) from exc
                for event in self._step(fields(item)):
                    yield event
            for event in self._finish():
                yield event

    async def _read_body(self, stream: Any) -> AsyncGenerator[BridgeEvent, None]:
        splitter = SSESplitter()
        self._response = stream.response
        failed = http_status_error(stream.response)
        if failed is not None:
            await stream.close()
            raise self._translator.router.failed(failed)
        chunks = stream.response.aiter_bytes()
        try:
            while True:
                try:
                    chunk = await chunks.__anext__()
                except StopAsyncIteration:
                    break
                except Exception as exc:
                    error = self._translator.transport_error(stream, exc)
                    raise self._translator.router.failed(error) from error
                events, failure = self._chunk(stream, splitter, chunk)
                for event in events:
                    yield event
                if failure is not None:
                    raise failure
            for event in self._finish():
                yield event
        finally:
            await chunks.aclose()  # in this task: the body's generator is not left to the loop
            await stream.close()


def _items(stream: Any, translator: Translator, splitter: SSESplitter,
           chunk: bytes) -> Iterator[Any]:
    """The JSON of each event that ``chunk`` completes, one at a time: an error event raises
    only once the events before it were read."""
    try:
        events = splitter.feed(chunk)
    except UnicodeDecodeError as exc:
        raise translator.router.failed(exc) from exc
    for name, data in events:
        try:
            item = translator.sse(stream, name, data)
        except Exception as exc:  # an error event, JSON that does not parse: the SDK's error
            raise translator.router.failed(exc) from exc
        if item is not None:
            yield item
