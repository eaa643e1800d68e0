"""Named behaviours of the JSON core: partial values, events, options, limits and errors."""

from __future__ import annotations

import json
import pickle
import sys
from typing import Any

import pytest
from support import canonical, cut, one_by_one, run

import partialjson as pj
from partialjson import DocumentCompleted as Doc
from partialjson import StringDelta as Delta
from partialjson import ValueCompleted as Done
from partialjson import ValueStarted as Start


def snapshots(chunks: list[str] | list[bytes], **options: object) -> list[str]:
    return [canonical(s) for s in run(chunks, snapshots=True, **options).snapshots]


# -- partial values ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ('{"a": [1, 2', {"a": [1]}),  # the 2 may still become 23
        ("[1, 2,", [1, 2]),
        ('{"a', {}),  # a half key never appears
        ('{"a"', {}),
        ('{"a":', {}),
        ('{"a": "hel', {"a": "hel"}),
        ('{"a": "x\\', {"a": "x"}),  # half an escape is held back
        ('{"a": "\\u00', {"a": ""}),
        ('{"a": "\\ud83d', {"a": ""}),  # half a surrogate pair is held back
        ('{"a": "\\ud83d\\', {"a": ""}),
        ('{"a": "\\ud83d\\ude0', {"a": ""}),
        ('{"a": "\\ud83d\\ude00"', {"a": "😀"}),
        ('{"n": -', {}),  # numbers appear only whole
        ('{"n": 1.', {}),
        ('{"n": 1e', {}),
        ('{"n": 12', {}),
        ('{"n": 12,', {"n": 12}),
        ('{"b": tr', {}),  # so do literals
        ('{"b": null', {"b": None}),
        ('{"a": [{"b": 1}, {"c"', {"a": [{"b": 1}, {}]}),
        ('"abc', "abc"),
        ("12", None),
        ("", None),
    ],
)
def test_parse_partial_shows_only_what_is_certain(prefix: str, expected: object) -> None:
    assert canonical(pj.parse_partial(prefix)) == canonical(expected)


def test_a_number_never_makes_its_key_vanish() -> None:
    # jiter shows {"n": -12}, then {} at "-12.", then {"n": -12.5}
    shown = snapshots(['{"n": -1', "2", ".", "5", "}"])
    assert shown == ["{}", "{}", "{}", "{}", "{'n': -12.5}"]


def test_a_surrogate_pair_split_across_chunks_never_shows_half() -> None:
    seen = run(['["a\\ud83d', "\\ud", "e00b", '"]'], snapshots=True)
    assert [canonical(s) for s in seen.snapshots] == [
        "['a']", "['a']", "['a😀b']", "['a😀b']",
    ]
    assert ("delta", (0,), "a😀b") in seen.events


@pytest.mark.parametrize(
    "text",
    ['["\\ud800"]', '["\\ud800\\n"]', '["\\ud800\\ud800\\n"]', '["\\udfaa"]', '["\\uDd1e\\uD834"]'],
)
def test_lone_surrogate_escapes_decode_like_json_loads(text: str) -> None:
    for chunks in ([text], one_by_one(text)):
        assert run(chunks).outcome == ("ok", canonical(json.loads(text)))


def test_bytes_split_inside_a_utf8_character() -> None:
    seen = run([b'{"a": "h\xc3', b'\xa9!"}'], snapshots=True)
    assert [canonical(s) for s in seen.snapshots] == ["{'a': 'h'}", "{'a': 'hé!'}"]


def test_strings_are_shown_only_whole_when_trailing_strings_is_off() -> None:
    shown = snapshots(['{"a": "hel', 'lo", "b": [', '"x', '"]}'], trailing_strings=False)
    assert shown == ["{}", "{'a': 'hello', 'b': []}", "{'a': 'hello', 'b': []}",
                     "{'a': 'hello', 'b': ['x']}"]


def test_containers_are_updated_in_place() -> None:
    stream: pj.JsonStream[str] = pj.JsonStream()
    stream.feed('{"items": [')
    items = stream.value["items"]
    stream.feed('1, 2, "three"]}')
    assert items is stream.value["items"]
    assert items == [1, 2, "three"]


