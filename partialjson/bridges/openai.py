"""The OpenAI bridge: typed tool-call arguments and structured output from Chat Completions and
Responses streams.

``stream(source)`` reads what the ``openai`` SDK gives, sync or async: a raw
``chat.completions.create(stream=True)`` or ``responses.create(stream=True)`` stream, or the
``chat.completions.stream()`` / ``responses.stream()`` helper (or its manager). It yields the
bridge events (``pj.PartStarted``, ``pj.JsonEvent``, ``pj.ToolCallComplete``...), each tagged
with a :class:`ChatPart` or a :class:`ResponsePart`.

Chat: each tool call is a part, keyed by choice and tool-call index, and complete when its JSON
document is, so the chunks of parallel calls may interleave freely. Message content is the output
(with ``output``) or text; a refusal is text. Responses: function and MCP calls by output index,
output text (JSON with ``output``), refusals and reasoning by output and content index. The SDK
is never imported by this module (only its errors, when a stream from it fails): items are read by
their shape and ``type``. A raw stream's body is read directly (see ``_reader.drive``): its events
are the API's JSON, not SDK objects.
"""

from __future__ import annotations

import asyncio
import ssl
import sys
import threading
from collections.abc import AsyncIterable, Callable, Hashable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from typing import Any, overload

from .._guard import Guard
from .._retry import RetryPolicy
from .._stats import StreamStats
from ._events import BridgeEvent, Part, ProviderEvent
from ._reader import OBJECT, AsyncBridgeStream, BridgeStream, Malformed, describe, drive, need, sdk
from ._router import Reads, Router
from ._sse import loads

__all__ = ["ChatPart", "ResponsePart", "stream"]


@dataclass(frozen=True, slots=True)
class ChatPart(Part):
    """A part of a Chat Completions choice: ``type`` is ``"content"``, ``"refusal"`` or the tool
    call's type (``"function"``); a tool call has its ``index``, ``id`` and ``name``."""

    choice: int
    type: str
    index: int | None = None
    id: str | None = None
    name: str | None = None

    def __str__(self) -> str:
        if self.index is None:
            return f"{self.type} of choice {self.choice}"
        return f"tool call {self.index} {self.name!r} ({self.id}) of choice {self.choice}"


@dataclass(frozen=True, slots=True)
class ResponsePart(Part):
    """A part of a Responses output: the item at ``output_index`` (its ``type``, ``item_id``, and
    for a call its ``call_id`` and ``name``), or one of its content parts (``content_index``;
    ``type`` is the content's: ``output_text``, ``refusal``, ``reasoning_text``...)."""

    output_index: int
    type: str
    item_id: str | None = None
    content_index: int | None = None
    call_id: str | None = None
    name: str | None = None

    def __str__(self) -> str:
        where = f"output {self.output_index}"
        if self.content_index is not None:
            where += f" content {self.content_index}"
        call = f" {self.name!r} ({self.call_id or self.item_id})" if self.name is not None else ""
        return f"{self.type}{call} at {where}"


# Responses events by what they do; item types by what they hold.
_CALLS = frozenset({"function_call", "mcp_call"})
_TEXT_ITEMS = frozenset({"custom_tool_call"})
_DELTAS = frozenset({
    "response.function_call_arguments.delta",
    "response.mcp_call_arguments.delta",
    "response.custom_tool_call_input.delta",
    "response.output_text.delta",
    "response.refusal.delta",
    "response.reasoning_text.delta",
    "response.reasoning_summary_text.delta",
})
_PART_ADDED = frozenset({"response.content_part.added", "response.reasoning_summary_part.added"})
_ENDS = frozenset({
    "response.output_item.done",
    "response.content_part.done",
    "response.reasoning_summary_part.done",
})
_DONE = frozenset({
    "response.function_call_arguments.done",
    "response.mcp_call_arguments.done",
    "response.custom_tool_call_input.done",
    "response.output_text.done",
    "response.refusal.done",
    "response.reasoning_text.done",
    "response.reasoning_summary_text.done",
})
_FINAL = frozenset({"response.completed", "response.incomplete"})


