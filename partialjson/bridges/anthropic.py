"""The Anthropic bridge: typed tool-call arguments and structured output from a Messages stream.

``stream(source)`` reads what the ``anthropic`` SDK gives, a raw ``messages.create(stream=True)``
stream or the ``messages.stream()`` helper (or its manager), sync or async, and yields the bridge
events (``pj.PartStarted``, ``pj.JsonEvent``, ``pj.ToolCallComplete``...), each tagged with its
:class:`Block`. Every content block is a part, keyed by its index: the inputs of ``tool_use``,
``server_tool_use`` and ``mcp_tool_use`` blocks are parsed as they stream; with ``output``, so is
the JSON of ``text`` blocks; other text and thinking pass through as text. The SDK itself is never
imported: events are read by their ``type``, so the beta stream works as well. A raw stream's body
is read directly (see ``_reader.drive``): its events are the API's JSON, not SDK objects.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from typing import Any, overload

from .._guard import Guard
from .._retry import RetryPolicy
from .._stats import StreamStats
from ._events import BridgeEvent, Part, ProviderEvent
from ._reader import OBJECT, AsyncBridgeStream, BridgeStream, drive, need, sdk
from ._router import Router
from ._sse import loads

__all__ = ["Block", "stream"]


@dataclass(frozen=True, slots=True)
class Block(Part):
    """A content block: its ``index`` in the message, its ``type``, and for tool blocks the
    tool_use ``id`` and the tool ``name``."""

    index: int
    type: str
    id: str | None = None
    name: str | None = None

    def __str__(self) -> str:
        tool = f" {self.name!r} ({self.id})" if self.name is not None else ""
        return f"{self.type} block {self.index}{tool}"


_TOOL_BLOCKS = frozenset({"tool_use", "server_tool_use", "mcp_tool_use"})
_DELTA_TEXT = {
    "input_json_delta": "partial_json",
    "text_delta": "text",
    "thinking_delta": "thinking",
}
# The helper's own events, each a copy of a raw delta it has just yielded.
_HELPER_EVENTS = frozenset({"text", "input_json", "citation", "thinking", "signature"})


class _Messages:
    """Reads Messages stream events into the router."""

    def __init__(self, router: Router, prefill: str) -> None:
        self.router = router
        self._prefill = prefill
        self._stop_reason: str | None = None
        self._stopped = False

    def feed(self, event: Any) -> list[BridgeEvent]:
        kind = need(event, "type", str)
        if kind == "content_block_delta":
            delta = need(event, "delta", OBJECT)
            field = _DELTA_TEXT.get(need(delta, "type", str))
            if field is None:  # citations, signatures
                return [ProviderEvent(sdk(event))]
            return self.router.feed(need(event, "index", int), need(delta, field, str))
        if kind == "content_block_start":
            return self._start(need(event, "index", int), need(event, "content_block", OBJECT))
        if kind == "content_block_stop":
            return self.router.end(need(event, "index", int))
        if kind in _HELPER_EVENTS:
            return []
        if kind == "message_delta":
            self._stop_reason = need(need(event, "delta", OBJECT), "stop_reason", str, True)
        elif kind == "message_stop":
            self._stopped = True
        return [ProviderEvent(sdk(event))]

    def _start(self, index: int, block: Any) -> list[BridgeEvent]:
        kind = need(block, "type", str)
        router = self.router
        data = sdk(block)
        if kind in _TOOL_BLOCKS:
            id, name = need(block, "id", str), need(block, "name", str)
            part = Block(index, kind, id, name)
            # the input of a block no delta fills
            empty = json.dumps(need(block, "input", dict, True) or {})
            return router.start(index, part, data, "json", (id, name), empty=empty)
        part = Block(index, kind)
        if kind == "text" and router.output is not None:
            prefill, self._prefill = self._prefill, ""
            return router.start(index, part, data, "json", prefix=prefill)
        text = kind in ("text", "thinking")
        return router.start(index, part, data, "text" if text else "nothing")

    def finish(self) -> list[BridgeEvent]:
        return self.router.finish(self._stop_reason, self._stopped)

    # -- a raw stream's body, read as the SDK's Stream reads it (anthropic/_streaming.py) ---------
    def sse(self, stream: Any, name: str | None, data: str) -> Any:
        if name is None or name == "ping":  # the SDK reads named events only
            return None
        if name == "error":
            try:
                body: Any = json.loads(data)
                message = f"{body}"
            except ValueError:
                body = data
                message = data or f"Error code: {stream.response.status_code}"
            # The SDK's own error for it: an APIStatusError (status 200), the event as its body.
            import anthropic  # (loaded already: the stream is the SDK's)

            raise anthropic.APIStatusError(message, response=stream.response, body=body)
        return loads(data) if data else None

    def transport_error(self, stream: Any, error: Exception) -> Exception:
        return error  # the SDK lets httpx2's errors through


@overload
def stream(
    source: AsyncIterable[Any] | AbstractAsyncContextManager[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    prefill: str = "",
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> AsyncBridgeStream: ...
@overload
def stream(
    source: Iterable[Any] | AbstractContextManager[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    prefill: str = "",
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> BridgeStream: ...
def stream(
    source: Any,
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    prefill: str = "",
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> Any:
    """The events of an Anthropic Messages stream, as it streams.

    Args:
        source: ``client.messages.create(..., stream=True)``, or ``client.messages.stream(...)``
            (the manager or the stream it opens); from ``AsyncAnthropic`` it gives an async
            iterator.
        tools: ``{tool name: model}``: the inputs of these tools are validated against their
            model while they stream (any type a pydantic ``TypeAdapter`` takes); other tools'
            inputs are parsed as plain JSON.
        output: the model of a structured output: every ``text`` block is read as that JSON
            (``output_config`` / ``output_format``, or a prefill).
        early_stop: on the first certain schema violation, close the response (the model stops
            generating) and raise :class:`InvalidPart`.
        prefill: the start of the JSON that the request's last assistant turn already holds
            (e.g. ``"{"``); the first text block continues it.
        extract: with ``output``, find its JSON in the text (prose, a ```json fence), as
            ``JsonStream(extract=True)`` does; the prose comes as ``TextDelta`` events.
        guards: content rules (``pj.Guard``) on the strings of tool calls and outputs and on
            text parts: ``"redact"`` masks matches before they reach any event, ``"flag"``
            adds ``pj.GuardFlagged`` events, ``"stop"`` closes the response and raises
            :class:`InvalidPart` whose ``error`` is a ``pj.GuardViolation``.
        cancel: a ``threading.Event`` (or ``asyncio.Event``, async) that cancels the stream
            when set, as ``.cancel()`` does.
        retry: a :class:`~partialjson.RetryPolicy`; ``source`` is then a factory (a callable
            that opens a new stream), called again for each restart.
        stats: the :class:`~partialjson.StreamStats` to fill in (for other clocks); by default
            a new one, as ``.stats``.

    Returns:
        A :class:`~partialjson.bridges.BridgeStream` (``AsyncBridgeStream``) of the events,
        with ``.cancel()``, ``.stats``, and ``close()`` / ``with``.
    """
    def translator() -> _Messages:
        return _Messages(Router(tools, output, early_stop, extract, guards), prefill)

    return drive(source, translator, cancel=cancel, retry=retry, stats=stats)
