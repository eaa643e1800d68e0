"""Lenient input: each relaxation reads what a reference reader reads, whatever the chunking;
errors stay the earliest, at the same offset for every chunking; strict input is unchanged.

References, each independent of partialjson: the generated value itself, and per relaxation
the ``json5`` package (trailing commas, comments, single quotes, unquoted keys),
``ast.literal_eval`` (Python literals) and ``json.loads(strict=False)`` (control characters).
"""

from __future__ import annotations

import ast
import json
import random
import re
from typing import Any, Literal

import json5  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict
from support import VALUES, canonical, chunkings, cut, extends, nested, run
from test_cost import calls_to_stream, counts_calls, growth, records

import partialjson as pj

NAMES = ("trailing_commas", "comments", "single_quotes", "python_literals", "control_chars",
         "unquoted_keys")
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
_KEYS = st.one_of(st.from_regex(_IDENTIFIER), st.text(max_size=6))
# Values whose keys are often identifiers, and whose strings hold quotes and controls.
_LENIENT_VALUES = st.one_of(
    VALUES,
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False,
                  allow_infinity=False), st.text(st.sampled_from("ab'\"\\/*\n\t\x00\x1f é"))),
        lambda inner: st.one_of(st.lists(inner, max_size=4),
                                st.dictionaries(_KEYS, inner, max_size=4)),
        max_leaves=15,
    ),
)
_COMMENT_TEXT = ["", " note ", "*", "**", "/", "//", "/*", "'\"", "{[,:]}", "é😀", "* /"]


class Writer:
    """Writes a value as text using the relaxations ``use``, chosen at random places;
    ``used`` tells which ones the text really needs."""

    def __init__(self, use: frozenset[str], rnd: random.Random) -> None:
        self.use = use
        self.rnd = rnd
        self.used: set[str] = set()

    def maybe(self, name: str) -> bool:
        if name in self.use and self.rnd.random() < 0.5:
            self.used.add(name)
            return True
        return False

    def gap(self) -> str:
        """Whitespace between tokens, with comments in it."""
        out = self.rnd.choice(["", "", " ", "\n", "\t ", "\r\n"])
        while self.maybe("comments"):
            text = self.rnd.choice(_COMMENT_TEXT)
            if self.rnd.random() < 0.5:
                out += "/*" + text + "*/" + self.rnd.choice(["", " "])
            else:
                out += "//" + text + self.rnd.choice(["\n", "\r\n", "\r"])
        return out

    def string(self, text: str) -> str:
        quote = "'" if self.maybe("single_quotes") else '"'
        out = [quote]
        for c in text:
            if c == quote or c == "\\":
                out.append("\\" + c)
            elif c == "'" and "single_quotes" in self.use and self.rnd.random() < 0.3:
                out.append("\\'")  # the escape JSON5 adds, in either kind of string
            elif c < " ":
                out.append(c if self.maybe("control_chars") else f"\\u{ord(c):04x}")
            else:
                out.append(c)
        return "".join(out) + quote

    def key(self, key: str) -> str:
        if _IDENTIFIER.match(key) and self.maybe("unquoted_keys"):
            return key
        return self.string(key)

    def value(self, value: Any) -> str:
        if value is None or isinstance(value, bool):
            if self.maybe("python_literals"):
                return repr(value)
            return json.dumps(value)
        if isinstance(value, (int, float)):
            return json.dumps(value)
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, list):
            items = [self.gap() + self.value(v) + self.gap() for v in value]
        else:
            items = [self.gap() + self.key(k) + self.gap() + ":" + self.gap() + self.value(v)
                     + self.gap() for k, v in value.items()]
        body = ",".join(items)
        if items and self.maybe("trailing_commas"):
            body += "," + self.gap()
        elif not items:
            body = self.gap()
        return ("[" + body + "]") if isinstance(value, list) else ("{" + body + "}")

    def document(self, value: Any) -> str:
        return self.gap() + self.value(value) + self.gap()


