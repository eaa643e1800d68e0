"""The stream's events as JSON Patch operations (the wire format of ``partialjson.web``).

One encoder turns events into operations, each event into O(1) operations whose cost is that
of the event (its path's depth and its text), never a re-serialisation of the document:

- ``ValueStarted`` of an object or array: ``add {}`` / ``add []``; of a string shown as it
  grows: ``add ""``; each ``StringDelta`` of it: ``append`` (strict: ``replace`` with the text so
  far, RFC 6902 having no append);
- ``ValueCompleted``: ``add`` for a number, literal or a value shown only whole, ``replace``
  where validation changed a value already shown, then ``done`` (not in strict mode, nor
  after a number or boolean, which is complete when it arrives).

With a schema (``model=``, or ``tools=``/``output=`` for bridge events), what is shown follows
the ``ModelStream``'s partial object: strings grow only where pydantic keeps them as they are (a
plain ``str``), values pydantic transforms (dates, enums, ``Literal``s, decimals...) are added
whole, dumped as pydantic's JSON mode dumps them, keys the model ignores are left out.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from .._events import Path, StringDelta, ValueCompleted, ValueStarted
from .._model import _compiled
from ..bridges import JsonEvent, Restarted
from ..schema._nodes import ARRAY, OBJECT, STRING, ArrayNode, DictNode, Node, ObjectNode
from ._pointer import child, escape

Op = dict[str, Any]

_SHOWN, _WHOLE, _HIDDEN = 0, 1, 2  # shown as it arrives / added when complete / never shown
_KINDS = {"object": OBJECT, "array": ARRAY, "string": STRING}


def dump(value: Any) -> Any:
    """``value`` as pydantic's JSON mode dumps it (keys by alias, unset fields left out, as
    the partial object's ``model_dump(mode="json", by_alias=True, exclude_unset=True)``)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if type(value) is list or type(value) is tuple:
        return [dump(item) for item in value]
    if type(value) is dict:
        return {key: dump(item) for key, item in value.items()}
    return to_jsonable_python(value, by_alias=True)


class _Frame:
    """An open container of the document."""

    __slots__ = ("holes", "key", "length", "node", "pointer", "sent", "state")

    def __init__(self, key: Any, pointer: str, state: int, node: Node | None) -> None:
        self.key = key  # in its parent (None at the top)
        self.pointer = pointer
        self.state = state
        self.node = node  # its one schema candidate (None: no schema)
        self.length = 0  # arrays: items on the wire
        self.sent: set[str | int] = set()  # members on the wire (a schema's containers)
        self.holes: set[int] = set()  # items sent as null, until shown (a schema's arrays)


class _Scope:
    """One JSON document: a plain stream's, or a bridge part's (under its prefix)."""

    __slots__ = ("frames", "prefix", "root", "string", "text")

    def __init__(self, prefix: str, root: list[Node] | None) -> None:
        self.prefix = prefix
        self.root = root  # the schema's candidates for the document (None: no schema)
        self.frames: list[_Frame] = []
        self.string: tuple[str, int, int, Any] | None = None  # pointer, state, depth, key
        self.text = ""  # ... and its text so far (strict mode only)


def default_part_key(part: Any) -> str:
    """A bridge part's key in the document: its tool-call id, else ``"output"``."""
    for name in ("id", "call_id"):
        key = getattr(part, name, None)
        if isinstance(key, str) and key:
            return key
    return "output"


