"""JSON Schema input: ModelStream(schema_dict), checked against the ``jsonschema`` package.

The oracle for every verdict is ``jsonschema`` (draft 2020-12); for the earliest offset on small
finite schemas, a brute force over every valid document; values are compared with ``json.loads``.
"""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any, Literal

import jsonschema
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from model_support import dump, extends_partial, run_model
from pydantic import BaseModel, Field
from support import chunkings, one_by_one

import partialjson as pj

ORACLE = jsonschema.Draft202012Validator


def oracle_schema(schema: Any) -> Any:
    """``schema`` with OpenAPI's ``nullable: true`` written as JSON Schema (jsonschema ignores
    it; partialjson reads it as the providers do: null is allowed)."""
    if isinstance(schema, list):
        return [oracle_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    inner = {k: oracle_schema(v) for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable") is True:
        return {"anyOf": [{"type": "null"}, inner]}
    return inner


def oracle_valid(schema: Any, value: Any) -> bool:
    return ORACLE(oracle_schema(schema)).is_valid(value)


def same(a: Any, b: Any) -> bool:
    """Equal as JSON values and of the same Python types (1, 1.0 and True differ)."""
    return repr(a) == repr(b)


# -- generated schemas and documents -----------------------------------------------------------
KEYS = ["a", "bb", "kind"]
PATTERNS = ["^[a-c]*$", "^[a-z]+$", "b", "^x", "^\\d{2}$"]


@st.composite
def schemas(draw: st.DrawFn, defs: dict[str, Any], depth: int = 2) -> Any:
    kinds = ["string", "integer", "number", "boolean", "null", "enum", "const", "any", "types"]
    if depth > 0:
        kinds += ["object", "object", "array", "anyOf", "oneOf", "allOf", "ref", "tagged"]
    kind = draw(st.sampled_from(kinds))
    schema: dict[str, Any]
    if kind == "string":
        schema = {"type": "string"}
        for keyword, values in (("minLength", st.integers(0, 3)), ("maxLength", st.integers(0, 4)),
                                ("pattern", st.sampled_from(PATTERNS))):
            if draw(st.booleans()):
                schema[keyword] = draw(values)
    elif kind in ("integer", "number"):
        schema = {"type": kind}
        for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if draw(st.integers(0, 3)) == 0:
                schema[keyword] = draw(st.integers(-3, 3))
        if draw(st.integers(0, 3)) == 0:
            schema["multipleOf"] = draw(st.sampled_from([2, 3, 0.5]))
    elif kind in ("boolean", "null"):
        schema = {"type": kind}
    elif kind == "enum":
        schema = {"enum": draw(st.lists(st.sampled_from(["x", "xy", "z", 1, 1.5, True, None]),
                                        min_size=1, max_size=3, unique=True))}
    elif kind == "const":
        schema = {"const": draw(st.sampled_from(["x", 1, True, None, [1], {"a": 1}]))}
    elif kind == "any":
        schema = draw(st.sampled_from([{}, {"title": "T", "description": "d"}]))
    elif kind == "types":
        schema = {"type": draw(st.lists(st.sampled_from(
            ["string", "integer", "number", "boolean", "null", "object", "array"]),
            min_size=1, max_size=3, unique=True))}
    elif kind == "object":
        names = draw(st.lists(st.sampled_from(KEYS), max_size=3, unique=True))
        schema = {"type": "object",
                  "properties": {n: draw(schemas(defs, depth - 1)) for n in names}}
        required = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
        if required:
            schema["required"] = required
        extra = draw(st.sampled_from(["absent", "false", "true", "schema"]))
        if extra != "absent":
            schema["additionalProperties"] = {"false": False, "true": True}.get(
                extra) if extra != "schema" else draw(schemas(defs, 0))
        if draw(st.integers(0, 4)) == 0:
            schema["maxProperties"] = draw(st.integers(0, 3))
        if draw(st.integers(0, 4)) == 0:
            schema["minProperties"] = draw(st.integers(0, 2))
    elif kind == "array":
        schema = {"type": "array"}
        if draw(st.booleans()):
            schema["prefixItems"] = draw(st.lists(schemas(defs, depth - 1), min_size=1,
                                                  max_size=2))
        items = draw(st.sampled_from(["absent", "schema", "false"]))
        if items == "schema":
            schema["items"] = draw(schemas(defs, depth - 1))
        elif items == "false":
            schema["items"] = False
        for keyword in ("minItems", "maxItems"):
            if draw(st.integers(0, 2)) == 0:
                schema[keyword] = draw(st.integers(0, 3))
        if draw(st.integers(0, 3)) == 0:
            schema["uniqueItems"] = True
    elif kind in ("anyOf", "oneOf", "allOf"):
        schema = {kind: draw(st.lists(schemas(defs, depth - 1), min_size=1, max_size=3))}
    elif kind == "tagged":  # a union of objects told apart by a const tag
        tags = draw(st.lists(st.sampled_from(["p", "q", "r"]), min_size=2, max_size=3,
                             unique=True))
        schema = {"oneOf": [{"type": "object", "required": ["kind"],
                             "properties": {"kind": {"const": tag},
                                            "a": draw(schemas(defs, depth - 1))}}
                            for tag in tags]}
    else:  # a $ref to a definition
        name = f"d{len(defs)}"
        defs[name] = {}
        defs[name] = draw(schemas(defs, depth - 1))
        schema = {"$ref": f"#/$defs/{name}"}
    if kind not in ("ref", "any") and draw(st.integers(0, 6)) == 0:
        schema["nullable"] = True
    return schema


@st.composite
def rooted(draw: st.DrawFn) -> Any:
    defs: dict[str, Any] = {}
    schema = draw(schemas(defs))
    if defs:
        schema = {"allOf": [schema], "$defs": defs}
    return schema


SCALARS = st.sampled_from(["x", "xy", "z", "ab", "12", "", 0, 1, 2, 3, -2, 1.5, 0.5, 30.0,
                           True, False, None])


@st.composite
def instances(draw: st.DrawFn, schema: Any, root: Any, depth: int = 4) -> Any:
    """A value meant to be valid for ``schema`` (often is; the oracle decides), sometimes not."""
    if depth == 0 or schema is True or schema is False or draw(st.integers(0, 9)) == 0:
        return draw(SCALARS)
    if "$ref" in schema:
        return draw(instances(root["$defs"][schema["$ref"].rsplit("/", 1)[1]], root, depth - 1))
    for keyword in ("allOf", "anyOf", "oneOf"):
        if keyword in schema:
            return draw(instances(draw(st.sampled_from(schema[keyword])), root, depth - 1))
    if "const" in schema:
        return copy.deepcopy(schema["const"])
    if "enum" in schema:
        return draw(st.sampled_from(schema["enum"]))
    types = schema.get("type", "any")
    kind = draw(st.sampled_from(types)) if isinstance(types, list) else types
    if kind == "object" or (kind == "any" and "properties" in schema):
        value: dict[str, Any] = {}
        for name, sub in schema.get("properties", {}).items():
            if name in schema.get("required", ()) or draw(st.booleans()):
                value[name] = draw(instances(sub, root, depth - 1))
        if draw(st.integers(0, 4)) == 0:
            value["extra"] = draw(SCALARS)
        return value
    if kind == "array":
        prefix = [draw(instances(s, root, depth - 1)) for s in schema.get("prefixItems", [])]
        more = draw(st.integers(0, 3))
        rest = schema.get("items", True)
        return prefix + [draw(instances(rest, root, depth - 1)) for _ in range(more)]
    if kind == "string":
        return draw(st.sampled_from(["x", "xy", "abc", "b", "12", "", "xbz"]))
    if kind == "integer":
        return draw(st.integers(-4, 6))
    if kind == "number":
        return draw(st.sampled_from([0, 1.5, 2, 3.0, -0.5, 6]))
    if kind == "boolean":
        return draw(st.booleans())
    return None if kind == "null" else draw(SCALARS)


@st.composite
def schema_documents(draw: st.DrawFn) -> tuple[Any, str, Any]:
    schema = draw(rooted())
    value = draw(instances(schema, schema))
    text = json.dumps(value, indent=draw(st.sampled_from([None, 1])))
    return schema, text, value


def outcome(schema: Any, chunks: list[str]) -> tuple[Any, ...]:
    return run_model(schema, chunks).outcome


@settings(max_examples=400)
@given(schema_documents(), st.data())
def test_the_verdict_is_jsonschemas_and_a_valid_value_comes_back_whole(
        case: tuple[Any, str, Any], data: st.DataObject) -> None:
    schema, text, value = case
    chunks = data.draw(chunkings(text))
    seen = run_model(schema, chunks, partials=True)
    if oracle_valid(schema, value):
        assert seen.error is None, (seen.error, text)
        assert same(seen.result, json.loads(text))
        for old, new in itertools.pairwise(seen.partials):
            assert extends_partial(new, old)
    else:
        assert isinstance(seen.error, pj.SchemaViolation), text
        assert seen.error.errors and all({"type", "loc", "msg", "input"} <= set(e)
                                         for e in seen.error.errors)
        # The same place for every chunking.
        assert seen.outcome == outcome(schema, [text]) == outcome(schema, one_by_one(text))


@given(schema_documents(), st.data())
def test_a_broken_text_fails_where_it_fails_whatever_the_chunking(
        case: tuple[Any, str, Any], data: st.DataObject) -> None:
    schema, text, _ = case
    at = data.draw(st.integers(0, len(text)))
    char = data.draw(st.sampled_from(list('{}[]:,"0 1tfnx-')))
    how = data.draw(st.sampled_from(["delete", "replace", "insert", "truncate"]))
    text = {"delete": text[:at] + text[at + 1:], "replace": text[:at] + char + text[at + 1:],
            "insert": text[:at] + char + text[at:], "truncate": text[:at]}[how]
    whole = run_model(schema, [text])
    assert whole.outcome == outcome(schema, data.draw(chunkings(text)))
    try:
        parsed = json.loads(text)
    except ValueError:
        assert whole.error is not None
        return
    if oracle_valid(schema, parsed):
        assert whole.error is None and same(whole.result, parsed)
    else:
        assert isinstance(whole.error, pj.SchemaViolation)


# -- earliest offset: a brute force on small finite schemas ------------------------------------
FINITE_KEYS = ["a", "bbb", "ccccc"]  # no single edit turns one into another


@st.composite
def finite_schemas(draw: st.DrawFn, depth: int = 2) -> Any:
    kinds = ["enum", "const", "boolean", "null"]
    if depth > 0:
        kinds += ["object", "object", "array", "anyOf"]
    kind = draw(st.sampled_from(kinds))
    if kind == "enum":
        return {"type": "string", "enum": draw(st.lists(st.sampled_from(["x", "xy", "z"]),
                                                        min_size=1, max_size=3, unique=True))}
    if kind == "const":
        return {"const": draw(st.sampled_from(["x", "z"]))}
    if kind in ("boolean", "null"):
        return {"type": kind}
    if kind == "object":
        names = draw(st.lists(st.sampled_from(FINITE_KEYS), min_size=1, max_size=2, unique=True))
        return {"type": "object", "additionalProperties": False,
                "properties": {n: draw(finite_schemas(depth - 1)) for n in names},
                "required": draw(st.lists(st.sampled_from(names), unique=True))}
    if kind == "array":
        return {"type": "array", "items": draw(finite_schemas(depth - 1)),
                "minItems": draw(st.integers(0, 1)), "maxItems": draw(st.integers(1, 2))}
    return {"anyOf": draw(st.lists(finite_schemas(depth - 1), min_size=2, max_size=2))}


def all_values(schema: Any) -> list[Any]:
    """Every value a finite schema allows (a superset for anyOf; the oracle filters)."""
    if "anyOf" in schema:
        return [v for s in schema["anyOf"] for v in all_values(s)]
    if "enum" in schema:
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    kind = schema["type"]
    if kind == "boolean":
        return [True, False]
    if kind == "null":
        return [None]
    if kind == "array":
        items = all_values(schema["items"])
        return [list(p) for n in range(schema["maxItems"] + 1)
                for p in itertools.product(items, repeat=n)]
    names = list(schema["properties"])
    found = []
    for chosen in itertools.chain.from_iterable(
            itertools.combinations(names, n) for n in range(len(names) + 1)):
        for members in itertools.product(*(all_values(schema["properties"][n]) for n in chosen)):
            found.append(dict(zip(chosen, members, strict=True)))
    return found


def all_texts(value: Any) -> list[str]:
    """Every compact JSON text of ``value`` (all key orders)."""
    if isinstance(value, dict):
        out = []
        for order in itertools.permutations(value):
            for parts in itertools.product(*(all_texts(value[k]) for k in order)):
                out.append("{" + ",".join(f'"{k}":{p}' for k, p in zip(order, parts,
                                                                      strict=True)) + "}")
        return out
    if isinstance(value, list):
        return ["[" + ",".join(parts) + "]" for parts in itertools.product(
            *(all_texts(v) for v in value))]
    return [json.dumps(value)]


def repeats_a_key(text: str) -> bool:
    """Whether a key in ``text`` (the last one may be cut short) is, or may still become, a key
    its object already has. JSON allows a key twice, so such a text is alive where the brute
    force, whose documents name each key once, says it is dead. (The generated texts have
    no escapes: a string is what lies between two quotes.)"""
    keys: list[set[str] | None] = []  # per open container: its keys so far (None: an array)
    i = 0
    while i < len(text):
        char = text[i]
        if char in "{[":
            keys.append(set() if char == "{" else None)
        elif char in "}]" and keys:
            keys.pop()
        elif char == '"':
            end = text.find('"', i + 1)
            name = text[i + 1 :] if end < 0 else text[i + 1 : end]
            after = text[end + 1 :].lstrip() if end >= 0 else ""
            if keys and keys[-1] is not None and (end < 0 or after[:1] in ("", ":")):
                if any(seen.startswith(name) for seen in keys[-1]):
                    return True
                keys[-1].add(name)
            if end < 0:
                break
            i = end
        i += 1
    return False


@settings(max_examples=300)
@given(finite_schemas(), st.data())
def test_the_earliest_offset_is_the_brute_forces(schema: Any, data: st.DataObject) -> None:
    values = all_values(schema)
    assume(len(values) <= 300)
    valid = [v for v in values if oracle_valid(schema, v)]
    texts = {t for v in valid for t in all_texts(v)}
    assume(texts and len(texts) <= 3000)
    prefixes = {t[:i] for t in texts for i in range(len(t) + 1)}
    text = data.draw(st.sampled_from(sorted(texts)))
    at = data.draw(st.integers(0, len(text)))
    char = data.draw(st.sampled_from(list('{}[]:,"xyzabctfnul01')))
    how = data.draw(st.sampled_from(["delete", "replace", "insert", "truncate", "none"]))
    text = {"delete": text[:at] + text[at + 1:], "replace": text[:at] + char + text[at + 1:],
            "insert": text[:at] + char + text[at:], "truncate": text[:at], "none": text}[how]
    dead = next((i for i in range(len(text)) if text[: i + 1] not in prefixes), None)
    assume(not repeats_a_key(text if dead is None else text[: dead + 1]))
    seen = run_model(schema, data.draw(chunkings(text)))
    if text in texts:
        assert seen.error is None and same(seen.result, json.loads(text))
    elif dead is None:  # a prefix of a valid document: only the end of input is wrong
        assert isinstance(seen.error, pj.IncompleteJSON) and seen.error.offset == len(text)
    else:
        assert seen.error is not None and seen.error.offset == dead, (text, dead, seen.error)


# -- semantics: JSON Schema's, not pydantic's lax mode -----------------------------------------
@pytest.mark.parametrize(("schema", "text", "ok"), [
    ({"type": "integer"}, '"30"', False),
    ({"type": "integer"}, "30.0", True),
    ({"type": "integer"}, "30.5", False),
    ({"type": "number"}, "true", False),
    ({"type": "boolean"}, "1", False),
    ({"enum": [1]}, "true", False),
    ({"enum": [1]}, "1.0", True),
    ({"const": {"a": [1, 2]}}, '{"a": [1, 2.0]}', True),
    ({"type": "array", "uniqueItems": True}, "[1, true]", True),
    ({"type": "array", "uniqueItems": True}, "[1, 1.0]", False),
    ({"type": "string", "format": "email"}, '"not an email"', True),  # format: annotation
    ({"type": "string", "nullable": True}, "null", True),
    ({"type": "number", "multipleOf": 0.1}, "0.3", False),  # float division, as jsonschema
    ({"type": "number", "multipleOf": 0.25}, "0.75", True),
    ({"type": "string", "pattern": "^a"}, '"ba"', False),
    ({"type": "string", "pattern": "a"}, '"ba"', True),  # searched, not matched
])
def test_json_schema_semantics(schema: Any, text: str, ok: bool) -> None:
    assert oracle_valid(schema, json.loads(text)) is ok
    seen = run_model(schema, [text])
    assert (seen.error is None) is ok
    if ok:
        assert same(seen.result, json.loads(text))


def violation(schema: Any, text: str) -> pj.SchemaViolation:
    stream: pj.ModelStream[Any] = pj.ModelStream(schema)
    with pytest.raises(pj.SchemaViolation) as caught:
        for char in text:
            stream.feed(char)
        stream.close()
    return caught.value


@pytest.mark.parametrize(("schema", "text", "offset", "kind"), [
    ({"enum": ["red", "green"]}, '"gray"', 3, "literal_error"),
    ({"type": "string", "maxLength": 3}, '"abcdef"', 4, "string_too_long"),
    ({"type": "string", "pattern": "^[a-z]+$"}, '"abc1de"', 4, "string_pattern_mismatch"),
    ({"type": "object", "properties": {"name": {}}, "additionalProperties": False},
     '{"nose": 1}', 3, "extra_forbidden"),
    ({"type": "array", "maxItems": 2}, "[1, 2, 3]", 5, "too_long"),
    ({"type": "object", "properties": {"n": {"type": "integer"}}}, '{"n": "5"}', 6, "json_type"),
    ({"type": "object", "required": ["id"]}, '{"x": 1}', 7, "missing"),
    ({"type": "object", "maxProperties": 1}, '{"a": 1, "b": 2}', 11, "too_long"),
    ({"oneOf": [{"properties": {"t": {"const": "cat"}, "lives": {"type": "integer"}},
                 "required": ["t"]},
                {"properties": {"t": {"const": "dog"}}, "required": ["t"]}]},
     '{"t": "cow"}', 8, "literal_error"),
    ({"type": "integer", "minimum": 5}, "3 ", 1, "greater_than_equal"),  # ends at the space
])
def test_a_violation_stops_at_the_first_character_that_proves_it(
        schema: Any, text: str, offset: int, kind: str) -> None:
    assert not oracle_valid(schema, json.loads(text))
    error = violation(schema, text)
    assert (error.offset, error.errors[0]["type"]) == (offset, kind)


def test_errors_are_pydantic_style_with_their_place() -> None:
    schema = {"type": "object", "properties": {"items": {"type": "array", "items": {
        "type": "integer", "maximum": 9}}}}
    error = violation(schema, '{"items": [1, 12]}')
    assert error.path == ("items", 1)
    assert error.errors == [{"type": "less_than_equal", "loc": ("items", 1),
                             "msg": "greater than 9", "input": 12}]


def test_partial_values_are_plain_dicts_and_lists_that_grow() -> None:
    schema = {"type": "object", "properties": {"title": {"type": "string"}, "tags": {
        "type": "array", "items": {"type": "string"}}}}
    stream: pj.ModelStream[Any] = pj.ModelStream(schema)
    snapshots = []
    for char in '{"title": "Hello", "tags": ["a", "b"]}':
        stream.feed(char)
        snapshots.append(copy.deepcopy(stream.partial))
    assert snapshots[0] == {}
    assert {"title": "Hel"} in snapshots  # a string shows as it grows
    assert stream.close() == {"title": "Hello", "tags": ["a", "b"]}
    for old, new in itertools.pairwise(snapshots):
        assert extends_partial(new, old)


def test_a_recursive_schema_follows_the_document_down() -> None:
    schema = {"$ref": "#/$defs/node", "$defs": {"node": {
        "type": "object", "properties": {"v": {"type": "integer"}, "kids": {
            "type": "array", "items": {"$ref": "#/$defs/node"}}},
        "additionalProperties": False}}}
    deep: Any = {"v": 0}
    for i in range(1, 60):
        deep = {"v": i, "kids": [deep, {"v": -i}]}
    text = json.dumps(deep)
    assert run_model(schema, [text]).result == deep
    broken = text.replace('{"v": 3,', '{"w": 3,', 1)
    error = violation(schema, broken)
    assert error.offset == broken.index('"w"') + 1 and error.errors[0]["type"] == "extra_forbidden"


# -- pydantic's JSON Schemas -------------------------------------------------------------------
class Cat(BaseModel):
    pet_type: Literal["cat"]
    lives: int = Field(ge=0, le=9)


class Dog(BaseModel):
    pet_type: Literal["dog"]
    name: str = Field(max_length=10)


class Owner(BaseModel):
    pets: list[Cat | Dog] = Field(max_length=3)
    favourite: Cat | Dog = Field(discriminator="pet_type")
    pair: tuple[int, str]
    scores: dict[str, float]
    nickname: str | None = None


PETS = [
    '{"pets": [{"pet_type": "cat", "lives": 3}], "favourite": {"pet_type": "dog", "name": "Rex"},'
    ' "pair": [1, "a"], "scores": {"x": 1.5}}',
    '{"pets": [], "favourite": {"pet_type": "cow"}, "pair": [1, "a"], "scores": {}}',
    '{"pets": [{"pet_type": "cat", "lives": 12}], "favourite": {"pet_type": "cat", "lives": 1},'
    ' "pair": [1, "a"], "scores": {}}',
    '{"pets": [], "favourite": {"pet_type": "dog", "name": "R"}, "pair": [1, "a", 2], '
    '"scores": {}}',
    '{"pets": [], "favourite": {"pet_type": "dog", "name": "Rex"}, "pair": [1, "a"], '
    '"scores": {"x": "1"}, "nickname": null}',
]


@pytest.mark.parametrize("text", PETS)
def test_a_models_json_schema_gives_jsonschemas_verdict(text: str) -> None:
    schema = Owner.model_json_schema()
    assert "discriminator" in json.dumps(schema)  # OpenAPI's, as pydantic emits it
    ok = oracle_valid(schema, json.loads(text))
    seen = run_model(schema, one_by_one(text))
    assert (seen.error is None) is ok
    assert seen.outcome == run_model(schema, [text]).outcome
    if ok:
        assert seen.result == json.loads(text)


# -- directives and unsupported keywords -------------------------------------------------------
def test_x_partialjson_is_the_fields_streaming_directive() -> None:
    schema = {"type": "object", "properties": {
        "body": {"type": "string", "x-partialjson": {"done": True, "deltas": False}},
        "id": {"type": "integer", "x-partialjson": {"not_null": True}},
        "plain": {"type": "string"}}}
    root = pj.ModelStream(schema)._tracker.compiler.root
    assert [n.directive for n in root[0].child("body")] == [pj.Stream(done=True, deltas=False)]
    assert [n.directive for n in root[0].child("id")] == [pj.Stream(not_null=True)]
    assert [n.directive for n in root[0].child("plain")] == [None]
    with pytest.raises(pj.SchemaError):
        pj.ModelStream({"type": "string", "x-partialjson": {"later": True}})


@pytest.mark.parametrize(("schema", "keyword"), [
    ({"type": "string", "not": {"const": "x"}}, "not"),
    ({"type": "object", "patternProperties": {"^a": {}}}, "patternProperties"),
    ({"properties": {"a": {"if": {}, "then": {}}}}, "if"),
    ({"type": "array", "contains": {"type": "integer"}}, "contains"),
    ({"anyOf": [{"type": "object", "propertyNames": {"maxLength": 3}}]}, "propertyNames"),
    ({"$defs": {"x": {"unevaluatedProperties": False}}}, "unevaluatedProperties"),
    ({"type": "strng"}, "type"),
    ({"$ref": "https://example.com/schema"}, "$ref"),
    ({"$ref": "#/$defs/missing"}, "$ref"),
    ({"items": [{"type": "string"}]}, "items"),
    ({"type": "string", "pattern": "("}, "pattern"),
    ({"type": "number", "exclusiveMinimum": True}, "exclusiveMinimum"),
])
def test_an_unsupported_keyword_is_refused_at_construction(schema: Any, keyword: str) -> None:
    with pytest.raises(pj.SchemaError) as caught:
        pj.ModelStream(schema)
    assert caught.value.keyword == keyword
    assert isinstance(caught.value, pj.PartialJSONError)


def test_annotations_are_accepted_and_change_nothing() -> None:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:x",
              "$comment": "c", "title": "T", "description": "d", "type": "object",
              "properties": {"when": {"type": "string", "format": "date-time",
                                      "examples": ["2024-01-01T00:00:00Z"], "default": "x"}},
              "x-vendor": {"anything": 1}}
    assert run_model(schema, ['{"when": "soon"}']).result == {"when": "soon"}


def test_snapshots_dump_as_the_document() -> None:
    schema = Owner.model_json_schema()
    text = PETS[0]
    stream: pj.ModelStream[Any] = pj.ModelStream(schema)
    for chunk in one_by_one(text):
        stream.feed(chunk)
    assert dump(stream.partial) == json.loads(text)
