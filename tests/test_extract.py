"""JSON inside prose (``extract=True``): what is found, what is prose, and the principles —
chunk-boundary independence (fences cut anywhere included), errors at offsets of the whole
input, linear cost."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import BaseModel, Field
from support import canonical, chunkings, cut, documents, mutated, one_by_one, run
from test_cost import growth, records

import partialjson as pj

# Prose made of what can start or end a JSON value or a fence, and of what cannot.
TRICKY = st.text(st.sampled_from(list("ab {}[]\"`~\n \t1-:")), max_size=24)
PLAIN = st.text(st.sampled_from(list("ab .:!\n \t1-\"é😀}]")), max_size=24)
FENCES = ["```json", "```", "~~~JSON", "````json", "   ```json  ", "``` json extra words"]


def closer(opener: str) -> str:
    """The fence line that closes what ``opener`` opens."""
    return opener.strip().split()[0].rstrip("jsonJSON")


@st.composite
def answers(draw: st.DrawFn) -> str:
    """An LLM answer: tricky prose, a document (valid or not) bare or fenced, more prose."""
    doc = draw(st.one_of(documents(), mutated()))
    how = draw(st.sampled_from(["bare", "none", *FENCES]))
    if how == "bare":
        middle = doc
    elif how == "none":
        middle = ""
    else:
        middle = f"{how}\n{doc}\n{draw(st.sampled_from([closer(how), '', '```python']))}\n"
    return draw(TRICKY) + middle + draw(TRICKY)


def prose(chunks: list[Any], **options: Any) -> str:
    stream: pj.JsonStream[Any] = pj.JsonStream(extract=True, **options)
    events = [e for chunk in chunks for e in stream.feed(chunk)]
    events += stream.end()
    return "".join(e.text for e in events if isinstance(e, pj.ProseDelta))


# -- Principle 3: chunk-boundary independence ------------------------------------------------
@given(st.data(), answers())
def test_events_and_outcome_do_not_depend_on_chunk_boundaries(
    data: st.DataObject, text: str
) -> None:
    whole = run([text], extract=True)
    chunked = run(data.draw(chunkings(text)), extract=True)
    as_bytes = run(data.draw(chunkings(text.encode())), extract=True)
    assert chunked.outcome == whole.outcome
    if whole.error is None:  # (the events of a chunk that fails are not returned)
        assert chunked.events == as_bytes.events == whole.events
        assert as_bytes.outcome == whole.outcome
    else:  # the same error, at the same place counted in bytes
        assert isinstance(as_bytes.error, type(whole.error))
        offset = whole.error.offset  # type: ignore[attr-defined]
        assert as_bytes.error.offset == len(text[:offset].encode())  # type: ignore[attr-defined]


# -- what is found -----------------------------------------------------------------------------
@given(st.data(), documents(), PLAIN, TRICKY, st.sampled_from(FENCES))
def test_a_fenced_document_is_found_and_the_rest_is_prose(
    data: st.DataObject, doc: str, before: str, after: str, opener: str
) -> None:
    text = f"{before}\n{opener}\n{doc}\n{closer(opener)}\n{after}"
    chunks = data.draw(chunkings(text))
    assert run(chunks, extract=True).outcome == ("ok", canonical(json.loads(doc)))
    assert prose(chunks) == f"{before}\n{opener}\n{closer(opener)}\n{after}"


@given(st.data(), documents(), PLAIN, TRICKY)
def test_a_bare_object_or_array_is_found_and_ends_at_its_closing_bracket(
    data: st.DataObject, doc: str, before: str, after: str
) -> None:
    value = json.loads(doc)
    assume(isinstance(value, dict) or (isinstance(value, list) and not (
        value and (value[0] is None or isinstance(value[0], bool)))))
    text = before + doc + after
    chunks = data.draw(chunkings(text))
    assert run(chunks, extract=True).outcome == ("ok", canonical(value))
    assert prose(chunks) == text.replace(doc.strip(), "", 1)


CASES: list[tuple[str, Any]] = [
    ('Here is the result:\n```json\n{"a": [1, 2]}\n```\nThanks!', {"a": [1, 2]}),
    ('Sure: {"a": 1} and then {"b": 2}', {"a": 1}),  # the first value only
    ("Note [x], {curly} and [1, 2].", [1, 2]),
    ("[ \n ]", []),
    ('{\n  "a": 1\n}', {"a": 1}),
    ('```python\nx = {"a": 1}\n```\nthen {"b": 2}', {"b": 2}),  # other fences are prose
    ('~~~\n{"t": 1}\n~~~', {"t": 1}),
    ('````json\n["```"]\n````', ["```"]),  # closes at as many backticks or more
    ('```json\n["a"]\n```` \n', ["a"]),
    ('   ```JSON\n[1]\n   ```', [1]),
    ('```json {"a": 1}```', {"a": 1}),  # a backtick in the info: no fence, a bare value
    ('    ```json\n{"a": 1}', {"a": 1}),  # indented 4 spaces: no fence
    ("```json\n42\n```", 42),
    ('```json\r\n{"crlf": true}\r\n```\r\n', {"crlf": True}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_named_cases(text: str, expected: Any) -> None:
    for chunks in ([text], one_by_one(text), one_by_one(text.encode())):
        assert run(chunks, extract=True).outcome == ("ok", canonical(expected))


ERRORS: list[tuple[str, type[pj.PartialJSONError], str, int]] = [
    ("no JSON here [at all]", pj.IncompleteJSON, "no JSON value found", 21),
    ("```python\n{}\n", pj.IncompleteJSON, "no JSON value found", 13),
    ('Result:\n```json\n{"a": 1}\n', pj.IncompleteJSON, "expected the closing fence", 25),
    ('```json\n{"a": 1', pj.IncompleteJSON, "expected ',' or '}' (in an unclosed fence)", 15),
    ('```json\n{"a": 1}\nnote\n```', pj.JsonSyntaxError,
     "expected the closing fence after the JSON value", 17),
    ('```json\n{"a": \n```\n', pj.JsonSyntaxError,
     "expected a JSON value (the fence closed)", 15),
    ('Here:\n{"a": tru}', pj.JsonSyntaxError, "expected 'true'", 15),
    ('Here: {"a": 1', pj.IncompleteJSON, "expected ',' or '}'", 13),
]


@pytest.mark.parametrize(("text", "kind", "message", "offset"), ERRORS)
def test_errors_carry_offsets_in_the_whole_input(
    text: str, kind: type[pj.PartialJSONError], message: str, offset: int
) -> None:
    for chunks in ([text], one_by_one(text)):
        error = run(chunks, extract=True).error
        assert type(error) is kind
        assert isinstance(error, pj.PositionedError)
        assert (error.message, error.offset) == (message, offset)
        before = text[:offset]
        assert (error.line, error.column) == (before.count("\n") + 1,
                                              offset - before.rfind("\n"))


def test_an_unclosed_fence_is_never_a_complete_value() -> None:
    stream: pj.JsonStream[str] = pj.JsonStream(extract=True)
    events = stream.feed('```json\n{"a": 1}\n')
    assert stream.value == {"a": 1}
    assert not stream.complete
    assert not any(isinstance(e, pj.DocumentCompleted) for e in events)
    assert stream.feed("```") == []  # '````' or '```x' would be no closing fence
    assert [type(e) for e in stream.feed("\n")] == [pj.DocumentCompleted, pj.ProseDelta]
    assert stream.complete


def test_a_bare_value_is_complete_at_its_closing_bracket() -> None:
    stream: pj.JsonStream[str] = pj.JsonStream(extract=True)
    events = stream.feed('I found it: {"a": [1]} — anything')
    assert isinstance(events[-2], pj.DocumentCompleted)
    assert events[-1] == pj.ProseDelta(" — anything")
    assert stream.complete
    assert stream.feed("{ more prose") == [pj.ProseDelta("{ more prose")]
    assert stream.close() == {"a": [1]}


def test_everything_received_is_kept_and_parse_partial_extracts() -> None:
    stream: pj.JsonStream[bytes] = pj.JsonStream(extract=True)
    text = 'Voilà :\n```json\n{"é": [1, tru'.encode()
    with pytest.raises(pj.JsonSyntaxError) as error:
        for chunk in cut(text, [3, 9, 20]):
            stream.feed(chunk)
        stream.feed(b"x")
    assert stream.received == text + b"x"[: len(stream.received) - len(text)]
    assert error.value.offset == len(text)  # bytes, in the whole input
    assert stream.value == {"é": [1]}
    assert pj.parse_partial('Here: {"a": [1, 2', extract=True) == {"a": [1]}


def test_extract_does_not_combine_with_multiple() -> None:
    with pytest.raises(ValueError, match="multiple"):
        pj.JsonStream(extract=True, multiple=True)


# -- ModelStream -------------------------------------------------------------------------------
class Answer(BaseModel):
    title: str = Field(max_length=12)
    tags: list[str]


@pytest.mark.parametrize("how", ["whole", "one"])
def test_model_stream_extracts_and_gives_pydantics_answer(how: str) -> None:
    doc = '{"title": "Kyoto", "tags": ["temples", "tea"]}'
    text = f"Here you go:\n```json\n{doc}\n```\nEnjoy!"
    stream = pj.ModelStream(Answer, extract=True)
    chunks = [text] if how == "whole" else one_by_one(text)
    events = [e for chunk in chunks for e in stream.feed(chunk)]
    assert stream.close() == Answer.model_validate_json(doc)
    assert "".join(e.text for e in events if isinstance(e, pj.ProseDelta)) == (
        "Here you go:\n```json\n```\nEnjoy!")
    assert stream.is_complete(("tags", 1))


def test_model_stream_violation_offset_is_in_the_whole_input() -> None:
    text = 'Sure! {"title": "A title much too long", "tags": []}'
    stream = pj.ModelStream(Answer, extract=True)
    with pytest.raises(pj.SchemaViolation) as error:
        stream.feed(text)
    assert error.value.offset == text.index('"A title') + 1 + 12  # the title's 13th character
    assert error.value.path == ("title",)
    assert error.value.text_so_far == text


# -- Principle 2: linear cost ------------------------------------------------------------------
def calls(text: str) -> int:
    count = 0

    def profiler(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        count += event in ("call", "c_call")

    stream: pj.JsonStream[str] = pj.JsonStream(extract=True)
    sys.setprofile(profiler)
    try:
        for chunk in cut(text, range(0, len(text), 3)):
            stream.feed(chunk)
    except pj.PartialJSONError:
        pass
    finally:
        sys.setprofile(None)
    return count


TEXTS = {
    "prose": lambda n: "prose with [notes] and {braces}, `code` and ``more``\n" * n,
    "other fences": lambda n: "```python\nx = [1]\n```\n" * n,
    "a long line that may be a fence line": lambda n: "```" + "info " * 10 * n,
    "an opener, then endless blanks": lambda n: "{" + " \n" * n,
    "a fenced document": lambda n: "```json\n" + records(n) + "\n```",
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_extracting_costs_linear_work(text: Callable[[int], str]) -> None:
    assert 7 < growth(lambda n: calls(text(n))) < 9
