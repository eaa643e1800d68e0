"""The differential test of the SQL guard: what read-only lets through, run on real engines
(SQLite, PostgreSQL), must change nothing an engine can show.

Each text is run four ways: statement by statement as the guard split it, one driver call each,
in a transaction that is rolled back and in autocommit (rollback hides writes, not sequences,
session locks, settings, notifications, large objects in autocommit, files or killed sessions);
then, when the guard allowed all of it, the whole text as the engine splits it (a script runner,
psql), the same two ways. Engine errors are fine; a change of the snapshot (sql_engines.py) is
not. The last tests prove the oracle sees each class of effect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sql_cases import ALL, Case
from sql_engines import PostgresEngine, SqliteEngine, diff
from sql_support import reads, scripts

import partialjson as pj
from partialjson import sql

ENGINES = {"sqlite": ("sqlite",), "postgres": ("postgres",), "ansi": ("sqlite", "postgres")}
Engine = SqliteEngine | PostgresEngine

# Seeds for this module's own testing; the real cases come from sql_cases.ALL.
SEED = [
    Case("false positive", "postgres",
         "SELECT 'a;b', $$;$$, $t$ ' $t$, E'\\';', \"price$usd$\" FROM t; TABLE t; VALUES (1)",
         None, "strings and dollar quotes hide ';'"),
    Case("false positive", "postgres", "SELECT 1 -- ; DELETE FROM t\n, 2 /* /* ; */ ; */",
         None, "comments, nested"),
    Case("false positive", "postgres",
         "WITH c AS (SELECT a FROM t) SELECT a, row_number() OVER (ORDER BY a) FROM c; "
         "EXPLAIN SELECT * FROM v; SHOW work_mem", None, "CTE, window, EXPLAIN, SHOW"),
    Case("false positive", "postgres", "SELECT last_value FROM s; SELECT currval('s')",
         None, "reading a sequence does not advance it (currval fails: no nextval here)"),
    Case("false positive", "sqlite",
         "SELECT 'a;b', [x;y], `p;q` FROM (SELECT 1 AS \"x;y\", 2 AS \"p;q\"); SELECT * FROM v",
         None, "SQLite quotes"),
    Case("false positive", "sqlite",
         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) "
         "SELECT count(*) FROM n", None, "a recursive CTE"),
    Case("false positive", "ansi", "SELECT a, b FROM t WHERE d = 'one;' ORDER BY a; "
         "SELECT count(*) FROM users", None, "plain reads"),
    Case("hidden effect", "ansi", "SELECT * FROM t; DELETE FROM t", "DELETE",
         "the read before the write streams through first"),
]  # fmt: skip


def engines_of(dialect: str) -> tuple[str, ...]:
    return ENGINES.get(dialect, ())


def admitted(text: str, dialect: str, **options: Any) -> tuple[list[str], bool]:
    """What a streaming read-only guard lets through: the statements it completed (all of
    them, or those before the violation, which an app may already have run) and whether it
    allowed the whole text."""
    stream = sql.SqlStream(dialect, allow=sql.READ_ONLY, **options)
    try:
        stream.feed(text)
        stream.close()
    except pj.PartialJSONError:
        return [s.text for s in stream.statements], False
    return [s.text for s in stream.statements], True


def assert_no_effect(
    engine: Engine, statements: list[str], whole: str | None, options: dict[str, Any] | None = None
) -> None:
    if not statements:
        return  # the guard let nothing through
    engine.configure(options or {})
    engine.watch("\n".join([*statements, whole or ""]))
    before = engine.snapshot()
    runs: list[tuple[str, Callable[[], list[str]]]] = [
        ("each statement, rolled back", lambda: engine.run_each(statements, False)),
        ("each statement, autocommit", lambda: engine.run_each(statements, True)),
    ]
    if whole is not None:
        runs += [("the whole text, rolled back", lambda: engine.run_whole(whole, False)),
                 ("the whole text, autocommit", lambda: engine.run_whole(whole, True))]
    for how, run in runs:
        errors = run()
        try:
            changes = diff(before, engine.snapshot())
        except Exception as exc:  # the observer's session was killed, say
            changes = [f"no snapshot: {type(exc).__name__}: {exc}"]
        if changes:
            engine.reset()  # the next test starts from the seeded state
            pytest.fail(f"{engine.name}, {how}: the guard allowed an effect\n"
                        f"statements: {statements!r}\nchanged: " + "\n  ".join(changes)
                        + f"\nengine errors: {errors}")


CASES = [(case, name) for case in SEED + ALL for name in engines_of(case.dialect)]


@pytest.mark.parametrize(("case", "engine_name"), CASES,
                         ids=[f"{name}-{case.id}" for case, name in CASES])
def test_what_the_guard_lets_through_changes_nothing(
    case: Case, engine_name: str, request: Any
) -> None:
    """Allowed cases whole; of a refused one, the statements completed before the refusal."""
    statements, whole = admitted(case.text, case.dialect, **case.options)
    engine = request.getfixturevalue(f"{engine_name}_engine")
    assert_no_effect(engine, statements, case.text if whole else None, case.options)


# -- generated scripts -------------------------------------------------------------------------
# Budgets from the project's Hypothesis profile (conftest.py): a PostgreSQL example costs about
# 0.1-0.2 s (five snapshots), so it gets a third of it.
PG_BUDGET = max(20, settings.default.max_examples // 3)


@st.composite
def engine_scripts(draw: st.DrawFn, engine: Engine) -> tuple[str, str]:
    """A script in a dialect the engine runs: reads only, or reads and writes mixed."""
    dialect = draw(st.sampled_from(engine.dialects))
    pool = draw(st.sampled_from([reads(dialect), None]))
    return dialect, draw(scripts(dialect, pool=pool)).text


def check_generated(engine: Engine, dialect_text: tuple[str, str]) -> None:
    dialect, text = dialect_text
    statements, whole = admitted(text, dialect)
    assert_no_effect(engine, statements, text if whole else None)


@given(data=st.data())
def test_generated_scripts_on_sqlite(sqlite_engine: SqliteEngine, data: st.DataObject) -> None:
    check_generated(sqlite_engine, data.draw(engine_scripts(sqlite_engine)))


@settings(max_examples=PG_BUDGET)
@given(data=st.data())
def test_generated_scripts_on_postgres(
    postgres_engine: PostgresEngine, data: st.DataObject
) -> None:
    check_generated(postgres_engine, data.draw(engine_scripts(postgres_engine)))


# -- the oracle sees each class of effect ------------------------------------------------------
# (statement, autocommit, the snapshot part that must change); {scratch}, {folder} and
# {victim} are filled in from the engine.
PG_EFFECTS = [
    ("DELETE FROM t", True, "tables"),
    ("UPDATE t SET a = a", True, "tables"),  # same values, new row versions
    ("DELETE FROM t", False, "wrote in a rolled-back transaction"),
    ("SELECT setval('s', 100)", False, "tables"),  # sequences ignore rollback
    ("SELECT nextval('users_id_seq')", False, "tables"),
    ("SELECT pg_terminate_backend({victim})", True, "victim"),
    ("SELECT set_config('work_mem', '7MB', false)", True, "session"),
    ("SET search_path = pg_catalog", True, "session"),
    ("SELECT pg_advisory_lock(1)", False, "locks"),  # a session lock outlives the rollback
    ("SELECT lo_export(4242, '{scratch}/lo.bin')", False, "files"),
    ("COPY (SELECT 1) TO '{scratch}/out.csv'", False, "files"),
    ("SELECT lo_from_bytea(0, 'x')", True, "catalogs"),
    ("SELECT pg_notify('oracle_channel', 'x')", True, "notifications"),
    ("NOTIFY Oracle_Channel", True, "notifications"),  # folded to lower case
    ("LISTEN elsewhere", True, "session"),
    ("PREPARE p AS SELECT 1", True, "session"),
    ("DECLARE c CURSOR WITH HOLD FOR SELECT 1", True, "session"),
    ("BEGIN", True, "session"),  # a transaction left open
    ("ALTER SYSTEM SET work_mem = '8MB'", True, "files"),
    ("CREATE TEMP TABLE tmp (a int)", True, "catalogs"),
    ("CREATE ROLE mallory", True, "catalogs"),
    ("ALTER ROLE postgres SET work_mem = '9MB'", True, "catalogs"),
    ("CREATE DATABASE other", True, "catalogs"),
    ("ALTER DATABASE oracle SET work_mem = '9MB'", True, "catalogs"),
    ("ANALYZE t", True, "catalogs"),
    ("SELECT pg_create_physical_replication_slot('slot')", False, "replication slots"),
    ("SELECT * FROM t FOR UPDATE", True, "tables"),  # a row lock leaves its mark (xmax)
    ("SELECT query_to_xml('SELECT nextval(''s'')', true, true, '')", False, "tables"),
    ("SELECT lo_unlink(4242)", True, "catalogs"),
    ("SELECT lo_export(4242, 'relative.bin')", False, "files"),  # into the data directory
    ("SELECT pg_stat_reset()", True, "statistics resets"),
    (SUICIDE := "SELECT pg_terminate_backend(pg_backend_pid())", True, "session"),
]
SQLITE_EFFECTS = [
    ("DELETE FROM t", True, "tables"),
    ("UPDATE t SET a = a", True, "changes"),
    ("INSERT INTO q VALUES (2)", False, "changes"),  # attempted, then rolled back
    ("ATTACH '{folder}/other.db' AS other", True, "databases"),
    ("PRAGMA user_version = 9", True, "pragmas"),
    ("PRAGMA journal_mode = WAL", True, "pragmas"),
    ("PRAGMA foreign_keys = ON", True, "pragmas"),
    ("CREATE TEMP TABLE tmp (a)", True, "schema temp"),
    ("BEGIN", True, "transaction"),
    ("VACUUM INTO '{folder}/copy.db'", True, "files"),
]


IN_THE_DATABASE = {"tables", "catalogs", "wrote in a rolled-back transaction"}


def fill(statement: str, engine: Engine) -> str:
    if isinstance(engine, PostgresEngine):
        victim = engine.victim.info.backend_pid
        return statement.format(scratch=engine.server.scratch, victim=victim)
    return statement.format(folder=engine.folder)


def assert_seen(engine: Engine, statement: str, autocommit: bool, part: str) -> None:
    statement = fill(statement, engine)
    engine.watch(statement)
    before = engine.snapshot()
    try:
        errors = engine.run_each([statement], autocommit)
        assert errors == [] or statement == SUICIDE, errors  # it ran: the check means something
        after = engine.snapshot()
        assert before[part] != after[part], (statement, diff(before, after))
    finally:
        engine.reset(database=part in IN_THE_DATABASE)


@pytest.mark.parametrize(("statement", "autocommit", "part"), PG_EFFECTS,
                         ids=[s for s, _, _ in PG_EFFECTS])
def test_the_oracle_sees_postgres_effects(
    postgres_engine: PostgresEngine, statement: str, autocommit: bool, part: str
) -> None:
    assert_seen(postgres_engine, statement, autocommit, part)


@pytest.mark.parametrize(("statement", "autocommit", "part"), SQLITE_EFFECTS,
                         ids=[s for s, _, _ in SQLITE_EFFECTS])
def test_the_oracle_sees_sqlite_effects(
    sqlite_engine: SqliteEngine, statement: str, autocommit: bool, part: str
) -> None:
    assert_seen(sqlite_engine, statement, autocommit, part)


@pytest.mark.parametrize("engine_name", ["sqlite", "postgres"])
def test_the_whole_text_runs_as_the_engine_splits_it(engine_name: str, request: Any) -> None:
    """One driver call with two statements: the careful driver refuses it (nothing changes),
    a script runner runs both (the oracle sees the DELETE)."""
    engine = request.getfixturevalue(f"{engine_name}_engine")
    text = "SELECT 1; DELETE FROM t"
    before = engine.snapshot()
    try:
        assert engine.run_each([text], True) != []  # refused by the driver or the server
        assert diff(before, engine.snapshot()) == []
        assert engine.run_whole(text, True) == []
        assert before["tables"] != engine.snapshot()["tables"]
    finally:
        engine.reset()


# What PostgreSQL runs inside BEGIN READ ONLY and what outlives its rollback: why the README's
# deployment asks for a least-privilege role as well.
READ_ONLY_LEAKS = [
    ("SELECT pg_advisory_lock(1)", "locks"),
    ("SELECT lo_export(4242, '{scratch}/lo.bin')", "files"),
    ("SELECT pg_terminate_backend({victim})", "victim"),
    ("SELECT pg_stat_reset()", "statistics resets"),
    ("SELECT pg_create_physical_replication_slot('slot')", "replication slots"),
]


@pytest.mark.parametrize(("statement", "part"), READ_ONLY_LEAKS,
                         ids=[s for s, _ in READ_ONLY_LEAKS])
def test_a_read_only_transaction_is_not_enough(
    postgres_engine: PostgresEngine, statement: str, part: str
) -> None:
    engine = postgres_engine
    statement = fill(statement, engine)
    before = engine.snapshot()
    try:
        assert engine.run_each([statement], False, read_only=True) == []
        assert before[part] != engine.snapshot()[part]
    finally:
        engine.reset(database=False)


def test_the_oracle_is_still(postgres_engine: PostgresEngine, sqlite_engine: SqliteEngine) -> None:
    """Looking changes nothing: two snapshots in a row, and around a plain read, are equal."""
    for engine in (postgres_engine, sqlite_engine):
        first = engine.snapshot()
        assert diff(first, engine.snapshot()) == []
        engine.run_each(["SELECT * FROM t"], False)
        engine.run_each(["SELECT * FROM t"], True)
        assert diff(first, engine.snapshot()) == []


@pytest.mark.parametrize(("dialect", "statement"),
                         [("postgres", s) for s, _, _ in PG_EFFECTS]
                         + [("sqlite", s) for s, _, _ in SQLITE_EFFECTS]
                         + [("ansi", s) for s, _, _ in PG_EFFECTS + SQLITE_EFFECTS])
def test_every_effect_the_oracle_sees_is_refused_by_read_only(dialect: str, statement: str
                                                              ) -> None:
    # The other side of the differential test: what changes an engine never passes the guard.
    text = statement.format(scratch="/tmp/x", victim=4242, folder="/tmp/x")
    with pytest.raises(sql.PolicyViolation):
        sql.split(text, dialect, allow=sql.READ_ONLY)
