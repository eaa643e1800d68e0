"""SqlStream's contract: events in order, statements, end of input, errors, validation."""

from __future__ import annotations

from typing import Any

import pytest
import sqlglot
from sql_support import run
from support import one_by_one

import partialjson as pj
from partialjson import sql

NONE = sql.Flag(0)


def test_events_say_when_each_statement_starts_is_classified_and_completes() -> None:
    stream = sql.SqlStream()
    events = stream.feed("SELECT 1; DROP t")
    events += stream.end()
    first = sql.Statement(0, "SELECT 1", "SELECT", 0, 8, NONE, frozenset({"SELECT"}))
    second = sql.Statement(1, "DROP t", "DROP", 10, 16, NONE, frozenset({"DROP"}))
    assert events == [
        sql.StatementStarted(0, 0), sql.KindDecided(0, "SELECT", 6),
        sql.StatementCompleted(first),
        sql.StatementStarted(1, 10), sql.KindDecided(1, "DROP", 14),
        sql.StatementCompleted(second),
    ]  # fmt: skip
    assert stream.statements == [first, second]


def test_a_statement_completes_in_the_chunk_of_its_terminator() -> None:
    stream = sql.SqlStream()
    stream.feed("SELECT 'a;")
    assert stream.statements == []
    events = stream.feed("b';")
    assert [type(e) for e in events] == [sql.StatementCompleted]
    assert [s.text for s in stream.statements] == ["SELECT 'a;b'"]


def test_the_last_statement_completes_at_the_end_of_input() -> None:
    stream = sql.SqlStream()
    assert [type(e) for e in stream.feed("SELECT 1; SELECT 2 -- last")] == [
        sql.StatementStarted, sql.KindDecided, sql.StatementCompleted,
        sql.StatementStarted, sql.KindDecided,
    ]  # fmt: skip
    [completed] = stream.end()
    assert isinstance(completed, sql.StatementCompleted)
    assert completed.statement.text == "SELECT 2"
    assert [s.text for s in stream.close()] == ["SELECT 1", "SELECT 2"]
    assert stream.end() == []  # ending twice changes nothing


def test_an_incomplete_statement_error_has_its_position_and_pending_text() -> None:
    seen = run(["SELECT 1;\nSELECT 'ab", "c"])
    error = seen.error
    assert isinstance(error, sql.IncompleteStatement)
    assert isinstance(error, sql.SqlSyntaxError)
    assert isinstance(error, pj.PartialJSONError)
    assert (error.offset, error.line, error.column) == (21, 2, 12)
    assert (error.start, error.text) == (10, "SELECT 'abc")
    assert str(error) == "unterminated '…': line 2 column 12 (offset 21)"
    assert [s.text for s in seen.statements] == ["SELECT 1"]
    assert seen.received == "SELECT 1;\nSELECT 'abc"


def test_misuse_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown SQL dialect 'oracle'"):
        sql.SqlStream("oracle")
    stream = sql.SqlStream()
    with pytest.raises(TypeError):
        stream.feed(b"SELECT 1")  # type: ignore[arg-type]
    stream.close()
    with pytest.raises(pj.PartialJSONError, match="after close"):
        stream.feed("SELECT 2")


def test_split_is_a_stream_fed_at_once() -> None:
    statements = sql.split("SELECT 1; DELETE FROM t", "postgres", allow=None)
    assert [(s.text, s.kind) for s in statements] == [("SELECT 1", "SELECT"),
                                                       ("DELETE FROM t", "DELETE")]
    with pytest.raises(sql.PolicyViolation):
        sql.split("DELETE FROM t", allow={"SELECT"})


def test_the_dialects() -> None:
    assert sorted(sql.DIALECTS) == [
        "ansi", "bigquery", "mysql", "postgres", "snowflake", "sqlite", "tsql",
    ]  # fmt: skip


def test_sql_is_a_lazily_loaded_part_of_partialjson() -> None:
    assert pj.sql is sql
    with pytest.raises(AttributeError):
        pj.no_such_thing  # type: ignore[attr-defined]  # noqa: B018


# -- validate ----------------------------------------------------------------------------------
def test_validate_accepts_what_sqlglot_parses() -> None:
    text = "SELECT a FROM t WHERE b = 'x;y'; INSERT INTO t VALUES (1)"
    assert [s.kind for s in sql.split(text, "postgres", validate=True)] == ["SELECT", "INSERT"]


def test_validate_raises_at_the_token_sqlglot_rejects() -> None:
    text = "SELECT 1;\nSELECT * FROM t WHERE a = = 1; SELECT 3"
    for chunks in ([text], one_by_one(text)):
        seen = run(chunks, "mysql", validate=True)
        error = seen.error
        assert isinstance(error, sql.SqlSyntaxError)
        assert not isinstance(error, sql.IncompleteStatement)
        assert (error.offset, error.line, error.column) == (36, 2, 27)  # the second '='
        assert (error.start, error.end) == (10, 39)
        assert error.text == "SELECT * FROM t WHERE a = = 1"
        assert [s.text for s in seen.statements] == ["SELECT 1", error.text]


def test_validate_report_yields_an_event_and_goes_on() -> None:
    seen = run(["SELEC 1; SELECT 2"], validate="report")
    assert seen.error is None
    assert [e[0] for e in seen.events] == [
        "started", "kind", "completed", "invalid", "started", "kind", "completed",
    ]  # fmt: skip
    assert ("invalid", 0, 6) in seen.events  # at the '1' after the unknown SELEC


def test_validate_parses_each_statement_once_in_the_stream_dialect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, Any]] = []
    parse = sqlglot.parse

    def counting(text: str, read: Any = None, **options: Any) -> Any:
        calls.append((text, read))
        return parse(text, read=read, **options)

    monkeypatch.setattr(sqlglot, "parse", counting)
    stream = sql.SqlStream("tsql", validate=True)
    for chunk in one_by_one("SELECT [a;b] FROM t\nGO\nSELECT 2"):
        stream.feed(chunk)
    stream.close()
    assert calls == [("SELECT [a;b] FROM t", "tsql"), ("SELECT 2", "tsql")]
