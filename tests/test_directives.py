"""Per-field streaming directives, Annotated[T, pj.Stream(...)]: done, not_null, deltas.

What is checked after every chunk comes from pydantic's own answer for the whole document
(``model_validate_json``), not from partialjson."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, create_model
from support import chunkings

import partialjson as pj


class Sub(BaseModel):
    a: int
    b: str


KINDS: dict[str, tuple[Any, Any]] = {  # a type, and a JSON value of it
    "string": (str, "hello there"),
    "list": (list[str], ["ab", "cd", "ef"]),
    "model": (Sub, {"a": 7, "b": "bee"}),
    "number": (float, 12.5),
}


def _model(kind: str, directive: pj.Stream) -> type[BaseModel]:
    annotation, _ = KINDS[kind]
    return create_model(f"Has{kind.title()}", first=(int, ...),
                        field=(Annotated[annotation, directive], ...), last=(str, ...))


def _document(kind: str) -> str:
    return json.dumps({"first": 1, "field": KINDS[kind][1], "last": "zz"})


def _partials(model: type[BaseModel], chunks: list[str]) -> list[tuple[Any, list[pj.Event]]]:
    """The partial object (dumped, or None) and the events after every chunk."""
    stream = pj.ModelStream(model)
    seen = []
    for chunk in chunks:
        events = stream.feed(chunk)
        partial = stream.partial
        seen.append((None if partial is None else partial.model_dump(), events))
    assert stream.close() == model.model_validate_json("".join(chunks))
    return seen


def _one_by_one(text: str) -> list[str]:
    return [text[i : i + 1] for i in range(len(text))]


# -- done ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_done_shows_a_field_only_whole(kind: str) -> None:
    model = _model(kind, pj.Stream(done=True))
    text = _document(kind)
    final = model.model_validate_json(text).model_dump()["field"]
    shown = [partial["field"] for partial, _ in _partials(model, _one_by_one(text))]
    assert all(value is None or value == final for value in shown)
    assert shown[-1] == final


@pytest.mark.parametrize("kind", ["string", "list", "model"])
def test_without_done_the_same_field_grows(kind: str) -> None:
    model = _model(kind, pj.Stream())
    text = _document(kind)
    final = model.model_validate_json(text).model_dump()["field"]
    shown = [partial["field"] for partial, _ in _partials(model, _one_by_one(text))]
    assert any(value not in (None, final) for value in shown)  # the test above can fail


# -- not_null -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("done", [False, True])
def test_not_null_hides_the_object_at_the_top_until_the_field_has_a_value(
        kind: str, done: bool) -> None:
    model = _model(kind, pj.Stream(not_null=True, done=done))
    text = _document(kind)
    final = model.model_validate_json(text).model_dump()
    seen = _partials(model, _one_by_one(text))
    for partial, _ in seen:
        if partial is not None:
            assert partial["field"] is not None
            if done:
                assert partial["field"] == final["field"]
    assert seen[0][0] is None
    assert seen[-1][0] == final


class Item(BaseModel):
    name: str
    id: Annotated[int, pj.Stream(not_null=True)]


class Items(BaseModel):
    items: list[Item]
    owner: Item | None = None  # Item waits for its id here too


def test_not_null_keeps_an_item_out_of_its_list_until_the_field_has_a_value() -> None:
    text = json.dumps({"items": [{"name": "first", "id": 1}, {"name": "second", "id": 2}],
                       "owner": {"name": "o", "id": 3}})
    final = Items.model_validate_json(text).model_dump()
    for partial, _ in _partials(Items, _one_by_one(text)):
        assert partial is not None  # Items itself waits for no field at the top
        for item in partial["items"] or []:
            assert item["id"] is not None
        owner = partial["owner"]
        assert owner is None or owner["id"] is not None
    items_shown = [len(p["items"] or []) for p, _ in _partials(Items, _one_by_one(text))]
    assert items_shown[text.index('"second"')] == 1  # the second item waits for its id
    assert _partials(Items, [text])[-1][0] == final


def test_an_object_whole_is_shown_even_if_its_not_null_field_is_null() -> None:
    class Maybe(BaseModel):
        x: Annotated[int | None, pj.Stream(not_null=True)]

    seen = _partials(Maybe, _one_by_one('{"x": null}'))
    assert [p for p, _ in seen[:-1]] == [None] * (len(seen) - 1)
    assert seen[-1][0] == {"x": None}


# -- deltas=False ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_deltas_false_sends_no_string_delta_for_the_field(kind: str) -> None:
    model = _model(kind, pj.Stream(deltas=False))
    text = _document(kind)
    seen = _partials(model, _one_by_one(text))
    deltas = [e for _, events in seen for e in events if isinstance(e, pj.StringDelta)]
    assert all(e.path.as_tuple()[0] != "field" for e in deltas)
    assert any(e.path.as_tuple()[0] == "last" for e in deltas)  # other fields still have them
    completed = [e for _, events in seen for e in events if isinstance(e, pj.ValueCompleted)
                 and tuple(e.path) == ("field",)]
    assert len(completed) == 1
    if kind != "number":  # the partial value itself still grows
        final = model.model_validate_json(text).model_dump()["field"]
        assert any(p["field"] not in (None, final) for p, _ in seen)


@pytest.mark.parametrize("kind", ["string", "list", "model"])
def test_with_deltas_the_field_has_string_deltas(kind: str) -> None:
    seen = _partials(_model(kind, pj.Stream()), _one_by_one(_document(kind)))
    assert any(isinstance(e, pj.StringDelta) and e.path.as_tuple()[0] == "field"
               for _, events in seen for e in events)


# -- where directives come from ------------------------------------------------------------------
def test_a_directive_stays_on_its_field_where_the_type_is_shared() -> None:
    class Pair(BaseModel):
        held: Annotated[Sub, pj.Stream(done=True)]
        open: Sub

    text = json.dumps({"held": {"a": 1, "b": "xy"}, "open": {"a": 2, "b": "zw"}})
    shown = [p for p, _ in _partials(Pair, _one_by_one(text))]
    assert any(p["open"] not in (None, {"a": 2, "b": "zw"}) for p in shown)
    assert all(p["held"] in (None, {"a": 1, "b": "xy"}) for p in shown)


def test_directives_on_dataclass_fields() -> None:
    @dataclass
    class Note:
        text: Annotated[str, pj.Stream(done=True)]
        n: int

    stream = pj.ModelStream(Note)
    stream.feed('{"text": "abc')
    assert stream.partial.text is None
    stream.feed('d", "n": 1}')
    assert stream.close() == Note("abcd", 1)


# -- a property over generated models -----------------------------------------------------------
DIRECTIVES = st.builds(pj.Stream, done=st.booleans(), not_null=st.booleans(),
                       deltas=st.booleans())


@st.composite
def directed_models(draw: st.DrawFn) -> tuple[type[BaseModel], str]:
    """A model with a few fields of the kinds above, each with a random directive, and a
    document for it (fields in a random order)."""
    names = draw(st.lists(st.sampled_from(list(KINDS)), min_size=1, max_size=4))
    fields: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for i, kind in enumerate(names):
        annotation, value = KINDS[kind]
        fields[f"f{i}"] = (Annotated[annotation, draw(DIRECTIVES)], ...)
        values[f"f{i}"] = value
    order = draw(st.permutations(list(values)))
    model = create_model("Generated", **fields)
    return model, json.dumps({k: values[k] for k in order})


@given(st.data(), directed_models())
def test_directives_hold_after_every_chunk(data: st.DataObject,
                                           drawn: tuple[type[BaseModel], str]) -> None:
    model, text = drawn
    final = model.model_validate_json(text)
    dumped = final.model_dump()
    directives = {name: next(m for m in info.metadata if isinstance(m, pj.Stream))
                  for name, info in model.model_fields.items()}
    chunks = data.draw(chunkings(text))
    stream = pj.ModelStream(model)
    for chunk in chunks:
        for event in stream.feed(chunk):
            if isinstance(event, pj.StringDelta):
                assert directives[event.path.as_tuple()[0]].deltas  # type: ignore[index]
        partial = stream.partial
        if partial is None:
            assert any(d.not_null for d in directives.values())
            continue
        shown = partial.model_dump()
        for name, directive in directives.items():
            if directive.done:
                assert shown[name] in (None, dumped[name])
            if directive.not_null and not stream.complete:
                assert shown[name] is not None
    assert stream.close() == final
