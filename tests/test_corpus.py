"""JSONTestSuite (read from ../shared/corpus beside the repository) under several chunkings.

y_ files must parse to what json.loads gives, n_ files must be rejected, and each i_ file
(implementation-defined) gets the verdict documented in the README, listed here.
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest
from support import Rejected, canonical, cut, one_by_one, oracle, run

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "JSONTestSuite" / "test_parsing"
FILES = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(
    not FILES, reason=f"JSONTestSuite corpus not found at {CORPUS} (CI has it beside the repo)"
)

# The i_ files partialjson accepts; every other i_ file is rejected.
I_ACCEPTED = {
    # numbers beyond double range or 64 bits: Python ints, and floats as json.loads gives them
    "i_number_double_huge_neg_exp.json",
    "i_number_huge_exp.json",
    "i_number_neg_int_huge_exp.json",
    "i_number_pos_double_huge_exp.json",
    "i_number_real_neg_overflow.json",
    "i_number_real_pos_overflow.json",
    "i_number_real_underflow.json",
    "i_number_too_big_neg_int.json",
    "i_number_too_big_pos_int.json",
    "i_number_very_big_negative_int.json",
    # \u escapes of lone surrogates: decoded as json.loads does (a lone surrogate character)
    "i_object_key_lone_2nd_surrogate.json",
    "i_string_1st_surrogate_but_2nd_missing.json",
    "i_string_1st_valid_surrogate_2nd_invalid.json",
    "i_string_incomplete_surrogate_and_escape_valid.json",
    "i_string_incomplete_surrogate_pair.json",
    "i_string_incomplete_surrogates_escape_valid.json",
    "i_string_invalid_lonely_surrogate.json",
    "i_string_invalid_surrogate.json",
    "i_string_inverted_surrogates_U+1D11E.json",
    "i_string_lone_second_surrogate.json",
    # 500 levels are within the default max_depth of 1000
    "i_structure_500_nested_arrays.json",
}
# Rejected: bytes that are not UTF-8 (invalid or overlong sequences, encoded surrogates,
# Latin-1, UTF-16 with or without a BOM) and a UTF-8 byte order mark.


def chunkings_of(data: bytes | str, seed: str) -> list[list[bytes] | list[str]]:
    rng = random.Random(seed)
    cuts = [rng.randrange(len(data) + 1) for _ in range(len(data) // 3)]
    return [[data], one_by_one(data), cut(data, cuts)]  # type: ignore[list-item]


def verdict(data: bytes | str) -> tuple[str, ...]:
    try:
        return ("ok", canonical(oracle(data)))
    except Rejected:
        return ("rejected",)


@needs_corpus
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file_under_several_chunkings(path: Path) -> None:
    raw = path.read_bytes()
    inputs: list[bytes | str] = [raw]
    with contextlib.suppress(UnicodeDecodeError):  # as str too, when it is text
        inputs.append(raw.decode("utf-8"))
    accepted = path.name in I_ACCEPTED if path.name.startswith("i_") else path.name[0] == "y"
    for data in inputs:
        outcomes = {run(chunks).outcome for chunks in chunkings_of(data, path.name)}
        assert len(outcomes) == 1, outcomes  # the same value, or error type and offset
        (outcome,) = outcomes
        if accepted:
            assert outcome == verdict(data)
        else:  # rejected by json.loads too, with an error of ours
            assert verdict(data) == ("rejected",)
            assert outcome[1] in ("JsonSyntaxError", "IncompleteJSON", "LimitExceeded")
