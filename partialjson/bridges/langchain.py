"""The LangChain bridge: typed tool-call arguments and structured output from ``AIMessageChunk``s.

``stream(chunks)`` reads what any LangChain chat model streams, ``chat.stream(...)`` or
``chat.astream(...)`` (sync or async): each message chunk's ``tool_call_chunks`` (a call per
``index``: its name and id on the first fragment, argument text after), its content, a string
or a list of content blocks (Anthropic-style ``text`` / ``thinking`` / ``tool_use`` /
``input_json_delta`` blocks with their ``index``, the standard ``reasoning`` and
``tool_call_chunk`` blocks), into the bridge events. LangChain itself is never imported here:
chunks are read by their attributes, so this module works with any version, and with recorded
chunks too. ``PartialOutputParser`` and ``PartialToolsParser``, the LCEL runnables, do import
``langchain-core`` (the ``[langchain]`` extra), on first use.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from .._guard import Guard
from .._retry import RetryPolicy
from .._stats import StreamStats
from ._events import BridgeEvent, Part, ProviderEvent
from ._reader import OBJECT, Malformed, drive, need, sdk
from ._router import Reads, Router

if TYPE_CHECKING:
    from ._langchain_parsers import (
        PartialOutputParser,
        PartialToolCall,
        PartialToolsParser,
        ToolCalls,
    )

__all__ = [
    "MessagePart",
    "PartialOutputParser",
    "PartialToolCall",
    "PartialToolsParser",
    "ToolCalls",
    "stream",
]


@dataclass(frozen=True, slots=True)
class MessagePart(Part):
    """A part of a streamed AI message: ``type`` is ``"tool_call"``, ``"content"`` (string
    content) or a content block's type (``"text"``, ``"thinking"``, ``"reasoning"``...);
    ``index`` is the tool call's or the content block's index (None for string content); a
    tool call has its ``id`` and ``name``."""

    type: str
    index: int | str | None = None
    id: str | None = None
    name: str | None = None

    def __str__(self) -> str:
        if self.type == "tool_call":
            return f"tool call {self.index} {self.name!r} ({self.id})"
        return self.type if self.index is None else f"{self.type} block {self.index}"


# Content blocks that hold a tool call's start or its argument text: read only when the chunk
# has no tool_call_chunks, which LangChain fills from the same provider events.
_CALL_BLOCKS = frozenset({"tool_use", "input_json_delta", "tool_call_chunk"})
_TEXT_BLOCKS = {"text": "text", "thinking": "thinking", "reasoning": "reasoning"}
# Finish and stop reasons that say the message ended normally (OpenAI, Anthropic, Gemini).
_NORMAL = frozenset({"stop", "tool_calls", "function_call", "end_turn", "tool_use",
                     "stop_sequence", "STOP", "FINISH_REASON_UNSPECIFIED"})


class _Chunks:
    """Reads message chunks into the router."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._order: list[Hashable] = []  # every part's key, in the order they started
        self.keys: dict[Part, Hashable] = {}  # every part's key, by the part
        self._ids: dict[Hashable, str | None] = {}  # each tool call's id, by its key
        self._unindexed = 0  # calls without an index (sent whole): their count
        self._stop_reason: str | None = None

    def feed(self, chunk: Any) -> list[BridgeEvent]:
        events: list[BridgeEvent] = []
        content = chunk.get("content")
        if isinstance(content, str):
            if content:
                events += self._text(("content",), MessagePart("content"), content, True)
        elif isinstance(content, list):
            events += self._blocks(chunk, content)
        elif content is not None:
            raise Malformed("'content' is neither a string nor a list")
        calls = chunk.get("tool_call_chunks")
        if calls is None:  # a whole AIMessage (invoke, a model that does not stream)
            calls = _whole_calls(chunk)
        elif not isinstance(calls, list):
            raise Malformed("'tool_call_chunks' is not a list")
        for call in calls:
            if not isinstance(call, OBJECT):
                raise Malformed("a tool call chunk is an object")
            events += self._call(need(call, "index", (int, str), True), need(call, "id", str, True),
                                 need(call, "name", str, True), need(call, "args", str, True),
                                 call)
        if self._metadata(chunk):
            if self._stop_reason is not None or chunk.get("chunk_position") == "last":
                events += self._end_all()  # the message ended: its parts did
            events.append(ProviderEvent(sdk(chunk)))
        return events

    def _end_all(self) -> list[BridgeEvent]:
        events: list[BridgeEvent] = []
        for key in self._order:
            events += self.router.end(key)
        return events

    def _metadata(self, chunk: Any) -> bool:
        """Notes the stop reason; True for a chunk that carries one, usage, or the end."""
        metadata = chunk.get("response_metadata")
        reason = None
        if isinstance(metadata, OBJECT):
            reason = metadata.get("finish_reason") or metadata.get("stop_reason")
            details = metadata.get("incomplete_details")  # (OpenAI Responses)
            if reason is None and isinstance(details, OBJECT):
                reason = details.get("reason")
            if isinstance(reason, str):
                self._stop_reason = reason
        return (reason is not None or chunk.get("usage_metadata") is not None
                or chunk.get("chunk_position") is not None)

    def _blocks(self, chunk: Any, blocks: list[Any]) -> list[BridgeEvent]:
        events: list[BridgeEvent] = []
        has_calls = bool(chunk.get("tool_call_chunks"))
        for block in blocks:
            if isinstance(block, str):
                if block:
                    events += self._text(("content",), MessagePart("content"), block, True)
                continue
            if not isinstance(block, OBJECT):
                raise Malformed("a content block is a string or an object")
            kind = need(block, "type", str)
            index = need(block, "index", (int, str), True)
            field = _TEXT_BLOCKS.get(kind)
            if field is not None:
                text = block.get(field)
                if isinstance(text, str) and text:
                    key = ("block", index) if index is not None else ("content",)
                    part = MessagePart(kind, index) if index is not None else MessagePart("content")
                    events += self._text(key, part, text, kind == "text")
            elif kind in _CALL_BLOCKS and not has_calls:
                args = block.get("partial_json" if kind == "input_json_delta" else "args")
                events += self._call(index, need(block, "id", str, True),
                                     need(block, "name", str, True),
                                     args if isinstance(args, str) else None, block)
        return events

    def _text(self, key: Hashable, part: MessagePart, text: str,
              may_be_output: bool) -> list[BridgeEvent]:
        router = self.router
        if key in router:
            return router.feed(key, text)
        self._order.append(key)
        self.keys[part] = key
        reads: Reads = "json" if may_be_output and router.output is not None else "text"
        return router.start(key, part, None, reads) + router.feed(key, text)

    def _call(self, index: int | str | None, id: str | None, name: str | None,
              args: str | None, data: Any) -> list[BridgeEvent]:
        """A fragment of a tool call; the first one names it. A call without an index is sent
        whole: one that names a tool starts a new call, one that does not continues the last."""
        router = self.router
        if index is None:
            if name:
                self._unindexed += 1
            key: Hashable = ("unindexed", self._unindexed)
        else:
            key = ("call", index)
        events: list[BridgeEvent] = []
        if key not in router:
            part = MessagePart("tool_call", index, id, name or "")
            self._order.append(key)
            self.keys[part] = key
            self._ids[key] = id
            events = router.start(key, part, sdk(data), "json", (id or "", name or ""))
        elif id and self._ids[key] and id != self._ids[key]:  # a second call at the index
            raise router.failed(f"tool call {index} ({self._ids[key]}) got a fragment of "
                                f"another call ({id})")
        if args:
            events += router.feed(key, args)
        return events

    def finish(self) -> list[BridgeEvent]:
        """The chunks ended (an exception would have failed the stream): every part ends; a
        call or output left unfinished is an IncompleteStream, with the stop reason if any."""
        events = self._end_all()  # (parts a stop reason or the last chunk did not end)
        reason = self._stop_reason if self._stop_reason not in _NORMAL else None
        return events + self.router.finish(reason, True)

    def sse(self, stream: Any, name: str | None, data: str) -> Any:  # (no raw streams here)
        raise NotImplementedError

    def transport_error(self, stream: Any, error: Exception) -> Exception:
        return error


