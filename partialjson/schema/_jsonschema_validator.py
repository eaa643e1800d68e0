"""Whole-value validation for the JSON Schema subset partialjson compiles (no dependency).

JSON Schema's own semantics, as the ``jsonschema`` package reads draft 2020-12 (the tests' oracle):
no coercion (``"30"`` is not an integer, ``30.0`` is, ``true`` is not a number), ``1 == 1.0`` but
``1 != true`` for ``enum``, ``const`` and ``uniqueItems``, ``pattern`` searched with :mod:`re`,
``format`` an annotation. OpenAPI's ``nullable: true`` lets ``null`` through its schema (as the
providers read it); ``discriminator`` is an annotation (``oneOf`` decides).

The schema is checked once, at construction: a keyword outside the subset raises
:class:`~partialjson.SchemaError`, never silently ignored. Errors are pydantic-style dicts
(``type``, ``loc``, ``msg``, ``input``), raised as pydantic's ``ValidationError`` so that the model
stream treats them as it treats pydantic's.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Final
from urllib.parse import unquote

from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from .._errors import SchemaError

# Keywords by what they do. Anything else (but ``x-`` extensions) is refused.
APPLICATORS: Final = frozenset({"properties", "additionalProperties", "items", "prefixItems",
                                "anyOf", "oneOf", "allOf", "$ref"})
ASSERTIONS: Final = frozenset({
    "type", "required", "enum", "const", "minLength", "maxLength", "pattern", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
    "uniqueItems", "minProperties", "maxProperties", "nullable"})
ANNOTATIONS: Final = frozenset({
    "title", "description", "default", "examples", "$schema", "$id", "$comment", "format",
    "discriminator", "deprecated", "readOnly", "writeOnly", "contentEncoding",
    "contentMediaType", "$defs", "definitions", "x-partialjson"})
KNOWN: Final = APPLICATORS | ASSERTIONS | ANNOTATIONS

TYPE_NAMES: Final = ("object", "array", "string", "number", "integer", "boolean", "null")

_DEEP: Final = 0  # every keyword, members included
_SKIP_UNIONS: Final = 1  # ... but not ``anyOf`` (a candidate has chosen its branch already)
_SHALLOW: Final = 2  # ... nor members (validated one by one already)


def json_type(value: Any) -> str:
    """The JSON Schema type name of a parsed JSON value (``integer`` for whole numbers)."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is bool:
        return "boolean"
    if kind is str:
        return "string"
    if kind is int:
        return "integer"
    if kind is float:
        return "integer" if value.is_integer() else "number"
    if kind is list:
        return "array"
    return "object"


def _is_type(value: Any, name: str) -> bool:
    found = json_type(value)
    return found == name or (name == "number" and found == "integer")


def equality_key(value: Any) -> Any:
    """A hashable key equal for JSON-Schema-equal values: ``1 == 1.0``, ``1 != true``."""
    kind = type(value)
    if kind is bool:
        return ("bool", value)
    if kind is list:
        return ("list", tuple(equality_key(v) for v in value))
    if kind is dict:
        return ("dict", frozenset((k, equality_key(v)) for k, v in value.items()))
    return ("scalar", value)


