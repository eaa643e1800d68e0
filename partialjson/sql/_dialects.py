"""SQL dialects as tables of facts: one state machine reads them all.

A dialect is a class whose attributes state facts, never code: how strings and quoted identifiers
open, close and escape; which comments exist and whether they nest; dollar quotes; which
characters make a word; where ``;`` does not end a statement (parentheses, ``BEGIN … END``
bodies, T-SQL batches); client commands (``GO``, ``DELIMITER``). A dialect subclasses
:class:`Dialect` (whose facts are ANSI SQL's) and overrides what differs; ``__init_subclass__``
compiles the tables into the regular expressions and dispatch table the scanner uses, once per
dialect. Sources for each fact: ``notes/sql.md`` (psql's lexer, the mysql client, SQLite's
``sqlite3_complete``, the GoogleSQL and SQL Server docs, sqlglot's tokenizers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import ClassVar, cast

Match = Callable[[str, int], "re.Match[str] | None"]
Run = Callable[[str, int], "re.Match[str]"]  # a run that may be empty: it always matches


@dataclass(frozen=True)
class Quote:
    """A string or quoted identifier: how it opens and closes, and what escapes its closer."""

    opener: str
    closer: str
    doubled: bool = True  # the closer written twice stands for itself: 'it''s'
    backslash: bool = False  # a backslash escapes the next character: 'it\'s'


@cache
def quote_run(quote: Quote) -> Run:
    """The characters inside ``quote`` that end nothing: all but its closer's first and ``\\``."""
    stops = quote.closer[0] + ("\\" if quote.backslash else "")
    return cast(Run, re.compile(f"[^{re.escape(stops)}]*").match)


@cache
def word_patterns(
    start: str, more: str, space: str, not_first: str, exclude: str
) -> tuple[Match, Run, Run]:
    """A word; the rest of one; and a run of ``space`` then perhaps a word (group 1) that does
    not begin with a character of ``not_first``. No word holds a character of ``exclude``."""
    first = re.escape("".join(c for c in start if c not in exclude))
    lead = re.escape("".join(c for c in start if c not in exclude + not_first))
    rest = re.escape("".join(c for c in more if c not in exclude))
    return (
        re.compile(rf"[\w{first}][\w{rest}]*").match,
        cast(Run, re.compile(rf"[\w{rest}]*").match),
        cast(Run, re.compile(rf"{space}([\w{lead}][\w{rest}]*)?").match),
    )


STRING = Quote("'", "'")
IDENTIFIER = Quote('"', '"')
BACKTICK = Quote("`", "`")

# Words after CREATE that name what is created: the first one met decides whether it has a body.
OBJECTS = frozenset({
    "TABLE", "VIEW", "INDEX", "FUNCTION", "PROCEDURE", "PROC", "TRIGGER", "EVENT", "SCHEMA",
    "DATABASE", "SEQUENCE", "TYPE", "DOMAIN", "USER", "ROLE", "EXTENSION", "RULE", "POLICY",
    "SERVER", "STAGE", "WAREHOUSE", "TASK", "STREAM", "PIPE",
})  # fmt: skip