def test_every_escape_decodes_at_every_cut() -> None:
    text = '"q\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u0041\\u00e9\\u6771\\ud834\\udd1e"'
    for at in range(len(text) + 1):
        assert run(cut(text, [at])).result == 'q" b\\ s/ \b\f\n\r\t Aé東𝄞'


# -- events ----------------------------------------------------------------------------------
def test_events_name_each_value_by_its_path() -> None:
    stream: pj.JsonStream[str] = pj.JsonStream()
    events = stream.feed('{"a": ["x", 1, {}], "b": null}')
    value = {"a": ["x", 1, {}], "b": None}
    assert events == [
        Start((), "object"),
        Start(("a",), "array"),
        Start(("a", 0), "string"),
        Delta(("a", 0), "x"),
        Done(("a", 0), "x"),
        Done(("a", 1), 1),
        Start(("a", 2), "object"),
        Done(("a", 2), {}),
        Done(("a",), ["x", 1, {}]),
        Done(("b",), None),
        Done((), value),
        Doc(value, 0),
    ]


def test_string_deltas_are_what_each_chunk_added() -> None:
    stream: pj.JsonStream[str] = pj.JsonStream()
    deltas = [
        [e.text for e in stream.feed(chunk) if isinstance(e, Delta)]
        for chunk in ['{"t": "Hel', "lo", " wor\\", 'nld"}']
    ]
    assert deltas == [["Hel"], ["lo"], [" wor"], ["\nld"]]


def test_end_reports_what_end_of_input_completes() -> None:
    stream: pj.JsonStream[str] = pj.JsonStream()
    assert stream.feed("12") == []
    assert stream.end() == [Done((), 12), Doc(12, 0)]
    assert stream.end() == []
    assert stream.close() == 12


def test_path_is_a_lazy_sequence_equal_to_its_tuple() -> None:
    path = pj.Path(pj.Path(pj.Path(), "items"), 3)
    assert path == ("items", 3)
    assert path == pj.Path(pj.Path(pj.Path(), "items"), 3)
    assert hash(path) == hash(("items", 3))
    assert (len(path), path[0], path[-1], list(path)) == (2, "items", 3, ["items", 3])
    deep = pj.Path()
    for i in range(200_000):  # no recursion, however deep
        deep = pj.Path(deep, i)
    assert len(deep) == 200_000


def test_paths_compare_key_by_key_with_paths_and_tuples() -> None:
    def path(*keys: str | int) -> pj.Path:
        made = pj.Path()
        for key in keys:
            made = pj.Path(made, key)
        return made

    assert path("a", 0) == path("a", 0) == ("a", 0)
    for other in [("a",), ("a", 1), ("b", 0), ("a", 0, "x"), ("a", "0"), ()]:
        assert path("a", 0) != path(*other) and path("a", 0) != other
        assert (path("a", 0) == path(*other)) == (other == ("a", 0))
    assert path() == () and path() != ("a",)
    assert path("a") != ["a"]  # a list is not a path
    shared = path("a", "b")
    assert pj.Path(shared, 1) == pj.Path(shared, 1) != pj.Path(shared, 2)


# -- several documents, trailing data, NaN -----------------------------------------------------
def test_trailing_whitespace_is_fine_and_trailing_data_is_an_error() -> None:
    assert run(["[1] \n\t"]).result == [1]
    for text, offset in [("{} x", 3), ("{}{}", 2), ("1 2", 2), ('"a" "b"', 4)]:
        assert run(one_by_one(text)).outcome == ("error", "JsonSyntaxError", offset)


def test_several_documents_when_allowed() -> None:
    text = '{"a": 1}\n{"b": 2}\n[3] "four" 5'
    for chunks in ([text], one_by_one(text)):
        seen = run(chunks, multiple=True)
        assert seen.result == [{"a": 1}, {"b": 2}, [3], "four", 5]
        indices = [e[1] for e in seen.events if e[0] == "document"]
        assert indices == [0, 1, 2, 3, 4]
    assert pj.JsonStream(multiple=True).close() == []


