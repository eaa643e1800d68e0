"""ModelStream: validated partial objects, completion events and the earliest certain schema
violation, for any type pydantic's ``TypeAdapter`` accepts.

The JSON core reports what it reads; the tracker here (a builder that also knows the schema)
follows the document through the compiled schema (``schema/``). For every value being read
it keeps the *candidates*: the schema alternatives it may still satisfy (one, unless a union
leaves several open). A candidate is dropped the moment something proves it cannot hold — a
JSON kind it never accepts, a key or string no allowed one starts with, one member too many, a
required field missing at ``}``, pydantic rejecting the finished value — and dropping the last
one of a value is a violation. Each candidate remembers the parent candidate it came from, so a
union branch dies with its members (how a discriminator decides a tagged union).

Finished values are validated once by pydantic, bottom-up: a leaf from its JSON, a container
from its members' validated values (its schema with each member's replaced by ``any``), or
from its JSON where that could change the answer (validators that see the raw input or the
other fields). The document is no exception; only if that cannot decide (an opaque validator
at the top) is the whole text handed to ``validate_json``. Tests hold the result equal to
``validate_json`` of the whole text.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar, cast, final

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._builder import Builder, completed_event
from ._errors import PartialJSONError, SchemaViolation, format_path
from ._events import ROOT, DocumentCompleted, Event, Path, Violation
from ._partial import Partial, new_partial, partial_model
from ._scanner import _SIMPLE_ESCAPES, _decode_escape
from ._stream import JsonStream
from .schema._jsonschema import compiled as compiled_schema
from .schema._nodes import (
    ANY,
    ARRAY,
    BOOL,
    KIND_NAMES,
    NULL,
    NUMBER,
    OBJECT,
    STRING,
    ArrayNode,
    DictNode,
    Node,
    ObjectNode,
    SchemaCompiler,
    Unknown,
)
from .schema._pydantic import Compiler, json_nesting_limit, json_text

if TYPE_CHECKING:
    from ._guard import Guard

T = TypeVar("T")

_UNKNOWN: Final[Any] = object()  # a value pydantic can judge only as part of its parent


class _Value:
    """One value being read, with its candidates (see the module docstring)."""

    __slots__ = ("alive", "count", "hold", "is_object", "key", "members", "n", "nodes",
                 "parent", "path", "quiet", "raw", "reported", "seen", "shown", "single", "slot",
                 "text", "ups", "waiting", "watch", "watch_keys")

    def __init__(self, nodes: list[Node], ups: list[int] | None, parent: _Value | None,
                 path: Path, slot: Any) -> None:
        self.nodes = nodes
        self.ups = ups  # index of each candidate's parent candidate (None: the parent had one)
        self.alive = [True] * len(nodes)
        self.n = len(nodes)
        self.single: Node | None = nodes[0] if len(nodes) == 1 else None
        self.parent = parent
        self.path = path
        self.slot = slot  # key or index in the parent
        self.shown: Any = None  # the partial container shown for it
        self.members: Any = None  # validated members (containers with one candidate)
        self.raw: Any = None  # the container as parsed
        self.is_object = False
        self.key = ""
        self.count = 0
        self.seen: set[str] | None = None
        self.text = ""  # a string or key being checked against choices
        self.watch: list[int] = []  # candidates that check a string as it grows
        self.reported = False  # a violation inside it was reported (early_stop=False)
        self.watch_keys = False  # an object whose keys a candidate checks as they grow
        # Its field's directive (pj.Stream): shown only whole (done), no string deltas in it
        # (deltas=False), and for an object the not_null fields it waits for to be shown.
        self.hold = False
        self.quiet = False
        self.waiting: set[str] | None = None
        directive = nodes[0].directive if nodes else None
        if directive is not None:
            self.hold = directive.done
            self.quiet = not directive.deltas
        if parent is not None and parent.quiet:
            self.quiet = True


def _kind_of(value: Any) -> int:
    if value is None:
        return NULL
    if value is True or value is False:
        return BOOL
    return NUMBER


def _concrete(value: _Value) -> Node | None:
    """The concrete node of ``value``'s one candidate (None while several are left)."""
    return value.single.concrete if value.single is not None else None


