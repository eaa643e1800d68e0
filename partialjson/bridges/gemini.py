"""The Gemini bridge: typed function-call arguments and structured output from a google-genai
stream.

``stream(source)`` reads what ``client.models.generate_content_stream(...)`` yields (or
``client.aio.models.generate_content_stream(...)``, awaited or not), or any iterable of its
chunks, SDK objects or the API's JSON (camelCase or snake_case). Each candidate's parts are
parts here too: its text (the JSON of ``response_schema`` / ``response_json_schema`` with
``output``), its thought summary, and each function call. A call comes whole (``args``), or, with
``stream_function_call_arguments`` (Vertex AI), as path-addressed ``partial_args``: these are
written as JSON text, piece by piece, into the call's parser, so they give the same events and
the same validated partial objects as text, each ``ValueCompleted`` the moment its path is done.
The SDK is never imported by this module: chunks are read by their shape.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import json
import math
import re
import threading
import types
from collections.abc import (
    AsyncIterable,
    Awaitable,
    Hashable,
    Iterable,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from typing import Any, overload

from .._guard import Guard
from .._retry import RetryPolicy
from .._stats import StreamStats
from ._events import BridgeEvent, Part, ProviderEvent
from ._reader import (
    AsyncBridgeStream,
    AsyncRawBody,
    BridgeStream,
    Malformed,
    RawBody,
    drive,
    sdk,
)
from ._router import Reads, Router
from ._sse import loads

__all__ = ["GeminiPart", "stream"]


@dataclass(frozen=True, slots=True)
class GeminiPart(Part):
    """A part of a candidate's content: ``type`` is ``"text"``, ``"thought"`` or
    ``"function_call"``; a call has its ``index`` among the candidate's calls, its ``name``, and
    its ``id`` when the API gives one."""

    candidate: int
    type: str
    index: int | None = None
    name: str | None = None
    id: str | None = None

    def __str__(self) -> str:
        if self.index is None:
            return f"{self.type} of candidate {self.candidate}"
        id = f" ({self.id})" if self.id else ""
        return f"function call {self.index} {self.name!r}{id} of candidate {self.candidate}"


# Chunks are read as they come, SDK objects or the API's JSON, without wrapping either (as the
# other bridges' Fields do): a chunk holds few events, and wrapping each field doubled its cost.
def _field(obj: Any, name: str) -> Any:
    """A field of an SDK object, or of the API's JSON (camelCase as sent, or snake_case)."""
    if isinstance(obj, dict):
        value = obj.get(_camel(name))
        return obj.get(name) if value is None else value
    return getattr(obj, name, None)


_OBJECT, _NOT_OBJECTS = object(), (str, int, float, list, type(None))  # (bool is an int)


def _need(obj: Any, name: str, kind: Any, optional: bool = False) -> Any:
    """``obj``'s field ``name``, which the protocol makes a ``kind`` (str, int, list or
    _OBJECT); with ``optional``, None when absent or null."""
    value = _field(obj, name)
    if value is None and optional:
        return None
    if kind is _OBJECT:
        ok = not isinstance(value, _NOT_OBJECTS)
    else:
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        what = "missing" if value is None else f"{type(value).__name__} {value!r:.60}"
        raise Malformed(f"{name!r} is {what}, not {_KINDS.get(kind, 'an object')}")
    return value


_KINDS: dict[Any, str] = {str: "a string", int: "an integer", list: "a list"}


_CAMEL: dict[str, str] = {}


def _camel(name: str) -> str:
    camel = _CAMEL.get(name)
    if camel is None:
        head, *rest = name.split("_")
        camel = _CAMEL[name] = head + "".join(word.title() for word in rest)
    return camel


def _plain(value: Any) -> Any:
    """An SDK enum (``FinishReason.STOP``) as the API's string."""
    return getattr(value, "value", value)


