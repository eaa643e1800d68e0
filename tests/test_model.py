"""ModelStream, behaviour by behaviour: each early-stop class, partial objects, events, close()."""

from __future__ import annotations

import datetime
import enum
import json
import pickle
from typing import Annotated, Any, Literal, Union

import pytest
from model_support import pydantic_says, run_model
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    field_validator,
    model_validator,
)
from support import cut, one_by_one
from typing_extensions import TypedDict

import partialjson as pj


def violation(type_: Any, text: str | bytes, chunks: list[Any] | None = None,
              **options: Any) -> pj.SchemaViolation:
    """Feed ``text`` (in ``chunks``) and return the violation feed() raised."""
    stream = pj.ModelStream(type_, **options)
    with pytest.raises(pj.SchemaViolation) as caught:
        for chunk in chunks if chunks is not None else one_by_one(text):
            stream.feed(chunk)
    error = caught.value
    assert error.text_so_far == stream.received
    return error


def at(text: str, marker: str) -> int:
    """Offset of ``marker`` (its last occurrence) in ``text``."""
    return text.rindex(marker)


class User(BaseModel):
    name: str
    age: int
    role: Literal["admin", "user"] = "user"
    tags: list[str] = []


def test_a_schema_violation_survives_pickling_whole() -> None:
    with pytest.raises(pj.SchemaViolation) as caught:
        pj.ModelStream(User).feed('{"name": "a", "role": "ad!')
    error = caught.value
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is pj.SchemaViolation and str(copy) == str(error)
    assert (copy.offset, copy.path, copy.errors, copy.text_so_far) == (
        error.offset, error.path, error.errors, error.text_so_far)
    assert copy.errors[0]["type"] == "literal_error"


# -- wrong JSON type ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ('{"name": 1', "1"),
        ('{"name": "a", "age": [', "["),
        ('{"name": "a", "tags": {', "{"),
        ('{"name": "a", "tags": ["x", 3', "3"),
        ('{"name": null', "null"),
    ],
)
def test_a_wrong_json_type_fails_at_the_first_character_of_the_value(text: str,
                                                                      marker: str) -> None:
    error = violation(User, text)
    assert error.offset == at(text, marker)
    assert error.errors[0]["type"] == "json_type"


def test_lax_coercions_are_respected_and_only_impossible_strings_fail() -> None:
    ok = run_model(User, one_by_one('{"name": "a", "age": "3"}'))
    assert ok.error is None and ok.result.age == 3
    text = '{"name": "a", "age": " 4t'
    assert violation(User, text).offset == at(text, "t")
    ok = run_model(User, one_by_one('{"name": "a", "age": 3.0}'))
    assert ok.error is None and ok.result.age == 3


def test_strict_mode_refuses_coercible_kinds_at_their_first_byte() -> None:
    text = '{"name": "a", "age": "3"}'
    assert violation(User, text, strict=True).offset == at(text, '"3')
    assert run_model(User, [text]).error is None  # lax: fine


def test_a_number_split_across_chunks_fails_on_the_chunk_that_starts_it() -> None:
    stream = pj.ModelStream(User)
    stream.feed('{"name": ')
    with pytest.raises(pj.SchemaViolation) as caught:
        stream.feed("1")
    assert caught.value.offset == 9
    with pytest.raises(pj.SchemaViolation):
        stream.feed("2}")  # errors are sticky


# -- keys --------------------------------------------------------------------------------------
class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = ""
    nickname: str = ""


def test_an_unknown_key_fails_at_the_first_character_no_allowed_key_starts_with() -> None:
    text = '{"nax'
    error = violation(Strict, text)
    assert error.offset == at(text, "x")
    assert error.errors[0]["type"] == "extra_forbidden"


def test_a_key_cut_short_of_an_allowed_one_fails_at_its_closing_quote() -> None:
    text = '{"nick": 1'
    assert violation(Strict, text).offset == at(text, '": 1')


def test_escaped_key_characters_are_located_at_their_escape() -> None:
    text = '{"n\\u0061\\u0078"'
    assert violation(Strict, text).offset == at(text, "\\u0078") + 5  # its last character


