"""completed_json(): the received prefix closed into strict JSON that json.loads reads as
exactly the stream's value, at every prefix; parse_partial(as_text=True)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel
from support import canonical, chunkings, documents
from test_lenient import NAMES, lenient_documents

import partialjson as pj


def _check_every_chunk(chunks: list[str], **options: object) -> None:
    stream: pj.JsonStream[str] = pj.JsonStream(**options)  # type: ignore[arg-type]
    assert json.loads(stream.completed_json()) is None  # nothing known yet
    for chunk in chunks:
        stream.feed(chunk)
        text = stream.completed_json()
        assert canonical(json.loads(text)) == canonical(stream.value)
    stream.close()
    assert canonical(json.loads(stream.completed_json())) == canonical(stream.value)


@given(documents())
def test_every_prefix_completes_to_its_value(text: str) -> None:
    _check_every_chunk([text[i : i + 1] for i in range(len(text))])


@given(st.data(), documents())
def test_every_chunking_completes_to_its_value_without_trailing_strings(
        data: st.DataObject, text: str) -> None:
    _check_every_chunk(data.draw(chunkings(text)), trailing_strings=False)


@given(st.data(), lenient_documents(frozenset(NAMES)))
def test_lenient_input_completes_to_strict_json(
        data: st.DataObject, drawn: tuple[object, str, set[str]]) -> None:
    value, text, _ = drawn
    _check_every_chunk(data.draw(chunkings(text)), lenient=True)
    assert canonical(json.loads(pj.parse_partial(text, as_text=True, lenient=True))) == (
        canonical(value))


@pytest.mark.parametrize(("prefix", "expected"), [
    ('{"a": [1, 2', {"a": [1]}),  # the 2 may still become 23
    ('{"a": "hel', {"a": "hel"}),  # an open string, closed where it stands
    ('{"a": "x\\u00', {"a": "x"}),  # a half escape is not shown
    ('{"a": 1, "b', {"a": 1}),  # a key without its value
    ('{"a": 1, "b":', {"a": 1}),
    ('[true, fal', [True]),
    ("[[], {}, [", [[], {}, []]),
    ("", None),
])
def test_completed_text_of_known_prefixes(prefix: str, expected: object) -> None:
    text = pj.parse_partial(prefix, as_text=True)
    assert json.loads(text) == expected
    assert text == json.dumps(expected, separators=(",", ":"))  # compact: the smallest


def test_bytes_input_and_deep_documents_complete_too() -> None:
    assert json.loads(pj.parse_partial('{"é": ["ü'.encode(), as_text=True)) == {"é": ["ü"]}
    deep = "[" * 5000 + '{"a": "x'
    text = pj.parse_partial(deep, as_text=True, max_depth=None)
    assert text == "[" * 5000 + '{"a":"x"}' + "]" * 5000  # past Python's recursion limit


def test_model_stream_completed_json_is_the_json_read_so_far() -> None:
    class Point(BaseModel):
        x: int
        y: int

    stream = pj.ModelStream(Point, lenient=True)
    stream.feed("{x: 1, y: 2")
    assert json.loads(stream.completed_json()) == {"x": 1}
    stream.feed("}")
    assert Point.model_validate_json(stream.completed_json()) == stream.close()
