"""Generated pydantic models with documents for them, and what a ModelStream run observed."""

from __future__ import annotations

import enum
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Optional, Union

from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model
from typing_extensions import TypedDict

import partialjson as pj


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"
    GREY = "grey"


# -- generated models ------------------------------------------------------------------------
@dataclass
class Shape:
    """A type, and a strategy for Python values pydantic accepts for it (as JSON)."""

    annotation: Any
    values: st.SearchStrategy[Any]


_names = itertools.count()

_LEAVES = [
    Shape(int, st.integers(-(10**6), 10**6)),
    Shape(Annotated[int, Field(ge=0, le=50)], st.integers(0, 50)),
    Shape(float, st.floats(allow_nan=False, allow_infinity=False, width=32)),
    Shape(str, st.text(max_size=8)),
    Shape(Annotated[str, Field(max_length=4)], st.text(max_size=4)),
    Shape(bool, st.booleans()),
    Shape(Literal["red", "green", "greenish"], st.sampled_from(["red", "green", "greenish"])),
    Shape(Color, st.sampled_from([c.value for c in Color])),
    Shape(None, st.none()),
]


def _model_shape(fields: list[tuple[Shape, bool, bool]], extra: str, strict: bool,
                 tag: str | None = None) -> Shape:
    """A model with the given fields: (shape, has a default, has an alias)."""
    name = f"M{next(_names)}"
    definitions: dict[str, Any] = {}
    keys: list[tuple[str, Shape, bool]] = []
    if tag is not None:
        definitions["kind"] = (Literal[tag], ...)  # type: ignore[valid-type]
    for i, (shape, has_default, has_alias) in enumerate(fields):
        alias = f"F{i}Alias" if has_alias else None
        info = Field(default=None, alias=alias) if has_default else Field(alias=alias)
        annotation = Optional[shape.annotation] if has_default else shape.annotation  # noqa: UP045
        definitions[f"f{i}"] = (annotation, info)
        keys.append((alias or f"f{i}", shape, has_default))
    model = create_model(name, __config__=ConfigDict(extra=extra, strict=strict),  # type: ignore[call-overload]
                         **definitions)

    @st.composite
    def documents(draw: st.DrawFn) -> dict[str, Any]:
        members: list[tuple[str, Any]] = []
        if tag is not None:
            members.append(("kind", tag))
        for key, shape, has_default in keys:
            if has_default and draw(st.booleans()):
                continue
            members.append((key, draw(shape.values)))
        if extra != "forbid" and draw(st.booleans()):
            members.append(("extraKey", draw(st.integers(0, 9))))
        order = draw(st.permutations(members))
        return dict(order)

    return Shape(model, documents())


@st.composite
def shapes(draw: st.DrawFn, depth: int = 2) -> Shape:
    """A type built from leaves, lists, dicts, optionals, models and discriminated unions."""
    if depth == 0:
        return draw(st.sampled_from(_LEAVES))
    how = draw(st.sampled_from(["leaf", "leaf", "list", "short list", "dict", "optional",
                                "model", "union", "plain union", "tuple", "typed dict"]))
    if how == "leaf":
        return draw(st.sampled_from(_LEAVES))
    inner = draw(shapes(depth - 1))
    if how == "list":
        return Shape(list[inner.annotation], st.lists(inner.values, max_size=3))
    if how == "short list":
        return Shape(Annotated[list[inner.annotation], Field(max_length=2)],
                     st.lists(inner.values, max_size=2))
    if how == "dict":
        return Shape(dict[str, inner.annotation],
                     st.dictionaries(st.text(max_size=3), inner.values, max_size=3))
    if how == "optional":
        return Shape(Optional[inner.annotation], st.one_of(st.none(), inner.values))  # noqa: UP045
    if how == "model":
        return draw(models(depth - 1))
    if how == "tuple":
        return Shape(tuple[inner.annotation, int], st.tuples(inner.values, st.integers(0, 9)))
    if how == "typed dict":
        fields = {"a": inner.annotation, "b": int}
        typed: Any = TypedDict(f"T{next(_names)}", fields, total=draw(st.booleans()))  # type: ignore[operator]
        return Shape(typed, st.fixed_dictionaries({"a": inner.values, "b": st.integers(0, 9)}))
    first, second = draw(models(depth - 1, tag="a")), draw(models(depth - 1, tag="b"))
    if how == "plain union":  # no discriminator: each branch followed until one remains
        return Shape(Union[first.annotation, second.annotation, inner.annotation],  # noqa: UP007
                     st.one_of(first.values, second.values, inner.values))
    union = Annotated[Union[first.annotation, second.annotation],  # noqa: UP007
                      Field(discriminator="kind")]
    return Shape(union, st.one_of(first.values, second.values))


