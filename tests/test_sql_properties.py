"""The principles of DESIGN.md for the SQL scanner, as properties over generated scripts.

Scripts are built from statement templates (tests/sql_support.py) with whitespace and comments
between tokens and statements, so their statements, kinds and effects are known by construction:
an oracle that does not come from the scanner.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sql_support import DIALECTS, Script, dialect_scripts, run
from support import chunkings, cut

from partialjson import sql


# -- the oracle: what the statements are -------------------------------------------------------
@given(data=st.data(), case=dialect_scripts())
def test_statements_are_those_the_script_was_built_from(
    data: st.DataObject, case: tuple[str, Script]
) -> None:
    dialect, script = case
    seen = run(data.draw(chunkings(script.text)), dialect)
    assert seen.error is None
    assert seen.split == script.statements
    assert [s.effects for s in seen.statements] == script.effects
    assert [s.start for s in seen.statements] == script.starts


# -- Principle 3: chunk-boundary independence --------------------------------------------------
@given(data=st.data(), case=dialect_scripts())
def test_events_and_statements_do_not_depend_on_chunk_boundaries(
    data: st.DataObject, case: tuple[str, Script]
) -> None:
    dialect, script = case
    whole = run([script.text], dialect)
    split = run(data.draw(chunkings(script.text)), dialect)
    assert split.events == whole.events
    assert split.outcome == whole.outcome


_SQLISH = st.lists(
    st.sampled_from([
        *"ab ;'\"`[]$-/*#!\\\n()1:", "DROP", "GO", "go", "END", "BEGIN", "IF", "$t$", "$$",
        "DELIMITER ", "//", "\\G", "E'", "/*!5",
    ])
).map("".join)  # fmt: skip


@given(data=st.data(), dialect=st.sampled_from(DIALECTS), text=_SQLISH)
def test_any_text_gives_the_same_events_and_errors_however_it_is_cut(
    data: st.DataObject, dialect: str, text: str
) -> None:
    chunks = data.draw(chunkings(text))
    free = run([text], dialect)
    assert run(chunks, dialect).events == free.events
    whole = run([text], dialect, allow={"SELECT"})
    split = run(chunks, dialect, allow={"SELECT"})
    assert split.outcome == whole.outcome
    # A feed() that raises returns no events: what came before is the start of the rest.
    assert split.events == free.events[: len(split.events)]
    if whole.error is not None:  # always one of ours, positioned inside the input
        assert isinstance(whole.error, (sql.SqlSyntaxError, sql.PolicyViolation))
        assert 0 <= whole.error.offset <= len(text)


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "tsql", "bigquery"])
def test_one_character_chunks_inside_every_token_give_the_same_events(dialect: str) -> None:
    text = {
        "postgres": "SELECT $tag$ ; $ta$ $tag$, E'a\\'' /* a /* */ ; */; SELECT ''';';",
        "mysql": "DELIMITER $$\nSELECT 1;SELECT 2$$\nDELIMITER ;\nSELECT 3\\G /*!50001 DROP t */",
        "tsql": "SELECT 1\n  GO 2 -- x\nSELECT [a]]];]\ngo\nIF 1 BEGIN SELECT 1; END",
        "bigquery": "SELECT '''a'';''', \"\"\"b\"\"\" # c;\n; BEGIN SELECT 1; END",
    }[dialect]
    whole = run([text], dialect)
    assert whole.error is None
    assert run(list(text), dialect).events == whole.events
    for at in range(1, len(text)):
        assert run(cut(text, [at]), dialect).events == whole.events, at


# -- statements are cut from the input, in order ------------------------------------------------
@given(data=st.data(), case=dialect_scripts())
def test_statement_texts_are_the_input_between_their_offsets(
    data: st.DataObject, case: tuple[str, Script]
) -> None:
    dialect, script = case
    seen = run(data.draw(chunkings(script.text)), dialect)
    previous_end = 0
    for index, statement in enumerate(seen.statements):
        assert statement.index == index
        assert statement.text == script.text[statement.start : statement.end]
        assert statement.text == statement.text.strip()
        assert previous_end <= statement.start < statement.end
        previous_end = statement.end
    started = [e for e in seen.events if e[0] == "started"]
    assert [e[2] for e in started] == [s.start for s in seen.statements]


@given(data=st.data(), case=dialect_scripts())
def test_a_prefix_never_completes_a_statement_the_whole_text_does_not_have(
    data: st.DataObject, case: tuple[str, Script]
) -> None:
    """The sqlparse failure: `SELECT 'a;` is not a statement. Statements completed while a
    prefix streams are exactly the first statements of the whole script."""
    dialect, script = case
    cut_at = data.draw(st.integers(0, len(script.text)))
    stream = sql.SqlStream(dialect)
    stream.feed(script.text[:cut_at])
    completed = [(s.text, s.kind) for s in stream.statements]
    assert completed == script.statements[: len(completed)]


# -- policies ----------------------------------------------------------------------------------
@given(data=st.data(), case=dialect_scripts(reads_only=True))
def test_a_read_only_policy_never_refuses_reads(
    data: st.DataObject, case: tuple[str, Script]
) -> None:
    dialect, script = case
    seen = run(data.draw(chunkings(script.text)), dialect, allow={"SELECT"})
    assert seen.error is None
    assert seen.split == script.statements


def first_forbidden(script: Script) -> tuple[str, int, int] | None:
    """The forbidden effect, offset and statement the oracle expects for a read-only policy."""
    for index, template in enumerate(script.templates):
        if template.forbidden is not None:
            offset = script.token_ends[index][template.decided]
            if template.at_start:
                offset -= len(template.tokens[template.decided])
            return template.forbidden, offset, index
    return None


@given(data=st.data(), case=dialect_scripts())
def test_a_violation_is_raised_at_the_same_earliest_offset_for_every_chunking(
    data: st.DataObject, case: tuple[str, Script]
) -> None:
    dialect, script = case
    expected = first_forbidden(script)
    seen = run(data.draw(chunkings(script.text)), dialect, allow={"SELECT"})
    if expected is None:
        assert seen.error is None
        return
    kind, offset, index = expected
    assert isinstance(seen.error, sql.PolicyViolation)
    assert (seen.error.kind, seen.error.offset) == (kind, offset)
    assert seen.error.statement_index == index
    assert seen.error.text_so_far == script.text[script.starts[index] : offset]
    # Earliest: the text before that character raises nothing; that character raises.
    stream = sql.SqlStream(dialect, allow={"SELECT"})
    stream.feed(script.text[:offset])
    with pytest.raises(sql.PolicyViolation):
        if offset < len(script.text):
            stream.feed(script.text[offset : offset + 1])
        else:
            stream.end()  # the word ends the input: the end decides


@given(data=st.data(), case=dialect_scripts(), limit=st.integers(1, 3))
def test_max_statements_stops_at_the_first_character_of_the_next_statement(
    data: st.DataObject, case: tuple[str, Script], limit: int
) -> None:
    dialect, script = case
    seen = run(data.draw(chunkings(script.text)), dialect, max_statements=limit)
    if len(script.statements) <= limit:
        assert seen.error is None
    else:
        assert isinstance(seen.error, sql.PolicyViolation)
        assert seen.error.offset == script.starts[limit]
        assert seen.error.statement_index == limit
        assert len(seen.statements) == limit


# -- Principle 2: a chunk costs work proportional to the chunk ---------------------------------
def calls_to_stream(text: str, dialect: str) -> int:
    chunks = cut(text, range(0, len(text), 20))
    count = 0

    def profiler(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        count += event in ("call", "c_call")

    stream = sql.SqlStream(dialect, allow={"SELECT"})
    sys.setprofile(profiler)
    try:
        for chunk in chunks:
            stream.feed(chunk)
        stream.close()
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize(
    ("dialect", "statement"),
    [
        ("postgres", "SELECT a, 'x;y' FROM t /* c */ WHERE b = $q$ ; $q$;\n"),
        ("tsql", "SELECT [a;b] FROM t WHERE c = N'x''y'\nGO\n"),
        ("mysql", "SELECT `a`, \"b\\\\\" FROM t # c\n;\n"),
    ],
)
def test_calls_grow_linearly_with_the_script(dialect: str, statement: str) -> None:
    small, large = statement * 50, statement * 400
    assert 7 < calls_to_stream(large, dialect) / calls_to_stream(small, dialect) < 9


@pytest.mark.parametrize(
    ("dialect", "body"),
    [("postgres", "$$" + "a;" * 20_000 + "$$"), ("ansi", "/*" + "*;" * 20_000 + "*/"),
     ("bigquery", "'''" + "a;" * 20_000 + "'''"), ("tsql", "x" * 40_000)],
)  # fmt: skip
def test_one_long_token_costs_linear_calls(dialect: str, body: str) -> None:
    def calls(n: int) -> int:
        return calls_to_stream("SELECT " + body[: n // 2] + body[-(n // 2) :] + ";", dialect)

    assert 7 < calls(8_000 * 8) / calls(8_000) < 9


@pytest.mark.parametrize(
    ("dialect", "unit", "options"),
    [("bigquery", "''", {}), ("ansi", "prose line\n", {"extract": True})],
)
def test_one_big_chunk_costs_linear_time(
    dialect: str, unit: str, options: dict[str, Any]
) -> None:
    """What calls cannot see: copying the rest of the chunk at each string (to check whether
    '' begins a BigQuery '''), or the prose so far at each line, would make 32x the text cost
    ~100x the CPU. Linear costs ~32x; the bound leaves a 2x margin."""

    def seconds(n: int) -> float:
        text = "SELECT " + (unit + ",") * n + "1"
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            sql.split(text, dialect, **options)
            best = min(best, time.process_time() - start)
        return best

    assert seconds(32 * 4_000) / seconds(4_000) < 64
