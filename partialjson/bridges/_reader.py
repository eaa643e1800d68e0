"""Reading a source through a provider's translator: SDK streams and helpers (sync and async),
the managers that open them, raw streams' bodies (read here, past the SDK's decoding), and plain
iterables of recorded events.
"""

from __future__ import annotations

import reprlib
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, ExitStack
from typing import Any, Protocol

from ._events import BridgeEvent
from ._router import Router
from ._sse import SSESplitter


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


def drive(source: Any, translator: Translator) -> Any:
    """Read ``source`` (an SDK stream or helper, the manager that opens one, or any iterable
    of SDK events or of the provider's JSON events) through ``translator``: an iterator of
    events, or an async one for an async source."""
    is_async = hasattr(source, "__aiter__") or hasattr(source, "__aenter__")
    if _is_raw(source):
        reader = _read_body_async if is_async else _read_body
        return reader(source, translator)
    return _read_async(source, translator) if is_async else _read(source, translator)


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
    are read as they are: their users expect what they accumulate.)"""
    kind = type(source).__name__
    return kind in ("Stream", "AsyncStream") and hasattr(getattr(source, "response", None),
                                                         "iter_bytes")


def _read(source: Any, translator: Translator) -> Iterator[BridgeEvent]:
    with ExitStack() as stack:
        if not hasattr(source, "__iter__"):  # a helper's manager: open the helper
            source = stack.enter_context(source)
        # Closing the HTTP response stops the provider generating: at once on an error (an
        # early stop), or when the caller stops iterating. After a full read it is a no-op.
        if hasattr(source, "close"):  # (a list of recorded events has nothing to close)
            stack.callback(source.close)
        items = iter(source)
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except Exception as exc:  # an error event, a dropped connection: the SDK's own error
                raise translator.router.failed(exc) from exc
            yield from translate(translator, fields(item))
        yield from translator.finish()


async def _read_async(source: Any, translator: Translator) -> AsyncIterator[BridgeEvent]:
    async with AsyncExitStack() as stack:
        if not hasattr(source, "__aiter__"):
            source = await stack.enter_async_context(source)
        if hasattr(source, "close"):
            stack.push_async_callback(source.close)
        items = source.__aiter__()
        while True:
            try:
                item = await items.__anext__()
            except StopAsyncIteration:
                break
            except Exception as exc:
                raise translator.router.failed(exc) from exc
            for event in translate(translator, fields(item)):
                yield event
        for event in translator.finish():
            yield event


# A raw stream's body is read here rather than through the SDK's stream, whose decoding and
# event objects cost more than the bridge itself; the provider's ``sse`` and
# ``transport_error`` keep the SDK's errors. Closing the stream closes the HTTP response, as above.
def _read_body(stream: Any, translator: Translator) -> Iterator[BridgeEvent]:
    splitter = SSESplitter()
    chunks = stream.response.iter_bytes()
    try:
        while True:
            try:
                chunk = next(chunks)
            except StopIteration:
                break
            except Exception as exc:
                error = translator.transport_error(stream, exc)
                raise translator.router.failed(error) from error
            for item in _items(stream, translator, splitter, chunk):
                yield from translate(translator, item)
        yield from translator.finish()
    finally:
        chunks.close()
        stream.close()


async def _read_body_async(stream: Any, translator: Translator) -> AsyncIterator[BridgeEvent]:
    splitter = SSESplitter()
    chunks = stream.response.aiter_bytes()
    try:
        while True:
            try:
                chunk = await chunks.__anext__()
            except StopAsyncIteration:
                break
            except Exception as exc:
                error = translator.transport_error(stream, exc)
                raise translator.router.failed(error) from error
            for item in _items(stream, translator, splitter, chunk):
                for event in translate(translator, item):
                    yield event
        for event in translator.finish():
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
