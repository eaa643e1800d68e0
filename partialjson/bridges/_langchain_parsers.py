"""The LCEL runnables of the LangChain bridge: ``chat | PartialOutputParser(Model)`` and
``chat | PartialToolsParser(tools=...)``, built on langchain-core (imported by this module only,
which ``partialjson.langchain`` loads on first use).

Both are output parsers whose ``transform`` reads the chat model's chunks as they come (LCEL
hands a parser the previous step's stream) and, after each chunk that moved the JSON on, yields
the validated value so far; ``invoke`` reads a whole message the same way and returns the final
value. Every chunk is read once (the bridge's router): no re-parsing of the accumulated message.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.output_parsers.transform import BaseTransformOutputParser
from langchain_core.outputs import ChatGeneration, Generation
from pydantic import ConfigDict

from ._events import (
    BridgeEvent,
    IncompleteStream,
    JsonEvent,
    OutputComplete,
    Part,
    PartStarted,
    ToolCallComplete,
)
from ._reader import fields, translate
from ._router import Router
from .langchain import MessagePart, _Chunks

__all__ = ["PartialOutputParser", "PartialToolCall", "PartialToolsParser", "ToolCalls"]

_NOTHING: Any = object()  # a chunk that changed nothing


@dataclass(frozen=True, slots=True)
class PartialToolCall:
    """A tool call as far as it streamed: ``args`` is the validated partial object of a listed
    tool (plain JSON for another) until ``complete``, then the validated model."""

    id: str
    name: str
    args: Any
    complete: bool


class ToolCalls(list[PartialToolCall]):
    """The calls so far, as ``PartialToolsParser`` yields them: a snapshot, not a piece of one.
    LangChain adds up what a runnable streams (``+``) for its run's output; snapshots refuse
    ``+``, so it keeps the last one, instead of concatenating every snapshot (a quadratic cost,
    and a wrong output)."""

    def __add__(self, other: object) -> Any:
        return NotImplemented


class _Follower:
    """One message's chunks through the bridge's reader; ``feed`` gives the parser's new value
    after a chunk, or _NOTHING when the chunk moved no JSON on."""

    def __init__(self, tools: Mapping[str, Any] | None, output: Any, early_stop: bool,
                 extract: bool, first_tool_only: bool) -> None:
        self.reader = _Chunks(Router(tools, output, early_stop, extract))
        self.tools_mode = tools is not None
        self.first_tool_only = first_tool_only
        self.calls: dict[Part, PartialToolCall] = {}  # the tool calls so far, in order
        self.output: Part | None = None
        self.final: Any = _NOTHING

    def feed(self, item: Any) -> Any:
        if isinstance(item, str):  # an LLM's text, not a chat model's message
            item = AIMessageChunk(content=item)
        return self._after(translate(self.reader, fields(item)))

    def finish(self) -> Any:
        value = self._after(self.reader.finish())
        if self.tools_mode and not self.calls:
            if not self.first_tool_only:
                return ToolCalls()
        elif self.tools_mode or self.final is not _NOTHING:
            return value
        what = "tool call" if self.tools_mode else "structured output"
        raise IncompleteStream(f"the message held no {what}", None, [], None,
                               *self.reader.router._snapshot())

    def _after(self, events: list[BridgeEvent]) -> Any:
        moved = False
        for event in events:
            part = getattr(event, "part", None)
            if not isinstance(part, MessagePart):
                continue
            if type(event) is PartStarted:
                if part.type == "tool_call":
                    self.calls[part] = PartialToolCall(part.id or "", part.name or "", None, False)
                    moved = moved or self.tools_mode
                elif self.output is None and part.type in ("content", "text"):
                    self.output = part  # (read as JSON: the router has an output model)
            elif type(event) is JsonEvent:
                moved = moved or part == self.output or (self.tools_mode and part in self.calls)
            elif type(event) is ToolCallComplete:
                self.calls[part] = PartialToolCall(event.id, event.name, event.value, True)
                moved = moved or self.tools_mode
            elif type(event) is OutputComplete and part == self.output:
                self.final = event.value
                return event.value
        if not moved:
            return _NOTHING
        return self._tools_value() if self.tools_mode else self._value(self.output)

    def _value(self, part: Part | None) -> Any:
        return None if part is None else self.reader.router.value(self.reader.keys[part])

    def _tools_value(self) -> Any:
        calls = ToolCalls(call if call.complete else PartialToolCall(call.id, call.name,
                                                                     self._value(part), False)
                          for part, call in self.calls.items())
        if self.first_tool_only:
            return calls[0].args if calls else _NOTHING
        return calls


class _PartialParser(BaseTransformOutputParser[Any]):
    """What both parsers share: reading chunks as they come, and a whole message at once."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    early_stop: bool = True

    def _follower(self) -> _Follower:
        raise NotImplementedError

    def _transform(self, input: Iterator[str | BaseMessage]) -> Iterator[Any]:
        follower = self._follower()
        for item in input:
            value = follower.feed(item)
            if value is not _NOTHING:
                yield value
        value = follower.finish()
        if value is not _NOTHING:
            yield value

    async def _atransform(self, input: AsyncIterator[str | BaseMessage]) -> AsyncIterator[Any]:
        follower = self._follower()
        async for item in input:
            value = follower.feed(item)
            if value is not _NOTHING:
                yield value
        value = follower.finish()
        if value is not _NOTHING:
            yield value

    # An error (an early stop) closes the stream this parser reads, so the chat model's
    # response closes at once rather than when the stream is garbage.
    def transform(self, input: Iterator[str | BaseMessage], config: Any = None,
                  **kwargs: Any) -> Iterator[Any]:
        try:
            yield from super().transform(input, config, **kwargs)
        except BaseException:
            close = getattr(input, "close", None)
            if close is not None:
                close()
            raise

    async def atransform(self, input: AsyncIterator[str | BaseMessage], config: Any = None,
                         **kwargs: Any) -> AsyncIterator[Any]:
        try:
            async for value in super().atransform(input, config, **kwargs):
                yield value
        except BaseException:
            aclose = getattr(input, "aclose", None)
            if aclose is not None:
                await aclose()
            raise

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        """A whole message (``invoke``): its final value, or with ``partial`` the value so far
        (None if there is none)."""
        generation = result[0]
        item: Any = (generation.message if isinstance(generation, ChatGeneration)
                     else generation.text)
        follower = self._follower()
        value = follower.feed(item)
        try:
            last = follower.finish()
        except IncompleteStream:
            if not partial:
                raise
            last = _NOTHING
        if last is not _NOTHING:
            value = last
        return None if value is _NOTHING else value

    def parse(self, text: str) -> Any:
        return self.parse_result([Generation(text=text)])