class Dialect:
    """ANSI SQL; each other dialect overrides what differs."""

    name: ClassVar[str] = "ansi"
    sqlglot: ClassVar[str | None] = None  # sqlglot's read= name, for validate=True

    # -- lexical facts ------------------------------------------------------------------------
    QUOTES: ClassVar[tuple[Quote, ...]] = (STRING, IDENTIFIER)
    PREFIXED_QUOTES: ClassVar[dict[str, Quote]] = {}  # a word glued to ' changes it: E'…'
    LINE_COMMENTS: ClassVar[tuple[str, ...]] = ("--",)
    DASH_COMMENT_NEEDS_SPACE: ClassVar[bool] = False  # MySQL: '--' then whitespace or control
    NESTED_COMMENTS: ClassVar[bool] = True
    EXECUTABLE_COMMENTS: ClassVar[bool] = False  # MySQL: /*! … */ and /*M! … */ hold code
    COMMENT_MAY_END_INPUT: ClassVar[bool] = False  # SQLite: /* may run to the end of input
    DOLLAR_QUOTES: ClassVar[str] = ""  # "tagged": $tag$…$tag$; "plain": $$…$$ only
    WORD_START: ClassVar[str] = ""  # characters that start a word besides letters, digits, _
    WORD_MORE: ClassVar[str] = "$"  # characters that continue one

    # -- where statements end -----------------------------------------------------------------
    PARENS_HOLD_TERMINATOR: ClassVar[bool] = False  # psql: no split inside ( )
    GO_BATCHES: ClassVar[bool] = False  # T-SQL: a line 'GO [count]' ends the batch
    DELIMITER_COMMAND: ClassVar[bool] = False  # mysql client: DELIMITER x, \G, \g
    SCRIPTING: ClassVar[bool] = False  # BEGIN … END blocks may appear in any statement
    # Statements closed by END <word> (END IF, END LOOP): counted where a statement starts.
    COMPOUND: ClassVar[frozenset[str]] = frozenset({"IF", "LOOP", "WHILE", "REPEAT", "FOR", "CASE"})
    BEGIN_TRANSACTION: ClassVar[frozenset[str]] = frozenset()  # scripting: BEGIN TRAN, …
    BODY_OBJECTS: ClassVar[frozenset[str]] = frozenset({"FUNCTION", "PROCEDURE", "TRIGGER"})
    BATCH_OBJECTS: ClassVar[frozenset[str]] = frozenset()  # T-SQL: CREATE PROCEDURE … to GO
    DECLARE_OPENS_BLOCK: ClassVar[bool] = False  # Snowflake: DECLARE … BEGIN … END
    END_COMMITS: ClassVar[bool] = False  # a statement 'END [TRANSACTION]' is COMMIT
    # T-SQL needs no ';': a read ends where one of these words begins a new statement.
    STATEMENT_ONLY: ClassVar[frozenset[str]] = frozenset()

    # -- what statements do (the functions: _functions.py) ------------------------------------
    DESCRIBE_EXPLAINS: ClassVar[bool] = False  # MySQL: DESCRIBE [ANALYZE] SELECT is EXPLAIN
    FROM_FIRST: ClassVar[bool] = False  # BigQuery pipe syntax: a query may begin with FROM
    # T-SQL table hints (WITH (UPDLOCK)) that take locks a plain read does not, or hold them
    # to the end of the transaction.
    LOCKING_HINTS: ClassVar[frozenset[str]] = frozenset()

    # -- compiled by __init_subclass__ ----------------------------------------------------------
    WORD: ClassVar[Match]
    WORD_REST: ClassVar[Run]
    SPACE_WORD: ClassVar[Run]  # whitespace, then perhaps a word that no special starts
    QUOTES_BY_CHAR: ClassVar[dict[str, tuple[Quote, ...]]]
    SPECIALS: ClassVar[dict[str, str]]  # character -> name of the scanner's handler
    COMMENT_RUN: ClassVar[Run]
    DOLLAR_OPEN: ClassVar[Match]
    DOLLAR_PREFIX: ClassVar[Match]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        by_char: dict[str, list[Quote]] = {}
        for quote in sorted(cls.QUOTES, key=lambda q: -len(q.opener)):  # longest opener first
            by_char.setdefault(quote.opener[0], []).append(quote)
        cls.QUOTES_BY_CHAR = {char: tuple(quotes) for char, quotes in by_char.items()}
        specials = dict.fromkeys(by_char, "quote")
        specials.update({";": "terminator", "/": "slash"})
        if "--" in cls.LINE_COMMENTS:
            specials["-"] = "dash"
        if "#" in cls.LINE_COMMENTS:
            specials["#"] = "hash"
        if cls.DOLLAR_QUOTES:
            specials["$"] = "dollar"
        if cls.EXECUTABLE_COMMENTS:
            specials["*"] = "star"
        if cls.DELIMITER_COMMAND:
            specials["\\"] = "backslash"
        if cls.GO_BATCHES:
            specials["\n"] = "newline"
        cls.SPECIALS = specials
        cls.WORD, cls.WORD_REST, cls.SPACE_WORD = cls.words()
        comment_run = r"[^*/]*" if cls.NESTED_COMMENTS else r"[^*]*"  # '/' matters if it nests
        cls.COMMENT_RUN = cast(Run, re.compile(comment_run).match)
        tag = r"(?:[^\W\d]\w*)?" if cls.DOLLAR_QUOTES == "tagged" else ""
        cls.DOLLAR_OPEN = re.compile(rf"\${tag}\$").match
        cls.DOLLAR_PREFIX = re.compile(rf"\${tag}").fullmatch

    @classmethod
    def words(cls, exclude: str = "") -> tuple[Match, Run, Run]:
        """``word_patterns`` for this dialect; ``exclude``: a custom terminator's first
        character, which no word may hold."""
        space = r"[^\S\n]*" if cls.GO_BATCHES else r"\s*"  # T-SQL: GO looks for newlines
        specials = "".join(cls.SPECIALS)
        return word_patterns(cls.WORD_START, cls.WORD_MORE, space, specials, exclude)


class Ansi(Dialect):
    pass