def test_extra_ignore_and_allow_accept_unknown_keys() -> None:
    class Loose(BaseModel):
        model_config = ConfigDict(extra="allow")
        a: int

    class Ignoring(BaseModel):
        a: int

    text = '{"zzz": {"deep": [1]}, "a": 1}'
    stream = pj.ModelStream(Loose)
    for chunk in one_by_one(text):
        stream.feed(chunk)
    assert stream.partial.model_extra == {"zzz": {"deep": [1]}}
    assert stream.close() == Loose.model_validate_json(text)
    assert run_model(Ignoring, one_by_one(text)).result == Ignoring(a=1)


def test_aliases_name_the_keys_and_populate_by_name_adds_the_field_names() -> None:
    class Aliased(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        user_name: str = Field(alias="userName")

    for text in ('{"userName": "x"}', '{"user_name": "x"}'):
        assert run_model(Aliased, one_by_one(text)).result == Aliased(userName="x")
    text = '{"userX'
    assert violation(Aliased, text).offset == at(text, "X")


# -- Literal, Enum -----------------------------------------------------------------------------
class Color(enum.Enum):
    RED = "red"
    ROSE = "rose"


class Paint(BaseModel):
    role: Literal["admin", "user"] = "user"
    color: Color = Color.RED


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ('{"role": "adx', "x"),
        ('{"role": "ad"}', '"}'),
        ('{"color": "rot', "t"),
        ('{"color": "rosy', "y"),
        ('{"role": "user!', "!"),
    ],
)
def test_literal_and_enum_strings_fail_at_the_first_character_leaving_every_choice(
    text: str, marker: str
) -> None:
    assert violation(Paint, text).offset == at(text, marker)


def test_a_literal_prefix_is_pending_not_shown() -> None:
    stream = pj.ModelStream(Paint)
    stream.feed('{"role": "ad')
    assert stream.partial.role is None
    stream.feed('min", "color": "ro')
    assert stream.partial.role == "admin"
    assert stream.partial.color is None
    stream.feed('se"}')
    assert stream.partial.color is Color.ROSE


# -- lengths -----------------------------------------------------------------------------------
class Sized(BaseModel):
    code: Annotated[str, Field(max_length=3)] = ""
    items: Annotated[list[int], Field(max_length=2)] = []
    labels: Annotated[dict[str, int], Field(max_length=1)] = {}


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ('{"code": "abcd', "d"),
        ('{"code": "ab\\u00e9x', "x"),
        ('{"items": [1, 2, 3', ", 3"),  # the comma calls for a third item
        ('{"items": [1, 2, [', ", ["),
        ('{"labels": {"a": 1, "b": 2', '": 2'),
    ],
)
def test_max_length_fails_at_the_character_or_comma_that_exceeds_it(text: str,
                                                                     marker: str) -> None:
    error = violation(Sized, text)
    assert error.offset == at(text, marker)
    assert error.errors[0]["type"] in ("string_too_long", "too_long")


def test_a_repeated_dict_key_does_not_count_twice() -> None:
    text = '{"labels": {"a": 1, "a": 2}}'
    assert run_model(Sized, one_by_one(text)).result == Sized(labels={"a": 2})


# -- required, bounds, completion checks -----------------------------------------------------
def test_a_missing_required_field_fails_at_the_closing_brace() -> None:
    text = '{"name": "a", "tags": []}'
    error = violation(User, text)
    assert error.offset == at(text, "}")
    assert [e["loc"] for e in error.errors] == [("age",)]


class Bounded(BaseModel):
    n: Annotated[int, Field(ge=10, multiple_of=5)]
    nested: list[Annotated[float, Field(lt=1.5)]] = []


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ('{"n": 5}', "}"),  # 5 could have become 50 until the brace
        ('{"n": 12 ', " "),
        ('{"n": 15, "nested": [0.5, 1.5]', "]"),
    ],
)
def test_numeric_bounds_fail_when_the_number_completes(text: str, marker: str) -> None:
    error = violation(Bounded, text)
    assert error.offset == text.rindex(marker)
    assert error.errors[0]["type"] in ("greater_than_equal", "multiple_of", "less_than")