class PartialOutputParser(_PartialParser):
    """``chat | PartialOutputParser(Model)``: the structured output in the message's text
    (``response_format`` / JSON mode / a prompt asking for JSON), as validated partial
    ``Model`` objects while it streams, then the final ``Model`` (==
    ``Model.model_validate_json``). The partial object is one object filled in place (copy it
    to keep a snapshot). Raises ``pj.InvalidPart`` at the first certain schema violation, and
    ``pj.IncompleteStream`` for an output cut short.

    Args:
        model: any type a pydantic ``TypeAdapter`` takes, or a JSON Schema dict.
        early_stop: raise at the first certain violation (else when the output ends).
        extract: find the JSON in prose or a ```json fence.
    """

    model: Any
    extract: bool = False

    def __init__(self, model: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("model", model)
        super().__init__(**kwargs)

    def _follower(self) -> _Follower:
        return _Follower(None, self.model, self.early_stop, self.extract, False)

    @property
    def OutputType(self) -> Any:  # (langchain's name)
        return self.model

    @property
    def _type(self) -> str:
        return "partialjson_output"


class PartialToolsParser(_PartialParser):
    """``chat.bind_tools([...]) | PartialToolsParser(tools={name: Model})``: the message's tool
    calls as they stream, a list of :class:`PartialToolCall` (validated partial arguments, then
    the validated model once a call is whole); with ``first_tool_only``, the first call's
    arguments alone. A call cut short is never complete: ``pj.IncompleteStream``.
    """

    tools: dict[str, Any]
    first_tool_only: bool = False

    def _follower(self) -> _Follower:
        return _Follower(self.tools, None, self.early_stop, False, self.first_tool_only)

    @property
    def OutputType(self) -> Any:  # (langchain's name)
        return Any if self.first_tool_only else list[PartialToolCall]

    @property
    def _type(self) -> str:
        return "partialjson_tools"
