"""Differential fuzz harness: partialjson against ``json.loads``, under any chunking.

``check(data, cuts)`` feeds ``data`` to a :class:`partialjson.JsonStream` split at ``cuts`` (as
bytes, and as str when ``data`` is valid UTF-8) and asserts that

- partialjson accepts exactly what the oracle accepts, with a type-exact equal value;
- it raises nothing but :class:`partialjson.PartialJSONError` (anything else propagates);
- the outcome (value, or error type and offset) does not depend on the chunking;
- str and bytes input fail with the same error type at the same character.

The oracle: strict UTF-8, no BOM, then ``json.loads`` (NaN and Infinity only with ``allow_nan``).
Too deep nesting and integers beyond ``sys.get_int_max_str_digits()`` count as rejected.
"""

from __future__ import annotations

import itertools
import json
import math
import reprlib
import sys
from collections.abc import Sequence
from typing import Any

import partialjson as pj

MAX_DEPTH = 1000  # JsonStream's default max_depth
_ORACLE_RECURSION_LIMIT = 20_000  # lets json.loads reach past MAX_DEPTH, so depth is judged here

# An outcome: ("ok", value) or ("error", error type, offset, line, column).
Outcome = tuple[Any, ...]
REJECTED: Outcome = ("rejected",)

_short = reprlib.Repr()  # for values in messages: a deep one would overflow repr()
_short.maxlevel, _short.maxstring, _short.maxlist, _short.maxdict = 8, 200, 20, 20


def check(data: bytes, cuts: Sequence[int] = (), *, allow_nan: bool = False) -> None:
    """Assert that partialjson agrees with the oracle on ``data``, however it is cut."""
    expected = oracle(data, allow_nan=allow_nan)
    cuts = sorted(min(max(cut, 0), len(data)) for cut in cuts)

    whole = run(data, [], allow_nan=allow_nan)
    _assert_agrees(whole, expected, data, allow_nan)
    split = run(data, cuts, allow_nan=allow_nan)
    _assert_same(split, whole, f"bytes cut at {cuts} differ from one chunk", data)
    bounded = run(data, cuts, allow_nan=allow_nan, keep_text=False)
    _assert_same(bounded, split, "keep_text=False differs (line and column included)", data)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    char_cuts = [len(data[:cut].decode("utf-8", "ignore")) for cut in cuts]
    text_whole = run(text, [], allow_nan=allow_nan)
    _assert_same(_in_bytes(text_whole, text), whole, "str and bytes input differ", data)
    text_split = run(text, char_cuts, allow_nan=allow_nan)
    _assert_same(text_split, text_whole, f"str cut at {char_cuts} differs from one chunk", data)


def run(document: bytes | str, cuts: Sequence[int], *, allow_nan: bool = False,
        keep_text: bool = True) -> Outcome:
    """Feed ``document`` split at the sorted ``cuts``; return the outcome."""
    stream: pj.JsonStream[Any] = pj.JsonStream(allow_nan=allow_nan, keep_text=keep_text)
    bounds = [0, *cuts, len(document)]
    try:
        for start, stop in itertools.pairwise(bounds):
            stream.feed(document[start:stop])
        return ("ok", stream.close())
    except pj.PartialJSONError as exc:
        position = (getattr(exc, "offset", None), getattr(exc, "line", None),
                    getattr(exc, "column", None))
        return ("error", type(exc), *position)


def oracle(data: bytes, *, allow_nan: bool = False) -> Outcome:
    """What a strict RFC 8259 parser makes of ``data``: ("ok", value) or REJECTED."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return REJECTED
    if text.startswith("\ufeff"):
        return REJECTED
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _ORACLE_RECURSION_LIMIT))
    try:
        value = json.loads(text, parse_constant=None if allow_nan else _reject_constant)
    except (ValueError, RecursionError):  # JSONDecodeError, the int digit limit, deep nesting
        return REJECTED
    finally:
        sys.setrecursionlimit(limit)
    if depth(value) > MAX_DEPTH:
        return REJECTED
    return ("ok", value)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def depth(value: Any) -> int:
    """Nesting depth of objects and arrays: 0 for a scalar, 1 for ``[]``."""
    deepest = 0
    todo = [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            todo.extend((child, level + 1) for child in _children(item))
    return deepest


def same_value(a: Any, b: Any) -> bool:
    """Type-exact equality: 1, 1.0 and True differ; NaN equals NaN; -0.0 differs from 0.0;
    object keys must come in the same order."""
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, float):
            if math.isnan(x) or math.isnan(y):
                if not (math.isnan(x) and math.isnan(y)):
                    return False
            elif x != y or math.copysign(1.0, x) != math.copysign(1.0, y):
                return False
        elif isinstance(x, dict):
            if list(x) != list(y):
                return False
            todo.extend((x[key], y[key]) for key in x)
        elif isinstance(x, list):
            if len(x) != len(y):
                return False
            todo.extend(zip(x, y, strict=True))
        elif x != y:
            return False
    return True


def _children(container: dict[str, Any] | list[Any]) -> Any:
    return container.values() if isinstance(container, dict) else container


def _same_outcome(a: Outcome, b: Outcome) -> bool:
    if a[0] == "ok" and b[0] == "ok":
        return same_value(a[1], b[1])
    return a == b


def _in_bytes(outcome: Outcome, text: str) -> Outcome:
    """A str-input outcome with its error offset and column counted in UTF-8 bytes of
    ``text``."""
    if outcome[0] != "error" or outcome[2] is None:
        return outcome
    kind, offset, line, column = outcome[1:]
    in_line = text[offset - (column - 1) : offset]  # the line's characters before the error
    return ("error", kind, len(text[:offset].encode("utf-8")), line,
            len(in_line.encode("utf-8")) + 1)


def _assert_agrees(got: Outcome, expected: Outcome, data: bytes, allow_nan: bool) -> None:
    if expected is REJECTED:
        assert got[0] == "error", f"accepted what json.loads rejects: {data!r} -> {_describe(got)}"
    else:
        assert _same_outcome(got, expected), (
            f"json.loads gives {_short.repr(expected[1])} but partialjson {_describe(got)} "
            f"for {data!r} (allow_nan={allow_nan})"
        )


def _assert_same(got: Outcome, want: Outcome, what: str, data: bytes) -> None:
    assert _same_outcome(got, want), f"{what}: {_describe(got)} vs {_describe(want)} for {data!r}"


def _describe(outcome: Outcome) -> str:
    if outcome[0] == "ok":
        return f"value {_short.repr(outcome[1])}"
    return f"{outcome[1].__name__} at offset {outcome[2]}"


def check_all_cuts(data: bytes) -> None:
    """``check`` with no cut, one byte per chunk, and (for small inputs) every single cut."""
    check(data)
    check(data, range(1, len(data)))
    if len(data) <= 2000:
        for cut in range(1, len(data)):
            check(data, [cut])


if __name__ == "__main__":
    # Replay documents, e.g. a regression or the JSONTestSuite: python fuzz/harness.py FILE...
    for name in sys.argv[1:]:
        with open(name, "rb") as file:
            check_all_cuts(file.read())
    print(f"ok: {len(sys.argv) - 1} files")
