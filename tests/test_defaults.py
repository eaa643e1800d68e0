"""ModelStream(T, defaults=True): a field's default is shown until the field is seen."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field, create_model
from support import chunkings

import partialjson as pj


class Sub(BaseModel):
    a: int = 1
    b: str = "bee"


class Config(BaseModel):
    name: str
    retries: int = 3
    tags: list[str] = Field(default_factory=lambda: ["default"])
    sub: Sub = Sub(a=2)
    maybe: int | None = 5


def test_defaults_are_shown_until_seen_and_are_not_in_fields_set() -> None:
    stream = pj.ModelStream(Config, defaults=True)
    partial = stream.partial
    assert (partial.name, partial.retries, partial.tags, partial.sub, partial.maybe) == (
        None, 3, ["default"], Sub(a=2), 5)
    assert partial.model_fields_set == set()  # shown, not seen
    stream.feed('{"retries": 0, "maybe": null, "tags": ["x"')
    assert (partial.retries, partial.maybe, partial.tags) == (0, None, ["x"])
    assert partial.model_fields_set == {"retries", "maybe", "tags"}
    stream.feed(', "y"], "sub": {"b": "c')
    assert partial.sub.b == "c" and partial.sub.a == 1  # the nested object's own default
    assert partial.name is None  # no default: None, as without defaults
    text = '{"retries": 0, "maybe": null, "tags": ["x", "y"], "sub": {"b": "c"}, "name": "n"}'
    stream.feed(text[len('{"retries": 0, "maybe": null, "tags": ["x", "y"], "sub": {"b": "c'):])
    assert stream.close() == Config.model_validate_json(text)


def test_without_defaults_fields_not_seen_are_none() -> None:
    stream = pj.ModelStream(Config)
    assert stream.partial.retries is None and stream.partial.tags is None


def test_each_partial_gets_its_own_mutable_default() -> None:
    class Bag(BaseModel):
        items: list[int] = [1]

    class Bags(BaseModel):
        bags: list[Bag]

    stream = pj.ModelStream(Bags, defaults=True)
    stream.feed('{"bags": [{}, {')
    first, second = stream.partial.bags
    assert first == Bag() and second.items == [1]
    second.items.append(2)
    assert first.items == [1] and Bag.model_fields["items"].default == [1]


def test_a_factory_that_needs_the_data_is_not_shown() -> None:
    class Derived(BaseModel):
        x: int
        y: int = Field(default_factory=lambda data: data["x"] * 2)

    stream = pj.ModelStream(Derived, defaults=True)
    assert stream.partial.y is None  # it needs x, which is not known: no guess
    stream.feed('{"x": 2}')
    assert stream.close() == Derived(x=2, y=4)


# -- a property ---------------------------------------------------------------------------------
_VALUES: dict[str, tuple[Any, st.SearchStrategy[Any]]] = {
    "int": (int, st.integers(-5, 5)),
    "str": (str, st.text("abc", max_size=4)),
    "list": (list[int], st.lists(st.integers(0, 3), max_size=3)),
}


@st.composite
def models_with_defaults(draw: st.DrawFn) -> tuple[type[BaseModel], dict[str, Any], str]:
    """A model whose fields have defaults, and a document giving some of them."""
    fields: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    document: dict[str, Any] = {}
    for i in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(list(_VALUES)))
        annotation, values = _VALUES[kind]
        default = draw(values)
        fields[f"f{i}"] = (annotation, default)
        defaults[f"f{i}"] = default
        if draw(st.booleans()):
            document[f"f{i}"] = draw(values)
    order = draw(st.permutations(list(document)))
    model = create_model("WithDefaults", **fields)
    return model, defaults, json.dumps({k: document[k] for k in order})


@given(st.data(), models_with_defaults())
def test_a_field_shows_its_default_until_seen_then_what_is_seen(
        data: st.DataObject, drawn: tuple[type[BaseModel], dict[str, Any], str]) -> None:
    model, defaults, text = drawn
    given_values = json.loads(text)
    stream = pj.ModelStream(model, defaults=True)
    for chunk in data.draw(chunkings(text)):
        stream.feed(chunk)
        partial = stream.partial
        for name, default in defaults.items():
            value = getattr(partial, name)
            if name in partial.model_fields_set:
                assert name in given_values
                assert value is not None
                if value != given_values[name]:  # still arriving: a prefix of it
                    assert given_values[name][: len(value)] == value
            else:
                assert value == default
    final = stream.close()
    assert final == model.model_validate_json(text)
    assert final.model_fields_set == set(given_values)


@pytest.mark.parametrize("defaults", [False, True])
def test_defaults_do_not_change_the_final_object(defaults: bool) -> None:
    text = '{"name": "n", "sub": {}}'
    stream = pj.ModelStream(Config, defaults=defaults)
    stream.feed(text)
    assert stream.close() == Config.model_validate_json(text)
