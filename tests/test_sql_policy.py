"""Policies: a forbidden statement raises at the character that makes it certain, never
earlier, the same for every chunking; allowed SQL is never refused."""

from __future__ import annotations

import pytest
from sql_support import raises_first_at, run
from support import one_by_one

import partialjson as pj
from partialjson import sql

READS = {"SELECT"}

VIOLATIONS: list[tuple[str, str, set[str], str, int, str]] = [
    # dialect, text, allowed, forbidden kind, statement index, the text so far when it raises
    ("ansi", "DROP TABLE users", READS, "DROP", 0, "DROP"),
    ("ansi", "SELECT 1; DROP TABLE users", READS, "DROP", 1, "DROP"),
    ("ansi", "SELECT 1;\n  DELETE FROM t WHERE a = 1", READS, "DELETE", 1, "DELETE"),
    ("postgres", "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", READS, "DELETE", 0,
     "WITH d AS (DELETE FROM"),
    ("postgres", "SELECT * INTO t2 FROM t", READS, "SELECT INTO", 0, "SELECT * INTO"),
    ("postgres", "SELECT * FROM t FOR UPDATE;", READS, "SELECT FOR UPDATE", 0,
     "SELECT * FROM t FOR UPDATE"),
    ("postgres", "EXPLAIN ANALYZE DELETE FROM t", {"SELECT", "EXPLAIN"}, "DELETE", 0,
     "EXPLAIN ANALYZE DELETE"),
    ("postgres", "EXPLAIN SELECT 1", READS, "EXPLAIN", 0, "EXPLAIN"),
    ("postgres", "BEGIN; SELECT 1", READS, "BEGIN", 0, "BEGIN"),
    ("mysql", "SELECT 1; /*! DROP TABLE users */", READS, "DROP", 1, "/*! DROP"),
    ("mysql", "DELIMITER //\nSELECT 1//\nDROP TABLE t//", READS, "DROP", 1, "DROP"),
    ("tsql", "SELECT name FROM sys.tables\nDELETE FROM audit_log", READS, "DELETE", 1,
     "DELETE"),
    ("tsql", "SELECT 1\nGO\nEXEC sp_drop", READS, "EXECUTE", 1, "EXEC"),
    ("tsql", "BEGIN TRAN; SELECT 1", READS, "BEGIN", 0, "BEGIN TRAN"),
    ("tsql", "BEGIN SELECT 1; END", READS, "BLOCK", 0, "BEGIN SELECT"),
    ("bigquery", "BEGIN;", READS, "BEGIN", 0, "BEGIN"),
    ("snowflake", "SELECT 1; CALL p()", READS, "CALL", 1, "CALL"),
    ("ansi", "SELECT 1; x", READS, "UNKNOWN", 1, "x"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("dialect", "text", "allow", "kind", "index", "so_far"),
    VIOLATIONS,
    ids=[f"{case[0]}: {case[1][:40]}" for case in VIOLATIONS],
)
def test_a_forbidden_statement_raises_at_the_character_that_makes_it_certain(
    dialect: str, text: str, allow: set[str], kind: str, index: int, so_far: str
) -> None:
    offset = text.index(so_far) + len(so_far)
    start = text.rindex("\n", 0, offset) + 1 if "\n" in text[:offset] else 0
    for chunks in ([text], one_by_one(text)):
        error = run(chunks, dialect, allow=allow).error
        assert isinstance(error, sql.PolicyViolation)
        assert (error.kind, error.statement_index, error.offset) == (kind, index, offset)
        assert (error.line, error.column) == (text.count("\n", 0, offset) + 1, offset - start + 1)
        assert error.text_so_far == so_far
    raises_first_at(offset, text, dialect, allow=allow)


def test_text_so_far_is_the_statement_up_to_the_deciding_character() -> None:
    error = run(["SELECT 1; ", "/* c */ DROP", " TABLE x"], allow=READS).error
    assert isinstance(error, sql.PolicyViolation)
    assert error.text_so_far == "DROP"
    assert str(error) == "DROP is not allowed (statement 1): line 1 column 23 (offset 22)"
    assert isinstance(error, pj.PositionedError)
    assert isinstance(error, pj.PartialJSONError)


ALLOWED: list[tuple[str, str, frozenset[str] | set[str]]] = [
    ("ansi", "SELECT 'DROP TABLE x; DELETE FROM y' AS \"delete\" -- drop\nFROM t /* insert */",
     READS),
    ("ansi", "SELECT update_count, deleted, dropped_at FROM t", READS),
    ("ansi", "(SELECT 1) UNION (SELECT 2); SELECT CASE WHEN a THEN 1 END FROM t", READS),
    ("postgres", "SELECT * FROM t WHERE lock IN (1, 2) AND substring(a FROM 1 FOR 2) = 'x'",
     READS),
    ("postgres", "WITH delete AS (SELECT 1), a AS (SELECT (update) FROM t) SELECT * FROM delete",
     READS),
    ("postgres", "SELECT $$DROP TABLE x;$$, E'\\'; DROP'", READS),
    ("postgres", "EXPLAIN (ANALYZE false) DELETE FROM t", {"SELECT", "EXPLAIN"}),
    ("postgres", "EXPLAIN ANALYZE SELECT 1; EXPLAIN DELETE FROM t", {"SELECT", "EXPLAIN"}),
    ("mysql", "SELECT INSERT('abc', 1, 1, 'x'), REPLACE('a', 'b', 'c'), IF(a, 1, 2) FROM t",
     READS),
    ("mysql", "SELECT 1 # ; DROP TABLE t\n, `drop` FROM t", READS),
    ("tsql", "SELECT * FROM t WITH (NOLOCK) INNER MERGE JOIN u ON 1 = 1 OPTION (MERGE JOIN)",
     READS),
    ("tsql", "SELECT 1 AS [drop], @delete\nGO\nSELECT 2", READS),
    ("bigquery", "SELECT * FROM t FOR SYSTEM_TIME AS OF '2024-01-01' # DROP\n", READS),
    ("snowflake", "SELECT v:update::string, $$DROP$$ FROM t // DELETE\n", READS),
    ("ansi", "SHOW TABLES; DESCRIBE t; VALUES (1); EXPLAIN SELECT 1", sql.READ_ONLY),
    ("postgres", "WITH a AS (SELECT 1) SELECT * FROM a; TABLE users", sql.READ_ONLY),
]  # fmt: skip


@pytest.mark.parametrize(
    ("dialect", "text", "allow"), ALLOWED, ids=[f"{c[0]}: {c[1][:40]}" for c in ALLOWED]
)
def test_allowed_sql_is_never_refused(dialect: str, text: str, allow: set[str]) -> None:
    for chunks in ([text], one_by_one(text)):
        seen = run(chunks, dialect, allow=allow)
        assert seen.error is None
        assert seen.statements


def test_read_only_refuses_an_explain_analyze_of_a_write() -> None:
    error = run(["EXPLAIN ANALYZE DELETE FROM t"], "postgres", allow=sql.READ_ONLY).error
    assert isinstance(error, sql.PolicyViolation)
    assert (error.kind, error.offset) == ("DELETE", 22)


def test_kinds_in_the_allowed_set_are_case_insensitive() -> None:
    assert run(["select 1; Select 2"], allow={"select"}).error is None


def test_a_callable_policy_sees_each_statement_so_far_and_may_refuse_it() -> None:
    seen: list[tuple[str, str]] = []

    def no_select_into(statement: sql.Statement) -> bool:
        seen.append((statement.kind, statement.text))
        return not statement.flags & sql.Flag.SELECT_INTO

    text = "SELECT 1; SELECT a INTO t FROM u"
    error = run([text], allow=no_select_into).error
    assert isinstance(error, sql.PolicyViolation)
    assert (error.kind, error.statement_index, error.offset) == ("SELECT", 1, 23)
    # Asked when the kind is decided, when the facts grow, and at completion.
    assert seen == [
        ("SELECT", "SELECT"), ("SELECT", "SELECT 1"), ("SELECT", "SELECT"),
        ("SELECT", "SELECT a INTO"),
    ]  # fmt: skip


def test_a_callable_policy_may_refuse_a_statement_when_it_completes() -> None:
    def short(statement: sql.Statement) -> bool:
        return len(statement.text) <= 10

    error = run(["SELECT 1; SELECT a, b, c FROM t; SELECT 2"], allow=short).error
    assert isinstance(error, sql.PolicyViolation)
    assert (error.statement_index, error.offset) == (1, 31)  # the ';' that completes it
    assert error.text_so_far == "SELECT a, b, c FROM t"


@pytest.mark.parametrize("dialect", ["ansi", "mysql", "tsql"])
def test_max_statements_refuses_a_second_statement_at_its_first_character(dialect: str) -> None:
    text = "SELECT 1; -- one is enough\n  SELECT 2"
    for chunks in ([text], one_by_one(text)):
        seen = run(chunks, dialect, max_statements=1)
        assert isinstance(seen.error, sql.PolicyViolation)
        assert seen.error.kind is None
        assert (seen.error.statement_index, seen.error.offset) == (1, 29)
        assert [s.text for s in seen.statements] == ["SELECT 1"]


def test_max_statements_ignores_empty_statements_and_comments() -> None:
    assert run(["SELECT 1;; ; -- done\n/* really */;"], max_statements=1).error is None


def test_policy_options_are_checked() -> None:
    with pytest.raises(TypeError):
        sql.SqlStream(allow="SELECT")
    with pytest.raises(ValueError):
        sql.SqlStream(max_statements=0)


def test_a_violation_is_sticky_and_keeps_what_was_received() -> None:
    stream = sql.SqlStream(allow=READS)
    stream.feed("SELECT 1; ")
    with pytest.raises(sql.PolicyViolation) as raised:
        stream.feed("DROP TABLE t; SELECT 2")
    assert stream.error is raised.value
    assert stream.received == "SELECT 1; DROP TABLE t; SELECT 2"
    assert [s.text for s in stream.statements] == ["SELECT 1"]
    for again in (lambda: stream.feed("x"), stream.end, stream.close):
        with pytest.raises(sql.PolicyViolation) as repeated:
            again()
        assert repeated.value is raised.value