class Checked(BaseModel):
    code: Annotated[str, Field(pattern=r"^[a-z]+$")] = "a"
    site: HttpUrl | None = None
    when: datetime.date | None = None
    even: int = 0

    @field_validator("even")
    @classmethod
    def must_be_even(cls, value: int) -> int:
        if value % 2:
            raise ValueError("odd")
        return value


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ('{"code": "abC1"', '"'),
        ('{"site": "not a url"', '"'),
        ('{"when": "2024-13-01"', '"'),
        ('{"even": 3}', "}"),
    ],
)
def test_patterns_formats_and_validators_fail_when_the_field_completes(text: str,
                                                                      marker: str) -> None:
    assert violation(Checked, text).offset == text.rindex(marker)


def test_completed_values_are_pydantics_validated_values() -> None:
    stream = pj.ModelStream(Checked)
    events = []
    for chunk in one_by_one('{"when": "2024-02-03", "site": "https://x.org", "even": 4}'):
        events += stream.feed(chunk)
    done = {e.path: e.value for e in events if isinstance(e, pj.ValueCompleted)}
    assert done[("when",)] == datetime.date(2024, 2, 3)
    assert str(done[("site",)]) == "https://x.org/"
    assert stream.partial.when == datetime.date(2024, 2, 3)
    assert isinstance(done[()], Checked)


# -- unions ------------------------------------------------------------------------------------
class Cat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["cat"]
    lives: int = 9


class Dog(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["dog"]
    name: str = ""


class Owner(BaseModel):
    pets: list[Annotated[Cat | Dog, Field(discriminator="kind")]] = []
    either: int | list[int] = 0
    one_of: Cat | Dog | None = None


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ('{"pets": [{"kind": "cow', "ow"),  # "c" may still become "cat"
        ('{"pets": [{"kind": "cat", "name', "n"),  # the cat branch has no name
        ('{"pets": [{"kind": "dog", "name": 5', "5"),
        ('{"pets": [{"name": "rex", "lives', "l"),  # no branch has both
        ('{"either": "x', "x"),  # "7" would do: lax int
        ('{"either": [1, "x', "x"),
        ('{"one_of": {"kind": "cat", "x', "x"),
    ],
)
def test_unions_fail_once_no_branch_remains(text: str, marker: str) -> None:
    assert violation(Owner, text).offset == text.rindex(marker)


def test_a_discriminated_item_is_shown_once_its_tag_is_known() -> None:
    stream = pj.ModelStream(Owner)
    stream.feed('{"pets": [{"kind": "dog", "name": "Re')
    pet = stream.partial.pets[0]
    assert pet.kind == "dog" and pet.name == "Re"
    stream.feed('x"}]}')
    assert stream.partial.pets == [Dog(kind="dog", name="Rex")]


def test_valid_union_documents_pass() -> None:
    text = ('{"pets": [{"kind": "cat", "lives": 3}, {"kind": "dog"}], "either": [1, 2],'
            ' "one_of": {"kind": "dog", "name": "x"}}')
    assert run_model(Owner, one_by_one(text)).result == Owner.model_validate_json(text)


# -- other types a TypeAdapter takes ----------------------------------------------------------
class Movie(TypedDict):
    title: str
    year: int


@pytest.mark.parametrize(
    ("type_", "text"),
    [
        (list[User], '[{"name": "a", "age": 1}, {"name": "b", "age": 2, "tags": ["x"]}]'),
        (dict[str, User], '{"u1": {"name": "a", "age": 1}}'),
        (Movie, '{"title": "Alien", "year": 1979}'),
        (list[list[Cat]], '[[{"kind": "cat"}], [], [{"kind": "cat", "lives": 1}]]'),
        (Union[int, str], '"seven"'),  # noqa: UP007
        (tuple[int, str], '[1, "a"]'),
        (set[int], "[1, 2, 1]"),
    ],
)
def test_any_type_a_type_adapter_accepts(type_: Any, text: str) -> None:
    ok, expected = pydantic_says(type_, text)
    assert ok
    for chunks in ([text], one_by_one(text), [text.encode()]):
        seen = run_model(type_, chunks)
        assert seen.error is None
        assert seen.result == expected