class _Reader:
    """Reads GenerateContentResponse chunks into the router."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._reasons: dict[int, str | None] = {}  # candidate -> finish_reason, once seen
        self._open: dict[int, list[Hashable]] = {}  # candidate -> keys of its open parts
        self._calls: dict[int, int] = {}  # candidate -> calls started
        self._streamed: dict[int, _Arguments] = {}  # candidate -> the call whose args stream
        self._blocked: str | None = None  # the prompt's block reason

    def feed(self, item: Any) -> list[BridgeEvent]:
        item = sdk(item)
        if isinstance(item, dict) and item.get("error") is not None:
            # an error chunk in recorded JSON (the SDK raises its own)
            raise self.router.failed(f"error: {item['error']}")
        events: list[BridgeEvent] = []
        passes = False  # the chunk says more than its text and calls: pass it on
        candidates = _need(item, "candidates", list, True) or []
        for position, candidate in enumerate(candidates):
            if isinstance(candidate, _NOT_OBJECTS):
                raise Malformed("a candidate is an object")
            at = _need(candidate, "index", int, True) or position
            self._reasons.setdefault(at, None)
            content = _need(candidate, "content", _OBJECT, True)
            for part in (content and _need(content, "parts", list, True)) or ():
                if isinstance(part, _NOT_OBJECTS):
                    raise Malformed("a part is an object")
                call = _need(part, "function_call", _OBJECT, True)
                text = _need(part, "text", str, True)
                if call is not None:
                    events += self._call(at, call)
                elif text is not None:
                    if text:
                        events += self._text(at, "thought" if _field(part, "thought") else "text",
                                             text)
                else:  # inline data, executable code, its result...
                    passes = True
            reason = _plain(_need(candidate, "finish_reason", str, True))
            if reason is not None:
                self._reasons[at] = reason
                for key in self._open.pop(at, ()):
                    events += self.router.end(key)
                passes = True
        feedback = _need(item, "prompt_feedback", _OBJECT, True)
        if feedback is not None:
            self._blocked = _plain(_need(feedback, "block_reason", str, True))
            passes = True
        if passes or not candidates:
            events.append(ProviderEvent(item))
        return events

    def finish(self) -> list[BridgeEvent]:
        reasons = self._reasons.values()
        ended = bool(reasons) and None not in reasons
        # Only "STOP" is a whole answer: MAX_TOKENS, SAFETY, RECITATION... cut it short.
        notable = next((r for r in reasons if r not in (None, "STOP")), self._blocked)
        return self.router.finish(notable, ended and notable is None)

    def sse(self, stream: Any, name: str | None, data: str) -> Any:
        """An event of the REST API's ``alt=sse`` body, read past the SDK (see ``stream``)."""
        return loads(data) if data else None

    def transport_error(self, stream: Any, error: Exception) -> Exception:
        return error

    # -- parts ---------------------------------------------------------------------------------
    def _text(self, at: int, kind: str, text: str) -> list[BridgeEvent]:
        router = self.router
        key = (at, kind)
        events: list[BridgeEvent] = []
        if kind == "text" and (at, "thought") in self._open.get(at, ()):
            self._open[at].remove((at, "thought"))  # the thought summary comes first
            events += router.end((at, "thought"))
        if key not in router:
            self._open.setdefault(at, []).append(key)
            reads: Reads = "json" if kind == "text" and router.output is not None else "text"
            events += router.start(key, GeminiPart(at, kind), None, reads)
        return events + router.feed(key, text)

    def _call(self, at: int, call: Any) -> list[BridgeEvent]:
        """A function call, whole (``args``), or one piece of one whose arguments stream."""
        router = self.router
        name = _need(call, "name", str, True)
        pieces = _need(call, "partial_args", list, True)
        more = _field(call, "will_continue") is True
        arguments = self._streamed.get(at)
        events: list[BridgeEvent] = []
        if arguments is None:
            index = self._calls.get(at, 0)
            self._calls[at] = index + 1
            id = _need(call, "id", str, True)
            key: Hashable = (at, "function_call", index)
            part = GeminiPart(at, "function_call", index, name or "", id)
            events = router.start(key, part, call, "json", (id or "", name or ""))
            if pieces is None and not more:  # a whole call
                args = _need(call, "args", _OBJECT, True)
                if args is not None:
                    events += router.feed(key, json.dumps(args, ensure_ascii=False))
                return events + router.end(key)
            arguments = self._streamed[at] = _Arguments(key, part)
            self._open.setdefault(at, []).append(key)
            events += router.feed(key, "{")
        elif name and name != arguments.part.name:
            raise router.failed(f"{arguments.part} got a piece of a call to {name!r}")
        key = arguments.key
        for piece in pieces or ():
            if isinstance(piece, _NOT_OBJECTS):
                raise Malformed("a partial argument is an object")
            text = arguments.write(piece)
            if text:
                events += router.feed(key, text)
        if not more:
            del self._streamed[at]
            self._open[at].remove(key)
            events += router.feed(key, arguments.close())
            events += router.end(key)
        return events


# -- partial arguments as JSON text ---------------------------------------------------------------
_STEP = re.compile(  # .name, [0], ['name'], ["name"]
    r"""\.([^.\[\]'"\s]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]""")


def _steps(path: str) -> tuple[str | int, ...]:
    """The keys and indices of a JSON path (RFC 9535), e.g. ``$.items[0]['a b']``."""
    if not path.startswith("$"):
        raise Malformed(f"json_path {path!r} does not start with '$'")
    steps: list[str | int] = []
    at = 1
    while at < len(path):
        match = _STEP.match(path, at)
        if match is None:
            raise Malformed(f"json_path {path!r} is not a path")
        name, index, single, double = match.groups()
        if index is not None:
            steps.append(int(index))
        elif name is not None:
            steps.append(name)
        else:
            quoted = double if double is not None else re.sub(r"\\.|\"", _unquote, single)
            try:
                steps.append(json.loads(f'"{quoted}"'))
            except ValueError:
                raise Malformed(f"json_path {path!r} has a bad name") from None
        at = match.end()
    return tuple(steps)