def test_nan_and_infinity_only_when_allowed() -> None:
    text = "[NaN, Infinity, -Infinity]"
    assert run([text]).outcome == ("error", "JsonSyntaxError", 1)
    for chunks in ([text], one_by_one(text)):
        assert canonical(run(chunks, allow_nan=True).result) == "[nan, inf, -inf]"
    assert run(["[-Inf]"], allow_nan=True).outcome == ("error", "JsonSyntaxError", 5)


def test_a_byte_order_mark_is_rejected() -> None:
    assert run(["\ufeff{}"]).outcome == ("error", "JsonSyntaxError", 0)
    assert run([b"\xef\xbb\xbf{}"]).outcome == ("error", "JsonSyntaxError", 0)


# -- limits ------------------------------------------------------------------------------------
def test_nesting_is_limited_by_max_depth() -> None:
    stream: pj.JsonStream[str] = pj.JsonStream()  # the default allows 1000
    stream.feed("[" * 1000 + "]" * 1000)
    assert stream.complete
    assert run(["[" * 1001]).outcome == ("error", "LimitExceeded", 1000)
    assert run(['{"a":' * 5], max_depth=4).outcome == ("error", "LimitExceeded", 20)


def test_a_million_deep_stream_stops_at_the_limit() -> None:
    stream: pj.JsonStream[bytes] = pj.JsonStream()
    piece = b"[" * 65536
    with pytest.raises(pj.LimitExceeded) as caught:
        for _ in range(16):  # a 1,048,576-deep stream
            stream.feed(piece)
    assert caught.value.offset == 1000


def test_unlimited_depth_parses_without_recursion() -> None:
    depth = 200_000
    stream: pj.JsonStream[str] = pj.JsonStream(max_depth=None)
    stream.feed("[" * depth)
    stream.feed("]" * depth)
    value = stream.close()
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


def test_input_is_limited_by_max_bytes() -> None:
    text = '{"a": "0123456789"}'
    for chunks in ([text], one_by_one(text)):
        assert run(chunks, max_bytes=10).outcome == ("error", "LimitExceeded", 10)
    # at its true line and column, as any error there
    text = '[1,\n 22,\n 333,\n 4444]'
    for limit in range(len(text)):
        error = run(cut(text, [5, 9]), max_bytes=limit).error
        assert isinstance(error, pj.LimitExceeded) and error.offset == limit
        line, column = _line_and_column(text, limit)
        assert (error.line, error.column) == (line, column), limit
    # an error before the limit wins, however the chunk straddles it
    assert run(["[1,,2345678"], max_bytes=5).outcome == ("error", "JsonSyntaxError", 3)
    assert run([text.encode()], max_bytes=len(text)).error is None


@pytest.mark.skipif(sys.get_int_max_str_digits() == 0, reason="no int digit limit set")
def test_integers_beyond_pythons_digit_limit_are_a_limit_error() -> None:
    digits = "1" * (sys.get_int_max_str_digits() + 1)
    text = f"[{digits}]"
    for chunks in ([text], cut(text, [100, 3000])):
        assert run(chunks).outcome == ("error", "LimitExceeded", len(text) - 1)
    assert run([digits + ".5"]).result == float(digits + ".5")  # floats have no such limit


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    lines = text[:offset].split("\n")
    return len(lines), len(lines[-1]) + 1


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("[1 2]", 3, "expected ',' or ']'"),
        ('{"a" 1}', 5, "expected ':' after the key"),
        ("{1}", 1, "expected a string key or '}'"),
        ('{"a": 1,}', 8, "expected a string key"),
        ("[1,]", 3, "expected a JSON value"),
        ("[01]", 2, "expected ',' or ']'"),
        ("[1.]", 3, "expected a digit after '.'"),
        ("[-]", 2, "expected a digit after '-'"),
        ("[1e]", 3, "expected a digit or sign in the exponent"),
        ("[tru!]", 4, "expected 'true'"),
        ('["a\nb"]', 3, "unescaped control character in string"),
        ('["\\x"]', 3, "invalid escape character in string"),
        ('["\\u12G4"]', 6, "expected 4 hex digits in \\u escape"),
    ],
)
def test_syntax_errors_name_what_was_expected_at_the_first_bad_character(
    text: str, offset: int, message: str
) -> None:
    for chunks in ([text], one_by_one(text)):
        error = run(chunks).error
        assert isinstance(error, pj.JsonSyntaxError)
        assert (error.offset, error.message) == (offset, message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a JSON value, got end of input"),
        ('{"a": 1', "expected ',' or '}'"),
        ('{"a": 1.', "expected a digit after '.'"),
        ('["ab', "unterminated string"),
        ('{"ab', "unterminated string key"),
        ("[nul", "unterminated 'null'"),
    ],
)
def test_incomplete_documents_fail_at_close_with_the_end_offset(text: str, message: str) -> None:
    error = run([text]).error
    assert isinstance(error, pj.IncompleteJSON)
    assert isinstance(error, pj.JsonSyntaxError)
    assert (error.offset, error.message) == (len(text), message)


