"""The JSON Schema compiler: what a JSON Schema dict allows, as checks on prefixes.

A schema is turned into the same candidate nodes as a pydantic type (``_nodes``). ``allOf`` and
``$ref`` are inlined into a *conjunction* (the schemas a value must all satisfy); ``anyOf`` and
``oneOf`` are distributed into alternatives (one candidate per branch, which the stream drops
as the document rules them out: a ``const`` tag acts as a discriminator); each alternative
becomes an object, array or leaf node per JSON kind it allows. Checks on prefixes: the kind,
keys (``additionalProperties: false``), strings (``enum``/``const``, ``maxLength``, a
``pattern`` that is one character class repeated), ``maxItems``/``maxProperties``, required
properties at ``}``. A whole value is validated by ``_jsonschema_validator`` (the members of a
container are validated once, by their own candidates).
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from pydantic_core import PydanticSerializationError, from_json, to_json

from .._directives import Stream
from ._jsonschema_validator import ASSERTIONS, Validator
from ._nodes import (
    ALL_KINDS,
    ANY,
    ARRAY,
    BOOL,
    NULL,
    NUMBER,
    OBJECT,
    STRING,
    ArrayNode,
    DictNode,
    Field,
    Leaf,
    Node,
    ObjectNode,
    SchemaCompiler,
    Unknown,
)

_KIND_BITS: Final = {"object": OBJECT, "array": ARRAY, "string": STRING, "number": NUMBER,
                     "integer": NUMBER, "boolean": BOOL, "null": NULL}
_OBJECT_WORDS: Final = ("properties", "required", "additionalProperties", "minProperties",
                        "maxProperties")
_ARRAY_WORDS: Final = ("items", "prefixItems", "minItems", "maxItems", "uniqueItems")
_IDENTITY: Final[dict[str, type]] = {"string": str, "integer": int, "number": float,
                                     "boolean": bool, "null": type(None)}
# Past this many alternatives for one schema, unions are left to whole-value validation.
_MOST_ALTERNATIVES: Final = 64
# ``^X*$`` and the like, X one character class: each character can be checked as it comes.
_ONE_CLASS = re.compile(
    r"\^(\[(?:\\.|[^\\\]])+\]|\\[dwsDWS]|\.|[A-Za-z0-9 _-])(?:\*|\+|\?|\{\d+(?:,\d*)?\})?\$\Z")

_NULL: Final[dict[str, Any]] = {"type": "null"}
_DEEP: Final = 0  # the validator's modes (see _jsonschema_validator)
_SKIP_UNIONS: Final = 1
_SHALLOW: Final = 2


def _kind_of_value(value: Any) -> int:
    if value is None:
        return NULL
    if type(value) is bool:
        return BOOL
    if type(value) in (int, float):
        return NUMBER
    if type(value) is str:
        return STRING
    return ARRAY if type(value) is list else OBJECT


def _kinds(schema: dict[str, Any]) -> int:
    """The JSON kinds ``schema``'s own keywords allow."""
    kinds = ALL_KINDS
    names = schema.get("type")
    if names is not None:
        kinds = 0
        for name in [names] if type(names) is str else names:
            kinds |= _KIND_BITS[name]
    if "const" in schema:
        kinds &= _kind_of_value(schema["const"])
    if "enum" in schema:
        allowed = 0
        for value in schema["enum"]:
            allowed |= _kind_of_value(value)
        kinds &= allowed
    if schema.get("nullable") is True:
        kinds |= NULL
    return kinds


def _all(schemas: list[Any]) -> Any:
    """One schema for a value that must satisfy all of ``schemas``."""
    kept = [s for s in schemas if s is not True]
    if not kept:
        return True
    if any(s is False for s in kept):
        return False
    return kept[0] if len(kept) == 1 else {"allOf": kept}


_compiled: dict[bytes, JsonSchemaCompiler] = {}
_MOST_CACHED: Final = 256


def compiled(schema: Any) -> JsonSchemaCompiler:
    """The compiler of ``schema``, shared by the streams given an equal schema (keyed by its
    JSON text: a dict changed since is another schema)."""
    try:
        key = to_json(schema)
    except PydanticSerializationError:
        return JsonSchemaCompiler(schema)  # not JSON: Validator refuses it
    found = _compiled.get(key)
    if found is None:
        found = JsonSchemaCompiler(schema)
        if len(_compiled) >= _MOST_CACHED:
            _compiled.clear()
        _compiled[key] = found
    return found


