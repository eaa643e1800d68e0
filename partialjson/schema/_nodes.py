"""The candidate nodes: what is allowed at one place of a document, whatever the schema's
input language.

Each node answers questions the stream can ask before a value is whole — which JSON kinds may
start here, which keys may follow, can this string still become an allowed one — and has its
compiler validate a value once it is whole. Every answer errs on the side of "maybe": a node
rules something out only when no continuation could make the value valid.

A *concrete* node is a leaf, an object, an array or ANY. A compiler (one per input language:
``_pydantic``, ``_jsonschema``) turns its schema into these, resolving unions and references
into the concrete alternatives (the candidates a stream tracks at once), and validates whole
values for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from .._directives import Stream

# JSON kinds, as bits.
OBJECT: Final = 1
ARRAY: Final = 2
STRING: Final = 4
NUMBER: Final = 8
BOOL: Final = 16
NULL: Final = 32
ALL_KINDS: Final = 63
KIND_NAMES = {OBJECT: "object", ARRAY: "array", STRING: "string", NUMBER: "number",
              BOOL: "boolean", NULL: "null"}


class Unknown(Exception):
    """A validator could not say (it needs context, or raised something other than a
    validation error): not a violation."""


class Node:
    """What is allowed at one place: the ``kinds`` that may start here, the members that may
    follow, and how to validate a whole value — from its parsed JSON (``validate_raw``) or, for
    containers, from members already validated one by one (``validate_members``).

    The base class allows anything: it stands for types the compiler does not look into.
    """

    kinds = ALL_KINDS
    shows_prefix = False  # a growing string here is already a valid prefix of the value
    checks_text = False  # string_ok can rule out a string before it ends
    keeps_text = False  # ... and needs all of it so far (else the latest delta is enough)
    keeps_key_text = False  # key_ok needs the whole key so far (else the latest delta)
    max_length: int | None = None  # most members (arrays, dicts)
    directive: Stream | None = None  # how the value streams (pj.Stream), set by the compiler

    def __init__(self, compiler: SchemaCompiler | None, schema: dict[str, Any] | None,
                 config: dict[str, Any]) -> None:
        self.compiler = compiler  # None only for ANY
        self.schema = schema
        self.config = config
        self.concrete: Node = self  # whose checks apply here (see _pydantic._Wrapped)
        self.validator: Any = None  # the compiler's whole-value validator, made on first use
        self.members_validator: Any = None  # ... and its validator of members validated apart

    def validate_raw(self, raw: Any) -> Any:
        """The value for the whole JSON value ``raw`` (raises pydantic's ValidationError, or
        Unknown when it can be validated only as part of its parent)."""
        compiler = self.compiler
        if compiler is None:
            return raw
        return compiler.validate_raw(self, raw)

    def validate_members(self, members: list[Any] | dict[str, Any]) -> Any:
        """The value for a container whose members were validated one by one."""
        compiler = self.compiler
        if compiler is None:
            raise Unknown
        return compiler.validate_members(self, members)

    def child(self, key: str | int) -> list[Node]:
        """The alternatives for the member at ``key`` (an index for arrays)."""
        return [ANY]

    def _expand(self, schema: Any) -> list[Node]:
        """The alternatives for a member's ``schema``, in this node's config."""
        assert self.compiler is not None  # only ANY has none, and it has no members' schemas
        return self.compiler.expand(schema, self.config)

    def key_ok(self, text: str, delta: str, length: int) -> bool:
        """Can a key beginning with ``text`` (which just grew by ``delta`` to ``length``
        characters) still be allowed? ``text`` is kept only for nodes that ``keeps_key_text``."""
        return True

    def first_bad_key(self, text: str, delta: str, length: int) -> int:
        """Index of the first character of the key that ``key_ok`` refuses."""
        return length - 1

    def string_ok(self, text: str, delta: str, length: int) -> bool:
        """Can a string beginning with ``text`` (which just grew by ``delta`` to ``length``
        characters) still be valid here? ``text`` is kept only for nodes that ``keeps_text``."""
        return True

    def first_bad(self, text: str, delta: str, length: int) -> int:
        """Index of the first character of the string that ``string_ok`` refuses."""
        return length - 1

    def refusal(self, length: int) -> tuple[str, str]:
        """Why ``string_ok`` refused: a pydantic-style error type and a message."""
        return "string_type", f"expected {self.describe()}"

    def describe(self) -> str:
        if self.schema is None:
            return "any value"
        return str(self.schema.get("type", "value"))


class Leaf(Node):
    """A scalar or string type: int, str, Literal, Enum, date, ..."""

    def __init__(self, compiler: SchemaCompiler, schema: dict[str, Any],
                 config: dict[str, Any], kinds: int) -> None:
        super().__init__(compiler, schema, config)
        self.kinds = kinds
        self.choices: tuple[str, ...] | None = None  # allowed strings (Literal, Enum)
        self.max_chars: int | None = None  # max_length of a string, when it is exact
        self.text_pattern: re.Pattern[str] | None = None  # what each character must match
        self.text_refusal = ("string_type", "not a number")  # why text_pattern refused
        self._too_long = False  # first_bad found max_chars before text_pattern (refusal's why)
        self.identity: type | None = None  # JSON values of this type validate to themselves

    def settle(self) -> None:
        """Set the summary flags once the checks are known."""
        self.keeps_text = self.choices is not None
        self.checks_text = self.keeps_text or bool(self.max_chars is not None
                                                   or self.text_pattern)

    def string_ok(self, text: str, delta: str, length: int) -> bool:
        if self.choices is not None:
            return any(choice.startswith(text) for choice in self.choices)
        if self.max_chars is not None and length > self.max_chars:
            return False
        return self.text_pattern is None or self.text_pattern.match(delta) is not None

    def first_bad(self, text: str, delta: str, length: int) -> int:
        if self.choices is not None:
            return max(_common_prefix(text, choice) for choice in self.choices)
        start = length - len(delta)
        pattern = self.text_pattern
        if pattern is not None and pattern.match(delta) is None:
            bad = start + next(i for i, c in enumerate(delta) if not pattern.match(c))
            if self.max_chars is None or bad < self.max_chars:
                self._too_long = False
                return bad
        self._too_long = True
        assert self.max_chars is not None
        return self.max_chars

    def refusal(self, length: int) -> tuple[str, str]:
        if self.choices is not None:
            return "literal_error", f"expected {self.describe()}"
        if self.max_chars is not None and length > self.max_chars and (
                self.text_pattern is None or self._too_long):
            return "string_too_long", f"longer than {self.max_chars} characters"
        return self.text_refusal

    def validate_raw(self, raw: Any) -> Any:
        if type(raw) is self.identity:
            return raw  # pydantic would give back the very same value
        return super().validate_raw(raw)

    def describe(self) -> str:
        if self.choices is not None:
            return " or ".join(repr(c) for c in self.choices)
        return super().describe()


@dataclass(frozen=True)
class Field:
    name: str  # the attribute / key the value is stored under
    schema: Any  # in the compiler's input language
    required: bool
    directive: Stream | None = None  # pj.Stream on the field, given to its nodes


class ObjectNode(Node):
    """A model, TypedDict or dataclass: known fields by key, an extra-keys policy."""

    kinds = OBJECT

    def __init__(self, compiler: SchemaCompiler, schema: dict[str, Any],
                 config: dict[str, Any], fields: dict[str, Field], extra: str,
                 extras_schema: Any, cls: Any) -> None:
        super().__init__(compiler, schema, config)
        self.fields = fields  # by every key that may name them
        self.required = frozenset(f.name for f in fields.values() if f.required)
        self.extra = extra
        self.extras_schema = extras_schema
        self.cls = cls
        self.keys = tuple(fields)
        self.keeps_key_text = extra == "forbid"
        self._children: dict[str, list[Node]] = {}  # by key, for the keys seen

    def key_ok(self, text: str, delta: str, length: int) -> bool:
        return self.extra != "forbid" or any(k.startswith(text) for k in self.keys)

    def first_bad_key(self, text: str, delta: str, length: int) -> int:
        return max((_common_prefix(text, k) for k in self.keys), default=0)

    def child(self, key: str | int) -> list[Node]:
        found = self._children.get(key)  # type: ignore[arg-type]
        if found is None:
            field = self.fields.get(key)  # type: ignore[arg-type]
            if field is not None:
                found = _directed(self._expand(field.schema), field.directive)
                self._children[key] = found  # type: ignore[index]
            elif self.extra == "allow" and self.extras_schema is not None:
                found = self._expand(self.extras_schema)
            else:
                found = [ANY]
        return found

    def describe(self) -> str:
        return getattr(self.cls, "__name__", "object")


class DictNode(Node):
    """Any keys (each checked by ``key_nodes``), each value checked by ``values_schema``."""

    kinds = OBJECT

    def __init__(self, compiler: SchemaCompiler, schema: dict[str, Any],
                 config: dict[str, Any], key_nodes: list[Node], values_schema: Any,
                 max_length: int | None) -> None:
        super().__init__(compiler, schema, config)
        self.max_length = max_length  # most keys
        self.key_nodes = key_nodes
        self.keeps_key_text = any(node.keeps_text for node in key_nodes)
        self.values_schema = values_schema  # None: any value

    def key_ok(self, text: str, delta: str, length: int) -> bool:
        return any(node.string_ok(text, delta, length) for node in self.key_nodes)

    def first_bad_key(self, text: str, delta: str, length: int) -> int:
        return max(node.first_bad(text, delta, length) for node in self.key_nodes)

    def child(self, key: str | int) -> list[Node]:
        if self.values_schema is None:
            return [ANY]
        return self._expand(self.values_schema)


class ArrayNode(Node):
    """An array: items at fixed positions (``positional``), one of which (``variadic``) may
    repeat, or none (any items)."""

    kinds = ARRAY

    def __init__(self, compiler: SchemaCompiler, schema: dict[str, Any],
                 config: dict[str, Any], positional: list[Any], variadic: int | None,
                 max_length: int | None, any_items: bool) -> None:
        super().__init__(compiler, schema, config)
        self.max_length = max_length  # most items
        self.positional = positional  # the items' schemas by position
        self.variadic = variadic  # the position that repeats (None: no more items after)
        self.any_items = any_items
        self._variadic_nodes: list[Node] | None = None

    def child(self, key: str | int) -> list[Node]:
        assert isinstance(key, int)
        if self.any_items:
            return [ANY]
        positional = self.positional
        if self.variadic is None or key < self.variadic:
            if key >= len(positional):
                return []
            return self._expand(positional[key])
        tail = len(positional) - 1 - self.variadic  # items fixed after the variadic one
        if tail > 0:
            return [ANY]  # which position an item takes is known only at the end
        if self._variadic_nodes is None:  # a list's items: the common case, looked up once
            self._variadic_nodes = self._expand(positional[self.variadic])
        return self._variadic_nodes


ANY: Final = Node(None, None, {})  # allows anything, validates nothing


class SchemaCompiler:
    """What nodes ask of their input language's compiler (subclassed by each)."""

    root: list[Node]  # the alternatives for the whole document

    def expand(self, schema: Any, config: dict[str, Any]) -> list[Node]:
        """The concrete alternatives for ``schema``."""
        raise NotImplementedError

    def fresh(self, schema: Any, config: dict[str, Any]) -> list[Node]:
        """The alternatives for ``schema`` built anew, not the ones shared by every place
        the same schema appears (for a field's own directive)."""
        return self.expand(schema, config)

    def validate_raw(self, node: Node, raw: Any) -> Any:
        """The value for the whole JSON value ``raw`` at ``node`` (raises pydantic's
        ValidationError, or Unknown when it can be judged only as part of its parent)."""
        raise Unknown

    def validate_members(self, node: Node, members: list[Any] | dict[str, Any]) -> Any:
        """The value for a container at ``node`` whose members were validated one by one."""
        raise Unknown


def _directed(nodes: list[Node], directive: Stream | None) -> list[Node]:
    """A field's alternatives carrying its directive: nodes of their own, built again from
    their schemas, since the shared ones may stand for the same type elsewhere."""
    if directive is None:
        return nodes
    directed: list[Node] = []
    for node in nodes:
        compiler = node.compiler
        made = [Node(None, None, {})] if compiler is None or node.schema is None else (
            compiler.fresh(node.schema, node.config))
        for one in made:
            one.directive = directive
        directed += made
    return directed


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix of ``a`` and ``b``."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i