def _unquote(match: re.Match[str]) -> str:
    """A single-quoted name's escape as in a JSON string: ``\\'`` is ``'``, ``"`` is ``\\"``."""
    found = match.group()
    return "'" if found == "\\'" else '\\"' if found == '"' else found


class _Level:
    """An open object or array of the arguments: the key that leads to it, its members so far."""

    __slots__ = ("array", "count", "key", "keys")

    def __init__(self, key: str | int, array: bool) -> None:
        self.key = key
        self.array = array
        self.count = 0
        self.keys: set[str] = set()


class _Arguments:
    """A streamed call's ``partial_args``, written as the JSON text of its arguments: each piece
    as the text it adds (O(piece), plus the containers it closes and opens). The paths come in
    document order; a path that goes back to a closed container fails the stream."""

    def __init__(self, key: Hashable, part: GeminiPart) -> None:
        self.key = key
        self.part = part
        self._levels = [_Level("$", False)]  # the arguments object, then the open containers
        self._string: tuple[str | int, ...] | None = None  # the path of an unfinished string
        self._last: tuple[str, tuple[str | int, ...]] = ("", ())  # the path read last

    def write(self, piece: Any) -> str:
        path = _need(piece, "json_path", str)
        if path == self._last[0]:  # (the pieces of a long string repeat their path)
            steps = self._last[1]
        else:
            steps = _steps(path)
            self._last = (path, steps)
        if not steps:
            raise Malformed(f"json_path {path!r} is the arguments object itself")
        string = _field(piece, "string_value")
        more = _field(piece, "will_continue") is True
        if self._string is not None:
            if steps != self._string:
                raise Malformed(f"json_path {path!r} came while the string at "
                                f"{_path(self._string)} was unfinished")
            if string is not None and not isinstance(string, str):
                raise Malformed(f"string_value is {type(string).__name__}")
            text = _escape(string) if string else ""
            if not more:
                self._string = None
                text += '"'
            return text
        text = self._move(steps, path)
        if isinstance(string, str):
            text += '"' + _escape(string)
            if more:
                self._string = steps
            else:
                text += '"'
            return text
        return text + _literal(piece, path)

    def _move(self, steps: tuple[str | int, ...], path: str) -> str:
        """Close the containers ``steps`` leaves, open those it enters, and begin its member."""
        levels = self._levels
        shared = 0
        while (shared + 1 < len(levels) and shared < len(steps) - 1
               and levels[shared + 1].key == steps[shared]):
            shared += 1
        out = [("]" if level.array else "}") for level in reversed(levels[shared + 1 :])]
        del levels[shared + 1 :]
        for depth in range(shared, len(steps)):
            step = steps[depth]
            level = levels[-1]
            if level.array:
                if step != level.count:
                    raise Malformed(f"json_path {path!r}: expected index {level.count}")
            elif not isinstance(step, str) or step in level.keys:
                raise Malformed(f"json_path {path!r}: {step!r} is not a new member")
            else:
                level.keys.add(step)
            if level.count:
                out.append(",")
            level.count += 1
            if not level.array:
                out.append(json.dumps(step, ensure_ascii=False) + ":")
            if depth + 1 < len(steps):
                array = isinstance(steps[depth + 1], int)
                levels.append(_Level(step, array))
                out.append("[" if array else "{")
        return "".join(out)

    def close(self) -> str:
        if self._string is not None:
            raise Malformed(f"the call ended with the string at {_path(self._string)} unfinished")
        return "".join(("]" if level.array else "}") for level in reversed(self._levels))