class Postgres(Dialect):
    name = "postgres"
    sqlglot = "postgres"
    # E'…' takes C-style backslash escapes; plain '…' follow standard_conforming_strings.
    PREFIXED_QUOTES: ClassVar[dict[str, Quote]] = {"E": Quote("'", "'", backslash=True)}
    DOLLAR_QUOTES = "tagged"
    PARENS_HOLD_TERMINATOR = True
    COMPOUND = frozenset()  # psql counts BEGIN, CASE and END only
    BODY_OBJECTS = frozenset({"FUNCTION", "PROCEDURE"})  # BEGIN ATOMIC … END (PG 14)
    END_COMMITS = True


class MySQL(Dialect):
    name = "mysql"
    sqlglot = "mysql"
    QUOTES = (
        Quote("'", "'", backslash=True),
        Quote('"', '"', backslash=True),  # a string, unless ANSI_QUOTES
        BACKTICK,
    )
    LINE_COMMENTS = ("--", "#")
    DASH_COMMENT_NEEDS_SPACE = True
    NESTED_COMMENTS = False
    EXECUTABLE_COMMENTS = True
    WORD_START = "@$"
    DELIMITER_COMMAND = True
    COMPOUND = frozenset({"IF", "LOOP", "WHILE", "REPEAT", "CASE"})
    BODY_OBJECTS = frozenset({"FUNCTION", "PROCEDURE", "TRIGGER", "EVENT"})
    DESCRIBE_EXPLAINS = True


class SQLite(Dialect):
    name = "sqlite"
    sqlglot = "sqlite"
    QUOTES = (STRING, IDENTIFIER, BACKTICK, Quote("[", "]", doubled=False))
    NESTED_COMMENTS = False
    COMMENT_MAY_END_INPUT = True
    COMPOUND = frozenset()
    BODY_OBJECTS = frozenset({"TRIGGER"})
    END_COMMITS = True


class TSQL(Dialect):
    name = "tsql"
    sqlglot = "tsql"
    QUOTES = (STRING, IDENTIFIER, Quote("[", "]"))  # "…" an identifier (QUOTED_IDENTIFIER ON)
    WORD_START = "@#"  # @variable, #temp
    WORD_MORE = "$#@"
    GO_BATCHES = True
    SCRIPTING = True
    COMPOUND = frozenset()  # IF and WHILE take one statement or a BEGIN … END block
    BEGIN_TRANSACTION = frozenset(
        {"TRAN", "TRANSACTION", "DISTRIBUTED", "DIALOG", "CONVERSATION"}
    )
    BATCH_OBJECTS = frozenset({"PROCEDURE", "PROC", "FUNCTION", "TRIGGER", "VIEW"})
    STATEMENT_ONLY = frozenset({
        "INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER", "TRUNCATE", "EXEC", "EXECUTE",
        "GRANT", "REVOKE", "DENY", "DECLARE", "USE", "BEGIN", "COMMIT", "ROLLBACK", "SAVE",
        "PRINT", "IF", "WHILE", "RETURN", "WAITFOR", "BACKUP", "RESTORE", "DBCC", "KILL",
        "SHUTDOWN", "RAISERROR", "THROW", "BULK", "GOTO", "SET", "OPEN", "CLOSE", "DEALLOCATE",
    })  # fmt: skip
    # Not NOLOCK, ROWLOCK, PAGLOCK, TABLOCK: a plain read's shared locks, by another name.
    LOCKING_HINTS = frozenset(
        {"UPDLOCK", "XLOCK", "HOLDLOCK", "TABLOCKX", "SERIALIZABLE", "REPEATABLEREAD"}
    )


class BigQuery(Dialect):
    name = "bigquery"
    sqlglot = "bigquery"
    QUOTES = tuple(
        Quote(q, q, doubled=False, backslash=True) for q in ("'", '"', "'''", '"""', "`")
    )
    LINE_COMMENTS = ("--", "#")
    NESTED_COMMENTS = False
    WORD_START = "@"
    SCRIPTING = True
    BEGIN_TRANSACTION = frozenset({"TRANSACTION"})
    FROM_FIRST = True


class Snowflake(Dialect):
    name = "snowflake"
    sqlglot = "snowflake"
    QUOTES = (Quote("'", "'", backslash=True), IDENTIFIER)
    LINE_COMMENTS = ("--", "//")
    NESTED_COMMENTS = False
    DOLLAR_QUOTES = "plain"
    WORD_START = "$"  # $variable
    SCRIPTING = True
    BEGIN_TRANSACTION = frozenset({"TRANSACTION", "WORK", "NAME"})
    DECLARE_OPENS_BLOCK = True


DIALECTS: dict[str, type[Dialect]] = {
    d.name: d for d in (Ansi, Postgres, MySQL, SQLite, TSQL, BigQuery, Snowflake)
}


def dialect_named(name: str) -> type[Dialect]:
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"unknown SQL dialect {name!r}; one of: {', '.join(DIALECTS)}") from None
