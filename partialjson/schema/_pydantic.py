"""The pydantic compiler: what a pydantic core schema allows, as checks on prefixes.

A ``TypeAdapter``'s core schema is turned into a graph of nodes (``_nodes``), one per place in
the document; a whole value is validated by pydantic itself. Every answer errs on the side of
"maybe": a node rules something out only when no continuation could make pydantic accept it
(unknown schema types, ``before``/``wrap``/``plain`` validators and alias paths simply allow
anything).

A *concrete* node is a leaf, an object, an array or ANY. Unions, ``nullable`` and
``definition-ref`` are not nodes of their own: :meth:`Compiler.expand` resolves them into the
concrete alternatives (the candidates a stream tracks at once).
"""

from __future__ import annotations

import re
import typing
from enum import Enum
from typing import Any

from pydantic_core import SchemaValidator, ValidationError, to_json

from .._directives import Stream
from ._nodes import (
    ALL_KINDS,
    ANY,
    BOOL,
    NULL,
    NUMBER,
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

# Kinds pydantic accepts from JSON for each leaf type: (lax, strict). Measured against
# pydantic (tests/test_schema.py re-checks every "no" of this table).
_LEAF_KINDS: dict[str, tuple[int, int]] = {
    "int": (NUMBER | STRING | BOOL, NUMBER),
    "float": (NUMBER | STRING | BOOL, NUMBER),
    "bool": (BOOL | NUMBER | STRING, BOOL),
    "str": (STRING, STRING),
    "bytes": (STRING, STRING),
    "decimal": (NUMBER | STRING, NUMBER | STRING),
    "date": (STRING | NUMBER, STRING),
    "datetime": (STRING | NUMBER, STRING),
    "time": (STRING | NUMBER, STRING),
    "timedelta": (STRING | NUMBER, STRING | NUMBER),
    "uuid": (STRING, STRING),
    "url": (STRING, STRING),
    "multi-host-url": (STRING, STRING),
    "json": (STRING, STRING),
    "none": (NULL, NULL),
}

# Characters a string coerced to a number or boolean (lax mode) may hold; others cannot.
_NUMERIC_TEXT = re.compile(r"[0-9\s+\-_.eE\u0080-\U0010ffff]*\Z")
_FLOAT_TEXT = re.compile(r"[0-9\s+\-_.eEiInNfFtTyYaA\u0080-\U0010ffff]*\Z")
_BOOL_TEXT = re.compile(r"[01\stTrRuUeEfFaAlLsSyYnNoO]*\Z")
_COERCED_TEXT = {"int": _NUMERIC_TEXT, "float": _FLOAT_TEXT, "bool": _BOOL_TEXT}
# Types whose JSON value of the same Python type pydantic returns unchanged (no constraints).
_IDENTITY: dict[str, type] = {"int": int, "float": float, "bool": bool, "str": str,
                              "none": type(None)}

_STR_TRANSFORMS = ("strip_whitespace", "to_lower", "to_upper")
_CONFIG_STR_TRANSFORMS = ("str_strip_whitespace", "str_to_lower", "str_to_upper")


def json_text(raw: Any) -> bytes:
    """``raw`` (parsed JSON) as JSON again, for pydantic's JSON-mode validation: by
    pydantic-core, not json.dumps, so no Python recursion however deep; NaN and Infinity kept."""
    return to_json(raw, inf_nan_mode="constants")


_nesting: list[int] = []


def json_nesting_limit() -> int:
    """How many containers pydantic's JSON parser lets a value be inside (it refuses a
    document nested deeper, whatever the type). Found once, by asking it."""
    if not _nesting:
        validator = SchemaValidator({"type": "any"})

        def parses(inside: int) -> bool:  # an empty array inside ``inside`` containers
            try:
                validator.validate_json("[" * (inside + 1) + "]" * (inside + 1))
            except ValidationError:
                return False
            return True

        low, high = 0, 100_000  # parses(low); beyond high counts as no limit
        if parses(high):
            low = high
        while low < high:
            middle = (low + high + 1) // 2
            if parses(middle):
                low = middle
            else:
                high = middle - 1
        _nesting.append(low)
    return _nesting[0]




class Compiler(SchemaCompiler):
    """Compiles the core schema of one type; nodes are built lazily and cached."""

    def __init__(self, core_schema: dict[str, Any], strict: bool | None = None,
                 context: Any = None) -> None:
        self.strict = strict
        self.context = context
        self.definitions: dict[str, dict[str, Any]] = {}
        if core_schema.get("type") == "definitions":
            for definition in core_schema["definitions"]:
                self.definitions[definition["ref"]] = definition
            core_schema = core_schema["schema"]
        self._cache: dict[tuple[int, int], list[Node]] = {}
        self._keep: list[Any] = []  # schemas and configs cached by id stay alive
        self.root = self.expand(core_schema, {})

    # -- validators ------------------------------------------------------------------------
    def validator(self, schema: dict[str, Any], config: dict[str, Any]) -> SchemaValidator:
        schema = {k: v for k, v in schema.items() if k != "ref"}
        if self.definitions:
            schema = {"type": "definitions", "schema": schema,
                      "definitions": list(self.definitions.values())}
        # Not the prebuilt validator of a model class: that would ignore our changes.
        return SchemaValidator(schema, config or None, _use_prebuilt=False)  # type: ignore[arg-type]

    def validate_raw(self, node: Node, raw: Any) -> Any:
        validator = node.validator
        if validator is None:
            schema = node.schema
            standalone = schema is not None and not _needs_context(schema)
            validator = node.validator = (self.validator(schema, node.config)
                                          if schema is not None and standalone else False)
        if validator is False:
            raise Unknown
        return self.run(validator.validate_json, json_text(raw))

    def validate_members(self, node: Node, members: list[Any] | dict[str, Any]) -> Any:
        found = node.members_validator
        if found is None:
            schema = node.schema
            shell = None if schema is None or _needs_context(schema) else _shell(schema)
            found = node.members_validator = False if shell is None else (
                self.validator(shell["schema"], node.config), shell["native"])
        if found is False:
            raise Unknown
        validator, native = found
        return self.run(validator.validate_python, native(members) if native else members)

    def run(self, method: Any, data: Any) -> Any:
        """Call a validator; anything but a ValidationError means the answer is unknown."""
        from pydantic_core import ValidationError

        try:
            return method(data, strict=self.strict, context=self.context)
        except ValidationError:
            raise
        except Exception as exc:  # a validator that needs what only the full model has
            raise Unknown from exc

    # -- expansion -------------------------------------------------------------------------
    def expand(self, schema: dict[str, Any], config: dict[str, Any]) -> list[Node]:
        """The concrete alternatives for ``schema``."""
        key = (id(schema), id(config))
        found = self._cache.get(key)
        if found is None:
            self._keep.append((schema, config))
            found = self._cache[key] = []  # a recursive schema sees this (filled below)
            found.extend(self._expand(schema, config))
        return found

    def fresh(self, schema: dict[str, Any], config: dict[str, Any]) -> list[Node]:
        return self._expand(schema, config)

    def _expand(self, schema: dict[str, Any], config: dict[str, Any]) -> list[Node]:
        kind = schema.get("type")
        if kind == "definition-ref":
            return self.expand(self.definitions[schema["schema_ref"]], config)
        if kind == "definitions":
            for definition in schema["definitions"]:
                self.definitions[definition["ref"]] = definition
            return self.expand(schema["schema"], config)
        if kind == "default":
            return self.expand(schema["schema"], config)
        if kind == "nullable":
            inner = self.expand(schema["schema"], config)
            return [*inner, self._leaf({"type": "none"}, config)]
        if kind == "union":
            found: list[Node] = []
            for choice in schema["choices"]:
                found += self.expand(choice[0] if isinstance(choice, tuple) else choice, config)
            return found
        if kind == "tagged-union":
            found = []
            for choice in schema["choices"].values():
                found += self.expand(choice, config)
            return found
        if kind == "lax-or-strict":
            return [*self.expand(schema["lax_schema"], config),
                    *self.expand(schema["strict_schema"], config)]
        if kind == "json-or-python":
            return self.expand(schema["json_schema"], config)
        if kind in ("function-after", "custom-error"):
            inner = self.expand(schema["schema"], config)
            if len(inner) != 1:
                return [Node(self, schema, config)]
            return [_Wrapped(inner[0], schema, config)]
        return [self._concrete(schema, config)]

    def _concrete(self, schema: dict[str, Any], config: dict[str, Any]) -> Node:
        kind = schema.get("type", "")
        if kind == "model":
            config = schema.get("config") or config
            inner = schema["schema"]
            if schema.get("root_model"):
                alternatives = self.expand(inner, config)
                if len(alternatives) == 1:
                    return _Wrapped(alternatives[0], schema, config)
                return Node(self, schema, config)
            return self._object(schema, inner, config, schema.get("cls"))
        if kind == "typed-dict":
            config = schema.get("config") or config
            return self._object(schema, schema, config, schema.get("cls"))
        if kind == "dataclass":
            config = schema.get("config") or config
            return self._object(schema, schema["schema"], config, schema.get("cls"))
        if kind == "dict":
            keys = schema.get("keys_schema")
            return DictNode(self, schema, config, self.expand(keys, config) if keys else [ANY],
                            schema.get("values_schema"), schema.get("max_length"))
        if kind in ("list", "tuple", "set", "frozenset"):
            return self._array(schema, config)
        if kind in _LEAF_KINDS or kind in ("literal", "enum"):
            return self._leaf(schema, config)
        return Node(self, schema, config)  # 'any', opaque validators, types not looked into

    def _array(self, schema: dict[str, Any], config: dict[str, Any]) -> ArrayNode:
        kind = schema["type"]
        # A set's length counts distinct items, only known once they are validated.
        max_length: int | None = None if "set" in kind else schema.get("max_length")
        if kind == "tuple":
            positional: list[dict[str, Any]] = list(schema.get("items_schema", []))
            variadic: int | None = schema.get("variadic_item_index")
            if variadic is None and max_length is None:
                max_length = len(positional)
        else:
            items = schema.get("items_schema")
            positional = [] if items is None else [items]
            variadic = 0 if items is not None else None
        any_items = kind != "tuple" and not positional
        return ArrayNode(self, schema, config, positional, variadic, max_length, any_items)

    def _is_strict(self, schema: dict[str, Any], config: dict[str, Any]) -> bool:
        if self.strict is not None:
            return self.strict
        return bool(schema.get("strict", config.get("strict", False)))

    def _leaf(self, schema: dict[str, Any], config: dict[str, Any]) -> Leaf:
        kind = schema["type"]
        strict = self._is_strict(schema, config)
        if kind in ("literal", "enum"):
            values = [m.value for m in schema["members"]] if kind == "enum" else [
                v.value if isinstance(v, Enum) else v for v in schema["expected"]]
            kinds = 0
            for value in values:
                if isinstance(value, str):
                    kinds |= STRING
                elif value is None:
                    kinds |= NULL
                elif isinstance(value, (bool, int, float)):
                    kinds |= NUMBER | BOOL  # 1 == True == 1.0
                else:
                    kinds = ALL_KINDS
            if kind == "enum" and schema.get("sub_type") in ("int", "float") and not strict:
                kinds |= STRING
            leaf = Leaf(self, schema, config, kinds)
            if kinds == STRING:
                leaf.choices = tuple(str.__str__(v) for v in values)
            leaf.settle()
            return leaf
        lax, strict_kinds = _LEAF_KINDS[kind]
        kinds = strict_kinds if strict else lax
        if kind == "str" and (schema.get("coerce_numbers_to_str")
                              or config.get("coerce_numbers_to_str")):
            kinds |= NUMBER
        leaf = Leaf(self, schema, config, kinds)
        if kind == "str":
            exact = not any(schema.get(t) for t in _STR_TRANSFORMS) and not any(
                config.get(t) for t in _CONFIG_STR_TRANSFORMS)
            if exact:
                leaf.shows_prefix = True
                leaf.max_chars = schema.get("max_length", config.get("str_max_length"))
        elif kind in _COERCED_TEXT and kinds & STRING:
            leaf.text_pattern = _COERCED_TEXT[kind]
        plain = len(schema) == 1 and not any(k.startswith("str_") for k in config)
        if plain and kind in _IDENTITY:
            leaf.identity = _IDENTITY[kind]
        leaf.settle()
        return leaf

    def _object(self, schema: dict[str, Any], body: dict[str, Any], config: dict[str, Any],
                cls: Any) -> Node:
        """A model / TypedDict / dataclass whose members are described by ``body``."""
        if body.get("type") not in ("model-fields", "typed-dict", "dataclass-args"):
            return Node(self, schema, config)  # e.g. a model validator sees the raw input first
        raw_fields = body.get("fields", {})
        if isinstance(raw_fields, dict):
            items = list(raw_fields.items())
        else:  # dataclass-args: a list of fields with names
            items = [(f["name"], f) for f in raw_fields if f.get("init", True)]
        by_alias = config.get("validate_by_alias", True)
        by_name = config.get("validate_by_name", config.get("populate_by_name", False))
        fields: dict[str, Field] = {}
        for name, spec in items:
            field_schema = spec["schema"]
            if "required" in spec:
                required = spec["required"]
            else:
                required = field_schema.get("type") != "default"
            field = Field(name, field_schema, required, _field_directive(cls, name))
            alias = spec.get("validation_alias")
            keys = [name]
            if alias is not None:
                paths = [[alias]] if isinstance(alias, str) else (
                    [alias] if alias and not isinstance(alias[0], list) else alias)
                if any(len(p) != 1 or not isinstance(p[0], str) for p in paths):
                    return Node(self, schema, config)  # alias paths reach into members
                keys = [p[0] for p in paths] if by_alias else []
                if by_name or not by_alias:
                    keys.append(name)
            for key in keys:
                fields[key] = field
        extra = body.get("extra_behavior") or config.get("extra_fields_behavior") or "ignore"
        return ObjectNode(self, schema, config, fields, extra, body.get("extras_schema"), cls)


def _field_directive(cls: Any, name: str) -> Stream | None:
    """The ``pj.Stream`` in field ``name``'s ``Annotated`` metadata on class ``cls``: pydantic
    keeps metadata it does not know in the field's info (models, pydantic dataclasses);
    for other classes (dataclasses, TypedDicts) it is in the type hints."""
    fields = getattr(cls, "__pydantic_fields__", None)
    if isinstance(fields, dict) and name in fields:
        metadata = fields[name].metadata
    else:
        try:
            hints = typing.get_type_hints(cls, include_extras=True)
        except Exception:  # not a class with hints, or hints that do not resolve here
            return None
        metadata = getattr(hints.get(name), "__metadata__", ())
    return next((m for m in metadata if isinstance(m, Stream)), None)


class _Wrapped(Node):
    """A node whose checks are those of ``inner`` and whose value is validated by an outer
    schema (an after-validator, a custom error, a root model). ``concrete`` is the innermost
    node, for what only an object or a dict has (fields, the extra policy)."""

    def __init__(self, inner: Node, schema: dict[str, Any], config: dict[str, Any]) -> None:
        super().__init__(inner.compiler, schema, config)
        self.inner = inner
        self.concrete = inner.concrete
        self.kinds = inner.kinds
        self.max_length = inner.max_length
        self.checks_text = inner.checks_text
        self.keeps_text = inner.keeps_text
        self.keeps_key_text = inner.keeps_key_text

    def child(self, key: str | int) -> list[Node]:
        return self.inner.child(key)

    def key_ok(self, text: str, delta: str, length: int) -> bool:
        return self.inner.key_ok(text, delta, length)

    def first_bad_key(self, text: str, delta: str, length: int) -> int:
        return self.inner.first_bad_key(text, delta, length)

    def string_ok(self, text: str, delta: str, length: int) -> bool:
        return self.inner.string_ok(text, delta, length)

    def first_bad(self, text: str, delta: str, length: int) -> int:
        return self.inner.first_bad(text, delta, length)

    def refusal(self, length: int) -> tuple[str, str]:
        return self.inner.refusal(length)

    def describe(self) -> str:
        return self.inner.describe()


_ANY_SCHEMA: dict[str, Any] = {"type": "any"}
_NATIVE: dict[str, Any] = {"list": None, "dict": None, "tuple": tuple, "set": set,
                           "frozenset": frozenset}


def _shell(schema: dict[str, Any]) -> dict[str, Any] | None:
    """How to validate a container from members validated one by one: ``schema`` with every
    member's schema replaced by ``any`` (so nothing is validated twice) and the Python type
    the members go in; None where that could change pydantic's answer."""
    kind = schema.get("type", "")
    if kind in ("function-after", "custom-error", "model"):
        if schema.get("root_model"):
            return None
        inner = _shell(schema["schema"])
        return None if inner is None else {**inner, "schema": {**schema, "schema": inner["schema"]}}
    if kind in ("model-fields", "typed-dict"):
        fields = {}
        for name, spec in schema["fields"].items():
            if _needs_context(spec["schema"]):
                return None  # its validator must see the other fields, in JSON mode
            if spec.get("validation_alias") not in (None, name) and not isinstance(
                    spec["validation_alias"], str):
                return None
            field_schema = spec["schema"]
            replaced = ({**field_schema, "schema": _ANY_SCHEMA}
                        if field_schema.get("type") == "default" else _ANY_SCHEMA)
            fields[name] = {**spec, "schema": replaced}
        shell = {**schema, "fields": fields}
        if shell.get("extras_schema") is not None:
            shell["extras_schema"] = _ANY_SCHEMA
        return {"schema": shell, "native": None}
    if kind in ("list", "set", "frozenset"):
        return {"schema": {**schema, "items_schema": _ANY_SCHEMA}, "native": _NATIVE[kind]}
    if kind == "tuple":
        items = [_ANY_SCHEMA for _ in schema.get("items_schema", [])]
        return {"schema": {**schema, "items_schema": items}, "native": tuple}
    if kind == "dict":
        keys = schema.get("keys_schema")
        if keys is not None and keys.get("type") not in ("str", "any"):
            return None
        return {"schema": {**schema, "values_schema": _ANY_SCHEMA}, "native": None}
    return None


def _needs_context(schema: Any) -> bool:
    """Does a validator in ``schema`` look at the other fields (``info.data``)? Those only
    pydantic's validation of the whole parent can run. (A nested model gives its own.)"""
    if isinstance(schema, dict):
        if schema.get("type") in ("model", "typed-dict", "dataclass"):
            return False
        function = schema.get("function")
        if isinstance(function, dict) and function.get("type") == "with-info":
            return True
        return any(_needs_context(v) for k, v in schema.items() if k != "serialization")
    if isinstance(schema, (list, tuple)):
        return any(_needs_context(v) for v in schema)
    return False