def test_errors_carry_line_column_and_path() -> None:
    text = '{\n  "a": [1,\n    tru!]\n}'
    error = run(one_by_one(text)).error
    assert isinstance(error, pj.JsonSyntaxError)
    assert (error.offset, error.line, error.column) == (text.index("!"), 3, 8)
    assert error.path == ("a", 1)
    assert "line 3 column 8" in str(error) and "$.a[1]" in str(error)


@pytest.mark.parametrize(
    ("text", "kind"),
    [('{"a": [1, tru!]}', pj.JsonSyntaxError), ('{"a": [1', pj.IncompleteJSON),
     ("[" * 5, pj.LimitExceeded)],
)
def test_errors_survive_pickling_whole(text: str, kind: type[pj.PositionedError]) -> None:
    stream: pj.JsonStream[str] = pj.JsonStream(max_depth=3)
    with pytest.raises(kind) as caught:
        stream.feed(text)
        stream.close()
    error = caught.value
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is kind and str(copy) == str(error)
    assert (copy.offset, copy.line, copy.column, copy.path) == (
        error.offset, error.line, error.column, error.path)


def test_bytes_errors_count_bytes() -> None:
    raw = '{"é": "日本", x}'.encode()
    error = run(one_by_one(raw)).error
    assert isinstance(error, pj.JsonSyntaxError)
    assert (error.offset, error.column) == (raw.index(b"x"), raw.index(b"x") + 1)


@pytest.mark.parametrize(
    ("raw", "offset"),
    [
        (b'["\xff"]', 2),
        (b'["ok\xe0\xff"]', 4),  # a cut-off sequence
        (b'["\xed\xa0\x80"]', 2),  # an encoded surrogate is not UTF-8
        (b'["\xc0\xaf"]', 2),  # overlong
        (b'[1, 2, \xff', 7),
    ],
)
def test_invalid_utf8_is_a_syntax_error_at_its_byte(raw: bytes, offset: int) -> None:
    for chunks in ([raw], one_by_one(raw)):
        assert run(chunks).outcome == ("error", "JsonSyntaxError", offset)


# The last character of the input cut short: more bytes could have completed it.
@pytest.mark.parametrize(
    ("raw", "whole"),
    [
        (b'"abc\xe2\x82', b'"abc\xe2\x82\xac"'),  # in a string: merely incomplete
        (b'{"k\xf0\x9f', b'{"k\xf0\x9f\x98\x80": 1}'),  # in a key
        (b"[1, \xe2\x82", b"[1, \xe2\x82\xac]"),  # where a value must start
        (b"[1\xe2", b"[1\xe2\x82\xac]"),  # right after a number
        (b"[tr\xc3", b"[tr\xc3\xa9]"),  # inside a literal
        (b'{"a": 1} \xe2\x82', b'{"a": 1} \xe2\x82\xac'),  # after the document
    ],
)
def test_input_cut_inside_a_character_ends_as_its_whole_character_would_continue(
        raw: bytes, whole: bytes) -> None:
    # Within a string the bytes may still become a character: the input is incomplete, and
    # the completed text parses. Anywhere else no character beyond ASCII may stand, so the
    # error is the one the whole character gets, at its first byte, whatever it would be.
    completed = run([whole])
    for chunks in ([raw], one_by_one(raw)):
        error = run(chunks).error
        assert isinstance(error, pj.JsonSyntaxError)
        if completed.error is None:
            assert type(error) is pj.IncompleteJSON
            assert error.offset == len(raw)
        else:
            assert type(error) is type(completed.error) is pj.JsonSyntaxError
            assert (error.offset, error.message) == (completed.error.offset,
                                                     completed.error.message)