class _Reader:
    """Reads Chat Completions chunks and Responses events, whichever the source gives."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._finish_reasons: dict[int, str | None] = {}  # choice -> finish_reason, once seen
        self._open: dict[int, list[Hashable]] = {}  # choice -> keys of its parts
        self._responses = False
        self._ended = False  # Responses: completed or incomplete
        self._stop_reason: str | None = None  # Responses: why it is incomplete
        self._done = False  # a raw stream's "[DONE]" came
        self._ids: dict[Hashable, str | None] = {}  # Chat: each tool call's id, by its key
        self._last: dict[int, int] = {}  # Chat: choice -> index of its last call begun

    def feed(self, item: Any) -> list[BridgeEvent]:
        kind = need(item, "type", str, True)
        if kind is None and (item.get("object") == "chat.completion.chunk"
                             or item.get("choices") is not None):
            # (Azure's first chunk, of prompt filter results, has "object": "")
            return self._chunk(item)
        if kind == "chunk":  # the Chat helper's event wrapping the raw chunk
            return self._chunk(need(item, "chunk", OBJECT))
        if kind is not None and (kind.startswith("response.") or kind == "error"):
            self._responses = True
            return self._event(kind, item)
        return []  # the Chat helper's own events, each derived from a chunk it has yielded

    def finish(self) -> list[BridgeEvent]:
        if self._responses:
            return self.router.finish(self._stop_reason, self._ended)
        reasons = self._finish_reasons.values()
        ended = bool(reasons) and None not in reasons
        notable = next((r for r in reasons if r not in (None, "stop", "tool_calls")), None)
        return self.router.finish(notable, ended)

    # -- a raw stream's body, read as the SDK's Stream reads it (openai/_streaming.py) ----------
    def sse(self, stream: Any, name: str | None, data: str) -> Any:
        if self._done or data.startswith("[DONE]"):  # what follows is read, and ignored
            self._done = True
            return None
        item = loads(data)
        if isinstance(item, dict) and item.get("error"):
            import openai  # (loaded already: the stream is the SDK's)

            error = item["error"]
            message = error.get("message") if isinstance(error, dict) else None
            if not message or not isinstance(message, str):
                message = "An error occurred during streaming"
            raise openai.APIError(message=message, request=stream.response.request, body=error)
        return item

    def transport_error(self, stream: Any, error: Exception) -> Exception:
        """The SDK's APITimeoutError or APIConnectionError for an HTTP library's error, told by
        the public classes of whichever of httpx and httpx2 is loaded (SDKs before 3.x run on
        httpx, and older ones let its errors through unwrapped: wrapping them here is safe)."""
        import openai

        loaded = [module for module in (sys.modules.get("httpx2"), sys.modules.get("httpx"))
                  if module is not None]
        request = stream.response.request
        if isinstance(error, tuple(module.TimeoutException for module in loaded)):
            wrapped: Exception = openai.APITimeoutError(request=request)
        elif isinstance(error, (*(module.RequestError for module in loaded), ssl.SSLError)):
            wrapped = openai.APIConnectionError(request=request)
        else:
            return error
        wrapped.__cause__ = error
        return wrapped

    # -- Chat Completions ----------------------------------------------------------------------
    def _chunk(self, chunk: Any) -> list[BridgeEvent]:
        router = self.router
        events: list[BridgeEvent] = []
        choices = need(chunk, "choices", list, True) or []  # (null: none, as [] says)
        passes = chunk.get("usage") is not None or not choices
        for choice in choices:
            if not isinstance(choice, OBJECT):
                raise Malformed("a choice is an object")
            at = need(choice, "index", int)
            # Azure's content filter annotates a choice in chunks of their own, without delta.
            delta = need(choice, "delta", OBJECT, True)
            self._finish_reasons.setdefault(at, None)
            if delta is None:
                passes = True
            else:
                content = need(delta, "content", str, True)
                if content:
                    events += self._text(at, "content", content)
                refusal = need(delta, "refusal", str, True)
                if refusal:
                    events += self._text(at, "refusal", refusal)
                for call in need(delta, "tool_calls", list, True) or ():
                    events += self._call(at, call)
            reason = need(choice, "finish_reason", str, True)
            if reason is not None:
                self._finish_reasons[at] = reason
                for key in self._open.pop(at, ()):
                    events += router.end(key)
                passes = True
        if passes:  # stop reasons, usage, content filter results
            events.append(ProviderEvent(sdk(chunk)))
        return events

    def _call(self, at: int, call: Any) -> list[BridgeEvent]:
        """A fragment of a tool call; the first one names it (id, name, arguments ``""``)."""
        if not isinstance(call, OBJECT):
            raise Malformed("a tool call is an object")
        router = self.router
        function = need(call, "function", OBJECT, True)
        id = need(call, "id", str, True)
        index = need(call, "index", int, True)
        if index is None:
            index = self._unindexed(at, id)
        key = (at, index)
        events: list[BridgeEvent] = []
        if key not in router:
            name = (function and need(function, "name", str, True)) or ""  # ("" if absent)
            part = ChatPart(at, need(call, "type", str, True) or "function", index, id, name)
            self._open.setdefault(at, []).append(key)
            self._ids[key] = id
            self._last[at] = index
            events = router.start(key, part, sdk(call), "json", (id or "", name))
        elif id and self._ids[key] and id != self._ids[key]:  # a second call at the index
            raise router.failed(f"tool call {index} of choice {at} ({self._ids[key]}) got a "
                                f"fragment of another call ({id})")
        arguments = function and need(function, "arguments", str, True)
        if arguments:
            events += router.feed(key, arguments)
        return events

    def _unindexed(self, at: int, id: str | None) -> int:
        """The index of a tool-call fragment that has none (as some OpenAI-compatible servers
        send them): one with an id other than the last call's begins the next call; any other
        continues the last call."""
        last = self._last.get(at)
        if last is None:
            return 0
        if id and id != self._ids[(at, last)]:
            return last + 1
        return last

    def _text(self, at: int, kind: str, text: str) -> list[BridgeEvent]:
        key = (at, kind)
        router = self.router
        if key in router:
            return router.feed(key, text)
        self._open.setdefault(at, []).append(key)
        reads: Reads = "json" if kind == "content" and router.output is not None else "text"
        events = router.start(key, ChatPart(at, kind), None, reads)
        return events + router.feed(key, text)

    # -- Responses -----------------------------------------------------------------------------
    def _event(self, kind: str, event: Any) -> list[BridgeEvent]:
        router = self.router
        if kind in _DELTAS:
            return router.feed(_key(event), need(event, "delta", str))
        if kind == "response.output_item.added":
            return self._item(need(event, "output_index", int), need(event, "item", OBJECT))
        if kind in _PART_ADDED:
            return self._content(event)
        if kind in _ENDS:
            return router.end(_key(event))
        if kind in _DONE:  # the whole text of what the deltas already gave
            return []
        if kind == "error" or kind == "response.failed":
            raise router.failed(_failure(kind, event))
        if kind in _FINAL:
            details = need(need(event, "response", OBJECT), "incomplete_details", OBJECT, True)
            self._stop_reason = None if details is None else need(details, "reason", str, True)
            self._ended = True
        return [ProviderEvent(sdk(event))]

    def _item(self, at: int, item: Any) -> list[BridgeEvent]:
        kind = need(item, "type", str)
        name = need(item, "name", str, True)
        item_id = need(item, "id", str, True)
        call_id = need(item, "call_id", str, True)
        part = ResponsePart(at, kind, item_id, None, call_id, name)
        if kind in _CALLS:
            call = (call_id or need(item, "id", str), name or "")  # a call must be answerable
            return self.router.start((at,), part, sdk(item), "json", call)
        # A message's or a reasoning item's text comes in content parts of its own.
        text = kind in _TEXT_ITEMS
        return self.router.start((at,), part, sdk(item), "text" if text else "nothing")

    def _content(self, event: Any) -> list[BridgeEvent]:
        content = need(event, "part", OBJECT)
        key = _key(event)
        kind = need(content, "type", str)
        part = ResponsePart(key[0], kind, need(event, "item_id", str, True), key[-1])
        is_json = kind == "output_text" and self.router.output is not None
        reads: Reads = "json" if is_json else "text"
        return self.router.start(key, part, sdk(content), reads)


def _key(event: Any) -> tuple[Any, ...]:
    """An output item by its index; a content or summary part by output index and its own."""
    at = need(event, "output_index", int)
    for name in ("content_index", "summary_index"):
        index = need(event, name, int, True)
        if index is not None:
            return (at, name, index)
    return (at,)


def _failure(kind: str, event: Any) -> str:
    """What an error event or a failed response says (whatever shape it has: it fails)."""
    error = event if kind == "error" else event.get("response")
    if kind != "error" and isinstance(error, OBJECT):
        error = error.get("error")
    if not isinstance(error, OBJECT):
        return f"{kind}: {describe(error)}"
    return f"{kind}: {error.get('code')}: {error.get('message')}"


@overload
def stream(
    source: AsyncIterable[Any] | AbstractAsyncContextManager[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
    resume: Callable[[str, int], Any] | None = None,
) -> AsyncBridgeStream: ...
@overload
def stream(
    source: Iterable[Any] | AbstractContextManager[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
    resume: Callable[[str, int], Any] | None = None,
) -> BridgeStream: ...
def stream(
    source: Any,
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
    resume: Callable[[str, int], Any] | None = None,
) -> Any:
    """The events of an OpenAI Chat Completions or Responses stream, as it streams.

    Args:
        source: ``client.chat.completions.create(..., stream=True)``,
            ``client.responses.create(..., stream=True)``, or the ``.stream(...)`` helper of
            either (the manager or the stream it opens); from ``AsyncOpenAI`` it gives an async
            iterator.
        tools: ``{function name: model}``: these functions' arguments are validated against their
            model while they stream; other calls' arguments are parsed as plain JSON.
        output: the model of a structured output: Chat message content (``response_format``),
            Responses output text (``text.format``).
        early_stop: on the first certain schema violation, close the response (the model stops
            generating) and raise :class:`InvalidPart`.
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
        resume: with ``retry``, for a Responses ``background=True`` stream whose connection
            drops: ``resume(response_id, sequence_number)`` reopens it after the last event
            read (``client.responses.retrieve(id, stream=True, starting_after=n)``); the
            parsers carry on, and no event is repeated.

    Returns:
        A :class:`~partialjson.bridges.BridgeStream` (``AsyncBridgeStream``) of the events,
        with ``.cancel()``, ``.stats``, and ``close()`` / ``with``.
    """
    return drive(source, lambda: _Reader(Router(tools, output, early_stop, extract, guards)),
                 cancel=cancel, retry=retry, stats=stats, resume=resume)