def test_a_fixed_tuple_refuses_the_comma_before_an_extra_item() -> None:
    text = '[1, "a", 2'
    assert violation(tuple[int, str], text).offset == at(text, ", 2")


# -- close() is pydantic's answer --------------------------------------------------------------
class Audited(BaseModel):
    first: int
    second: int
    stamp: list[int] = Field(default_factory=lambda: [1, 2])

    @field_validator("second")
    @classmethod
    def not_below_first(cls, value: int, info: Any) -> int:
        if value < info.data["first"]:
            raise ValueError("second must not be below first")
        return value

    @model_validator(mode="after")
    def total(self) -> Audited:
        if self.first + self.second > 100:
            raise ValueError("too big")
        return self


@pytest.mark.parametrize(
    "text",
    ['{"first": 1, "second": 2}', '{"first": 5, "second": 2}', '{"first": 60, "second": 60}',
     '{"first": 1}', '{"second": 1, "first": 1, "stamp": [3]}'],
)
def test_close_equals_model_validate_json_with_validators_and_defaults(text: str) -> None:
    ok, expected = pydantic_says(Audited, text)
    stream = pj.ModelStream(Audited, early_stop=False)
    for chunk in one_by_one(text):
        stream.feed(chunk)
    if ok:
        assert stream.close() == expected
    else:
        with pytest.raises(pj.SchemaViolation) as caught:
            stream.close()
        ours = [{k: v for k, v in e.items() if k != "ctx"} for e in caught.value.errors]
        assert ours == expected.errors(include_url=False, include_context=False)
        assert isinstance(caught.value.__cause__, ValidationError)


def test_a_validator_that_reads_other_fields_runs_only_with_its_model() -> None:
    text = '{"first": 5, "second": 2}'
    error = violation(Audited, text)
    assert error.offset == at(text, "}")
    assert "second must not be below first" in error.errors[0]["msg"]


def test_a_before_validator_makes_its_model_opaque_not_wrong() -> None:
    class Renamed(BaseModel):
        model_config = ConfigDict(extra="forbid")
        value: int

        @model_validator(mode="before")
        @classmethod
        def rename(cls, data: Any) -> Any:
            return {"value": int(data.pop("v"))} if isinstance(data, dict) else data

    text = '{"v": "12"}'
    assert run_model(Renamed, one_by_one(text)).result == Renamed.model_validate_json(text)


# -- early_stop=False, partials, events ------------------------------------------------------------
def test_without_early_stop_violations_are_events_and_close_raises() -> None:
    text = '{"name": 1, "age": "x", "role": "boss", "tags": []}'
    stream = pj.ModelStream(User, early_stop=False)
    events = []
    for chunk in one_by_one(text):
        events += stream.feed(chunk)
    found = [e for e in events if isinstance(e, pj.Violation)]
    assert [tuple(e.path) for e in found] == [("name",), ("age",), ("role",)]
    assert [e.error.offset for e in found] == [at(text, "1"), at(text, 'x"'), at(text, "b")]
    assert stream.violations == [e.error for e in found]
    with pytest.raises(pj.SchemaViolation):
        stream.close()


def test_missing_and_null_and_complete_are_told_apart() -> None:
    class Profile(BaseModel):
        bio: str | None = None
        name: str = ""

    stream = pj.ModelStream(Profile)
    stream.feed('{"bio": null, "name": "Ad')
    partial = stream.partial
    assert partial.bio is None and "bio" in partial.model_fields_set  # explicit null
    assert stream.is_complete(("bio",))
    assert partial.name == "Ad" and not stream.is_complete(("name",))
    stream.feed('a"}')
    assert stream.is_complete(("name",)) and stream.is_complete(())


def test_string_deltas_carry_their_path_and_the_partial_is_a_model() -> None:
    stream = pj.ModelStream(list[User])
    deltas = []
    for chunk in cut('[{"name": "Ada Lovelace", "age": 36}]', range(0, 40, 3)):
        deltas += [(tuple(e.path), e.text) for e in stream.feed(chunk)
                   if isinstance(e, pj.StringDelta)]
        if stream.partial:
            assert isinstance(stream.partial[0], (pj.Partial[User], User))
    assert "".join(t for p, t in deltas if p == (0, "name")) == "Ada Lovelace"
    assert stream.partial[0].model_dump() == {"name": "Ada Lovelace", "age": 36, "role": "user",
                                              "tags": []}