class JsonSchemaCompiler(SchemaCompiler):
    """Compiles one JSON Schema (a dict, or a boolean); nodes are built lazily and cached."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self.checker = Validator(schema)  # refuses what it cannot honour, now
        self._cache: dict[int, list[Node]] = {}
        self._keep: list[Any] = []  # schemas cached by id stay alive
        self.root = self.expand(schema, {})

    def validate_raw(self, node: Node, raw: Any) -> Any:
        conjunction, mode = node.validator
        checker = self.checker
        for schema in conjunction:
            checker.validate(schema, raw, mode)
        return raw

    def validate_members(self, node: Node, members: list[Any] | dict[str, Any]) -> Any:
        conjunction, mode = node.validator
        if mode == _DEEP:
            raise Unknown
        checker = self.checker
        for schema in conjunction:
            checker.validate(schema, members, _SHALLOW)
        return members

    def validate_json(self, text: str | bytes, strict: bool | None = None,
                      context: Any = None) -> Any:
        """The whole document ``text`` (as a TypeAdapter's ``validate_json``, for ModelStream)."""
        try:
            value = from_json(text, allow_inf_nan=True)
        except ValueError:  # a number at the top ends at the character after it: not its own
            if isinstance(text, bytes):
                text = text.decode("utf-8", "surrogatepass")
            value = json.JSONDecoder().raw_decode(text.lstrip(" \t\r\n"))[0]
        return self.checker.validate(self.schema, value)

    # -- expansion -------------------------------------------------------------------------
    def expand(self, schema: Any, config: dict[str, Any]) -> list[Node]:
        key = id(schema)
        found = self._cache.get(key)
        if found is None:
            self._keep.append(schema)
            found = self._cache[key] = []  # a recursive schema sees this (filled below)
            found.extend(self._expand(schema))
        return found

    def _expand(self, schema: Any) -> list[Node]:
        if schema is True:
            return [ANY]
        base: list[dict[str, Any]] = []
        if not self._inline(schema, base, set()):
            return []
        alternatives = self._alternatives(base)
        if alternatives is None:  # too many: the unions are checked on the whole value
            return self._nodes(schema, base, [schema], _DEEP)
        nodes: list[Node] = []
        for conjunction in alternatives:
            nodes += self._nodes(schema, conjunction, conjunction, _SKIP_UNIONS)
        return nodes

    def _inline(self, schema: Any, into: list[dict[str, Any]], seen: set[int]) -> bool:
        """Add ``schema`` and what its ``$ref`` and ``allOf`` point at to ``into``; False if
        one of them is ``false`` (nothing is allowed)."""
        if schema is True or id(schema) in seen:
            return True
        if schema is False:
            return False
        seen.add(id(schema))
        into.append(schema)
        if schema.get("nullable") is True:
            return True  # null passes it whatever it refers to: _alternatives splits it
        return self._inline_parts(schema, into, seen)

    def _inline_parts(self, schema: dict[str, Any], into: list[dict[str, Any]],
                      seen: set[int]) -> bool:
        ref = schema.get("$ref")
        if ref is not None and not self._inline(self.checker.resolve(ref), into, seen):
            return False
        return all(self._inline(sub, into, seen) for sub in schema.get("allOf", ()))

    def _alternatives(self, base: list[dict[str, Any]]) -> list[list[dict[str, Any]]] | None:
        """``base`` with its unions distributed: one conjunction per way of choosing a branch
        of each ``anyOf``/``oneOf`` (None past _MOST_ALTERNATIVES)."""
        work: list[tuple[list[dict[str, Any]], int]] = [(base, 0)]
        done: list[list[dict[str, Any]]] = []
        while work:
            conjunction, at = work.pop()
            while at < len(conjunction) and not self._splits(conjunction, at):
                at += 1
            if at == len(conjunction):
                done.append(conjunction)
                continue
            schema = conjunction[at]
            options = [conjunction]
            if schema.get("nullable") is True:  # null passes it, whatever else it says
                work.append(([*conjunction[:at], _NULL, *conjunction[at + 1:]], at + 1))
                parts: list[dict[str, Any]] = []
                options = [conjunction + parts] if self._inline_parts(schema, parts, set()) else []
            for keyword in ("anyOf", "oneOf"):
                branches = schema.get(keyword)
                if branches is None:
                    continue
                inlined: list[list[dict[str, Any]]] = []
                for branch in branches:
                    parts = []
                    if self._inline(branch, parts, set()):
                        inlined.append(parts)
                options = [option + parts for option in options for parts in inlined]
            work.extend((option, at + 1) for option in options)
            if len(work) + len(done) > _MOST_ALTERNATIVES:
                return None
        done.reverse()  # in the order of the branches
        return done

    @staticmethod
    def _splits(conjunction: list[dict[str, Any]], at: int) -> bool:
        """Has ``conjunction[at]`` a union not distributed yet (not earlier in the list)? (A
        nullable schema's ``$ref`` and ``allOf`` count: null or all of them.)"""
        schema = conjunction[at]
        if "anyOf" not in schema and "oneOf" not in schema and not (
                schema.get("nullable") is True and ("allOf" in schema or "$ref" in schema)):
            return False
        return not any(conjunction[i] is schema for i in range(at))

    def _nodes(self, whole: Any, conjunction: list[dict[str, Any]], checked: list[Any],
               mode: int) -> list[Node]:
        """The concrete nodes of one alternative (a conjunction of schemas), one per kind of
        JSON it has checks for; ``checked`` with ``mode`` validates their whole values."""
        kinds = ALL_KINDS
        for schema in conjunction:
            kinds &= _kinds(schema)
        shape = whole if isinstance(whole, dict) else {}
        nodes: list[Node] = []
        if kinds & OBJECT and any(w in s for s in conjunction for w in _OBJECT_WORDS):
            nodes.append(self._object(shape, conjunction))
            kinds &= ~OBJECT
        if kinds & ARRAY and any(w in s for s in conjunction for w in _ARRAY_WORDS):
            nodes.append(self._array(shape, conjunction))
            kinds &= ~ARRAY
        if kinds:
            leaf = self._leaf(shape, conjunction, kinds)
            if leaf is not None:
                nodes.append(leaf)
        directive = next((s["x-partialjson"] for s in conjunction if "x-partialjson" in s), None)
        plan = (tuple(checked), mode)
        for node in nodes:
            node.validator = plan
            if directive is not None:
                node.directive = Stream(**directive)
        return nodes

    def _object(self, shape: dict[str, Any], conjunction: list[dict[str, Any]]) -> Node:
        names: dict[str, None] = {}  # in order, once each
        for schema in conjunction:
            names.update(dict.fromkeys(schema.get("properties", {})))
            names.update(dict.fromkeys(schema.get("required", ())))
        required = {n for schema in conjunction for n in schema.get("required", ())}
        fields: dict[str, Field] = {}
        for name in names:
            member = _all([s["properties"][name] if name in s.get("properties", {})
                           else s.get("additionalProperties", True) for s in conjunction])
            if member is not False:
                fields[name] = Field(name, member, name in required)
        others = _all([s.get("additionalProperties", True) for s in conjunction])
        most = [s["maxProperties"] for s in conjunction if "maxProperties" in s]
        if not fields and others is not False and most:
            return DictNode(self, shape, {}, [ANY], None if others is True else others,
                            int(min(most)))
        return ObjectNode(self, shape, {}, fields, "forbid" if others is False else "allow",
                          others, None)

    def _array(self, shape: dict[str, Any], conjunction: list[dict[str, Any]]) -> Node:
        fixed = max(len(s.get("prefixItems", ())) for s in conjunction)

        def item(i: int) -> Any:
            return _all([s["prefixItems"][i] if i < len(s.get("prefixItems", ()))
                         else s.get("items", True) for s in conjunction])

        positional = [item(i) for i in range(fixed)]
        rest = _all([s.get("items", True) for s in conjunction])
        bounds = [int(s["maxItems"]) for s in conjunction if "maxItems" in s]
        most = min(bounds) if bounds else None
        if rest is False:
            most = fixed if most is None else min(most, fixed)
            return ArrayNode(self, shape, {}, positional, None, most, False)
        return ArrayNode(self, shape, {}, [*positional, rest], fixed, most,
                         fixed == 0 and rest is True)

    def _leaf(self, shape: dict[str, Any], conjunction: list[dict[str, Any]],
              kinds: int) -> Node | None:
        choices: set[str] | None = None
        for schema in conjunction:
            values = [schema["const"]] if "const" in schema else schema.get("enum")
            if values is not None:
                strings = {v for v in values if type(v) is str}
                choices = strings if choices is None else choices & strings
        if choices is not None and not choices:
            kinds &= ~STRING
        if not kinds:
            return None
        leaf = Leaf(self, shape, {}, kinds)
        if kinds & STRING:
            leaf.shows_prefix = True  # a JSON Schema value is its JSON: a prefix shows as is
            if choices is not None:
                leaf.choices = tuple(sorted(choices))
            bounds = [int(s["maxLength"]) for s in conjunction if "maxLength" in s]
            if bounds:
                leaf.max_chars = min(bounds)
            for schema in conjunction:
                found = _ONE_CLASS.match(schema.get("pattern", ""))
                if found is not None:
                    # ``$`` also matches before a final newline: let newlines through.
                    leaf.text_pattern = re.compile(f"(?:{found.group(1)}|\n)*\\Z")
                    leaf.text_refusal = ("string_pattern_mismatch",
                                         f"does not match {schema['pattern']!r}")
                    break
        if len(conjunction) == 1:
            schema = conjunction[0]
            names = schema.get("type")
            if type(names) is str and not any(k in ASSERTIONS and k != "type" for k in schema):
                leaf.identity = _IDENTITY.get(names)
        leaf.settle()
        return leaf