def _escape(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _literal(piece: Any, path: str) -> str:
    """A number, boolean or null, as JSON; a number is followed by a space, which ends it."""
    number = _field(piece, "number_value")
    if isinstance(number, (int, float)) and not isinstance(number, bool):
        if isinstance(number, float):
            if not math.isfinite(number):
                raise Malformed(f"json_path {path!r}: number_value {number!r}")
            if number.is_integer() and abs(number) < 2**53:  # a double that holds an integer
                number = int(number)
        return f"{number!r} "
    flag = _field(piece, "bool_value")
    if isinstance(flag, bool):
        return "true" if flag else "false"
    if _field(piece, "null_value") is not None:
        return "null"
    raise Malformed(f"json_path {path!r} has no value")


def _path(steps: tuple[str | int, ...]) -> str:
    return "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps)


# -- async sources --------------------------------------------------------------------------------
class _Async:
    """The SDK's async stream (or the coroutine that returns it) as a source ``drive`` can close.
    Closing an async generator does not close the ones it reads (the SDK's chain ends in the HTTP
    response's, held in a reference cycle until the garbage collector runs): they are closed here,
    outermost first, so that the server sees the hang-up at once."""

    def __init__(self, source: Any) -> None:
        self._source = source
        self._stream: Any = None

    def __aiter__(self) -> _Async:
        return self

    async def __anext__(self) -> Any:
        if self._stream is None:
            source = self._source
            self._stream = await source if inspect.isawaitable(source) else source
        return await self._stream.__anext__()

    async def close(self) -> None:
        stream = self._stream
        if stream is None:
            if inspect.iscoroutine(self._source):
                self._source.close()  # never awaited: nothing was requested
            return
        inner = _generators(stream)
        await stream.aclose()
        for generator in inner:
            await generator.aclose()


def _generators(stream: Any) -> list[Any]:
    """The async generators ``stream`` reads from, outermost first: those its suspended frame
    refers to (its variables, closures, the iterator an ``async for`` holds), and those in the
    attributes of the objects it refers to (an HTTP response holding its line reader)."""
    found: list[Any] = []
    seen = {id(stream)}
    queue = [stream]
    while queue:
        for value in gc.get_referents(queue.pop(0)):
            if isinstance(value, types.CellType):
                try:
                    value = value.cell_contents
                except ValueError:  # (an empty cell)
                    continue
            for candidate in (value, *getattr(value, "__dict__", {}).values()):
                if isinstance(candidate, types.AsyncGeneratorType) and id(candidate) not in seen:
                    seen.add(id(candidate))
                    found.append(candidate)
                    queue.append(candidate)
    return found


@overload
def stream(
    source: AsyncIterable[Any] | Awaitable[AsyncIterable[Any]],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> AsyncBridgeStream: ...
@overload
def stream(
    source: Iterable[Any],
    *,
    tools: Mapping[str, Any] | None = None,
    output: Any = None,
    early_stop: bool = True,
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
    extract: bool = False,
    guards: Sequence[Guard] = (),
    cancel: threading.Event | asyncio.Event | None = None,
    retry: RetryPolicy | None = None,
    stats: StreamStats | None = None,
) -> Any:
    """The events of a Gemini ``generate_content_stream``, as it streams.

    Args:
        source: ``client.models.generate_content_stream(...)``, or from ``client.aio`` the
            async stream or the coroutine that gives it (then the result is an async
            iterator); or any iterable of its chunks (SDK objects, or the API's JSON); or,
            fastest, the ``httpx`` response of the REST API's
            ``models/{model}:streamGenerateContent?alt=sse`` request (``client.stream("POST",
            ...)``, sync or async), whose body the bridge reads itself, past the SDK.
        tools: ``{function name: model}``: these functions' arguments are validated against their
            model while they stream; other calls' arguments are parsed as plain JSON.
        output: the model of a structured output (``response_schema`` /
            ``response_json_schema``): each candidate's text is read as that JSON.
        early_stop: on the first certain schema violation, close the response (the model stops
            generating) and raise :class:`InvalidPart`.
        extract: with ``output``, find its JSON in the text (prose, a ```json fence), as
            ``JsonStream(extract=True)`` does; the prose comes as ``TextDelta`` events.
        guards, cancel, retry, stats: as for :func:`partialjson.anthropic.stream` (with
            ``retry``, ``source`` is a callable that opens a new stream).

    Returns:
        A :class:`~partialjson.bridges.BridgeStream` (``AsyncBridgeStream``) of the events,
        with ``.cancel()``, ``.stats``, and ``close()`` / ``with``.
    """
    def translator() -> _Reader:
        return _Reader(Router(tools, output, early_stop, extract, guards))

    if retry is None or not callable(source):
        return drive(_opened(source), translator, cancel=cancel, retry=retry, stats=stats)
    factory = source

    def attempt() -> Any:  # each attempt's stream, wrapped as a single one is
        return _opened(factory())

    return drive(attempt, translator, cancel=cancel, retry=retry, stats=stats)


def _opened(source: Any) -> Any:
    """An HTTP response of the REST API's ``alt=sse`` stream, read as a raw body; an async
    stream (or the coroutine that gives it) wrapped so it can be closed at once; anything else
    as it is."""
    if hasattr(source, "iter_bytes") and hasattr(source, "status_code"):  # an httpx response
        is_async = hasattr(getattr(source, "stream", None), "__aiter__")
        return AsyncRawBody(source) if is_async else RawBody(source)
    if inspect.isawaitable(source) or (hasattr(source, "aclose") and not hasattr(source, "close")):
        return _Async(source)
    return source
