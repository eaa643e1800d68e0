"""Shared test tools: the oracle, ways to cut a text into chunks, and what a run observed."""

from __future__ import annotations

import copy
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

import partialjson as pj


# -- the oracle ------------------------------------------------------------------------------
class Rejected(Exception):
    """The oracle's verdict on an invalid document."""


def _no_constants(name: str) -> Any:
    raise Rejected(name)


def oracle(data: str | bytes, allow_nan: bool = False) -> Any:
    """What a strict RFC 8259 parser gives: ``json.loads`` without NaN/Infinity, on strictly
    decoded UTF-8 without a byte order mark. Raises Rejected for anything else."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Rejected("invalid UTF-8") from exc
    if data.startswith("\ufeff"):
        raise Rejected("byte order mark")
    kwargs: dict[str, Any] = {} if allow_nan else {"parse_constant": _no_constants}
    try:
        return json.loads(data, **kwargs)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, int digit limit, depth
        raise Rejected(str(exc)) from exc


def canonical(value: Any) -> str:
    """A form in which 1, 1.0 and True differ, and NaN equals NaN."""
    return repr(value)


# -- chunkings ---------------------------------------------------------------------------------
def cut(data: Any, cuts: Sequence[int]) -> list[Any]:
    """Split ``data`` at the given positions (any order, duplicates and out-of-range ignored)."""
    points = sorted({c for c in cuts if 0 < c < len(data)})
    bounds = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


def one_by_one(data: Any) -> list[Any]:
    return [data[i : i + 1] for i in range(len(data))]


@st.composite
def chunkings(draw: st.DrawFn, data: Any) -> list[Any]:
    """Whole, one character (or byte) at a time, or cut at random places."""
    how = draw(st.sampled_from(["whole", "one", "random", "random"]))
    if how == "whole":
        return [data]
    if how == "one":
        return one_by_one(data)
    return cut(data, draw(st.lists(st.integers(0, len(data)), max_size=max(1, len(data)))))


# -- what a run observed -----------------------------------------------------------------------
@dataclass
class Run:
    """Everything one stream showed: events (adjacent deltas of a string merged), snapshots
    after every chunk, and how it ended."""

    events: list[tuple[Any, ...]] = field(default_factory=list)
    snapshots: list[Any] = field(default_factory=list)
    result: Any = None
    error: pj.PartialJSONError | None = None

    @property
    def outcome(self) -> tuple[Any, ...]:
        if self.error is not None:
            return ("error", type(self.error).__name__, self.error.offset)  # type: ignore[attr-defined]
        return ("ok", canonical(self.result))


def _event_key(event: pj.Event) -> tuple[Any, ...]:
    if isinstance(event, pj.ValueStarted):
        return ("start", tuple(event.path), event.kind)
    if isinstance(event, pj.StringDelta):
        return ("delta", tuple(event.path), event.text)
    if isinstance(event, pj.ValueCompleted):
        return ("done", tuple(event.path), canonical(event.value))
    if isinstance(event, pj.ProseDelta):
        return ("delta", "prose", event.text)
    return ("document", event.index, canonical(event.value))


def run(chunks: Sequence[Any], snapshots: bool = False, **options: Any) -> Run:
    stream: pj.JsonStream[Any] = pj.JsonStream(**options)
    seen = Run()

    def record(events: list[pj.Event]) -> None:
        for event in events:
            key = _event_key(event)
            last = seen.events[-1] if seen.events else None
            if key[0] == "delta" and last is not None and last[:2] == key[:2]:
                seen.events[-1] = ("delta", key[1], last[2] + key[2])
            else:
                seen.events.append(key)

    try:
        for chunk in chunks:
            record(stream.feed(chunk))
            if snapshots:
                seen.snapshots.append(copy.deepcopy(stream.value))
        record(stream.end())
        seen.result = stream.close()
    except pj.PartialJSONError as exc:
        seen.error = exc
    return seen


# -- monotone snapshots ------------------------------------------------------------------------
_NOTHING = object()


def extends(new: Any, old: Any) -> bool:
    """True if snapshot ``new`` only adds to ``old``: same types, strings grown at their end,
    containers grown only at their last member, everything else unchanged."""
    if old is None:
        return True
    if type(new) is not type(old):
        return False
    if isinstance(old, str):
        return new.startswith(old)
    if isinstance(old, list):
        if len(new) < len(old):
            return False
        if not old:
            return True
        finished = zip(new[: len(old) - 1], old[:-1], strict=True)
        same = all(canonical(a) == canonical(b) for a, b in finished)
        return same and extends(new[len(old) - 1], old[-1])
    if isinstance(old, dict):
        old_keys, new_keys = list(old), list(new)
        if new_keys[: len(old_keys)] != old_keys:
            return False
        if not old_keys:
            return True
        same = all(canonical(new[k]) == canonical(old[k]) for k in old_keys[:-1])
        return same and extends(new[old_keys[-1]], old[old_keys[-1]])
    return canonical(new) == canonical(old) or (
        isinstance(old, float) and math.isnan(old) and math.isnan(new)
    )


# -- documents ---------------------------------------------------------------------------------
_TEXT = st.text(
    st.one_of(
        st.characters(codec="utf-8"),  # everything but lone surrogates, controls included
        st.sampled_from('"\\/\b\f\n\r\t 東京日本語😀🎉𝄞é'),
    ),
    max_size=12,
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXT,
)
VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(_TEXT, inner, max_size=5)
    ),
    max_leaves=25,
)


@st.composite
def nested(draw: st.DrawFn, values: st.SearchStrategy[Any] = VALUES) -> Any:
    """A generated value, sometimes buried tens of levels deep in arrays and objects."""
    value = draw(values)
    for key in draw(st.lists(st.one_of(st.none(), _TEXT), max_size=60)):
        value = [value] if key is None else {key: value}
    return value


@st.composite
def documents(draw: st.DrawFn, values: st.SearchStrategy[Any] = VALUES) -> str:
    """A JSON text of a generated value, written in one of several styles."""
    value = draw(nested(values))
    style = draw(st.sampled_from(["compact", "spaced", "indented", "ascii", "roomy"]))
    if style == "compact":
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if style == "spaced":
        return json.dumps(value, ensure_ascii=False)
    if style == "indented":
        return json.dumps(value, ensure_ascii=False, indent=2)
    if style == "ascii":  # every non-ASCII character as \u escapes, astral ones as pairs
        return json.dumps(value)
    return " \n\t" + json.dumps(value, ensure_ascii=False, separators=(" ,\r\n", " : ")) + "\n "


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A document with one character deleted, replaced or inserted, or cut short."""
    text = draw(documents())
    at = draw(st.integers(0, len(text)))
    how = draw(st.sampled_from(["delete", "replace", "insert", "truncate"]))
    char = draw(st.sampled_from(list('{}[]:,"\\ 0-1.eE+tfnu\x00\x1fa😀')))
    if how == "delete":
        return text[:at] + text[at + 1 :]
    if how == "replace":
        return text[:at] + char + text[at + 1 :]
    if how == "insert":
        return text[:at] + char + text[at:]
    return text[:at]