def _partial_of(node: Node) -> Any:
    """The empty partial object shown for ``node`` (concrete): a partial model for a model or
    a dataclass, a dict for other objects, a list for arrays; None for other nodes."""
    if isinstance(node, ObjectNode):
        cls = node.cls
        if isinstance(cls, type) and (issubclass(cls, BaseModel) or hasattr(
                cls, "__dataclass_fields__")):
            return new_partial(partial_model(cls))
        return {}
    if isinstance(node, DictNode):
        return {}
    if isinstance(node, ArrayNode):
        return []
    return None


def _checks_keys(node: Node) -> bool:
    """Does ``node`` (concrete) rule out keys as they are read?"""
    return isinstance(node, DictNode) or (isinstance(node, ObjectNode) and node.extra == "forbid")


def _extended(value: _Value, text: str) -> str:
    """``value.text + text``, extended in place (the attribute let go of its reference)."""
    grown = value.text
    value.text = ""
    grown += text
    return grown


def _kinds_text(kinds: int) -> str:
    return " or ".join(name for bit, name in KIND_NAMES.items() if kinds & bit)


class Tracker(Builder):
    """The sink of a ModelStream's scanner: the builder's live JSON plus the schema's view."""

    hooks = True

    def __init__(self, compiler: SchemaCompiler, stream: ModelStream[Any],
                 defaults: bool = False) -> None:
        super().__init__(trailing_strings=True)
        self.defaults = defaults
        self._not_null: dict[int, frozenset[str]] = {}  # by id of an object node
        self.compiler = compiler
        self.stream = stream
        self.frames: list[_Value] = []
        self.current: _Value | None = None  # the string or scalar being read
        self.partial_root: list[Any] = [None]
        self.completed_paths: list[Path] = []  # in order; a set is made on demand
        self.document: Any = _UNKNOWN
        # Where the string (or key) being read starts in this chunk, and what it held back.
        self.text_at = 0
        self.held = ""
        self.chars_before = 0  # its characters that arrived in earlier chunks
        self.length = 0  # its characters so far
        self.key_value: _Value | None = None  # the object whose key is being checked
        self.watching = False  # a string or key being checked may go on in the next chunk
        self._closing: _Value | None = None  # the value the builder is completing
        self._pos = 0  # ... and where the input proves it whole
        self.nesting = json_nesting_limit()  # pydantic refuses values inside more containers
        # Lenient input (set by the stream): escapes as its scanner decodes them, and whether
        # a literal starting with 'N' may be None.
        self.escapes: dict[str, str] = _SIMPLE_ESCAPES
        self.python_literals = False
        # A model at the top is shown from the start, as its empty partial object, which the
        # document then fills in place.
        root = compiler.root
        self.empty_root: Any = None
        if len(root) == 1 and isinstance(root[0].concrete, ObjectNode):
            self.empty_root = self._empty(root[0].concrete)
            if not self._not_null_fields(root[0].concrete):  # else: None until they are
                self.partial_root[0] = self.empty_root

    def begin_chunk(self, held_escape: str) -> None:
        self.text_at = 0
        self.held = held_escape
        self.chars_before = self.length

    # -- candidates --------------------------------------------------------------------------
    def _begin(self, kind: int, pos: int) -> _Value:
        """A value of JSON ``kind`` starts at ``pos``: its candidates."""
        parent = self.frames[-1] if self.frames else None
        if parent is None:
            value = _Value(self.compiler.root, None, None, ROOT, None)
        else:
            if parent.is_object:
                slot: Any = parent.key
            else:
                slot = parent.count
                parent.count += 1
                self._check_length(parent, slot + 1, pos)
            path = Path(parent.path, slot)
            if parent.single is not None:
                value = _Value(parent.single.child(slot), None, parent, path, slot)
            else:
                children: list[Node] = []
                ups: list[int] = []
                for i, node in enumerate(parent.nodes):
                    if parent.alive[i]:
                        for child in node.child(slot):
                            children.append(child)
                            ups.append(i)
                value = _Value(children, ups, parent, path, slot)
        if len(self.frames) == self.nesting + 1:  # deeper ones are inside this one
            self._drop(value, list(range(len(value.nodes))), pos, "json_invalid",
                       "Invalid JSON: recursion limit exceeded")
        nodes = value.nodes
        if len(nodes) == 1 and nodes[0].kinds & kind:
            return value  # the common case: one candidate, of the right kind
        wrong = [i for i, node in enumerate(nodes) if not node.kinds & kind]
        if wrong or not nodes:
            allowed = 0
            for node in nodes:
                allowed |= node.kinds
            message = (f"expected {_kinds_text(allowed)}, got {KIND_NAMES[kind]}" if allowed
                       else "no value allowed here")
            self._drop(value, wrong, pos, "json_type", message)
        return value

    def _drop(self, value: _Value, dead: list[int], pos: int | None, kind: str, message: str,
              errors: list[dict[str, Any]] | None = None, char: int = -1) -> None:
        """Candidates ``dead`` of ``value`` cannot hold: a violation if none is left. The
        parent's candidates left without a child die too, and so on up (a loop, not
        recursion: the document may be deep)."""
        while True:
            for i in dead:
                if value.alive[i]:
                    value.alive[i] = False
                    value.n -= 1
            if value.n <= 0:
                if errors is None:
                    errors = [{"type": kind, "loc": value.path.as_tuple(), "msg": message,
                               "input": None}]
                self._violation(value, pos, message, errors, char)
                ancestor: _Value | None = value
                while ancestor is not None and not ancestor.reported:
                    ancestor.reported = True  # reported once, not again by every ancestor
                    ancestor = ancestor.parent
                value.nodes, value.alive, value.ups, value.n = [ANY], [True], None, 1
                value.single = ANY
                return
            alive = [i for i, live in enumerate(value.alive) if live]
            value.single = value.nodes[alive[0]] if len(alive) == 1 else None
            parent, ups = value.parent, value.ups
            if parent is None or ups is None:
                return
            held = {ups[i] for i in alive}
            dead = [j for j, live in enumerate(parent.alive) if live and j not in held]
            if not dead:
                return
            value = parent

    def _violation(self, value: _Value, pos: int | None, message: str,
                   errors: list[dict[str, Any]], char: int) -> None:
        if char >= 0:
            pos = self._char_pos(char)
        offset, line, column = self.stream._where(pos if pos is not None else 0)
        path = value.path.as_tuple()
        error = SchemaViolation(f"{message} at {format_path(path)}", offset, line, column, path,
                                errors)
        error.message = message
        self.stream._violated(error, value.path)

    def _char_pos(self, char: int) -> int:
        """Position in the chunk of the last input character of the ``char``-th character of
        the string or key being read (escapes decode to one character from several)."""
        text = self.chunk
        k = char - self.chars_before
        pos = self.text_at
        count = 0
        if self.held and self.text_at == 0:
            decoded, used, _ = _decode_escape(self.held + text[:12], self.escapes)
            pos = used - len(self.held)
            count = len(decoded)
            if k < count:
                return pos - 1
        while pos < len(text):
            if text[pos] == "\\":
                decoded, used, _ = _decode_escape(text[pos : pos + 12], self.escapes)
                if used < 0:
                    break
                if k < count + len(decoded):
                    return pos + used - 1
                count += len(decoded)
                pos += used
            else:
                if k == count:
                    return pos
                count += 1
                pos += 1
        return max(pos - 1, 0)

    # -- the partial object ----------------------------------------------------------------
    def _put(self, parent: _Value | None, slot: Any, shown: Any) -> None:
        """Show ``shown`` as the member ``slot`` of ``parent``'s partial container."""
        if parent is None:
            self.partial_root[0] = shown
            return
        container = parent.shown
        if container is None:
            return
        if parent.waiting is not None and shown is not None:
            self._settle(parent, slot)
        if type(container) is list:
            while len(container) < slot:
                container.append(None)  # an item not known yet
            if len(container) == slot:
                container.append(shown)
            else:
                container[slot] = shown
        elif type(container) is dict:
            container[slot] = shown
        else:
            node = _concrete(parent)
            if not isinstance(node, ObjectNode):
                return
            field = node.fields.get(slot)
            if field is not None:
                container.__dict__[field.name] = shown
                container.__pydantic_fields_set__.add(field.name)
            elif container.__pydantic_extra__ is not None and node.extra == "allow":
                container.__pydantic_extra__[slot] = shown

    def _can_show(self, value: _Value) -> bool:
        parent = value.parent
        return value.single is not None and not value.hold and (
            parent is None or parent.shown is not None)

    def _show_container(self, value: _Value) -> None:
        inner = _concrete(value)
        if inner is None:
            return
        if (value.parent is None and self.empty_root is not None
                and inner is self.compiler.root[0].concrete):
            shown: Any = self.empty_root  # shown from the start: it grows in place
        else:
            shown = self._empty(inner)
        if shown is not None:
            value.shown = shown
            waiting = self._not_null_fields(inner)
            if waiting:  # filled from now on, shown once its not_null fields are
                value.waiting = set(waiting)
            else:
                self._put(value.parent, value.slot, shown)

    # -- directives and defaults -----------------------------------------------------------
    def _not_null_fields(self, node: Node) -> frozenset[str]:
        """The fields of object ``node`` (concrete) marked not_null."""
        if not isinstance(node, ObjectNode):
            return frozenset()
        found = self._not_null.get(id(node))
        if found is None:
            found = frozenset(field.name for key, field in node.fields.items() if any(
                child.directive is not None and child.directive.not_null
                for child in node.child(key)))
            self._not_null[id(node)] = found
        return found

    def _settle(self, value: _Value, slot: Any) -> None:
        """Member ``slot`` of ``value`` (an object waiting for not_null fields) has a value:
        show the object once none is left to wait for."""
        waiting = value.waiting
        node = _concrete(value)
        assert waiting is not None and isinstance(node, ObjectNode)
        field = node.fields.get(slot)
        if field is None or field.name not in waiting:
            return
        waiting.discard(field.name)
        if not waiting:
            value.waiting = None
            self._put(value.parent, value.slot, value.shown)

    def _empty(self, node: Node) -> Any:
        """The empty partial object shown for ``node`` (concrete), with ``defaults`` the
        fields' defaults in it (set, but not in ``model_fields_set``: not seen)."""
        shown = _partial_of(node)
        if not self.defaults or not isinstance(node, ObjectNode) or type(shown) is dict:
            return shown
        for field in node.fields.values():
            schema = field.schema
            if schema.get("type") != "default":
                continue
            try:
                if "default" in schema:
                    default = copy.deepcopy(schema["default"])
                elif schema.get("default_factory_takes_data"):
                    default = schema["default_factory"]({})
                else:
                    default = schema["default_factory"]()
            except Exception:  # a factory that needs the fields it cannot have yet
                continue
            shown.__dict__[field.name] = default
        return shown

    def _slot_of(self, value: _Value) -> tuple[Any, Any]:
        """The mapping or list, and the key in it, where ``value`` is shown."""
        parent = value.parent
        if parent is None:
            return self.partial_root, 0
        container, slot = parent.shown, value.slot
        if type(container) is not list and type(container) is not dict:
            node = _concrete(parent)
            assert isinstance(node, ObjectNode)  # a partial model is shown for one candidate
            return container.__dict__, node.fields[slot].name
        return container, slot

    # -- validation ------------------------------------------------------------------------
    def _validate(self, value: _Value, raw: Any, pos: int) -> Any:
        """pydantic's value for the finished ``value`` (or _UNKNOWN); drops the candidates
        pydantic rejects."""
        results: list[Any] = []
        dead: list[int] = []
        failure: ValidationError | None = None
        for i, node in enumerate(value.nodes):
            if not value.alive[i]:
                continue
            try:
                if value.members is not None:
                    try:
                        results.append(node.validate_members(value.members))
                        continue
                    except Unknown:
                        pass
                results.append(node.validate_raw(raw))
            except ValidationError as exc:
                dead.append(i)
                failure = exc
            except Unknown:
                results.append(_UNKNOWN)
        if failure is not None:
            prefix = value.path.as_tuple()
            errors: list[dict[str, Any]] = [{**e, "loc": prefix + tuple(e["loc"])}
                                             for e in failure.errors(include_url=False)]
            first = errors[0]
            self._drop(value, dead, pos, str(first["type"]), str(first["msg"]), errors)
        return results[0] if len(results) == 1 else _UNKNOWN

    def _finish(self, value: _Value, raw: Any, pos: int) -> None:
        """``value`` is whole: validate it, report it, show it, tell its parent."""
        parent = value.parent
        if value.reported:
            validated = _UNKNOWN
        else:
            validated = self._validate(value, raw, pos)
            if validated is _UNKNOWN and parent is None and not value.reported:
                # Only pydantic's validation of the whole text can tell (an opaque validator).
                validated = self.stream._validate_document(pos)
        if parent is not None and parent.members is not None:
            if validated is _UNKNOWN:
                parent.members = None  # the parent must be validated from its JSON
            elif parent.is_object:
                parent.members[value.slot] = validated
            else:
                parent.members.append(validated)
        if validated is _UNKNOWN:
            return
        path = value.path
        self.completed_paths.append(path)
        self.events.append(completed_event(path, validated))
        if parent is None:
            self.document = validated
            self.partial_root[0] = validated
            self.events.append(DocumentCompleted(validated, 0))
            self.completed += 1
        elif parent.shown is not None:
            self._put(parent, value.slot, validated)
        if parent is not None and parent.shown is None and parent.single is not None:
            self._resolve(parent)

    def _resolve(self, value: _Value) -> None:
        """A container read with several candidates is down to one: show it from now on."""
        if value.hold or (value.parent is not None and value.parent.shown is None):
            return
        node = value.single
        assert node is not None
        self._show_container(value)
        if value.shown is None:
            return
        raw = value.raw
        members: Any = {} if value.is_object else []
        items = raw.items() if value.is_object else enumerate(raw)
        for slot, member in items:
            choices = node.child(slot)
            try:
                validated = choices[0].validate_raw(member) if len(choices) == 1 else _UNKNOWN
            except (ValidationError, Unknown):
                validated = _UNKNOWN
            if validated is _UNKNOWN:
                members = None
                continue
            if members is not None:
                if value.is_object:
                    members[slot] = validated
                else:
                    members.append(validated)
            self._put(value, slot, validated)
        value.members = members

    # -- the sink ------------------------------------------------------------------------------
    def start_container(self, is_object: bool, pos: int) -> None:
        value = self._begin(OBJECT if is_object else ARRAY, pos)
        super().start_container(is_object, pos)
        value.raw = self._stack[-1].container
        value.is_object = is_object
        if is_object:
            value.seen = set()
            value.watch_keys = any(_checks_keys(node.concrete) for node in value.nodes)
        if value.single is not None:
            value.members = {} if is_object else []
        self.frames.append(value)
        if self._can_show(value):
            self._show_container(value)

    def end_container(self, pos: int) -> None:
        value = self.frames[-1]
        if value.is_object:
            seen = value.seen or set()
            missing: list[int] = []
            names: list[str] = []
            for i, node in enumerate(value.nodes):
                obj = node.concrete
                if value.alive[i] and isinstance(obj, ObjectNode) and obj.required:
                    have = {obj.fields[k].name for k in seen if k in obj.fields}
                    lacking = sorted(obj.required - have)
                    if lacking:
                        missing.append(i)
                        names = lacking
            if missing:
                errors = [{"type": "missing", "loc": (*value.path.as_tuple(), name),
                           "msg": "Field required", "input": None} for name in names]
                self._drop(value, missing, pos, "missing",
                           "missing required field " + ", ".join(map(repr, names)), errors)
        self._closing, self._pos = value, pos
        super().end_container(pos)
        self.frames.pop()

    def comma(self, pos: int) -> None:
        value = self.frames[-1]
        if not value.is_object:
            self._check_length(value, value.count + 1, pos)  # an item must follow

    def _check_length(self, value: _Value, items: int, pos: int) -> None:
        """``value`` (an array) will hold at least ``items`` items, proven at ``pos``."""
        over = [i for i, node in enumerate(value.nodes) if value.alive[i]
                and node.max_length is not None and items > node.max_length]
        if over:
            self._drop(value, over, pos, "too_long",
                       f"more than {value.nodes[over[0]].max_length} items")

    def start_key(self, pos: int) -> None:
        value = self.frames[-1]
        watch = value.watch_keys
        self.key_value = value if watch else None
        self.watching = watch
        if watch:
            value.text = ""
            self.text_at, self.length, self.chars_before = pos + 1, 0, 0

    def key_delta(self, text: str) -> None:
        value = self.key_value
        if value is None:
            return
        nodes, alive = value.nodes, value.alive
        length = self.length = self.length + len(text)
        if any(alive[i] and node.keeps_key_text for i, node in enumerate(nodes)):
            value.text = _extended(value, text)
        full = value.text
        dead = [i for i, node in enumerate(nodes)
                if alive[i] and not node.key_ok(full, text, length)]
        if dead:
            char = max(nodes[i].first_bad_key(full, text, length) for i in dead)
            start = length - len(text)  # where ``text`` starts in the key
            shown = full[: char + 1] if full else (
                ("..." if start else "") + text[: char + 1 - start])  # the head is not kept
            self._drop(value, dead, None, "extra_forbidden",
                       f"no allowed key starts with {shown!r}", char=char)

    def key(self, name: str, pos: int) -> None:
        super().key(name, pos)
        value = self.frames[-1]
        value.key = name
        seen = value.seen
        assert seen is not None
        if self.key_value is not None:
            self.key_value, self.watching = None, False
            refused, too_many = [], []
            for i, node in enumerate(value.nodes):
                if not value.alive[i]:
                    continue
                obj = node.concrete
                if isinstance(obj, DictNode):
                    if not node.key_ok(name, name, len(name)):
                        refused.append(i)
                    elif (node.max_length is not None and name not in seen
                          and len(seen) >= node.max_length):
                        too_many.append(i)
                elif isinstance(obj, ObjectNode) and obj.extra == "forbid" and (
                        name not in obj.fields):
                    refused.append(i)
            if refused:
                self._drop(value, refused, pos, "extra_forbidden", f"key {name!r} not allowed")
            if too_many:
                limit = value.nodes[too_many[0]].max_length
                self._drop(value, too_many, pos, "too_long", f"more than {limit} keys")
        seen.add(name)

    def start_string(self, pos: int) -> None:
        value = self._begin(STRING, pos)
        super().start_string(pos)
        self.current = value
        value.watch = [i for i, node in enumerate(value.nodes) if node.checks_text]
        self.watching = bool(value.watch)
        self.text_at, self.length, self.chars_before = pos + 1, 0, 0
        if self._can_show(value) and value.single is not None and value.single.shows_prefix:
            self._put(value.parent, value.slot, "")
            value.shown = self._slot_of(value)  # the prefix is shown there: grow it

    def grow_string(self, text: str) -> None:
        value: _Value = self.current  # type: ignore[assignment]  # a string is being read
        if value.quiet:  # deltas=False: the JSON grows, with no event
            self._grow((self._slot, self._slot_key), text)
        else:
            Builder.grow_string(self, text)
        if value.watch:
            text = self._check_string(value, text)
        if value.shown is not None:
            self._grow(value.shown, text)

    @staticmethod
    def _grow(shown: tuple[Any, Any], text: str) -> None:
        # Drop the container's reference first, so CPython extends the string in place.
        container, slot = shown
        grown: str = container[slot]  # typed, so compiled code appends in place too
        container[slot] = None
        grown += text
        container[slot] = grown

    def _check_string(self, value: _Value, text: str) -> str:
        """The string ``value`` grew by ``text``: can it still be valid? Returns the part of
        ``text`` that may be shown (all of it, unless it ends the last candidate)."""
        length = self.length = self.length + len(text)
        nodes, alive = value.nodes, value.alive
        if any(alive[i] and nodes[i].keeps_text for i in value.watch):
            value.text = _extended(value, text)
        full = value.text
        dead = [i for i in value.watch if alive[i] and not nodes[i].string_ok(full, text, length)]
        if dead:
            char, last = max((nodes[i].first_bad(full, text, length), i) for i in dead)
            kind, message = nodes[last].refusal(length)
            if len(dead) == value.n and value.shown is not None:
                # Show what was valid before the violation, whatever the chunking; no more.
                self._grow(value.shown, text[: char - (length - len(text))])
                value.shown = None
            self._drop(value, dead, None, kind, message, char=char)
        return text

    def end_string(self, pos: int) -> None:
        self.watching = False
        self._closing, self._pos = self.current, pos
        super().end_string(pos)
        self.current = None

    def start_scalar(self, pos: int) -> None:
        c = self.chunk[pos]
        kind = BOOL if c in "tfTF" else NULL if c == "n" else NUMBER
        if c == "N" and self.python_literals:
            kind = NUMBER | NULL  # NaN or None: which, the next letter tells
        self.current = self._begin(kind, pos)

    def scalar(self, value: Any, start: int, end: int) -> None:
        if start >= 0:
            kind = _kind_of(value)
            if value is None and self.python_literals and self.chunk[start] == "N":
                kind = NUMBER | NULL  # as when 'None' is cut after its 'N'
            self.current = self._begin(kind, start)
        number = type(value) is int or type(value) is float
        self._closing, self._pos = self.current, end if number else end - 1
        super().scalar(value, start, end)
        self.current = None

    def _completed(self, path: Path, value: Any) -> None:
        closing = self._closing
        assert closing is not None
        self._finish(closing, value, self._pos)