class PatchEncoder:
    """Events in, operations out (dicts of the wire format), one batch at a time.

    ``encode(events)`` takes the events of one step (what ``feed()`` returned, or a bridge's
    events) and returns their operations. ``strict=True``: RFC 6902 ``add``/``replace`` only.
    ``model``: the type of a ``ModelStream`` whose events these are; ``tools`` (name -> type)
    and ``output``: as given to a bridge. Bridge parts are members of the document, keyed by
    ``part_key(part)`` (default: the tool call's id, or ``"output"``).
    ``trailing_strings=False``: strings are sent only whole, as a ``JsonStream`` with that
    option shows them.
    """

    def __init__(self, *, strict: bool = False, model: Any = None,
                 tools: Mapping[str, Any] | None = None, output: Any = None,
                 part_key: Callable[[Any], str] = default_part_key,
                 trailing_strings: bool = True) -> None:
        self.strict = strict
        self.trailing_strings = trailing_strings
        self.model = model
        self.tools = dict(tools or {})
        self.output = output
        self.part_key = part_key
        self._scope: _Scope | None = None
        self._parts: dict[Any, _Scope] = {}
        self._bridged = False  # the bridge document ({} of parts) is on the wire

    # -- scopes ----------------------------------------------------------------------------
    def _schema(self, model: Any) -> list[Node] | None:
        return None if model is None else _compiled(model, None, None)[1].root

    def _part(self, part: Any, ops: list[Op]) -> _Scope:
        scope = self._parts.get(part)
        if scope is None:
            if not self._bridged:
                self._bridged = True
                ops.append({"op": "add", "path": "", "value": {}})
            name = getattr(part, "name", None)  # a tool call's: its model, if listed
            model = self.tools.get(name) if isinstance(name, str) and name else self.output
            scope = _Scope("/" + escape(self.part_key(part)), self._schema(model))
            self._parts[part] = scope
        return scope

    # -- encoding --------------------------------------------------------------------------
    def encode(self, events: Iterable[Any]) -> list[Op]:
        """The operations of ``events`` (in order)."""
        ops: list[Op] = []
        for event in events:
            if type(event) is Restarted:  # the failed attempt's parts are void: a new document
                if self._bridged:
                    ops.append({"op": "replace", "path": "", "value": {}})
                self._parts.clear()
            elif type(event) is JsonEvent:
                if type(event.event) in (ValueStarted, StringDelta, ValueCompleted):
                    self._event(self._part(event.part, ops), event.event, ops)
            elif type(event) in (ValueStarted, StringDelta, ValueCompleted):
                scope = self._scope
                if scope is None:
                    scope = self._scope = _Scope("", self._schema(self.model))
                self._event(scope, event, ops)
        return ops

    def _event(self, scope: _Scope, event: Any, ops: list[Op]) -> None:
        kind = type(event)
        string = scope.string
        if kind is StringDelta:
            if string is not None and string[1] == _SHOWN:
                if self.strict:
                    scope.text += event.text
                    ops.append({"op": "replace", "path": string[0], "value": scope.text})
                else:
                    ops.append({"op": "append", "path": string[0], "value": event.text})
            return
        path: Path = event.path
        depth = len(path)
        # Values pydantic validates only with their parent (in an open union) complete with
        # no event of their own: a new value at this depth closes whatever was open there.
        scope.string = None
        if kind is ValueStarted:
            del scope.frames[depth:]
            pointer, state, node = self._place(scope, path, _KINDS[event.kind])
            if event.kind == "string":
                if state == _SHOWN and not self.trailing_strings:
                    state = _WHOLE
                scope.string = (pointer, state, depth, path._key if depth else None)
                scope.text = ""
                if state == _SHOWN:
                    self._add(scope, path, pointer, "", ops)
            else:
                scope.frames.append(_Frame(path._key if depth else None, pointer, state, node))
                if state == _SHOWN:
                    self._add(scope, path, pointer, {} if event.kind == "object" else [], ops)
            return
        if kind is ValueCompleted:
            self._completed(scope, path, event.value, string, ops)

    def _place(self, scope: _Scope, path: Path, kind: int) -> tuple[str, int, Node | None]:
        """The pointer of the value starting at ``path``, how it is shown, its schema node."""
        depth = len(path)
        if depth == 0:
            nodes = scope.root
            if nodes is None:
                return scope.prefix, _SHOWN, None
            return scope.prefix, *self._shown(nodes, kind)
        parent = scope.frames[depth - 1]
        key = path._key
        pointer = child(parent.pointer, key)
        if parent.state != _SHOWN:
            return pointer, _HIDDEN, None
        node = parent.node
        if node is None:
            return pointer, _SHOWN, None
        concrete = node.concrete
        if isinstance(concrete, ObjectNode) and key not in concrete.fields and (
                concrete.extra != "allow"):
            return pointer, _HIDDEN, None  # pydantic ignores the key
        return pointer, *self._shown(node.child(key), kind)

    @staticmethod
    def _shown(nodes: list[Node], kind: int) -> tuple[int, Node | None]:
        """As the partial object shows a value of JSON ``kind`` with these candidates: as it
        arrives if one is left and it shows a prefix (strings) or is a container it fills."""
        alive = [node for node in nodes if node.kinds & kind]
        if len(alive) != 1:
            return _WHOLE, None  # a union still open: pydantic decides at the end
        node = alive[0]
        if kind == STRING:
            return (_SHOWN if node.shows_prefix else _WHOLE), node
        if isinstance(node.concrete, (ObjectNode, DictNode, ArrayNode)):
            return _SHOWN, node
        return _WHOLE, node  # an Any, or a type the compiler does not look into

    def _add(self, scope: _Scope, path: Path, pointer: str, value: Any, ops: list[Op]) -> None:
        """Put ``value`` at ``path`` (a new member or the next item)."""
        depth = len(path)
        if depth:
            parent = scope.frames[depth - 1]
            key = path._key
            if type(key) is int:
                if key < parent.length:
                    parent.holes.discard(key)
                    ops.append({"op": "replace", "path": pointer, "value": value})
                    return
                while parent.length < key:  # an item shown only once whole, not yet
                    ops.append({"op": "add", "path": child(parent.pointer, parent.length),
                                "value": None})
                    parent.holes.add(parent.length)
                    parent.length += 1
                parent.length += 1
            elif parent.node is not None:
                parent.sent.add(key)
        ops.append({"op": "add", "path": pointer, "value": value})

    def _completed(self, scope: _Scope, path: Path, value: Any,
                   string: tuple[str, int, int, Any] | None, ops: list[Op]) -> None:
        depth = len(path)
        key = path._key if depth else None
        frames = scope.frames
        del frames[depth + 1 :]
        if len(frames) > depth and frames[depth].key == key:  # a container
            frame = frames.pop()
            if frame.state == _SHOWN:
                if frame.node is not None:
                    self._missing(frame, value, ops)
                self._done(frame.pointer, ops, None)
            elif frame.state == _WHOLE:
                whole = dump(value)
                self._add(scope, path, frame.pointer, whole, ops)
                self._done(frame.pointer, ops, whole)
            return
        del frames[depth:]
        if string is not None and string[2] == depth and string[3] == key:  # a string
            scope.text = ""
            pointer, state = string[0], string[1]
            shown: Any = ""
            if state == _SHOWN:
                if type(value) is not str:  # events of a ModelStream given no model
                    shown = dump(value)
                    ops.append({"op": "replace", "path": pointer, "value": shown})
            elif state == _WHOLE:
                shown = dump(value)
                self._add(scope, path, pointer, shown, ops)
            if state != _HIDDEN:
                self._done(pointer, ops, shown)
            return
        # a number, true, false or null: shown whole, unless its parent is not shown
        if depth == 0:
            pointer, state = scope.prefix, _SHOWN
        else:
            pointer, state, _ = self._place(scope, path, 0)
        if state != _HIDDEN:
            whole = dump(value)
            self._add(scope, path, pointer, whole, ops)
            self._done(pointer, ops, whole)

    def _missing(self, frame: _Frame, value: Any, ops: list[Op]) -> None:
        """Members pydantic validated only with their container (inside an open union, ...),
        so that no event of their own came: put them now. O(1) unless some are missing."""
        if isinstance(value, BaseModel):
            names = set(value.model_fields_set) | set(value.__pydantic_extra__ or ())
            if len(names) <= len(frame.sent):
                return
            whole = dump(value)
            for key, member in whole.items():
                if key not in frame.sent:
                    ops.append({"op": "add", "path": child(frame.pointer, key), "value": member})
        elif type(value) is dict:
            if len(value) <= len(frame.sent):
                return
            for key, member in value.items():
                if key not in frame.sent:
                    ops.append({"op": "add", "path": child(frame.pointer, key),
                                "value": dump(member)})
        elif type(value) is list or type(value) is tuple:
            for index in sorted(frame.holes):
                ops.append({"op": "replace", "path": child(frame.pointer, index),
                            "value": dump(value[index])})
            for index in range(frame.length, len(value)):
                ops.append({"op": "add", "path": child(frame.pointer, index),
                            "value": dump(value[index])})
            frame.length = len(value)

    def _done(self, pointer: str, ops: list[Op], value: Any) -> None:
        # A number or boolean is sent only whole: complete when it arrives, no ``done``.
        if not self.strict and type(value) not in (int, float, bool):
            ops.append({"op": "done", "path": pointer})