def test_bytes_offsets_count_bytes() -> None:
    text = '{"role": "ädmin"}'.encode()
    error = violation(Paint, text)
    assert error.offset == text.index("ä".encode())


def test_each_completed_field_is_validated_once_however_it_is_chunked() -> None:
    calls = []

    class Counted(BaseModel):
        items: list[int]

        @field_validator("items")
        @classmethod
        def count(cls, value: list[int]) -> list[int]:
            calls.append(value)
            return value

    text = json.dumps({"items": list(range(50))})
    for chunks in ([text], one_by_one(text)):
        calls.clear()
        stream = pj.ModelStream(Counted)
        for chunk in chunks:
            stream.feed(chunk)
        assert len(calls) == 1  # the field, once, while streaming (close() asks pydantic again)


def test_syntax_errors_still_come_from_the_json_core() -> None:
    stream = pj.ModelStream(User)
    with pytest.raises(pj.JsonSyntaxError) as caught:
        stream.feed('{"name": "a",,')
    assert caught.value.offset == 13


def test_after_a_violation_the_partial_shows_what_was_valid_whatever_the_chunking() -> None:
    text = '{"code": "abcdef"}'
    shown = []
    for chunks in ([text], one_by_one(text)):
        stream = pj.ModelStream(Sized)
        with pytest.raises(pj.SchemaViolation):
            for chunk in chunks:
                stream.feed(chunk)
        shown.append(stream.partial.code)
    assert shown == ["abc", "abc"]


# -- the partial before the document, surrogates, depth, the text kept -------------------------
def test_a_model_partial_is_its_empty_partial_from_the_start_and_fills_in_place() -> None:
    for chunks, options in [(["", "  ", "\n", '{"name": "A', 'da"', "}"], {}),
                            (["Sure! ", "Here:\n```json\n", '{"name": "Ada", "age": 3', "6}"],
                             {"extract": True})]:
        stream = pj.ModelStream(User, **options)
        partial = stream.partial
        assert type(partial).__name__ == "PartialUser"
        assert (partial.name, partial.age, partial.role, partial.tags) == (None,) * 4
        assert not partial.model_fields_set
        for chunk in chunks[:-1]:
            stream.feed(chunk)
            assert stream.partial is partial  # the same object, growing
        assert partial.name == "Ada"
    # Other types have no empty form: None until the kind of the value is known.
    stream = pj.ModelStream(list[User])
    assert stream.partial is None
    stream.feed(" [")
    assert stream.partial == []


SURROGATE_TEXTS = [
    '{"name": "a\ud800b", "age": 1}',  # a lone high surrogate in a value
    '{"name": "\udc00", "age": 1}',  # a lone low one
    '{"name": "\ud83d\ude00", "age": 1}',  # a pair, as two code points (not UTF-8 text)
    '{"na\udfffme": "x", "age": 1}',  # in a key
]


@pytest.mark.parametrize("text", SURROGATE_TEXTS)
def test_surrogate_code_points_in_str_input_are_refused_as_pydantic_refuses_them(
        text: str) -> None:
    assert not pydantic_says(User, text)[0]
    surrogate = next(i for i, c in enumerate(text) if "\ud800" <= c <= "\udfff")
    for chunks in ([text], one_by_one(text)):
        outcome = run_model(User, chunks)
        assert isinstance(outcome.error, pj.JsonSyntaxError)
        assert outcome.error.offset == surrogate
    # json.loads accepts them, and so does JsonStream by default
    assert pj.JsonStream().feed(text) and pj.parse_partial(text) == json.loads(text)


def _call_from_depth(frames: int, call: Any) -> Any:
    return call() if frames == 0 else _call_from_depth(frames - 1, call)


def _nested(inside: int, innermost: str, opener: str) -> str:
    """A value (``innermost``) inside ``inside`` containers: arrays, or objects by key "a"."""
    closer = "]" if opener == "[" else "}"
    return opener * inside + innermost + closer * inside