@final  # compiled, it cannot be subclassed: wrap it instead
class ModelStream(Generic[T]):
    """Stream JSON into a validated ``T`` (a pydantic model or any type ``TypeAdapter``
    accepts): ``feed(chunk)`` returns events, ``partial`` is the validated partial object,
    ``close()`` returns ``TypeAdapter(T).validate_json(all_text)``. ``T`` may also be a JSON
    Schema (a dict): values are then plain JSON (dicts, lists), validated with JSON Schema's
    semantics (see partialjson.schema); an unsupported keyword raises SchemaError here.

    Options:
        early_stop: raise :class:`SchemaViolation` from ``feed()`` at the first certain
            violation (default); if False, report violations as :class:`Violation` events
            (``close()`` still raises).
        strict, context: passed to pydantic's validation, as in ``validate_json``.
        max_depth, max_bytes, extract, keep_text, lenient: as for :class:`JsonStream`
            (``extract``: the JSON in prose or a fence; the prose comes as ``ProseDelta``
            events; ``keep_text=False``: ``received`` and violations' ``text_so_far`` hold
            only the input's last few thousand units; ``lenient``: the document is validated
            as the strict JSON it stands for, :meth:`completed_json`).
        guards: content rules (:class:`Guard`) on string values, as for :class:`JsonStream`;
            the schema sees strings as redacted, and so does the final object. A ``"stop"``
            raises :class:`GuardViolation` whatever ``early_stop`` says.
        defaults: show each field's default (or its default_factory's value) in the partial
            object until the field is seen. A default shown is not in ``model_fields_set``:
            that set holds the fields seen, so "not seen yet" stays distinguishable.

    Per-field directives, ``Annotated[T, pj.Stream(...)]`` (see :class:`Stream`): ``done``
    shows the field only once whole; ``not_null`` keeps the object holding it out of the
    partial (out of its list or parent, ``partial`` None at the top) until the field is
    shown with a value, or the object is whole; ``deltas=False`` sends no ``StringDelta``
    for anything in the field.

    ``partial`` is, for a model or dataclass type, its empty partial object from the start
    (for a TypedDict an empty dict), filled in place as the document arrives; for other types
    it is None until the value's kind is known (then a list or dict that grows, or the value
    once whole).
    """

    def __init__(
        self,
        type_: type[T] | Any,
        *,
        early_stop: bool = True,
        strict: bool | None = None,
        context: Any = None,
        max_depth: int | None = 1000,
        max_bytes: int | None = None,
        extract: bool = False,
        keep_text: bool = True,
        lenient: bool | Iterable[str] = False,
        defaults: bool = False,
        guards: Iterable[Guard] | None = None,
    ) -> None:
        self.type = type_
        self.early_stop = early_stop
        self.strict = strict
        self.context = context
        self._adapter, compiler = _compiled(type_, strict, context)
        self._tracker = Tracker(compiler, self, defaults)
        # Read JSON as pydantic's parser does: NaN and Infinity yes, lone surrogates no.
        self._json: JsonStream[Any] = JsonStream(max_depth=max_depth, max_bytes=max_bytes,
                                                 allow_nan=True, lone_surrogates=False,
                                                 extract=extract, keep_text=keep_text,
                                                 lenient=lenient, guards=guards,
                                                 _builder=self._tracker)
        self._lenient = bool(self._json.lenient)
        self._tracker.escapes = self._json._scanner.escapes
        self._tracker.python_literals = "python_literals" in self._json.lenient
        self._error: PartialJSONError | None = None
        self.violations: list[SchemaViolation] = []
        self._completed: set[tuple[str | int, ...]] = set()
        self._known = 0  # how many of the tracker's completed paths are in _completed

    # -- state -----------------------------------------------------------------------------
    @property
    def partial(self) -> Partial[T]:
        """The validated partial object (updated in place): fields not seen yet are None."""
        partial: Partial[T] = self._tracker.partial_root[0]
        return partial

    @property
    def value(self) -> Any:
        """The parsed JSON so far (not validated), as :attr:`JsonStream.value`."""
        return self._json.value

    @property
    def received(self) -> Any:
        return self._json.received

    @property
    def complete(self) -> bool:
        return self._json.complete

    @property
    def error(self) -> PartialJSONError | None:
        return self._error

    def completed_json(self) -> str:
        """The JSON received so far closed into strict JSON text that ``json.loads`` reads
        as :attr:`value` (see :meth:`JsonStream.completed_json`)."""
        return self._json.completed_json()

    def is_complete(self, path: tuple[str | int, ...] | Path = ()) -> bool:
        """Has the value at ``path`` (keys as in the JSON) been read whole and validated?"""
        done = self._tracker.completed_paths
        for finished in done[self._known :]:  # paths completed since the last question
            self._completed.add(finished.as_tuple())
        self._known = len(done)
        return tuple(path) in self._completed

    # -- input -----------------------------------------------------------------------------
    def feed(self, chunk: str | bytes) -> list[Event]:
        """Take the next chunk; return its events. Raises :class:`SchemaViolation` (with
        ``early_stop``) or the JSON core's errors."""
        if self._error is not None:
            raise self._error
        tracker = self._tracker
        if tracker.watching:
            tracker.begin_chunk(self._json._scanner.escape)
        try:
            events = self._json.feed(chunk)
        except PartialJSONError as exc:
            self._fail(exc)
        return events

    def end(self) -> list[Event]:
        if self._error is not None:
            raise self._error
        try:
            events = self._json.end()
        except PartialJSONError as exc:
            self._fail(exc)
        return events

    def close(self) -> T:
        """End of input: the final object, exactly ``TypeAdapter(T).validate_json(text)``
        (for lenient input, of the strict JSON it stands for, :meth:`completed_json`)."""
        self.end()
        if self._tracker.document is _UNKNOWN:
            self._validate_document(None)
        return cast(T, self._tracker.document)

    def _fail(self, error: PartialJSONError) -> Any:
        if isinstance(error, SchemaViolation):
            self._keep_text(error)
        self._error = error
        raise error

    def _keep_text(self, error: SchemaViolation) -> None:
        """Give ``error`` the text received so far: a view of the stream's input (no copy
        per violation), or, where only a tail is kept, that tail as it is now."""
        received = self._json._received
        if received.keep:
            error._view(received, received.length)
        else:
            error.text_so_far = received.slice()

    # -- for the tracker ---------------------------------------------------------------------
    def _where(self, pos: int) -> tuple[int, int, int]:
        return self._json._position(pos)

    def _violated(self, error: SchemaViolation, path: Path) -> None:
        if self.early_stop:
            raise error
        self._keep_text(error)
        self.violations.append(error)
        self._tracker.events.append(Violation(path, error))

    def _validate_document(self, pos: int | None) -> Any:
        """pydantic's answer for the whole document, which ends at ``pos`` in this chunk."""
        guards = self._tracker.guards
        redacted = guards is not None and guards.redacted
        if self._json._received.keep and not self._lenient and not redacted:
            received: Any = self._json._json_text(
                None if pos is None else self._where(pos)[0] + 1)
        elif pos is None and self.violations and not self._lenient:
            return self._fail(self.violations[0])  # the text to ask pydantic about is gone
        else:  # the text is gone (or redacted, or not JSON), but not the JSON it made
            received = json_text(self._tracker.root[0])
        try:
            document = self._adapter.validate_json(received, strict=self.strict,
                                                   context=self.context)
        except ValidationError as exc:
            errors: list[dict[str, Any]] = [dict(e) for e in exc.errors(include_url=False)]
            first = errors[0]
            path: tuple[str | int, ...] = tuple(first["loc"])
            offset, line, column = self._where(pos if pos is not None else 0)
            if pos is None:
                offset = self._json._received.length
                line, column = self._json._line_column(offset)
            message = str(first["msg"])
            error = SchemaViolation(f"{message} at {format_path(path)}", offset, line,
                                    column, path, errors)
            error.message = message
            error.__cause__ = exc
            if pos is None or self.early_stop:
                self._fail(error)
            self._violated(error, _path(path))
            return _UNKNOWN
        self._tracker.document = document
        return document


def _path(keys: tuple[str | int, ...]) -> Path:
    path = ROOT
    for key in keys:
        path = Path(path, key)
    return path


_cache: dict[tuple[Any, bool | None], tuple[TypeAdapter[Any], Compiler]] = {}


def _compiled(type_: Any, strict: bool | None, context: Any) -> tuple[Any, SchemaCompiler]:
    """The adapter and compiled schema of a type, cached (unless a context is given); for a
    JSON Schema (a dict), its compiler, which is also its adapter (cached by its JSON text)."""
    if isinstance(type_, (dict, bool)):
        compiler = compiled_schema(type_)
        return compiler, compiler
    key = (type_, strict)
    found = _cache.get(key) if context is None else None
    if found is None:
        adapter: TypeAdapter[Any] = TypeAdapter(type_)
        schema: Any = adapter.core_schema
        schema["type"]  # a type not fully defined: pydantic's own PydanticUserError, raised now
        found = adapter, Compiler(cast("dict[str, Any]", schema), strict, context)
        if context is None:
            _cache[key] = found
    return found
