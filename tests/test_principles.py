"""The principles of DESIGN.md as properties, over generated documents and chunkings."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from support import (
    Rejected,
    canonical,
    chunkings,
    cut,
    documents,
    extends,
    mutated,
    one_by_one,
    oracle,
    run,
)

import partialjson as pj


def expected_outcome(data: str | bytes) -> tuple[str, ...] | None:
    """("ok", value) from the oracle, or None when it rejects the document."""
    try:
        return ("ok", canonical(oracle(data)))
    except Rejected:
        return None


# -- Principle 7: strict JSON, the same answer as json.loads ---------------------------------
@given(st.data(), documents())
def test_final_value_equals_json_loads_for_str_chunks(data: st.DataObject, text: str) -> None:
    chunks = data.draw(chunkings(text))
    assert run(chunks).outcome == ("ok", canonical(json.loads(text)))


@given(st.data(), documents())
def test_final_value_equals_json_loads_for_bytes_cut_anywhere(
    data: st.DataObject, text: str
) -> None:
    raw = text.encode("utf-8")
    chunks = data.draw(chunkings(raw))  # cuts fall inside multi-byte characters too
    assert run(chunks).outcome == ("ok", canonical(json.loads(text)))


@given(st.data(), mutated())
def test_invalid_documents_are_rejected_like_json_loads(data: st.DataObject, text: str) -> None:
    seen = run(data.draw(chunkings(text)))
    expected = expected_outcome(text)
    if expected is None:
        assert seen.error is not None
        assert isinstance(seen.error, pj.JsonSyntaxError)
    else:
        assert seen.outcome == expected


NUMBER = r"-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?"


@given(st.from_regex(NUMBER, fullmatch=True))
def test_every_number_form_decodes_like_json_loads(literal: str) -> None:
    text = f"[{literal}, {literal}]"
    assert run(one_by_one(text)).outcome == ("ok", canonical(json.loads(text)))
    assert run([literal]).outcome == ("ok", canonical(json.loads(literal)))  # top level


# -- Principle 3: chunk-boundary independence -------------------------------------------------
@given(st.data(), documents())
def test_events_do_not_depend_on_chunk_boundaries(data: st.DataObject, text: str) -> None:
    whole = run([text])
    assert run(data.draw(chunkings(text))).events == whole.events
    raw = text.encode("utf-8")
    assert run(data.draw(chunkings(raw))).events == whole.events


@given(st.data(), mutated())
def test_errors_do_not_depend_on_chunk_boundaries(data: st.DataObject, text: str) -> None:
    whole = run([text])
    chunked = run(data.draw(chunkings(text)))
    assert chunked.outcome == whole.outcome
    raw = text.encode("utf-8")
    assert run(data.draw(chunkings(raw))).outcome == run([raw]).outcome


@given(st.data(), st.binary(max_size=40))
def test_arbitrary_bytes_give_the_same_outcome_whatever_the_chunking(
    data: st.DataObject, raw: bytes
) -> None:
    whole = run([raw])
    assert run(data.draw(chunkings(raw))).outcome == whole.outcome
    expected = expected_outcome(raw)
    assert whole.outcome == expected if expected is not None else whole.error is not None


# -- Principle 4: monotone snapshots ----------------------------------------------------------
@given(st.data(), documents(), st.booleans())
def test_every_snapshot_extends_the_previous_one(
    data: st.DataObject, text: str, trailing_strings: bool
) -> None:
    raw = text.encode("utf-8")
    chunks = data.draw(st.sampled_from([one_by_one(raw), one_by_one(text)]))
    seen = run(chunks, snapshots=True, trailing_strings=trailing_strings)
    final = json.loads(text)
    previous = None
    for snapshot in [*seen.snapshots, final]:
        assert extends(snapshot, previous), (previous, snapshot)
        previous = snapshot


@given(documents())
def test_strings_appear_only_whole_without_trailing_strings(text: str) -> None:
    final = json.loads(text)
    finished = {canonical(s) for s in _strings(final)}
    for snapshot in run(one_by_one(text), snapshots=True, trailing_strings=False).snapshots:
        for shown in _strings(snapshot):
            assert canonical(shown) in finished


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


# -- Principle 5: fail early, precisely, losslessly -------------------------------------------
@given(mutated())
def test_error_offset_is_the_first_character_no_continuation_can_fix(text: str) -> None:
    seen = run([text])
    assume(isinstance(seen.error, pj.JsonSyntaxError))
    error = seen.error
    assert isinstance(error, pj.JsonSyntaxError)
    if isinstance(error, pj.IncompleteJSON):
        assert error.offset == len(text)
        return
    # The text before the offending character is a prefix of some valid document, and feeding
    # it raises nothing; with that character the same error comes, in that very chunk.
    before = pj.JsonStream()
    before.feed(text[: error.offset])
    with_char = pj.JsonStream()
    with_char.feed(text[: error.offset])
    try:
        with_char.feed(text[error.offset : error.offset + 1])
    except pj.JsonSyntaxError as again:
        assert again.offset == error.offset
    else:
        raise AssertionError(f"no error at offset {error.offset} of {text!r}")


@given(st.data(), mutated())
def test_everything_received_stays_available_after_an_error(
    data: st.DataObject, text: str
) -> None:
    stream: pj.JsonStream[str] = pj.JsonStream()
    chunks = data.draw(chunkings(text))
    fed = 0
    try:
        for chunk in chunks:
            fed += 1
            stream.feed(chunk)
        stream.close()
    except pj.PartialJSONError as exc:
        assert stream.error is exc
        with pytest.raises(pj.PartialJSONError) as again:  # the stream stays failed
            stream.feed("x")
        assert again.value is exc
    assert stream.received == "".join(chunks[:fed])


def test_cut_helper_splits_losslessly() -> None:
    assert cut("abcdef", [4, 2, 2, 9, 0]) == ["ab", "cd", "ef"]


OPTIONS = st.sampled_from(
    [
        {"multiple": True},
        {"trailing_strings": False},
        {"allow_nan": True},
        {"max_depth": 3},
        {"max_bytes": 17},
        {"lone_surrogates": False},
    ]
)


@given(st.data(), mutated(), OPTIONS)
def test_every_option_keeps_results_independent_of_chunk_boundaries(
    data: st.DataObject, text: str, options: dict[str, object]
) -> None:
    doubled = text + "\n" + text  # two documents: one outcome or another, never a mix
    whole = run([doubled], **options)
    chunked = run(data.draw(chunkings(doubled)), **options)
    assert chunked.outcome == whole.outcome
    if whole.error is None:
        assert chunked.events == whole.events
    raw = doubled.encode("utf-8")
    assert run(data.draw(chunkings(raw)), **options).outcome == run([raw], **options).outcome
