"""Lexing differences, settings and clients: refused where certain, never before, whatever the
chunking; the reading followed without a policy; the options' errors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sql_support import DIALECTS, raises_first_at, run, split
from support import chunkings, one_by_one

from partialjson import sql

EARLIEST: list[tuple[str, str, dict[str, Any], str, str]] = [
    # dialect, text, options, refused effect, the text of the statement when it is refused
    ("postgres", "SELECT 'a\\'; DROP TABLE t", {}, "AMBIGUOUS", "SELECT 'a\\"),
    ("mysql", "SELECT \"a\\\"\" AS x", {"no_backslash_escapes": False}, "AMBIGUOUS",
     "SELECT \"a\\"),
    ("tsql", "SELECT 1 -- c\r x", {}, "AMBIGUOUS", "SELECT 1 -- c\r "),
    ("mysql", "SELECT 1 --\x7f x", {}, "AMBIGUOUS", "SELECT 1 --"),
    ("mysql", "SELECT 1\n--x", {}, "AMBIGUOUS", "SELECT 1\n--"),
    ("mysql", "SELECT 1 /*!50000 , 2 */", {}, "AMBIGUOUS", "SELECT 1 /*!50000"),
    ("sqlite", "SELECT $abc(x)", {}, "AMBIGUOUS", "SELECT $abc"),
    ("postgres", "SELECT 1 \\gexec", {"client": "psql"}, "CLIENT", "SELECT 1 \\gexec"),
    ("postgres", "SELECT 1 \\g /tmp/f", {"client": "psql"}, "CLIENT", "SELECT 1 \\g "),
    ("postgres", "SELECT :'v'", {"client": "psql"}, "CLIENT", "SELECT :"),
    ("mysql", "SELECT 1 \\! id", {"client": "mysql"}, "CLIENT", "SELECT 1 \\"),
    ("tsql", "SELECT 1\n:setvar x 1", {"client": "sqlcmd"}, "CLIENT", "SELECT 1\n:setvar"),
    ("tsql", "SELECT 'a$(x)'", {"client": "sqlcmd"}, "CLIENT", "SELECT 'a$"),
    ("snowflake", "SELECT 1 ->> DELETE FROM t", {}, "DELETE", "DELETE"),
    ("tsql", "SELECT 1\nRECONFIGURE", {}, "UNKNOWN", "RECONFIGURE"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("dialect", "text", "options", "kind", "so_far"),
    EARLIEST,
    ids=lambda value: repr(value)[:32],
)
def test_a_refusal_comes_at_the_character_that_makes_it_certain(
    dialect: str, text: str, options: dict[str, Any], kind: str, so_far: str
) -> None:
    offset = text.index(so_far) + len(so_far)
    for chunks in ([text], one_by_one(text)):
        error = run(chunks, dialect, allow=sql.READ_ONLY, **options).error
        assert isinstance(error, sql.PolicyViolation)
        assert (error.kind, error.offset, error.text_so_far) == (kind, offset, so_far)
    raises_first_at(offset, text, dialect, allow=sql.READ_ONLY, **options)


def test_a_refusal_says_why_and_names_the_command() -> None:
    error = run(["SELECT 'DROP TABLE t' \\gexec"], "postgres", allow=sql.READ_ONLY,
                client="psql").error  # fmt: skip
    assert isinstance(error, sql.PolicyViolation)
    assert (error.kind, error.name) == ("CLIENT", "gexec")
    assert error.reason == "\\gexec: runs each cell of the result as a statement"
    assert str(error).startswith("CLIENT is not allowed: \\gexec: runs each cell")
    error = run(["SELECT 'a\\'"], "mysql", allow=sql.READ_ONLY).error
    assert isinstance(error, sql.PolicyViolation)
    assert error.kind == "AMBIGUOUS"
    assert error.reason is not None and "NO_BACKSLASH_ESCAPES" in error.reason
    assert "no_backslash_escapes=None" in error.reason


SPLITS: list[tuple[str, str, dict[str, Any], list[tuple[str, str]], set[str]]] = [
    # dialect, text, options, statements, the effects of the first
    ("mysql", "SELECT 'a\\'; DROP t'", {}, [("SELECT 'a\\'; DROP t'", "SELECT")],
     {"SELECT", "AMBIGUOUS"}),  # the server's default reading, flagged
    ("postgres", "SELECT 'a\\'; DROP t", {}, [("SELECT 'a\\'", "SELECT"), ("DROP t", "DROP")],
     {"SELECT", "AMBIGUOUS"}),
    ("mysql", "SELECT 1 /*!90000 ; DROP t */", {"server_version": "8.0.36"},
     [("SELECT 1", "SELECT")], {"SELECT"}),  # a comment on 8.0
    ("mysql", "SELECT 1 /*!80000 , 2 */", {"server_version": "mysql 8.0.36"},
     [("SELECT 1 /*!80000 , 2 */", "SELECT")], {"SELECT"}),
    ("mysql", "/*M!100100 DELETE FROM t */", {"server_version": "8.0.36"}, [], set()),
    ("mysql", "DELIMITER \"$$\" ignored\nSELECT 1$$", {"client": "mysql"},
     [("SELECT 1", "SELECT")], {"SELECT"}),
    ("postgres", "SELECT E'a'\n'\\'; b'; SELECT 2", {},
     [("SELECT E'a'\n'\\'; b'", "SELECT"), ("SELECT 2", "SELECT")], {"SELECT"}),
    ("postgres", "SELECT 1 \\x\n, 2 \\g\nSELECT 3", {"client": "psql"},
     [("SELECT 1 \\x\n, 2", "SELECT"), ("SELECT 3", "SELECT")], {"SELECT"}),
    ("postgres", "SELECT 1 \\gexec\nSELECT 2", {},
     [("SELECT 1", "SELECT"), ("SELECT 2", "SELECT")], {"SELECT", "CLIENT"}),
    ("mysql", "\\! id\nSELECT 2", {}, [("\\!", "UNKNOWN"), ("SELECT 2", "SELECT")],
     {"UNKNOWN", "CLIENT"}),  # a command outside a statement is one of its own
    ("tsql", ":!! dir\nSELECT 2", {}, [(":!!", "UNKNOWN"), ("SELECT 2", "SELECT")],
     {"UNKNOWN", "CLIENT"}),
    ("tsql", "SELECT 1\n:r evil.sql\nSELECT 2", {"client": "sqlcmd"},
     [("SELECT 1\n:r evil.sql\nSELECT 2", "SELECT")], {"SELECT", "CLIENT"}),
    ("snowflake", "SELECT 1 ->> SELECT 2", {}, [("SELECT 1", "SELECT"), ("SELECT 2", "SELECT")],
     {"SELECT"}),
    ("bigquery", "SELECT begin, 1 FROM t; SELECT end", {},
     [("SELECT begin, 1 FROM t", "SELECT"), ("SELECT end", "SELECT")], {"SELECT"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("dialect", "text", "options", "expected", "effects"),
    SPLITS,
    ids=lambda value: repr(value)[:32],
)
def test_without_a_policy_one_reading_is_followed_and_the_effects_say_so(
    dialect: str, text: str, options: dict[str, Any], expected: list[tuple[str, str]],
    effects: set[str],
) -> None:  # fmt: skip
    assert split(text, dialect, **options) == expected
    seen = run(one_by_one(text), dialect, **options)
    assert seen.split == expected
    if expected:
        assert seen.statements[0].effects == effects


@pytest.mark.parametrize(
    ("dialect", "options", "error", "message"),
    [
        ("postgres", {"ansi_quotes": True}, TypeError, "'ansi_quotes' is not a postgres setting"),
        ("mysql", {"ansi_quotes": "yes"}, TypeError, "ansi_quotes takes bool or None"),
        ("mysql", {"server_version": 8}, TypeError, "server_version takes str or None"),
        ("mysql", {"server_version": "latest"}, ValueError, "server_version 'latest'"),
        ("ansi", {"client": "bash"}, ValueError, "unknown client 'bash'"),
    ],
)  # fmt: skip
def test_options_a_dialect_does_not_have_are_errors(
    dialect: str, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        sql.SqlStream(dialect, **options)


_TRICKY = st.lists(
    st.sampled_from([
        *"ab ;'\"`[]$-/*#!\\\n\r\x7f():.&", "DROP", "GO", "END", "BEGIN", "E'", "U&'", "/*!5",
        "/*!99999", "/*M!", "->>", "\\g", "\\gexec", "\\!", ":setvar", "!!", "$(", "$x(", "--",
        "DELIMITER ", "'//'", "\\;", "$\u00d7$", "\u00d7", "--\x01", "SELECT", "begin",
        "SET sql_mode ", "RESET ALL ", "SET standard_conforming_strings ",
    ])
).map("".join)  # fmt: skip
_OPTIONS: list[dict[str, Any]] = [
    {}, {"client": "psql"}, {"client": "mysql"}, {"client": "sqlcmd"},
]  # fmt: skip
_SETTINGS: dict[str, list[dict[str, Any]]] = {
    "mysql": [{"server_version": "8.0.36", "client": "mysql"}, {"server_version": "10.6.1-MariaDB",
              "no_backslash_escapes": False, "ansi_quotes": True}],
    "postgres": [{"standard_conforming_strings": False}],
}  # fmt: skip


@given(data=st.data(), dialect=st.sampled_from(DIALECTS), text=_TRICKY)
def test_refusals_and_readings_do_not_depend_on_chunk_boundaries(
    data: st.DataObject, dialect: str, text: str
) -> None:
    options = data.draw(st.sampled_from(_OPTIONS + _SETTINGS.get(dialect, [])))
    chunks = data.draw(chunkings(text))
    free = run([text], dialect, **options)
    assert run(chunks, dialect, **options).events == free.events
    whole = run([text], dialect, allow=sql.READ_ONLY, **options)
    cut = run(chunks, dialect, allow=sql.READ_ONLY, **options)
    assert cut.outcome == whole.outcome
    if whole.error is not None:
        assert isinstance(whole.error, (sql.SqlSyntaxError, sql.PolicyViolation))
        assert 0 <= whole.error.offset <= len(text)


@pytest.mark.parametrize("word", sorted(sql.DIALECTS["tsql"].STATEMENT_ONLY))
def test_each_tsql_statement_word_ends_a_read_and_is_refused(word: str) -> None:
    text = f"SELECT a b FROM t\n{word} x"
    assert run([text], "tsql").split[0] == ("SELECT a b FROM t", "SELECT")
    error = run([text], "tsql", allow=sql.READ_ONLY).error
    assert isinstance(error, sql.PolicyViolation)
    decided = f"{word} x" if word == "BEGIN" else word  # BEGIN x: a block, BEGIN TRAN: not
    assert (error.statement_index, error.text_so_far) == (1, decided)


@pytest.mark.parametrize(
    ("dialect", "text", "options"),
    [
        ("mysql", "SET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'a\\'; DROP TABLE t; -- '",
         {"no_backslash_escapes": False, "ansi_quotes": False}),
        ("mysql", "SET @@sql_mode = ''; SELECT 'a\\'; DROP TABLE t; -- '",
         {"no_backslash_escapes": False, "ansi_quotes": False}),
        ("postgres", "SET standard_conforming_strings = off; SELECT 'a\\'; DROP TABLE t; --'",
         {"standard_conforming_strings": True}),
        ("postgres", "RESET ALL; SELECT 'a\\'; DROP TABLE t; --'",
         {"standard_conforming_strings": True}),
    ],
)  # fmt: skip
def test_a_setting_the_text_changes_is_unknown_after_it(
    dialect: str, text: str, options: dict[str, Any]
) -> None:
    for chunks in ([text], one_by_one(text)):
        error = run(chunks, dialect, allow={"SELECT", "SET", "RESET"}, **options).error
        assert isinstance(error, sql.PolicyViolation)
        assert (error.kind, error.statement_index) == ("AMBIGUOUS", 1)
