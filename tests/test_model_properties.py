"""Properties of ModelStream over generated models and documents (DESIGN.md principles 2-6)."""

from __future__ import annotations

import bisect
import itertools
import json
from typing import Annotated, Any, Literal, Optional

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from model_support import (
    dump,
    extends_partial,
    model_documents,
    models,
    pydantic_says,
    run_model,
)
from pydantic import BaseModel, ConfigDict, Field, create_model
from support import chunkings, cut

import partialjson as pj


@given(model_documents(), st.data())
def test_valid_documents_never_raise_and_close_is_pydantics_answer(
    case: tuple[Any, str], data: st.DataObject
) -> None:
    model, text = case
    ok, expected = pydantic_says(model, text)
    assume(ok)  # floats written by json.dumps and read back are the only way to miss
    for payload in (text, text.encode()):
        seen = run_model(model, data.draw(chunkings(payload)))
        assert seen.error is None, seen.error
        assert seen.result == expected
        assert repr(seen.result) == repr(expected)


@given(model_documents(), st.data())
def test_events_and_outcome_do_not_depend_on_chunking(
    case: tuple[Any, str], data: st.DataObject
) -> None:
    model, text = case
    whole = run_model(model, [text])
    pieces = run_model(model, data.draw(chunkings(text)))
    as_bytes = run_model(model, data.draw(chunkings(text.encode())))
    assert pieces.events == whole.events
    assert pieces.outcome == whole.outcome
    assert as_bytes.outcome[0] == whole.outcome[0]


@given(model_documents(), st.data())
def test_every_partial_validates_as_the_partial_model_and_extends_the_last(
    case: tuple[Any, str], data: st.DataObject
) -> None:
    model, text = case
    seen = run_model(model, data.draw(chunkings(text)), partials=True)
    assume(seen.error is None)
    partial_model = pj.partial_model(model)
    previous: Any = None
    for snapshot in seen.partials:
        if snapshot is not None:
            partial_model.model_validate(snapshot, by_name=True)
        assert extends_partial(snapshot, previous), (previous, snapshot)
        previous = snapshot
    assert seen.partials[-1] == dump(seen.result)


@st.composite
def broken_documents(draw: st.DrawFn) -> tuple[Any, str]:
    """A generated model and a document with one value, key or character changed."""
    model, text = draw(model_documents())
    at = draw(st.integers(0, len(text) - 1))
    how = draw(st.sampled_from(["replace", "insert", "delete"]))
    char = draw(st.sampled_from(list('{}[]:,"0-9.etfnrux "')))
    if how == "replace":
        return model, text[:at] + char + text[at + 1 :]
    if how == "insert":
        return model, text[:at] + char + text[at:]
    return model, text[:at] + text[at + 1 :]


@given(broken_documents(), st.data())
def test_a_broken_document_fails_at_the_same_offset_for_every_chunking(
    case: tuple[Any, str], data: st.DataObject
) -> None:
    model, text = case
    whole = run_model(model, [text])
    chunks = data.draw(chunkings(text))
    pieces = run_model(model, chunks)
    assert pieces.outcome == whole.outcome
    ok, expected = pydantic_says(model, text)
    if ok:  # never a false positive
        assert pieces.error is None, pieces.error
        assert pieces.result == expected
    else:
        assert pieces.error is not None
    if isinstance(pieces.error, pj.SchemaViolation) and pieces.raised_at_chunk < len(chunks):
        # feed() raised on the chunk holding the character that proved it
        start = sum(len(c) for c in chunks[: pieces.raised_at_chunk])
        assert start <= pieces.error.offset < start + len(chunks[pieces.raised_at_chunk])


# -- the earliest offset, against brute force on small finite schemas -----------------------------
# Every leaf has a finite set of values, so all valid documents (compact, every key order, with
# a repeated member allowed, as JSON allows duplicate keys) can be listed. The first character
# at which a broken document leaves all of them is the earliest certain violation.

_FINITE = [
    (Literal["x", "xy", "z"], ["x", "xy", "z"]),
    (bool, [True, False]),
]


@st.composite
def finite_shapes(draw: st.DrawFn, depth: int = 1) -> tuple[Any, list[Any]]:
    how = draw(st.sampled_from(["leaf", "list", "model"] if depth else ["leaf"]))
    if how == "leaf":
        return draw(st.sampled_from(_FINITE))
    if how == "list":
        annotation, values = draw(st.sampled_from(_FINITE))
        lists = [list(p) for n in range(3) for p in itertools.product(values, repeat=n)]
        return Annotated[list[annotation], Field(max_length=2)], lists  # type: ignore[valid-type]
    return draw(finite_models(depth - 1))


_count = itertools.count()


