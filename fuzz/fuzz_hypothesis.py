"""A long Hypothesis run of the differential harness.

    python fuzz/fuzz_hypothesis.py --examples 200000 [--seed N]

Inputs are arbitrary bytes, or "almost JSON": ``json.dumps`` of a generated value in a random
style, then mutated (bytes deleted, inserted, replaced, the end cut off); each with random cuts.
Failures are shrunk and printed; they are also saved in ``fuzz/.hypothesis`` and replayed first
on the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

HERE = os.path.dirname(os.path.abspath(__file__))
STORAGE = os.path.join(HERE, ".hypothesis")  # failing examples and caches
sys.path.insert(0, HERE)
set_hypothesis_home_dir(STORAGE)

from harness import check  # noqa: E402

# Bytes that matter to a JSON scanner, for insertions and replacements.
JSON_BYTES = b' \t\n\r"\\/{}[],:-+.0123456789eEbfnrtu\x00\x1f\x7f\x80\xbf\xc3\xe2\xed\xf0\xff'

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()  # NaN and Infinity too: they are valid only with allow_nan
    | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


@st.composite
def json_documents(draw: st.DrawFn) -> bytes:
    """``json.dumps`` of a generated value, in a random style, as UTF-8."""
    value = draw(json_values)
    text = json.dumps(
        value,
        ensure_ascii=draw(st.booleans()),
        indent=draw(st.sampled_from([None, 0, 2, "\t"])),
        separators=draw(st.sampled_from([None, (",", ":"), (" , ", " : ")])),
    )
    padding = st.sampled_from(["", " ", "\n", "\r\n\t "])
    return (draw(padding) + text + draw(padding)).encode("utf-8")


@st.composite
def mutated(draw: st.DrawFn, documents: st.SearchStrategy[bytes]) -> bytes:
    """A document with a few bytes deleted, inserted or replaced, or its end cut off."""
    data = bytearray(draw(documents))
    any_byte = st.sampled_from(JSON_BYTES) | st.integers(0, 255)
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["delete", "insert", "replace", "truncate"]))
        if action == "insert":
            data.insert(i, draw(any_byte))
        elif i == len(data):
            continue
        elif action == "delete":
            del data[i]
        elif action == "replace":
            data[i] = draw(any_byte)
        else:
            del data[i:]
    return bytes(data)


inputs = st.binary(max_size=200) | json_documents() | mutated(json_documents())


@st.composite
def cut_inputs(draw: st.DrawFn) -> tuple[bytes, list[int], bool]:
    data = draw(inputs)
    cuts = draw(st.lists(st.integers(0, len(data)), max_size=10))
    return data, cuts, draw(st.booleans())


def long_run(strategy: st.SearchStrategy[Any], test: Callable[[Any], None], database: str,
             examples: int, doc: str) -> None:
    """Run ``test`` on ``strategy`` as the command line asks (--examples, --seed), failures
    kept in ``fuzz/.hypothesis/<database>``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=examples, help="examples to run")
    parser.add_argument("--seed", type=int, default=None, help="random seed, to repeat a run")
    args = parser.parse_args()

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=DirectoryBasedExampleDatabase(os.path.join(STORAGE, database)),
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def fuzz(case: Any) -> None:
        test(case)

    if args.seed is not None:
        fuzz = seed(args.seed)(fuzz)
    fuzz()
    print(f"ok: {args.examples} examples")


def main() -> None:
    def test(case: tuple[bytes, list[int], bool]) -> None:
        data, cuts, allow_nan = case
        check(data, cuts, allow_nan=allow_nan)

    long_run(cut_inputs(), test, "examples", 200_000, __doc__ or "")


if __name__ == "__main__":
    main()
