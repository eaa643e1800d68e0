"""Statement kinds, effects and flags, with the traps resolved, each decided at the character
after the keywords that settle it (the expected offset is the end of ``decider`` in the text)."""

from __future__ import annotations

import pytest
from sql_support import run
from support import one_by_one

from partialjson import sql

F = sql.Flag
NONE = F(0)
S = "SELECT"

CASES: list[tuple[str, str, str, set[str], sql.Flag, str]] = [
    # dialect, text, kind, effects, flags, decider (the kind is decided where it ends)
    ("ansi", "SELECT 1", S, {S}, NONE, "SELECT"),
    ("ansi", " ( (SELECT 1)) UNION (SELECT 2)", S, {S}, NONE, "SELECT"),
    ("ansi", "VALUES (1), (2)", "VALUES", {"VALUES"}, NONE, "VALUES"),
    ("ansi", "frobnicate all", "UNKNOWN", {"UNKNOWN"}, NONE, "frobnicate"),
    ("ansi", "'a string first'", "UNKNOWN", {"UNKNOWN"}, NONE, "'a string first'"),
    ("mysql", "DESC t", "DESCRIBE", {"DESCRIBE"}, NONE, "DESC"),
    ("tsql", "EXEC p", "EXECUTE", {"EXECUTE"}, NONE, "EXEC"),
    ("postgres", "TABLE users", S, {S}, NONE, "TABLE"),
    ("postgres", "ABORT", "ROLLBACK", {"ROLLBACK"}, NONE, "ABORT"),
    ("mysql", "REPLACE INTO t VALUES (1)", "REPLACE", {"REPLACE"}, NONE, "REPLACE"),
    # WITH: the main statement decides
    ("ansi", "WITH c AS (SELECT 1) SELECT * FROM c", S, {S}, NONE, ") SELECT"),
    ("ansi", "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) "
     "SELECT n FROM t", S, {S}, NONE, "5) SELECT"),
    ("ansi", "WITH a AS (SELECT 1), b AS (SELECT 2) INSERT INTO t SELECT * FROM a",
     "INSERT", {"INSERT"}, NONE, "INSERT"),
    ("tsql", "WITH a AS (SELECT 1) DELETE FROM t", "DELETE", {"DELETE"}, NONE, "DELETE"),
    ("postgres", "WITH a AS MATERIALIZED (SELECT 1) (SELECT * FROM a)", S, {S}, NONE,
     ") (SELECT"),
    ("postgres", "WITH RECURSIVE t(id) AS (SELECT 1) SEARCH DEPTH FIRST BY id SET ord "
     "SELECT * FROM t", S, {S}, NONE, "ord SELECT"),
    ("postgres", "WITH RECURSIVE t(id) AS (SELECT 1) CYCLE id SET done USING path "
     "SELECT * FROM t", S, {S}, NONE, "path SELECT"),
    ("postgres", "WITH delete AS (SELECT 1), update AS (SELECT 2) SELECT * FROM delete",
     S, {S}, NONE, ") SELECT"),
    # data-modifying common table expressions
    ("postgres", "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
     S, {S, "DELETE"}, F.DATA_MODIFYING_CTE, ") SELECT"),
    ("postgres", "WITH u AS (UPDATE t SET a = 1 RETURNING *) SELECT 1",
     S, {S, "UPDATE"}, F.DATA_MODIFYING_CTE, ") SELECT"),
    ("postgres", "WITH i AS (INSERT INTO t VALUES (1) RETURNING *) SELECT 1",
     S, {S, "INSERT"}, F.DATA_MODIFYING_CTE, ") SELECT"),
    ("postgres", "WITH m AS (MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE "
     "RETURNING *) SELECT 1", S, {S, "MERGE"}, F.DATA_MODIFYING_CTE, ") SELECT"),
    ("postgres", "WITH a AS (SELECT (update) FROM t WHERE (delete) IS NULL) SELECT 1",
     S, {S}, NONE, ") SELECT"),
    ("mysql", "WITH a AS (SELECT (INSERT('abc', 1, 1, 'x'))) SELECT * FROM a",
     S, {S}, NONE, ") SELECT"),
    ("postgres", "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO q VALUES (1))",
     "CREATE", {"CREATE"}, NONE, "CREATE"),
    # EXPLAIN: ANALYZE runs the statement
    ("postgres", "EXPLAIN SELECT 1", "EXPLAIN", {"EXPLAIN"}, NONE, "EXPLAIN"),
    ("postgres", "EXPLAIN DELETE FROM t", "EXPLAIN", {"EXPLAIN"}, NONE, "EXPLAIN"),
    ("postgres", "EXPLAIN ANALYZE DELETE FROM t", "EXPLAIN", {"EXPLAIN", "DELETE"},
     F.EXPLAIN_ANALYZE, "EXPLAIN"),
    ("postgres", "EXPLAIN ANALYSE VERBOSE SELECT 1", "EXPLAIN", {"EXPLAIN", S},
     F.EXPLAIN_ANALYZE, "EXPLAIN"),
    ("postgres", "EXPLAIN (ANALYZE, BUFFERS) UPDATE t SET a = 1", "EXPLAIN",
     {"EXPLAIN", "UPDATE"}, F.EXPLAIN_ANALYZE, "EXPLAIN"),
    ("postgres", "EXPLAIN (ANALYZE 1) DELETE FROM t", "EXPLAIN", {"EXPLAIN", "DELETE"},
     F.EXPLAIN_ANALYZE, "EXPLAIN"),
    ("postgres", "EXPLAIN (ANALYZE false) DELETE FROM t", "EXPLAIN", {"EXPLAIN"}, NONE,
     "EXPLAIN"),
    ("postgres", "EXPLAIN (FORMAT JSON, ANALYZE off) DELETE FROM t", "EXPLAIN", {"EXPLAIN"},
     NONE, "EXPLAIN"),
    ("postgres", "EXPLAIN ANALYZE WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
     "EXPLAIN", {"EXPLAIN", S, "DELETE"}, F.EXPLAIN_ANALYZE | F.DATA_MODIFYING_CTE, "EXPLAIN"),
    ("postgres", "EXPLAIN WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
     "EXPLAIN", {"EXPLAIN"}, F.DATA_MODIFYING_CTE, "EXPLAIN"),
    ("mysql", "EXPLAIN ANALYZE FORMAT=TREE SELECT 1", "EXPLAIN", {"EXPLAIN", S},
     F.EXPLAIN_ANALYZE, "EXPLAIN"),
    ("sqlite", "EXPLAIN QUERY PLAN DELETE FROM t", "EXPLAIN", {"EXPLAIN"}, NONE, "EXPLAIN"),
    # SELECT … INTO
    ("postgres", "SELECT * INTO new_t FROM t", S, {S, "SELECT INTO"}, F.SELECT_INTO, "SELECT"),
    ("tsql", "SELECT * INTO #tmp FROM t", S, {S, "SELECT INTO"}, F.SELECT_INTO, "SELECT"),
    ("mysql", "SELECT a INTO OUTFILE '/tmp/x' FROM t", S, {S, "SELECT INTO"}, F.SELECT_INTO,
     "SELECT"),
    ("mysql", "SELECT a FROM t INTO @v", S, {S, "SELECT INTO"}, F.SELECT_INTO, "SELECT"),
    ("postgres", "INSERT INTO t SELECT * FROM u", "INSERT", {"INSERT"}, NONE, "INSERT"),
    # locking reads
    ("postgres", "SELECT * FROM t FOR UPDATE", S, {S, "SELECT FOR UPDATE"}, F.LOCKING_READ,
     "SELECT"),
    ("postgres", "SELECT * FROM t FOR NO KEY UPDATE NOWAIT", S, {S, "SELECT FOR UPDATE"},
     F.LOCKING_READ, "SELECT"),
    ("postgres", "SELECT * FROM t FOR SHARE", S, {S, "SELECT FOR UPDATE"}, F.LOCKING_READ,
     "SELECT"),
    ("postgres", "SELECT * FROM t FOR KEY SHARE SKIP LOCKED", S, {S, "SELECT FOR UPDATE"},
     F.LOCKING_READ, "SELECT"),
    ("mysql", "SELECT * FROM t LOCK IN SHARE MODE", S, {S, "SELECT FOR UPDATE"},
     F.LOCKING_READ, "SELECT"),
    ("postgres", "WITH a AS (SELECT * FROM t FOR UPDATE) SELECT * FROM a", S,
     {S, "SELECT FOR UPDATE"}, F.LOCKING_READ, ") SELECT"),
    ("postgres", "SELECT substring(a FROM 1 FOR 2) FROM t WHERE lock IN (1)", S, {S}, NONE,
     "SELECT"),
    ("bigquery", "SELECT * FROM t FOR SYSTEM_TIME AS OF '2024-01-01'", S, {S}, NONE, "SELECT"),
    # executable comments are code
    ("mysql", "/*! DROP TABLE users */", "DROP", {"DROP"}, F.EXECUTABLE_COMMENT, "DROP"),
    ("mysql", "SELECT 1 /*!, 2 */", S, {S}, F.EXECUTABLE_COMMENT, "SELECT"),
    # BEGIN: a transaction or a block
    ("postgres", "BEGIN", "BEGIN", {"BEGIN"}, NONE, "BEGIN"),
    ("tsql", "BEGIN TRAN", "BEGIN", {"BEGIN"}, NONE, "TRAN"),
    ("tsql", "BEGIN TRY SELECT 1; END TRY BEGIN CATCH END CATCH", "BLOCK", {"BLOCK"}, NONE,
     "TRY"),
    ("bigquery", "BEGIN;", "BEGIN", {"BEGIN"}, NONE, "BEGIN"),
    ("bigquery", "BEGIN SELECT 1; END", "BLOCK", {"BLOCK"}, NONE, "SELECT"),
    ("snowflake", "BEGIN WORK", "BEGIN", {"BEGIN"}, NONE, "WORK"),
    ("snowflake", "DECLARE x INT; BEGIN RETURN x; END", "BLOCK", {"BLOCK"}, NONE, "DECLARE"),
    ("postgres", "END", "COMMIT", {"COMMIT"}, NONE, "END"),
    ("sqlite", "END TRANSACTION", "COMMIT", {"COMMIT"}, NONE, "END"),
    # what statements do: calls, assignments, hints, the spellings of EXPLAIN ANALYZE
    ("postgres", "SELECT lower(a), pg_sleep(1)", S, {S, "FUNCTION"}, F.CALLS_FUNCTION, "SELECT"),
    ("mysql", "SELECT @n := 1", S, {S, "SET"}, F.ASSIGNS_VARIABLE, "SELECT"),
    ("tsql", "SELECT * FROM t WITH (NOLOCK, UPDLOCK)", S, {S, "SELECT FOR UPDATE"},
     F.LOCKING_READ, "SELECT"),
    ("mysql", "DESCRIBE ANALYZE DELETE FROM t", "DESCRIBE", {"DESCRIBE", "DELETE"},
     F.EXPLAIN_ANALYZE, "DESCRIBE"),
    ("mysql", "DESC t", "DESCRIBE", {"DESCRIBE"}, NONE, "DESC"),
    ("postgres", "EXPLAIN (ANALYZE 'false') DELETE FROM t", "EXPLAIN", {"EXPLAIN"}, NONE,
     "EXPLAIN"),
    ("postgres", "EXPLAIN (ANALYZE 'on') DELETE FROM t", "EXPLAIN", {"EXPLAIN", "DELETE"},
     F.EXPLAIN_ANALYZE, "EXPLAIN"),
    ("postgres", "SELECT key share FROM t", S, {S}, NONE, "SELECT"),
    ("bigquery", "FROM t |> WHERE a > 1 |> SELECT a", S, {S}, NONE, "FROM"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("dialect", "text", "kind", "effects", "flags", "decider"),
    CASES,
    ids=[f"{case[0]}: {case[1][:50]}" for case in CASES],
)
def test_kind_effects_and_flags(
    dialect: str, text: str, kind: str, effects: set[str], flags: sql.Flag, decider: str
) -> None:
    decided_at = text.index(decider) + len(decider)
    for chunks in ([text], one_by_one(text)):
        seen = run(chunks, dialect)
        assert seen.error is None
        [statement] = seen.statements
        assert (statement.kind, statement.effects, statement.flags) == (kind, effects, flags)
        decisions = [e for e in seen.events if e[0] == "kind"]
        assert decisions == [("kind", 0, kind, decided_at)]


def test_the_kind_is_decided_in_the_chunk_that_ends_its_keyword() -> None:
    stream = sql.SqlStream()
    assert stream.feed("SEL") == [sql.StatementStarted(0, 0)]
    assert stream.feed("ECT") == []
    assert stream.feed(" 1") == [sql.KindDecided(0, "SELECT", 6)]


def test_a_word_too_long_to_be_a_keyword_is_unknown_and_still_one_word() -> None:
    name = "x" * 100
    statements = sql.split(f"{name}; DROP TABLE t")
    assert [(s.text, s.kind) for s in statements] == [(name, "UNKNOWN"), ("DROP TABLE t", "DROP")]