@st.composite
def models(draw: st.DrawFn, depth: int = 2, tag: str | None = None) -> Shape:
    fields = draw(st.lists(st.tuples(shapes(depth), st.booleans(), st.booleans()),
                           min_size=1, max_size=4))
    extra = draw(st.sampled_from(["ignore", "forbid", "allow"]))
    return _model_shape(fields, extra, draw(st.booleans()), tag)


@st.composite
def model_documents(draw: st.DrawFn) -> tuple[Any, str]:
    """A generated model and a JSON document it accepts."""
    shape = draw(models())
    value = draw(shape.values)
    text = json.dumps(value, ensure_ascii=draw(st.booleans()),
                      indent=draw(st.sampled_from([None, 1])))
    return shape.annotation, text


# -- what a run observed ----------------------------------------------------------------------
@dataclass
class ModelRun:
    events: list[tuple[Any, ...]] = field(default_factory=list)
    partials: list[Any] = field(default_factory=list)
    result: Any = None
    error: pj.PartialJSONError | None = None
    raised_at_chunk: int = -1  # index of the chunk feed() raised on (len(chunks): close())

    @property
    def outcome(self) -> tuple[Any, ...]:
        if self.error is not None:
            return ("error", type(self.error).__name__, self.error.offset)  # type: ignore[attr-defined]
        return ("ok", repr(self.result))


def dump(value: Any) -> Any:
    """A partial object as plain data (models dumped, containers copied)."""
    if isinstance(value, BaseModel):
        return {k: dump(v) for k, v in value.__dict__.items()}
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [dump(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def run_model(type_: Any, chunks: Sequence[Any], partials: bool = False,
              **options: Any) -> ModelRun:
    stream: pj.ModelStream[Any] = pj.ModelStream(type_, **options)
    seen = ModelRun()
    i = 0
    try:
        for i, chunk in enumerate(chunks):  # noqa: B007
            for event in stream.feed(chunk):
                seen.events.append(_key(event))
            if partials:
                seen.partials.append(dump(stream.partial))
        i = len(chunks)
        for event in stream.end():
            seen.events.append(_key(event))
        seen.result = stream.close()
    except pj.PartialJSONError as exc:
        seen.error = exc
        seen.raised_at_chunk = i
    return _merged(seen)


def _key(event: Any) -> tuple[Any, ...]:
    if isinstance(event, pj.StringDelta):
        return ("delta", tuple(event.path), event.text)
    if isinstance(event, pj.ValueStarted):
        return ("start", tuple(event.path), event.kind)
    if isinstance(event, pj.ValueCompleted):
        return ("done", tuple(event.path), repr(event.value))
    if isinstance(event, pj.Violation):
        return ("violation", tuple(event.path), event.error.offset)
    return ("document", repr(event.value))


def _merged(seen: ModelRun) -> ModelRun:
    merged: list[tuple[Any, ...]] = []
    for key in seen.events:
        last = merged[-1] if merged else None
        if key[0] == "delta" and last is not None and last[:2] == key[:2]:
            merged[-1] = ("delta", key[1], last[2] + key[2])
        else:
            merged.append(key)
    seen.events = merged
    return seen


def pydantic_says(type_: Any, text: str | bytes, **options: Any) -> tuple[bool, Any]:
    try:
        return True, TypeAdapter(type_).validate_json(text, **options)
    except ValidationError as exc:
        return False, exc


def extends_partial(new: Any, old: Any) -> bool:
    """Partial snapshot ``new`` only adds to ``old``: None may become anything, strings grow
    at their end, containers keep what they had."""
    if old is None:
        return True
    if isinstance(old, str):
        return isinstance(new, str) and new.startswith(old)
    if isinstance(old, dict):
        return isinstance(new, dict) and all(
            k in new and extends_partial(new[k], v) for k, v in old.items())
    if isinstance(old, list):
        return isinstance(new, list) and len(new) >= len(old) and all(
            extends_partial(n, o) for n, o in zip(new, old, strict=False))
    return repr(new) == repr(old)