def test_input_cut_inside_a_character_after_extracted_json_is_prose() -> None:
    for raw, result in [(b'Here: {"a": 1} and \xe2\x82', {"a": 1}), (b"Hi \xe2", None)]:
        stream: pj.JsonStream[bytes] = pj.JsonStream(extract=True)
        stream.feed(raw)
        if result is None:
            with pytest.raises(pj.IncompleteJSON):
                stream.close()
        else:
            assert stream.close() == result
        assert stream.received == raw  # nothing received is lost
    error = run([b"```json\n[1, \xe2"], extract=True).error
    assert type(error) is pj.JsonSyntaxError and error.offset == 12


@pytest.mark.parametrize("kind", [str, bytes])
def test_without_keep_text_only_a_tail_is_kept_and_positions_stay_true(kind: type) -> None:
    text = "[\n" + "1,\n" * 20_000 + "2]"
    data: Any = text if kind is str else text.encode()
    kept: pj.JsonStream[Any] = pj.JsonStream()
    tail: pj.JsonStream[Any] = pj.JsonStream(keep_text=False)
    for chunk in cut(data, range(0, len(data), 7)):
        kept.feed(chunk)
        tail.feed(chunk)
        assert kept.received.endswith(tail.received)
        assert len(tail.received) <= 2 * 4096 + 7
    assert tail.close() == kept.close() == json.loads(text)
    assert kept.received == data
    bad = data[:-2] + (b"x]" if kind is bytes else "x]")
    errors = []
    for keep_text in (True, False):
        errors.append(run(cut(bad, range(0, len(bad), 7)), keep_text=keep_text).error)
    assert all(isinstance(error, pj.JsonSyntaxError) for error in errors)
    assert [(e.offset, e.line, e.column) for e in errors] == [(len(bad) - 2, 20_002, 1)] * 2


def test_a_stream_takes_one_kind_of_chunk() -> None:
    stream: pj.JsonStream[str] = pj.JsonStream()
    stream.feed("[")
    with pytest.raises(TypeError):
        stream.feed(b"1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pj.JsonStream().feed(1)  # type: ignore[arg-type]


def test_feed_after_close_is_an_error() -> None:
    stream: pj.JsonStream[str] = pj.JsonStream()
    stream.feed("[]")
    stream.close()
    with pytest.raises(pj.PartialJSONError):
        stream.feed("[]")


def test_all_errors_share_one_base() -> None:
    for error in (pj.JsonSyntaxError, pj.IncompleteJSON, pj.LimitExceeded):
        assert issubclass(error, pj.PartialJSONError)


@pytest.mark.parametrize(
    ("text", "proof"),
    [
        ('"a\\ud800"', 8),  # a high half, then the closing quote instead of a low half
        ('"\\ud800\\u0041"', 12),  # then an escape that is not a low half: its last digit
        ('"\\udc00"', 6),  # a low half alone: its own last digit
    ],
)
def test_lone_surrogates_can_be_refused_where_they_are_proven_lone(text: str, proof: int) -> None:
    assert isinstance(json.loads(text), str)  # the default follows json.loads
    assert pj.parse_partial(text) == json.loads(text)
    for chunks in ([text], one_by_one(text)):
        stream: pj.JsonStream[str] = pj.JsonStream(lone_surrogates=False)
        with pytest.raises(pj.JsonSyntaxError) as caught:
            for chunk in chunks:
                stream.feed(chunk)
            stream.close()
        assert caught.value.offset == proof
    assert pj.JsonStream(lone_surrogates=False).feed('"\\ud83d\\ude00"')[1] == Delta((), "😀")
