"""Function calls: the allow-lists, names allowed by the user, how names resolve, where a call
is refused; and validate=True, which must never raise anything but the library's errors."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sql_support import DIALECTS, run
from support import chunkings, one_by_one

import partialjson as pj
from partialjson import sql
from partialjson.sql import _functions
from partialjson.sql._validate import VALIDATE_DEPTH


def refused(text: str, dialect: str = "postgres", **options: object) -> sql.PolicyViolation | None:
    outcome = run([text], dialect, allow=sql.READ_ONLY, **options).error
    assert outcome is None or isinstance(outcome, sql.PolicyViolation), outcome
    return outcome


# -- where a call is refused -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dialect", "text", "name"),
    [
        ("postgres", "SELECT a, pg_sleep (1) FROM t", "pg_sleep"),
        ("postgres", "SELECT PG_SLEEP(1)", "PG_SLEEP"),
        ("postgres", "SELECT pg_catalog.pg_cancel_backend(1)", "pg_catalog.pg_cancel_backend"),
        ("postgres", 'SELECT "public"."audit"(1)', '"public"."audit"'),
        ("postgres", "SELECT 1 FROM t JOIN dblink('x', 'y') AS d(a int) ON true", "dblink"),
        ("mysql", "SELECT a FROM t WHERE SLEEP(1) = 0", "SLEEP"),
        ("sqlite", "SELECT load_extension('x')", "load_extension"),
        ("tsql", "SELECT * FROM OPENQUERY(srv, 'x')", "OPENQUERY"),
        ("bigquery", "SELECT `proj.ds.f`(1)", "`proj.ds.f`"),
        ("snowflake", "SELECT SYSTEM$ABORT_SESSION(1)", "SYSTEM$ABORT_SESSION"),
    ],
)
def test_a_call_is_refused_at_its_parenthesis_for_every_chunking(
    dialect: str, text: str, name: str
) -> None:
    at = text.index("(", text.index(name) + len(name))
    for chunks in ([text], one_by_one(text)):
        error = run(chunks, dialect, allow=sql.READ_ONLY).error
        assert isinstance(error, sql.PolicyViolation)
        assert (error.kind, error.name, error.offset) == ("FUNCTION", name, at)
        assert error.text_so_far == text[:at]
        assert error.reason is not None and name in error.reason
        assert error.reason in str(error)
    stream = sql.SqlStream(dialect, allow=sql.READ_ONLY)
    stream.feed(text[:at])  # the name alone is no call yet
    with pytest.raises(sql.PolicyViolation):
        stream.feed("(")


def test_a_known_side_effect_says_what_it_does() -> None:
    error = refused("SELECT set_config('a', 'b', false)")
    assert error is not None and error.reason is not None
    assert "changes a setting" in error.reason
    error = refused("SELECT SYSTEM$CANCEL_QUERY('x')", "snowflake")
    assert error is not None and error.reason is not None and "system procedure" in error.reason


def test_a_name_too_long_for_any_list_is_refused_and_shown_cut() -> None:
    name = "f" * 1000
    error = refused(f"SELECT {name}(1)")
    assert error is not None and error.name == "f" * _functions.NAME_LIMIT + "…"


def test_the_effect_is_a_fact_without_a_policy_and_a_policy_may_allow_it() -> None:
    [statement] = sql.split("SELECT pg_sleep(1)", "postgres")
    assert statement.effects == {"SELECT", "FUNCTION"}
    assert run(["SELECT pg_sleep(1)"], "postgres", allow={"SELECT", "FUNCTION"}).error is None


def test_a_callable_policy_sees_the_function_effect() -> None:
    seen: list[frozenset[str]] = []

    def judge(statement: sql.Statement) -> bool:
        seen.append(statement.effects)
        return "FUNCTION" not in statement.effects

    error = run(["SELECT 1; SELECT lower(a), pg_sleep(1)"], "postgres", allow=judge).error
    assert isinstance(error, sql.PolicyViolation) and error.statement_index == 1
    assert seen[-1] == {"SELECT", "FUNCTION"}


# -- what is not a call ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dialect", "text", "allow"),
    [
        ("postgres", "INSERT INTO t (a, b) VALUES (1, 2)", {"INSERT"}),
        ("tsql", "INSERT t (a) VALUES (1)", {"INSERT"}),
        ("postgres", "CREATE FUNCTION f(a int) RETURNS int AS $$ SELECT 1 $$", {"CREATE"}),
        ("postgres", "DROP FUNCTION f(int)", {"DROP"}),
        ("postgres", "CALL p(1)", {"CALL"}),
        ("tsql", "RAISERROR('x', 16, 1)", {"RAISERROR"}),
        ("postgres", "SELECT * FROM (SELECT 1) AS s(a) JOIN t USING (a)", {"SELECT"}),
        ("postgres", "SELECT x::varchar(10), CAST(y AS numeric(4, 1)) FROM t", {"SELECT"}),
        ("mysql", "SELECT 1.5 (", {"SELECT"}),
    ],
)
def test_names_that_are_defined_or_described_are_not_calls(
    dialect: str, text: str, allow: set[str]
) -> None:
    outcome = run([text], dialect, allow=allow)
    assert not isinstance(outcome.error, sql.PolicyViolation), outcome.error


def test_only_the_statement_s_own_call_is_exempt() -> None:
    error = run(["CALL p(pg_sleep(1))"], "postgres", allow={"CALL"}).error
    assert isinstance(error, sql.PolicyViolation) and error.name == "pg_sleep"
    error = run(["INSERT INTO t (a) SELECT pg_sleep(1)"], "postgres",
                allow={"INSERT", "SELECT"}).error  # fmt: skip
    assert isinstance(error, sql.PolicyViolation) and error.name == "pg_sleep"


# -- names the user allows ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dialect", "allowed", "call", "ok"),
    [
        ("postgres", "my_udf", "my_udf(1)", True),
        ("postgres", "my_udf", "MY_UDF(1)", True),  # folds to my_udf
        ("postgres", "my_udf", '"my_udf"(1)', True),
        ("postgres", "my_udf", '"MY_UDF"(1)', False),  # another function
        ("postgres", '"MixedCase"', '"MixedCase"(1)', True),
        ("postgres", '"MixedCase"', "MixedCase(1)", False),  # folds to mixedcase
        ("postgres", "app.safe_fn", "app.safe_fn(1)", True),
        ("postgres", "app.safe_fn", "safe_fn(1)", False),
        ("postgres", "app.safe_fn", "other.safe_fn(1)", False),
        ("postgres", ' app . "Safe" ', 'APP."Safe"(1)', True),
        ("snowflake", "my_udf", "my_udf(1)", True),  # both fold to MY_UDF
        ("snowflake", "my_udf", '"MY_UDF"(1)', True),
        ("snowflake", "my_udf", '"my_udf"(1)', False),
        ("mysql", "My_Udf", "MY_UDF(1)", True),  # names compare without case
        ("mysql", "my_udf", "`my_udf`(1)", True),
        ("bigquery", '"proj.ds.f"', "`proj.ds.f`(1)", True),
        ("tsql", "dbo.fn_safe", "dbo.FN_SAFE(1)", True),
        ("tsql", "dbo.fn_safe", "[dbo].[fn_safe](1)", True),
    ],
)
def test_user_allowed_names_resolve_as_the_engine_resolves_them(
    dialect: str, allowed: str, call: str, ok: bool
) -> None:
    error = refused(f"SELECT {call}", dialect, functions={allowed})
    assert (error is None) == ok, error
    if error is not None:
        assert error.kind == "FUNCTION"


@pytest.mark.parametrize(
    ("dialect", "call", "ok"),
    [
        ("postgres", '"lower"(a)', True),
        ("postgres", '"LOWER"(a)', False),
        ("postgres", '"pg_catalog"."lower"(a)', True),
        ("postgres", "public.lower(a)", False),  # a user's function in public
        ("snowflake", '"UPPER"(a)', True),
        ("snowflake", '"upper"(a)', False),
        ("mysql", "`lower`(a)", False),  # quoted, without a fold: never taken for a built-in
        ("sqlite", '"lower"(a)', False),
        ("tsql", "[LOWER](a)", False),
        ("bigquery", "SAFE.SUBSTR(a, 1)", True),
        ("bigquery", "net.host(a)", True),
    ],
)
def test_quoted_and_qualified_built_ins(dialect: str, call: str, ok: bool) -> None:
    assert (refused(f"SELECT {call} FROM t", dialect) is None) == ok


def test_malformed_function_options_are_refused() -> None:
    with pytest.raises(TypeError):
        sql.SqlStream("postgres", functions="my_udf")
    for bad in ("", "a..b", '"open', "a b"):
        with pytest.raises(ValueError, match="malformed function name"):
            sql.SqlStream("postgres", functions={bad})


# -- the lists ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dialect", DIALECTS)
def test_each_dialect_has_a_list_and_no_known_side_effect_is_on_it(dialect: str) -> None:
    facts = _functions.FACTS[dialect]
    assert len(facts.builtins) >= 80
    known = {_functions.FACTS[d].resolve(n, quoted=False) for d in DIALECTS
             for n in _functions.FACTS[d].reasons}  # fmt: skip
    assert not {name[-1] for name in facts.builtins} & known
    assert all(re.fullmatch(r"[a-zA-Z_][\w$]*", part) for name in facts.builtins for part in name)


# -- chunk independence ------------------------------------------------------------------------
_CALLS = st.sampled_from([
    "lower", "pg_sleep", "pg_catalog.lower", "pg_catalog.pg_sleep", '"lower"', '"LOWER"',
    "my_udf", "app.f", "f" * 20, "IN", "EXISTS", "AS x", "1", "@v", ":: numeric", "a.b.c",
])  # fmt: skip


@given(data=st.data(), dialect=st.sampled_from(DIALECTS),
       calls=st.lists(_CALLS, min_size=1, max_size=4),
       spaces=st.sampled_from(["", " ", " /* c */ ", "\n"]))  # fmt: skip
def test_calls_are_judged_the_same_however_the_text_is_cut(
    data: st.DataObject, dialect: str, calls: list[str], spaces: str
) -> None:
    text = "SELECT " + ", ".join(f"{call}{spaces}(1)" for call in calls) + " FROM t"
    chunks = data.draw(chunkings(text))
    free = run([text], dialect, functions={"my_udf"})
    assert run(chunks, dialect, functions={"my_udf"}).statements == free.statements
    whole = run([text], dialect, allow=sql.READ_ONLY, functions={"my_udf"})
    split = run(chunks, dialect, allow=sql.READ_ONLY, functions={"my_udf"})
    assert split.outcome == whole.outcome
    assert split.events == free.events[: len(split.events)]
    if isinstance(whole.error, sql.PolicyViolation):
        assert whole.error.name == split.error.name  # type: ignore[union-attr]


# -- validate=True never raises a foreign exception --------------------------------------------
def test_nesting_deeper_than_sqlglot_can_parse_is_a_syntax_error_at_the_level_too_deep() -> None:
    text = "SELECT " + "(" * 200 + "1" + ")" * 200
    for chunks in ([text], one_by_one(text)):
        error = run(chunks, "postgres", validate=True).error
        assert isinstance(error, sql.SqlSyntaxError)
        assert error.offset == len("SELECT ") + VALIDATE_DEPTH  # the first '(' too many
        assert "too deep" in error.message
    shallow = "SELECT " + "(" * VALIDATE_DEPTH + "1" + ")" * VALIDATE_DEPTH
    assert run([shallow], "postgres", validate=True).error is None


def test_a_recursion_sqlglot_cannot_bound_is_reported_not_raised() -> None:
    text = "SELECT " + "NOT " * 600 + "1"
    error = run([text], "mysql", validate=True).error
    assert isinstance(error, sql.SqlSyntaxError)
    events = run([text], "mysql", validate="report").events
    assert [e[0] for e in events].count("invalid") == 1


def test_any_sqlglot_failure_becomes_a_syntax_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlglot

    def broken(*args: object, **kwargs: object) -> None:
        raise IndexError("a bug")

    monkeypatch.setattr(sqlglot, "parse", broken)
    error = run(["SELECT 1"], "ansi", validate=True).error
    assert isinstance(error, sql.SqlSyntaxError) and "IndexError" in error.message


_NESTING = st.lists(
    st.sampled_from([
        "(", ")", "[", "]", "CASE WHEN a THEN ", " END", "NOT ", "- ", "f(", "SELECT ", " 1",
        ", ", " + ", "'x'", "/* c */", ";", " FROM t", " WHERE ", "EXISTS (", "ARRAY[",
    ]),
    max_size=300,
).map("".join)  # fmt: skip


@given(dialect=st.sampled_from(DIALECTS), body=_NESTING, depth=st.integers(0, 120))
def test_validate_never_raises_a_foreign_exception(dialect: str, body: str, depth: int) -> None:
    text = "SELECT " + "(" * depth + body + ")" * depth
    for validate in (True, "report"):
        outcome = run([text], dialect, validate=validate)
        assert outcome.error is None or isinstance(outcome.error, pj.PositionedError)
        if outcome.error is not None:
            assert 0 <= outcome.error.offset <= len(text)


def test_names_fold_ascii_letters_only_as_engines_do() -> None:
    # Python's upper() makes SUM of '\u017fum' (long s); no engine does, and a user function
    # by that name would run.
    assert refused("SELECT \u017fum(a) FROM t", "mysql") is not None
    assert refused("SELECT \u017fELECT(1)", "postgres") is not None
    assert refused("SELECT sum(a) FROM t", "mysql") is None


def test_calls_and_assignments_are_flagged() -> None:
    [call] = sql.split("SELECT pg_sleep(1)", "postgres")
    assert call.flags == sql.Flag.CALLS_FUNCTION
    [assignment] = sql.split("SELECT @n := 1", "mysql")
    assert (assignment.effects, assignment.flags) == ({"SELECT", "SET"}, sql.Flag.ASSIGNS_VARIABLE)


@pytest.mark.parametrize(
    ("dialect", "text"),
    [
        ("postgres", "VALUES (1), (pg_sleep(1))"),
        ("mysql", "SHOW TABLES WHERE SLEEP(1) = 0"),
        ("mysql", "DESCRIBE SELECT SLEEP(1)"),
        ("postgres", "EXPLAIN SELECT pg_sleep(1)"),
        ("postgres", "TABLE t; SELECT 1 UNION SELECT pg_sleep(1)"),
        ("tsql", "SELECT 1\nSELECT * FROM OPENQUERY(s, 'x')"),
        ("postgres", "WITH a AS (SELECT 1), b AS (SELECT pg_sleep(1)) SELECT * FROM a"),
    ],
)
def test_every_kind_of_read_has_its_calls_checked(dialect: str, text: str) -> None:
    """The classifier stops looking once a kind is settled; the calls are read to the end."""
    error = refused(text, dialect)
    assert error is not None and error.kind == "FUNCTION"


@pytest.mark.parametrize(
    ("text", "kind", "after"),
    [
        ("SELECT * FROM t (NOLOCK)", None, ""),
        ("SELECT * FROM t (ROWLOCK, XLOCK)", "SELECT FOR UPDATE", "XLOCK"),
        ("SELECT * FROM dbo.f (1)", "FUNCTION", "1"),
        ("SELECT * FROM t JOIN f ('x') ON 1 = 1", "FUNCTION", "'x'"),
        ("SELECT * FROM f ()", "FUNCTION", "("),
    ],
)
def test_t_sql_from_name_paren_is_decided_by_the_token_after_it(
    text: str, kind: str | None, after: str
) -> None:
    """SQL Server takes some table hints without WITH: FROM t (NOLOCK) is no call of t. The
    token after '(' decides: a hint, or else the call is certain when that token is read."""
    at = text.index(after) + len(after) if after not in ("", "(") else text.index(")")
    for chunks in ([text], one_by_one(text)):
        error = run(chunks, "tsql", allow=sql.READ_ONLY).error
        if kind is None:
            assert error is None
        else:
            assert isinstance(error, sql.PolicyViolation)
            assert (error.kind, error.offset) == (kind, at)


def test_end_case_closes_one_case_for_the_depth_bound() -> None:
    body = "CASE x WHEN 1 THEN SELECT 1; END CASE; " * 40
    stream = sql.SqlStream("mysql", validate="report")
    events = stream.feed(f"CREATE PROCEDURE p() BEGIN {body}END") + stream.end()
    problems = [e.error.message for e in events if isinstance(e, sql.StatementInvalid)]
    assert not any("too deep" in message for message in problems), problems