@pytest.mark.parametrize("opener", ['[', '{"a": '])
@pytest.mark.parametrize("innermost", ["[]", "1", '"s"'])
def test_nesting_is_judged_as_pydantic_judges_it_at_every_depth_and_call_depth(
        opener: str, innermost: str) -> None:
    # pydantic's JSON parser refuses a value inside more containers than its limit, whatever
    # the type: the stream refuses it too, at that value's first character, and no deeper
    # value (up to max_depth) or deeper caller may turn that into a RecursionError.
    limit = pj.schema._pydantic.json_nesting_limit()
    assert limit < 1000
    for inside in (limit - 1, limit, limit + 1, 990):
        text = _nested(inside, innermost, opener)
        for type_ in (Any, list[Any] if opener == "[" else dict[str, Any]):
            accepted, answer = pydantic_says(type_, text)
            for frames in (0, 800):
                outcome = _call_from_depth(frames, lambda t=type_, x=text: _outcome(t, x))
                if accepted:
                    assert outcome == answer  # (compared at the test's own call depth)
                else:
                    assert isinstance(outcome, pj.SchemaViolation), outcome
                    assert outcome.errors[0]["type"] == "json_invalid"
                    assert outcome.offset == len(opener) * (limit + 1)
                    assert answer.errors()[0]["type"] == "json_invalid"


def _outcome(type_: Any, text: str) -> Any:
    stream = pj.ModelStream(type_)
    try:
        stream.feed(text)
        return stream.close()
    except pj.PartialJSONError as error:
        return error


def test_too_deep_without_early_stop_is_one_violation_and_close_raises() -> None:
    limit = pj.schema._pydantic.json_nesting_limit()
    text = "[" + _nested(limit + 5, "1", "[") + ", " + _nested(limit + 5, "2", "[") + "]"
    stream = pj.ModelStream(Any, early_stop=False)
    events = stream.feed(text)
    found = [e for e in events if isinstance(e, pj.Violation)]
    assert [e.error.offset for e in found] == [limit + 1, text.index("2") - 5]
    with pytest.raises(pj.SchemaViolation) as caught:
        stream.close()
    assert caught.value.errors[0]["type"] == "json_invalid"


def test_each_violation_tells_the_text_received_until_it_without_copying_it() -> None:
    text = '[{"age": "x"}, {"age": 2}, {"age": "y"}, {"age": "z"}]'
    chunks = cut(text, range(0, len(text), 5))
    stream = pj.ModelStream(list[dict[str, int]], early_stop=False)
    expected, received = [], 0
    for chunk in chunks:
        received += len(chunk)
        expected += [text[:received]] * sum(
            isinstance(e, pj.Violation) for e in stream.feed(chunk))
    assert [v.text_so_far for v in stream.violations] == expected
    assert len(set(expected)) == 3
    copy = pickle.loads(pickle.dumps(stream.violations[1]))
    assert copy.text_so_far == expected[1] and copy.errors == stream.violations[1].errors
    # without keep_text: only the tail before each violation
    long = "[" + '{"age": 1}, ' * 2000 + '{"age": "x"}]'
    tail = pj.ModelStream(list[dict[str, int]], early_stop=False, keep_text=False)
    for chunk in cut(long, range(0, len(long), 5)):
        tail.feed(chunk)
    [found] = tail.violations
    received = min((found.offset // 5 + 1) * 5, len(long))  # the end of its chunk
    assert long[:received].endswith(found.text_so_far)
    assert 4096 <= len(found.text_so_far) <= 2 * 4096 + 5


def test_a_type_not_fully_defined_raises_pydantics_own_error_at_construction() -> None:
    from pydantic import PydanticUserError

    class Pending(BaseModel):
        part: Missing  # type: ignore[name-defined]  # noqa: F821 - never defined

    with pytest.raises(PydanticUserError) as by_pydantic:
        pydantic_says(Pending, "{}")
    with pytest.raises(PydanticUserError) as by_us:
        pj.ModelStream(Pending)
    assert by_us.value.code == by_pydantic.value.code == "class-not-fully-defined"
