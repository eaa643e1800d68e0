"""extract=True: SQL from the ```sql fences of a streamed answer; prose passes through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sql_support import run
from support import chunkings, cut, one_by_one

from partialjson import sql

ANSWER = (
    "Here is the query:\n"
    "```sql\n"
    "SELECT name FROM users; -- all of them\n"
    "SELECT 'a ``` b;'\n"
    "```\n"
    "In Python you would run `cursor.execute(\"DELETE FROM t;\")`:\n"
    "```python\n"
    "cursor.execute('DROP TABLE t;')\n"
    "```sql\n"
    "```\n"
    "~~~ SQL  extra words\n"
    "WITH c AS (SELECT 1) SELECT * FROM c\n"
    "~~~\n"
    "Done.\n"
)
PROSE = (
    "Here is the query:\n"
    "In Python you would run `cursor.execute(\"DELETE FROM t;\")`:\n"
    "```python\n"
    "cursor.execute('DROP TABLE t;')\n"
    "```sql\n"
    "```\n"
    "Done.\n"
)


def test_sql_comes_from_sql_fences_and_the_rest_is_prose() -> None:
    for chunks in ([ANSWER], one_by_one(ANSWER)):
        seen = run(chunks, extract=True)
        assert seen.error is None
        assert seen.split == [
            ("SELECT name FROM users", "SELECT"),
            ("SELECT 'a ``` b;'", "SELECT"),
            ("WITH c AS (SELECT 1) SELECT * FROM c", "SELECT"),
        ]
        assert "".join(e[1] for e in seen.events if e[0] == "prose") == PROSE
        for statement in seen.statements:  # offsets count the prose too
            assert ANSWER[statement.start : statement.end] == statement.text


def test_prose_and_statement_events_come_in_input_order() -> None:
    seen = run(["Intro\n```sql\nSELECT 1;\n```\nOutro\n"], extract=True)
    assert [e[0] for e in seen.events] == ["prose", "started", "kind", "completed", "prose"]
    assert seen.events[0] == ("prose", "Intro\n")
    assert seen.events[-1] == ("prose", "Outro\n")


@pytest.mark.parametrize(
    ("answer", "pending"),
    [
        ("Sure:\n```sql\nDELETE FROM users", "DELETE FROM users"),
        ("Sure:\n```sql\nSELECT 1;\n", ""),
        ("Sure:\n```sql\nDELETE FROM users\n``", "DELETE FROM users\n``"),  # a cut closer
    ],
)
def test_an_unclosed_fence_at_the_end_is_incomplete_never_a_statement(
    answer: str, pending: str
) -> None:
    for chunks in ([answer], one_by_one(answer)):
        seen = run(chunks, extract=True)
        assert isinstance(seen.error, sql.IncompleteStatement)
        assert seen.error.message == "unclosed ```sql fence"
        assert (seen.error.offset, seen.error.text) == (len(answer), pending)
        assert "DELETE FROM users" not in [s.text for s in seen.statements]


def test_a_fence_line_inside_a_sql_string_closes_the_fence_as_markdown_does() -> None:
    answer = "```sql\nSELECT 'a\n```\nmore prose\n"
    error = run(one_by_one(answer), extract=True).error
    assert isinstance(error, sql.IncompleteStatement)
    assert error.message == "unterminated '…'"
    assert (error.offset, error.text) == (17, "SELECT 'a\n")


def test_fence_variants() -> None:
    answer = (
        "   ```SQL\nSELECT 1\n   ```\n"  # indented, upper case; closes at end of fence
        "````postgresql\nSELECT '\n```\n';\n````\n"  # a longer fence holds a ``` line
        "```\nSELECT 'untagged'\n```\n"  # no language: prose
        "text ```sql not a fence\n"
        "```sql\nSELECT 2\n```"  # the input ends with the closing line
    )
    seen = run(one_by_one(answer), extract=True)
    assert seen.error is None
    assert seen.split == [("SELECT 1", "SELECT"), ("SELECT '\n```\n'", "SELECT"),
                          ("SELECT 2", "SELECT")]  # fmt: skip


def test_a_policy_reads_only_the_sql_and_reports_offsets_in_the_whole_answer() -> None:
    answer = "Never run DROP TABLE users; instead:\n```sql\nSELECT 1;\nDROP TABLE users;\n```\n"
    error = run(one_by_one(answer), extract=True, allow={"SELECT"}).error
    assert isinstance(error, sql.PolicyViolation)
    assert (error.kind, error.statement_index) == ("DROP", 1)
    assert (error.offset, error.line, error.column) == (answer.index("DROP TABLE users;\n") + 4,
                                                         4, 5)  # fmt: skip


_PIECES = st.sampled_from(
    ["text ", "\n", "```sql\n", "```\n", "~~~sql\n", "~~~\n", "```python\n", "SELECT 1", ";",
     " 'a;", "``", "  ", "-- c\n", "DROP t"]
)  # fmt: skip


@given(data=st.data(), pieces=st.lists(_PIECES, max_size=20))
def test_extraction_does_not_depend_on_chunk_boundaries(
    data: st.DataObject, pieces: list[str]
) -> None:
    answer = "".join(pieces)
    whole = run([answer], extract=True)
    split = run(data.draw(chunkings(answer)), extract=True)
    assert split.outcome == whole.outcome
    if whole.error is None:
        assert split.events == whole.events
    else:  # a feed() that raises returns no events: one character at a time loses the fewest
        finest = run(one_by_one(answer), extract=True).events[: len(split.events)]
        if split.events and split.events[-1][0] == finest[-1][0] == "prose":
            # the prose before the failing feed, merged, is the start of the finest run's
            assert finest[-1][1].startswith(split.events[-1][1])
            split.events[-1] = finest[-1]
        assert split.events == finest
    for statement in whole.statements:
        assert answer[statement.start : statement.end] == statement.text


def test_a_line_too_long_to_be_held_back_is_never_a_fence_line() -> None:
    for padding, fenced in ((250, True), (251, False)):  # the line: '```sql' + padding
        answer = "```sql" + " " * padding + "\nSELECT 1\n```\n"
        whole = run([answer], extract=True)
        assert (whole.split == [("SELECT 1", "SELECT")]) is fenced
        for at in range(1, len(answer)):
            split = run(cut(answer, [at]), extract=True)
            assert (split.events, split.outcome) == (whole.events, whole.outcome), at