def _whole_calls(message: Any) -> list[dict[str, Any]]:
    """A whole message's calls as chunks: parsed ``tool_calls`` back to JSON text, and the
    ``invalid_tool_calls`` with the text LangChain could not parse (a truncated call)."""
    import json

    out: list[dict[str, Any]] = []
    for call in message.get("tool_calls") or ():
        out.append({"index": len(out), "id": call.get("id"), "name": call.get("name"),
                    "args": json.dumps(call.get("args"))})
    for call in message.get("invalid_tool_calls") or ():
        out.append({"index": len(out), "id": call.get("id"), "name": call.get("name"),
                    "args": call.get("args")})
    return out


@overload
def stream(
    chunks: AsyncIterable[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> AsyncIterator[BridgeEvent]: ...
@overload
def stream(
    chunks: Iterable[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> Iterator[BridgeEvent]: ...
def stream(
    chunks: Any,
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> Any:
    """The events of a LangChain chat model's stream, as it streams.

    Args:
        chunks: ``chat.stream(...)`` (or ``chat.bind_tools(...).stream(...)``), any iterable of
            ``AIMessageChunk``s; ``chat.astream(...)`` or any async iterable gives an async
            iterator. A whole ``AIMessage`` is read as one chunk.
        tools: ``{tool name: model}``: these tools' arguments are validated against their model
            while they stream; other calls' arguments are parsed as plain JSON.
        output: the model of a structured output: the text content (string content, ``text``
            blocks) is read as that JSON.
        early_stop: on the first certain schema violation, close the chunks' iterator (a chat
            model's stream closes its HTTP response: the model stops generating) and raise
            :class:`InvalidPart`.
        extract: with ``output``, find its JSON in the text (prose, a ```json fence).
        guards, cancel, retry, stats: as for :func:`partialjson.anthropic.stream` (with
            ``retry``, the source is a callable that opens a new stream).
    """
    def translator() -> _Chunks:
        return _Chunks(Router(tools, output, early_stop, extract, guards))

    return drive(chunks, translator, cancel=cancel, retry=retry, stats=stats)


def __getattr__(name: str) -> Any:
    """The LCEL runnables, built on langchain-core: imported on first use."""
    if name in ("PartialOutputParser", "PartialToolsParser", "PartialToolCall", "ToolCalls"):
        try:
            from . import _langchain_parsers
        except ImportError as exc:
            raise ImportError(
                f"partialjson.langchain.{name} needs langchain-core: "
                "pip install 'partialjson-toolkit[langchain]'") from exc
        return getattr(_langchain_parsers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