@st.composite
def lenient_documents(draw: st.DrawFn, use: frozenset[str], deep: bool = True
                      ) -> tuple[Any, str, set[str]]:
    """A value, a text of it written with relaxations ``use``, and the ones it needs. Deep
    ones (buried in tens of containers) only where no slow reference reads them."""
    value = draw(nested(_LENIENT_VALUES) if deep else _LENIENT_VALUES)
    writer = Writer(use, random.Random(draw(st.integers(0, 2**32))))
    return value, writer.document(value), writer.used


def reference(name: str, text: str) -> Any:
    """What the reader for relaxation ``name`` gives for ``text``."""
    if name == "python_literals":
        return ast.literal_eval(text)
    if name == "control_chars":
        return json.loads(text, strict=False)
    return json5.loads(text)


# -- each relaxation against its reference reader ---------------------------------------------
@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=max(20, settings.default.max_examples // 3))  # six of them
@given(data=st.data())
def test_each_relaxation_reads_like_its_reference(name: str, data: st.DataObject) -> None:
    if name == "python_literals":  # every literal the Python way, for ast.literal_eval
        value = data.draw(nested(_LENIENT_VALUES))
        text = _python_text(value)
        used = {name} if _has_literal(value) else set()
    else:
        value, text, used = data.draw(lenient_documents(frozenset({name}), deep=False))
    assert canonical(reference(name, text)) == canonical(value)
    chunks = data.draw(chunkings(text))
    assert run(chunks, lenient={name}).outcome == ("ok", canonical(value))
    if used:  # strict JSON refuses what the relaxation allowed
        strict = run([text])
        assert isinstance(strict.error, pj.JsonSyntaxError)


def _has_literal(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return True
    members = value.values() if isinstance(value, dict) else value
    return isinstance(value, (list, dict)) and any(_has_literal(v) for v in members)


def _python_text(value: Any) -> str:
    """``value`` as JSON, except True, False and None, as Python (and JSON5) writes them."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_python_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(json.dumps(k, ensure_ascii=False) + ": " + _python_text(v)
                               for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


@given(st.data(), lenient_documents(frozenset(NAMES) - {"control_chars", "python_literals"},
                                   deep=False))
def test_json5_documents_read_like_json5(data: st.DataObject,
                                         drawn: tuple[Any, str, set[str]]) -> None:
    value, text, _ = drawn
    assert canonical(json5.loads(text)) == canonical(value)
    assert run(data.draw(chunkings(text)), lenient=True).outcome == ("ok", canonical(value))
    raw = text.encode()
    assert run(data.draw(chunkings(raw)), lenient=True).outcome == ("ok", canonical(value))


@given(st.data(), lenient_documents(frozenset(NAMES), deep=False))  # a snapshot per chunk
def test_all_relaxations_at_once_read_the_value_written(
        data: st.DataObject, drawn: tuple[Any, str, set[str]]) -> None:
    value, text, _ = drawn
    seen = run(data.draw(chunkings(text)), snapshots=True, lenient=True)
    assert seen.outcome == ("ok", canonical(value))
    for old, new in zip(seen.snapshots, seen.snapshots[1:], strict=False):
        assert extends(new, old)  # monotone snapshots
    assert seen.events == run([text], lenient=True).events  # chunking independent


# -- errors -----------------------------------------------------------------------------------
@st.composite
def broken(draw: st.DrawFn) -> str:
    """A lenient document with one character deleted, replaced or inserted, or cut short."""
    _, text, _ = draw(lenient_documents(frozenset(NAMES)))
    at = draw(st.integers(0, len(text)))
    how = draw(st.sampled_from(["delete", "replace", "insert", "truncate"]))
    char = draw(st.sampled_from(list("{}[]:,'\"\\/* \n0-1.eTFNnt_a\x00")))
    if how == "delete":
        return text[:at] + text[at + 1 :]
    if how == "replace":
        return text[:at] + char + text[at + 1 :]
    if how == "insert":
        return text[:at] + char + text[at:]
    return text[:at]


def _feeds(text: str) -> bool:
    """Does ``text`` feed without an error (a prefix of some lenient document)?"""
    try:
        pj.JsonStream(lenient=True).feed(text)
    except pj.JsonSyntaxError:
        return False
    return True


@given(st.data(), broken())
def test_errors_are_the_earliest_at_the_same_offset_for_every_chunking(
        data: st.DataObject, text: str) -> None:
    whole = run([text], lenient=True)
    assert run(data.draw(chunkings(text)), lenient=True).outcome == whole.outcome
    assert run(data.draw(chunkings(text.encode())), lenient=True).outcome[:2] == (
        whole.outcome[:2])
    error = whole.error
    if isinstance(error, pj.JsonSyntaxError) and not isinstance(error, pj.IncompleteJSON):
        # Everything before the offset can still become a document; the character at it cannot.
        assert _feeds(text[: error.offset])
        assert not _feeds(text[: error.offset + 1])


TRICKY = [
    "/* a ** b */ [1 /*x*/, 2 // y\n, 3,] // end",
    "{'a': 'it\\'s \"q\"', b: \"\\'\", $c_1: True, d: False, e: None,}",
    '["tab\there", "line\nbreak", "nul\x00"]',
    "[NaN, None, -Infinity, N]",
]


@pytest.mark.parametrize("text", TRICKY)
def test_every_split_of_tricky_documents_gives_one_outcome(text: str) -> None:
    whole = run([text], lenient=True, allow_nan=True)
    for i in range(len(text) + 1):
        for j in range(i, len(text) + 1):
            assert run(cut(text, [i, j]), lenient=True, allow_nan=True).outcome == (
                whole.outcome), (i, j)


def test_tricky_documents_read_as_written() -> None:
    assert run([TRICKY[0]], lenient=True).result == [1, 2, 3]
    assert run([TRICKY[1]], lenient=True).result == {
        "a": "it's \"q\"", "b": "'", "$c_1": True, "d": False, "e": None}
    assert run([TRICKY[2]], lenient=True).result == ["tab\there", "line\nbreak", "nul\x00"]
    error = run([TRICKY[3]], lenient=True, allow_nan=True).error
    assert isinstance(error, pj.JsonSyntaxError)
    assert error.offset == TRICKY[3].index("N]") + 1  # 'N' then ']': neither NaN nor None


@pytest.mark.parametrize(("text", "offset"), [
    ("[1,,]", 3), ("[,]", 1), ("{a:}", 3), ("{,}", 1), ("[1] /x", 5), ("{'a' 1}", 5),
    ("[Tru]", 4), ("{1a: 1}", 1), ("[1,]]", 4), ("{a: 1,,}", 6), ("[1 / 2]", 4),
])
def test_what_no_relaxation_allows_is_an_error_at_its_first_character(
        text: str, offset: int) -> None:
    error = run([text], lenient=True).error
    assert isinstance(error, pj.JsonSyntaxError)
    assert error.offset == offset


@pytest.mark.parametrize(("text", "message"), [
    ("/* open", "unterminated comment"), ("[1] /", "after '/'"), ("{a", "':'"),
    ("'open", "unterminated string"),
])
def test_end_of_input_inside_a_lenient_token_is_incomplete(text: str, message: str) -> None:
    error = run([text], lenient=True).error
    assert isinstance(error, pj.IncompleteJSON)
    assert message in str(error)


def test_a_line_comment_may_end_the_input() -> None:
    assert run(["[1] // done"], lenient=True).result == [1]
    assert run(["7 // seven"], lenient=True).result == 7
    assert run(['{"a": 1}\n// x\n{"b": 2} /* */'], lenient=True, multiple=True).result == [
        {"a": 1}, {"b": 2}]


def test_input_ending_inside_a_character_in_a_comment_is_incomplete() -> None:
    stream: pj.JsonStream[bytes] = pj.JsonStream(lenient=True)
    stream.feed("[1] // é".encode()[:-1])
    with pytest.raises(pj.IncompleteJSON):
        stream.close()


# -- cost ---------------------------------------------------------------------------------------
@counts_calls
def test_lenient_input_costs_calls_linear_in_the_text() -> None:
    item = Writer(frozenset(NAMES), random.Random(7)).document(json.loads(records(1))["items"][0])

    def lenient_records(n: int) -> int:
        return calls_to_stream("{items: [" + ",".join([item] * n) + ",]}", lenient=True)

    def long_tokens(n: int) -> int:  # one comment, key and string, each n times as long
        text = ("/*" + "* /" * n + "*/ {" + "k_" * n + ": '" + "\"x\\'" * n + "', // "
                + "/*" * n + "\n}")
        return calls_to_stream(text, lenient=True)

    assert 7 < growth(lenient_records) < 9
    assert 7 < growth(long_tokens) < 9


# -- options -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_each_relaxation_is_only_what_it_names(name: str) -> None:
    """One relaxation asked for does not let the others in."""
    samples = {"trailing_commas": "[1,]", "comments": "[1 /**/]", "single_quotes": "['a']",
               "python_literals": "[True]", "control_chars": '["\t"]', "unquoted_keys": "{a: 1}"}
    for other, text in samples.items():
        outcome = run([text], lenient={name})
        assert (outcome.error is None) == (other == name), (name, other)
        assert isinstance(run([text]).error, pj.JsonSyntaxError)  # strict: refused


def test_lenient_names_are_checked() -> None:
    with pytest.raises(ValueError, match=r"trailing_comma'.*known: trailing_commas"):
        pj.JsonStream(lenient={"trailing_comma"})
    with pytest.raises(TypeError, match="set of names"):
        pj.JsonStream(lenient="comments")
    assert pj.JsonStream(lenient=True).lenient == frozenset(NAMES)
    assert pj.JsonStream().lenient == frozenset()
    assert pj.JsonStream(lenient=["comments"]).lenient == {"comments"}


# -- ModelStream -------------------------------------------------------------------------------
class Item(BaseModel):
    name: str
    done: bool
    size: int | None = None


class Order(BaseModel):
    items: list[Item]
    note: str = ""


LENIENT_ORDER = """// an order, as a small model writes it
{items: [{'name': 'it\\'s', done: True, size: None,}, {name: "b", done: False},],
 note: 'tab\there', /* trailing */ }"""


def test_model_stream_validates_lenient_input_as_its_strict_json() -> None:
    expected = Order.model_validate_json(pj.parse_partial(LENIENT_ORDER, as_text=True,
                                                          lenient=True))
    assert expected.items[0].name == "it's"
    for i in range(len(LENIENT_ORDER) + 1):
        stream = pj.ModelStream(Order, lenient=True)
        stream.feed(LENIENT_ORDER[:i])
        stream.feed(LENIENT_ORDER[i:])
        assert stream.close() == expected


def test_model_stream_strict_refuses_lenient_input() -> None:
    with pytest.raises(pj.JsonSyntaxError):
        pj.ModelStream(Order).feed(LENIENT_ORDER)


class Number(BaseModel):
    model_config = ConfigDict(extra="forbid")
    n: int
    name: Literal["abc"] = "abc"


@pytest.mark.parametrize(("text", "offset"), [
    ("{n: None}", 7), ("{n: NaN}", 7), ("{n: 'x'}", 5), ("{n: [1]}", 4),
    ("{n: 1, nb: 2}", 8), ("{n: 1, na: 2}", 9), ("{n: 1, name: 'abd'}", 16),
    ("{n: 1, name: 'ab\\''}", 17),
    ("{n: 1, /* c */ 'nx': 2}", 17),
])
def test_model_violations_in_lenient_input_do_not_depend_on_chunking(
        text: str, offset: int) -> None:
    """The offset: for None its last letter, for NaN (a number) the character after it (only
    pydantic can tell an int field refuses them); otherwise the first character that leaves
    every allowed value (of an escape, its last character)."""
    offsets = set()
    for i in range(len(text) + 1):
        stream = pj.ModelStream(Number, lenient=True)
        with pytest.raises(pj.SchemaViolation) as caught:
            stream.feed(text[:i])
            stream.feed(text[i:])
            stream.close()
        offsets.add(caught.value.offset)
    assert offsets == {offset}
