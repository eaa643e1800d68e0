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
their shape and ``type``. A raw stream's body is read directly (see ``_bridge.drive``): its events
are the API's JSON, not SDK objects.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Hashable, Iterable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from typing import Any, overload

from ._bridge import BridgeEvent, Part, ProviderEvent, Reads, Router, drive, sdk

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

    def feed(self, item: Any) -> list[BridgeEvent]:
        if item.get("object") == "chat.completion.chunk":
            return self._chunk(item)
        kind = item.get("type")
        if kind == "chunk":  # the Chat helper's event wrapping the raw chunk
            return self._chunk(item["chunk"])
        if isinstance(kind, str) and (kind.startswith("response.") or kind == "error"):
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
        item = json.loads(data)
        if isinstance(item, dict) and item.get("error"):
            import openai  # (loaded already: the stream is the SDK's)

            error = item["error"]
            message = error.get("message") if isinstance(error, dict) else None
            if not message or not isinstance(message, str):
                message = "An error occurred during streaming"
            raise openai.APIError(message=message, request=stream.response.request, body=error)
        return item

    def transport_error(self, stream: Any, error: Exception) -> Exception:
        import openai
        from openai._httpx2 import request_exceptions, timeout_exceptions

        request = stream.response.request
        if isinstance(error, timeout_exceptions()):
            wrapped: Exception = openai.APITimeoutError(request=request)
        elif isinstance(error, request_exceptions()):
            wrapped = openai.APIConnectionError(request=request)
        else:
            return error
        wrapped.__cause__ = error
        return wrapped

    # -- Chat Completions ----------------------------------------------------------------------
    def _chunk(self, chunk: Any) -> list[BridgeEvent]:
        router = self.router
        events: list[BridgeEvent] = []
        choices = chunk["choices"]
        passes = chunk.get("usage") is not None or not choices
        for choice in choices:
            at = choice["index"]
            delta = choice["delta"]
            self._finish_reasons.setdefault(at, None)
            content = delta.get("content")
            if content:
                events += self._text(at, "content", content)
            refusal = delta.get("refusal")
            if refusal:
                events += self._text(at, "refusal", refusal)
            for call in delta.get("tool_calls") or ():
                events += self._call(at, call)
            reason = choice.get("finish_reason")
            if reason is not None:
                self._finish_reasons[at] = reason
                for key in self._open.pop(at, ()):
                    events += router.end(key)
                passes = True
        if passes:  # stop reasons and usage
            events.append(ProviderEvent(sdk(chunk)))
        return events

    def _call(self, at: int, call: Any) -> list[BridgeEvent]:
        """A fragment of a tool call; the first one names it (id, name, arguments ``""``)."""
        index = call["index"]
        key = (at, index)
        router = self.router
        function = call.get("function")
        events: list[BridgeEvent] = []
        if key not in router:
            name = (function and function.get("name")) or ""
            id = call.get("id")
            part = ChatPart(at, call.get("type") or "function", index, id, name)
            self._open.setdefault(at, []).append(key)
            events = router.start(key, part, sdk(call), "json", (id or "", name))
        arguments = function and function.get("arguments")
        if arguments:
            events += router.feed(key, arguments)
        return events

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
            return router.feed(_key(event), event["delta"])
        if kind == "response.output_item.added":
            return self._item(event["output_index"], event["item"])
        if kind in _PART_ADDED:
            return self._content(event)
        if kind in _ENDS:
            return router.end(_key(event))
        if kind in _DONE:  # the whole text of what the deltas already gave
            return []
        if kind == "error" or kind == "response.failed":
            raise router.failed(_failure(event))
        if kind in _FINAL:
            self._ended = True
            details = event["response"].get("incomplete_details")
            self._stop_reason = None if details is None else details.get("reason")
        return [ProviderEvent(sdk(event))]

    def _item(self, at: int, item: Any) -> list[BridgeEvent]:
        kind = item["type"]
        name = item.get("name")
        call_id = item.get("call_id")
        part = ResponsePart(at, kind, item["id"], None, call_id, name)
        if kind in _CALLS:
            call = (call_id or item["id"], name or "")
            return self.router.start((at,), part, sdk(item), "json", call)
        # A message's or a reasoning item's text comes in content parts of its own.
        text = kind in _TEXT_ITEMS
        return self.router.start((at,), part, sdk(item), "text" if text else "nothing")

    def _content(self, event: Any) -> list[BridgeEvent]:
        content = event["part"]
        key = _key(event)
        kind = content["type"]
        part = ResponsePart(event["output_index"], kind, event["item_id"], key[-1])
        is_json = kind == "output_text" and self.router.output is not None
        reads: Reads = "json" if is_json else "text"
        return self.router.start(key, part, sdk(content), reads)


def _key(event: Any) -> tuple[Any, ...]:
    """An output item by its index; a content or summary part by output index and its own."""
    for name in ("content_index", "summary_index"):
        index = event.get(name)
        if index is not None:
            return (event["output_index"], name, index)
    return (event["output_index"],)


def _failure(event: Any) -> str:
    kind = event["type"]
    error = event if kind == "error" else event["response"].get("error")
    code, message = (None, None) if not error else (error.get("code"), error.get("message"))
    return f"{kind}: {code}: {message}"


@overload
def stream(
    source: AsyncIterable[Any] | AbstractAsyncContextManager[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    extract: bool = False,
) -> AsyncIterator[BridgeEvent]: ...
@overload
def stream(
    source: Iterable[Any] | AbstractContextManager[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    extract: bool = False,
) -> Iterator[BridgeEvent]: ...
def stream(
    source: Any,
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    extract: bool = False,
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
    """
    return drive(source, _Reader(Router(tools, output, early_stop, extract)))