@st.composite
def finite_models(draw: st.DrawFn, depth: int = 1) -> tuple[Any, list[Any]]:
    n = draw(st.integers(1, 2))
    specs = [(draw(finite_shapes(depth)), draw(st.booleans())) for _ in range(n)]
    fields: dict[str, Any] = {}
    for i, ((annotation, _), optional) in enumerate(specs):
        fields[f"k{i}"] = (Optional[annotation], None) if optional else (annotation, ...)  # noqa: UP045
    model = create_model(f"Finite{next(_count)}",  # type: ignore[call-overload]
                         __config__=ConfigDict(extra="forbid", strict=True), **fields)
    choices: list[list[tuple[str, Any]]] = []
    for i, ((_, values), optional) in enumerate(specs):
        options = [[(f"k{i}", v)] for v in values]
        if optional:
            options += [[], [(f"k{i}", None)]]
        choices.append(options)  # type: ignore[arg-type]
    documents = []
    for picked in itertools.product(*choices):
        members = [m for group in picked for m in group]
        for order in itertools.permutations(members):
            documents.append(_Members(order))
    return model, documents


class _Members(tuple[tuple[str, Any], ...]):
    """An object's members in order (a dict would lose repeats)."""


_seen_texts: dict[tuple[str, bool], list[str]] = {}


def _texts(value: Any, repeats: bool) -> list[str]:
    """Every compact JSON text of ``value``; with ``repeats``, also with an object's first
    member repeated later, once or twice. (Remembered: the finite shapes recur.)"""
    key = (f"{type(value).__name__}{value!r}", repeats)
    if key not in _seen_texts:
        _seen_texts[key] = _all_texts(value, repeats)
    return _seen_texts[key]


def _all_texts(value: Any, repeats: bool) -> list[str]:
    if isinstance(value, _Members):
        members = list(value)
        variants = [members]
        if repeats:
            for i in range(1, len(members) + 1):
                once = [*members[:i], members[0], *members[i:]]
                variants.append(once)
                variants += [[*once[:j], members[0], *once[j:]]
                             for j in range(i + 1, len(once) + 1)]
        texts = []
        for variant in variants:
            parts = [[f"{json.dumps(k)}:{t}" for t in _texts(v, repeats)] for k, v in variant]
            texts += ["{" + ",".join(combo) + "}" for combo in itertools.product(*parts)]
        return texts
    if isinstance(value, list):
        parts = [_texts(v, repeats) for v in value]
        return ["[" + ",".join(combo) + "]" for combo in itertools.product(*parts)]
    return [json.dumps(value)]


_seen_valid: dict[str, list[str]] = {}


def _valid_texts(values: list[Any]) -> list[str]:
    """Every valid text of a finite model, sorted (remembered: the models recur)."""
    key = repr(values)
    if key not in _seen_valid:
        if len(_seen_valid) >= 16:  # a bound on memory: some models have a million texts
            _seen_valid.clear()
        _seen_valid[key] = sorted({t for v in values for t in _texts(v, repeats=True)})
    return _seen_valid[key]


def _common(a: str, b: str) -> int:
    same = (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
    return next(same, min(len(a), len(b)))


@given(finite_models(), st.data())
def test_the_violation_is_reported_at_the_earliest_certain_character(
    case: tuple[Any, list[Any]], data: st.DataObject
) -> None:
    model, values = case
    plain = sorted({t for v in values for t in _texts(v, repeats=False)})
    assume(len(plain) <= 600)
    text = data.draw(st.sampled_from(plain))
    at = data.draw(st.integers(0, len(text) - 1))
    # No digit: a change cannot make one key into another (a duplicate, which JSON allows).
    char = data.draw(st.sampled_from(list('{}[]:,"xyzkqtrufalsen')))
    broken = text[:at] + char + text[at + 1 :]
    assume(not pydantic_says(model, broken)[0])
    valid = _valid_texts(values)
    # The first character leaving every valid text: in sorted order, the longest common prefix
    # with ``broken`` is with one of its two neighbours.
    here = bisect.bisect_left(valid, broken)
    earliest = max(_common(broken, t) for t in valid[max(here - 1, 0) : here + 1])
    seen = run_model(model, data.draw(chunkings(broken)))
    assert seen.error is not None, broken
    assert seen.error.offset == earliest, (broken, seen.error)  # type: ignore[attr-defined]


@pytest.mark.parametrize("early_stop", [True, False])
def test_generated_models_compile_and_cache(early_stop: bool) -> None:
    class Point(BaseModel):
        x: int
        y: int

    first = pj.ModelStream(Point, early_stop=early_stop)
    second = pj.ModelStream(Point, early_stop=early_stop)
    for chunk in cut('{"x": 1, "y": 2}', [3, 9]):
        first.feed(chunk)
        second.feed(chunk)
    assert first.close() == second.close() == Point(x=1, y=2)
    assert pj.partial_model(Point) is pj.Partial[Point]


@given(models())
def test_partial_models_keep_field_names_and_aliases(shape: Any) -> None:
    model = shape.annotation
    partial = pj.partial_model(model)
    assert list(partial.model_fields) == list(model.model_fields)
    for name, info in model.model_fields.items():
        assert partial.model_fields[name].alias == info.alias
        assert partial.model_fields[name].default is None
    assert partial.model_validate({}).model_dump() == dict.fromkeys(model.model_fields)