def _error(kind: str, message: str, loc: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    return {"type": kind, "loc": loc, "msg": message, "input": value}


def raise_errors(errors: list[dict[str, Any]]) -> None:
    """Raise ``errors`` as pydantic's ValidationError (what the model stream catches)."""
    details = [InitErrorDetails(type=PydanticCustomError(e["type"], e["msg"].replace("{", "{{")
                                                         .replace("}", "}}")),
                                loc=e["loc"], input=e["input"]) for e in errors]
    raise ValidationError.from_exception_data("JSON Schema", details)


class Validator:
    """Validates values against the subschemas of one root schema (``$ref`` resolved in it)."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._refs: dict[str, Any] = {}
        check_schema(root, self, "#", True)

    def resolve(self, ref: str, where: str = "") -> Any:
        """The subschema ``ref`` points at (``#`` and ``#/...`` JSON pointers only)."""
        found = self._refs.get(ref)
        if found is not None:
            return found
        if ref != "#" and not ref.startswith("#/"):
            raise SchemaError(f"$ref {ref!r} is not a local JSON pointer (only '#/...' is "
                              "supported)", where, "$ref")
        target = self.root
        for part in ref[2:].split("/") if ref != "#" else []:
            part = unquote(part).replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                raise SchemaError(f"$ref {ref!r} points at nothing", where, "$ref")
        if not isinstance(target, (dict, bool)):
            raise SchemaError(f"$ref {ref!r} is not a schema", where, "$ref")
        self._refs[ref] = target
        return target

    def first_error(self, schema: Any, value: Any, loc: tuple[str | int, ...],
                    mode: int = _DEEP) -> dict[str, Any] | None:
        """The first error of ``value`` against ``schema`` (None: valid)."""
        if schema is True:
            return None
        if schema is False:
            return _error("json_type", "no value allowed here", loc, value)
        if value is None and schema.get("nullable") is True:
            return None
        ref = schema.get("$ref") if mode == _DEEP else None  # else the compiler has inlined it
        if ref is not None:
            found = self.first_error(self.resolve(ref), value, loc, _DEEP)
            if found is not None:
                return found
        kind = json_type(value)
        types = schema.get("type")
        if types is not None:
            if type(types) is str:
                ok = types == kind or (types == "number" and kind == "integer")
            else:
                ok = kind in types or (kind == "integer" and "number" in types)
            if not ok:
                if kind == "number" and (types == "integer" or "integer" in types):
                    return _error("int_type", "not an integer", loc, value)
                return _error("json_type", f"expected {_names(types)}, got {kind}", loc, value)
        if "const" in schema and equality_key(value) != equality_key(schema["const"]):
            return _error("literal_error", f"expected {_show(schema['const'])}", loc, value)
        choices = schema.get("enum")
        if choices is not None:
            key = equality_key(value)
            if not any(key == equality_key(c) for c in choices):
                return _error("literal_error",
                              "expected " + " or ".join(_show(c) for c in choices), loc, value)
        if kind == "string":
            found = _string_error(schema, value, loc)
        elif kind == "number" or kind == "integer":
            found = _number_error(schema, value, loc)
        elif kind == "object":
            found = self._object_error(schema, value, loc, mode)
        elif kind == "array":
            found = self._array_error(schema, value, loc, mode)
        else:
            found = None
        if found is not None:
            return found
        for sub in schema.get("allOf", ()) if mode == _DEEP else ():  # the same
            found = self.first_error(sub, value, loc, _DEEP)
            if found is not None:
                return found
        branches = schema.get("anyOf")
        if branches is not None and mode == _DEEP and all(
                self.first_error(b, value, loc) is not None for b in branches):
            return _error("union_no_match", "matches none of anyOf", loc, value)
        branches = schema.get("oneOf")
        if branches is not None:
            matches = sum(self.first_error(b, value, loc) is None for b in branches)
            if matches != 1:
                return _error("union_no_match" if matches == 0 else "union_multiple_matches",
                              f"matches {matches} of oneOf, not exactly one", loc, value)
        return None

    def _object_error(self, schema: dict[str, Any], value: dict[str, Any],
                      loc: tuple[str | int, ...], mode: int) -> dict[str, Any] | None:
        for name in schema.get("required", ()):
            if name not in value:
                return _error("missing", "Field required", (*loc, name), None)
        least, most = schema.get("minProperties"), schema.get("maxProperties")
        if least is not None and len(value) < least:
            return _error("too_short", f"fewer than {least} properties", loc, value)
        if most is not None and len(value) > most:
            return _error("too_long", f"more than {most} properties", loc, value)
        properties = schema.get("properties")
        extra = schema.get("additionalProperties", True)
        if (properties is None and extra is True) or (mode == _SHALLOW and extra is not False):
            return None  # nothing to check (in shallow mode: the members were checked)
        if properties is None:
            properties = {}
        for key, member in value.items():
            sub = properties.get(key, extra)
            if sub is False:
                return _error("extra_forbidden", f"key {key!r} not allowed", (*loc, key), member)
            if mode != _SHALLOW and sub is not True:
                found = self.first_error(sub, member, (*loc, key))
                if found is not None:
                    return found
        return None

    def _array_error(self, schema: dict[str, Any], value: list[Any],
                     loc: tuple[str | int, ...], mode: int) -> dict[str, Any] | None:
        least, most = schema.get("minItems"), schema.get("maxItems")
        if least is not None and len(value) < least:
            return _error("too_short", f"fewer than {least} items", loc, value)
        if most is not None and len(value) > most:
            return _error("too_long", f"more than {most} items", loc, value)
        prefix = schema.get("prefixItems", ())
        rest = schema.get("items", True)
        if rest is False and len(value) > len(prefix):
            return _error("too_long", f"more than {len(prefix)} items", loc, value)
        if mode != _SHALLOW and (prefix or rest is not True):
            for i, item in enumerate(value):
                sub = prefix[i] if i < len(prefix) else rest
                if sub is not True:
                    found = self.first_error(sub, item, (*loc, i))
                    if found is not None:
                        return found
        if schema.get("uniqueItems") is True:
            seen: set[Any] = set()
            for i, item in enumerate(value):
                key = equality_key(item)
                if key in seen:
                    return _error("unique_items", "items are not unique", (*loc, i), item)
                seen.add(key)
        return None

    def validate(self, schema: Any, value: Any, mode: int = _DEEP) -> Any:
        """``value`` if valid against ``schema``, else pydantic's ValidationError."""
        try:
            found = self.first_error(schema, value, (), mode)
        except RecursionError:
            found = _error("recursion_loop", "too deeply nested to validate", (), None)
        if found is not None:
            raise_errors([found])
        return value


def _string_error(schema: dict[str, Any], value: str,
                  loc: tuple[str | int, ...]) -> dict[str, Any] | None:
    least, most = schema.get("minLength"), schema.get("maxLength")
    if least is not None and len(value) < least:
        return _error("string_too_short", f"shorter than {least} characters", loc, value)
    if most is not None and len(value) > most:
        return _error("string_too_long", f"longer than {most} characters", loc, value)
    pattern = schema.get("pattern")
    if pattern is not None and re.search(pattern, value) is None:
        return _error("string_pattern_mismatch", f"does not match {pattern!r}", loc, value)
    return None


def _number_error(schema: dict[str, Any], value: Any,
                  loc: tuple[str | int, ...]) -> dict[str, Any] | None:
    bound = schema.get("minimum")
    if bound is not None and not value >= bound:
        return _error("greater_than_equal", f"less than {bound}", loc, value)
    bound = schema.get("maximum")
    if bound is not None and not value <= bound:
        return _error("less_than_equal", f"greater than {bound}", loc, value)
    bound = schema.get("exclusiveMinimum")
    if bound is not None and not value > bound:
        return _error("greater_than", f"not greater than {bound}", loc, value)
    bound = schema.get("exclusiveMaximum")
    if bound is not None and not value < bound:
        return _error("less_than", f"not less than {bound}", loc, value)
    step = schema.get("multipleOf")
    if step is not None and not _multiple(value, step):
        return _error("multiple_of", f"not a multiple of {step}", loc, value)
    return None


def _multiple(value: Any, step: Any) -> bool:
    """Is ``value`` a multiple of ``step``? (As jsonschema decides: by float division when the
    step is a float, exactly when that overflows; by remainder otherwise.)"""
    if type(step) is float:
        quotient = value / step
        try:
            return bool(int(quotient) == quotient)
        except OverflowError:
            return Fraction(value) / Fraction(step) == int(Fraction(value) / Fraction(step))
        except ValueError:  # NaN
            return False
    return not value % step


def _names(types: Any) -> str:
    return types if type(types) is str else " or ".join(types)


def _show(value: Any) -> str:
    return repr(value) if type(value) is str else str(value).replace("'", '"')


# -- the schema itself: checked once, at construction ------------------------------------------
_SUBSCHEMA_MAPS: Final = ("properties", "$defs", "definitions")
_SUBSCHEMA_LISTS: Final = ("prefixItems", "anyOf", "oneOf", "allOf")
_SUBSCHEMAS: Final = ("additionalProperties", "items")
_COUNTS: Final = ("minLength", "maxLength", "minItems", "maxItems", "minProperties",
                  "maxProperties")
_BOUNDS: Final = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_DIRECTIVE_KEYS: Final = frozenset({"done", "not_null", "deltas"})


def check_schema(schema: Any, validator: Validator, where: str, root: bool = False) -> None:
    """Refuse, with :class:`SchemaError`, what partialjson cannot honour in ``schema``."""
    stack = [(schema, where, root)]
    while stack:
        node, at, is_root = stack.pop()
        if type(node) is bool:
            continue
        if not isinstance(node, dict):
            raise SchemaError(f"a schema must be an object or a boolean, not {node!r}", at, "")
        for keyword, value in node.items():
            if keyword not in KNOWN and not keyword.startswith("x-"):
                raise SchemaError(f"unsupported JSON Schema keyword {keyword!r}", at, keyword)
            _check_keyword(keyword, value, at, is_root, validator)
        for keyword in _SUBSCHEMA_MAPS:
            for name, sub in node.get(keyword, {}).items():
                stack.append((sub, f"{at}/{keyword}/{_escape(name)}", False))
        for keyword in _SUBSCHEMA_LISTS:
            for i, sub in enumerate(node.get(keyword, ())):
                stack.append((sub, f"{at}/{keyword}/{i}", False))
        for keyword in _SUBSCHEMAS:
            if keyword in node:
                stack.append((node[keyword], f"{at}/{keyword}", False))


def _check_keyword(keyword: str, value: Any, at: str, is_root: bool,
                   validator: Validator) -> None:
    def bad(why: str) -> SchemaError:
        return SchemaError(f"{keyword} {why}", at, keyword)

    if keyword == "type":
        names = [value] if type(value) is str else value
        if not isinstance(names, list) or not names or any(n not in TYPE_NAMES for n in names):
            raise bad(f"must name JSON Schema types ({', '.join(TYPE_NAMES)}), not {value!r}")
    elif keyword in _SUBSCHEMA_MAPS and not isinstance(value, dict):
        raise bad("must be an object of schemas")
    elif keyword in _SUBSCHEMA_LISTS and (not isinstance(value, list) or (
            keyword != "prefixItems" and not value)):
        raise bad("must be a non-empty array of schemas")
    elif keyword == "items" and isinstance(value, list):
        raise bad("as an array (draft 7's tuples) is not supported: use prefixItems")
    elif keyword in ("required", "enum") and not isinstance(value, list):
        raise bad("must be an array")
    elif keyword == "required" and any(type(n) is not str for n in value):
        raise bad("must list strings")
    elif keyword in _COUNTS and (type(value) is not int or value < 0):
        if not (type(value) is float and value.is_integer() and value >= 0):
            raise bad("must be a non-negative integer")
    elif keyword in _BOUNDS and (type(value) not in (int, float) or (
            keyword == "multipleOf" and value <= 0)):
        raise bad("must be a number" + (" greater than 0" if keyword == "multipleOf" else ""))
    elif keyword in ("uniqueItems", "nullable") and type(value) is not bool:
        raise bad("must be true or false")
    elif keyword == "pattern":
        if type(value) is not str:
            raise bad("must be a string")
        try:
            re.compile(value)
        except re.error as exc:
            raise bad(f"is not a regular expression Python reads: {exc}") from exc
    elif keyword == "$ref":
        if type(value) is not str:
            raise bad("must be a string")
        validator.resolve(value, at)
    elif keyword == "$id" and not is_root:
        raise bad("is supported only at the top (references are resolved in the root)")
    elif keyword == "$schema" and type(value) is str and "2020-12" not in value and (
            "draft-07" not in value and "draft/2019-09" not in value and "draft-06" not in value):
        raise bad(f"{value!r}: only drafts 6, 7, 2019-09 and 2020-12 read as 2020-12 are "
                  "supported")
    elif keyword == "x-partialjson" and (not isinstance(value, dict) or any(
            k not in _DIRECTIVE_KEYS or type(v) is not bool for k, v in value.items())):
        raise bad("must be an object of done, not_null, deltas: true or false")


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