def json_patch(events: Iterable[Any], *, strict: bool = False, model: Any = None,
               tools: Mapping[str, Any] | None = None, output: Any = None,
               part_key: Callable[[Any], str] = default_part_key,
               trailing_strings: bool = True) -> Iterator[list[Op]]:
    """The operations of a stream of events, one batch per step that has any.

    A step is a list of events (what ``JsonStream.feed`` / ``ModelStream.feed`` return) or one
    event (what a bridge yields). See :class:`PatchEncoder` for the options."""
    encoder = PatchEncoder(strict=strict, model=model, tools=tools, output=output,
                           part_key=part_key, trailing_strings=trailing_strings)
    for step in events:
        ops = encoder.encode(step if isinstance(step, list) else (step,))
        if ops:
            yield ops


async def ajson_patch(events: AsyncIterable[Any], *, strict: bool = False, model: Any = None,
                      tools: Mapping[str, Any] | None = None, output: Any = None,
                      part_key: Callable[[Any], str] = default_part_key,
                      trailing_strings: bool = True) -> AsyncIterator[list[Op]]:
    """:func:`json_patch` over an async iterable (an async bridge stream)."""
    encoder = PatchEncoder(strict=strict, model=model, tools=tools, output=output,
                           part_key=part_key, trailing_strings=trailing_strings)
    async for step in events:
        ops = encoder.encode(step if isinstance(step, list) else (step,))
        if ops:
            yield ops
