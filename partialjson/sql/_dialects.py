"""SQL dialects as tables of facts: one state machine reads them all.

A dialect is a class whose attributes state facts, never code: how strings and quoted identifiers
open, close and escape; which comments exist and whether they nest; dollar quotes; which
characters make a word; where ``;`` does not end a statement (parentheses, ``BEGIN … END``
bodies, T-SQL batches); client commands (``GO``, ``DELIMITER``). A dialect subclasses
:class:`Dialect` (whose facts are ANSI SQL's) and overrides what differs; ``__init_subclass__``
compiles the tables into the regular expressions and dispatch table the scanner uses, once per
dialect. Facts that a server setting decides name the setting (``Quote.unless``); command-line
clients are tables too (``CLIENTS``); :func:`lexing` applies a stream's settings and client.
Sources for each fact: ``notes/sql.md`` (psql's lexer, the mysql client, SQLite's
``sqlite3_complete``, the GoogleSQL and SQL Server docs, sqlglot's tokenizers), PostgreSQL's
scan.l, MySQL's sql_lex.cc and mysql.cc, SQLite's tokenize.c, the psql and sqlcmd docs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
    # A backslash escapes the next character: 'it\'s'. None: a setting decides and is unknown.
    backslash: bool | None = False
    unless: tuple[str, ...] = ()  # settings that, when on, make the backslash ordinary
    unknown: str = ""  # backslash None: why (the settings that decide) …
    likely: bool = False  # … and the reading followed meanwhile: the server's default
    substitution: bool = False  # sqlcmd replaces $(name) even inside quotes


@cache
def quote_run(quote: Quote) -> Run:
    """The characters inside ``quote`` that end nothing: all but its closer's first, ``\\``
    and (with sqlcmd) ``$``."""
    stops = quote.closer[0] + ("" if quote.backslash is False else "\\")
    stops += "$" if quote.substitution else ""
    return cast(Run, re.compile(f"[^{re.escape(stops)}]*").match)


@cache
def word_patterns(
    start: str, more: str, space: str, not_first: str, exclude: str, non_ascii: bool
) -> tuple[Match, Run, Run]:
    """A word; the rest of one; and a run of ``space`` then perhaps a word (group 1) that does
    not begin with a character of ``not_first``. No word holds a character of ``exclude``;
    with ``non_ascii``, every character from U+0080 is a word character."""
    w = r"\w\x80-\U0010ffff" if non_ascii else r"\w"
    first = re.escape("".join(c for c in start if c not in exclude))
    lead = re.escape("".join(c for c in start if c not in exclude + not_first))
    rest = re.escape("".join(c for c in more if c not in exclude))
    return (
        re.compile(rf"[{w}{first}][{w}{rest}]*").match,
        cast(Run, re.compile(rf"[{w}{rest}]*").match),
        cast(Run, re.compile(rf"{space}([{w}{lead}][{w}{rest}]*)?").match),
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

# What a setting changes, said when it is unknown (None) and the text depends on it.
SETTING_FACTS = {
    "standard_conforming_strings": "PostgreSQL reads a backslash in '…' as an escape when "
    "standard_conforming_strings is off (standard_conforming_strings=None: unknown)",
    "no_backslash_escapes": "MySQL reads a backslash in a string as an escape unless sql_mode "
    "has NO_BACKSLASH_ESCAPES (no_backslash_escapes=None: unknown)",
    "ansi_quotes": "MySQL reads \"…\" as a string with backslash escapes unless sql_mode has "
    "ANSI_QUOTES (ansi_quotes=None: unknown)",
    "quoted_identifier": "T-SQL reads \"…\" as an identifier, or as a string with "
    "QUOTED_IDENTIFIER OFF; both double \"\" and take no backslash, so no boundary moves",
    "server_version": "MySQL runs /*!NNNNN … */ only from version NNNNN and /*M! … */ only on "
    "MariaDB; elsewhere they are comments (server_version=None: unknown)",
}


# The servers' defaults: the reading followed (after refusing) while a setting is unknown.
SETTING_DEFAULTS = {
    "standard_conforming_strings": True, "no_backslash_escapes": False, "ansi_quotes": False,
}  # fmt: skip


class Dialect:
    """ANSI SQL; each other dialect overrides what differs."""

    name: ClassVar[str] = "ansi"
    sqlglot: ClassVar[str | None] = None  # sqlglot's read= name, for validate=True

    # -- lexical facts ------------------------------------------------------------------------
    QUOTES: ClassVar[tuple[Quote, ...]] = (STRING, IDENTIFIER)
    PREFIXED_QUOTES: ClassVar[dict[str, Quote]] = {}  # a word glued to ' changes it: E'…'
    LINE_COMMENTS: ClassVar[tuple[str, ...]] = ("--",)
    # Does a bare CR end a line comment? None: engines differ, so code after one is ambiguous.
    LINE_COMMENT_CR: ClassVar[bool | None] = None
    DASH_COMMENT_NEEDS_SPACE: ClassVar[bool] = False  # MySQL: '--' then whitespace or control
    # Do /* … */ comments nest? None: engines differ (PostgreSQL and SQL Server nest them,
    # MySQL and SQLite do not), so a '/*' inside a comment is ambiguous.
    NESTED_COMMENTS: ClassVar[bool | None] = None
    EXECUTABLE_COMMENTS: ClassVar[bool] = False  # MySQL: /*! … */ and /*M! … */ hold code
    COMMENT_MAY_END_INPUT: ClassVar[bool] = False  # SQLite: /* may run to the end of input
    DOLLAR_QUOTES: ClassVar[str] = ""  # "tagged": $tag$…$tag$; "plain": $$…$$ only
    STRING_CONTINUATION: ClassVar[bool] = False  # PG: 'a'<newline>'b' is one constant
    WORD_START: ClassVar[str] = ""  # characters that start a word besides letters, digits, _
    WORD_MORE: ClassVar[str] = "$"  # characters that continue one
    NON_ASCII_WORDS: ClassVar[bool] = False  # every character from U+0080 is a word character
    TCL_PARAMETERS: ClassVar[str] = ""  # SQLite: $name(…) runs to a space or ')'
    FLOW_OPERATOR: ClassVar[str] = ""  # Snowflake: SELECT … ->> DELETE … runs both
    SETTINGS: ClassVar[tuple[str, ...]] = ()  # the settings (SqlStream options) it reads
    # Words that, in a SET or RESET statement, change those settings: unknown from there on.
    SETTING_WORDS: ClassVar[dict[str, tuple[str, ...]]] = {}

    # -- where statements end -----------------------------------------------------------------
    PARENS_HOLD_TERMINATOR: ClassVar[bool] = False  # psql: no split inside ( )
    GO_BATCHES: ClassVar[bool] = False  # T-SQL: a line 'GO [count]' ends the batch
    DELIMITER_COMMAND: ClassVar[bool] = False  # mysql client: DELIMITER x, \G, \g
    SCRIPTING: ClassVar[bool] = False  # BEGIN … END blocks may appear in any statement
    BEGIN_ANYWHERE: ClassVar[bool] = False  # BEGIN is reserved: a block wherever it appears
    # Statements closed by END <word> (END IF, END LOOP): counted where a statement starts.
    COMPOUND: ClassVar[frozenset[str]] = frozenset({"IF", "LOOP", "WHILE", "REPEAT", "FOR", "CASE"})
    BEGIN_TRANSACTION: ClassVar[frozenset[str]] = frozenset()  # scripting: BEGIN TRAN, …
    BODY_OBJECTS: ClassVar[frozenset[str]] = frozenset({"FUNCTION", "PROCEDURE", "TRIGGER"})
    BATCH_OBJECTS: ClassVar[frozenset[str]] = frozenset()  # T-SQL: CREATE PROCEDURE … to GO
    DECLARE_OPENS_BLOCK: ClassVar[bool] = False  # Snowflake: DECLARE … BEGIN … END
    END_COMMITS: ClassVar[bool] = False  # a statement 'END [TRANSACTION]' is COMMIT
    # T-SQL needs no ';': a read ends where one of these words begins a new statement …
    STATEMENT_ONLY: ClassVar[frozenset[str]] = frozenset()
    # … unless the word before says it continues the read (OFFSET 5 ROWS FETCH NEXT …).
    CONTINUES_AFTER: ClassVar[dict[str, frozenset[str]]] = {}
    # Clients that may read this dialect's text: with client=None, their commands are refused.
    CLIENTS: ClassVar[tuple[str, ...]] = ()

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
    SPECIALS: ClassVar[dict[str, str]]  # character -> name of the scanner's handler
    COMMENT_RUN: ClassVar[Run]
    COMMENT_END: ClassVar[Match]  # searches the end of a line comment
    DOLLAR_OPEN: ClassVar[Match]
    DOLLAR_PREFIX: ClassVar[Match]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        specials = {quote.opener[0]: "quote" for quote in cls.QUOTES}
        specials.update({";": "terminator", "/": "slash"})
        if "--" in cls.LINE_COMMENTS:
            specials["-"] = "dash"
        if "#" in cls.LINE_COMMENTS:
            specials["#"] = "hash"
        if cls.DOLLAR_QUOTES:
            specials["$"] = "dollar"
        if cls.EXECUTABLE_COMMENTS:
            specials["*"] = "star"
        if cls.GO_BATCHES:
            specials["\n"] = "newline"
        cls.SPECIALS = specials
        cls.WORD, cls.WORD_REST, cls.SPACE_WORD = cls.words()
        # '/' matters where a comment may nest
        comment_run = r"[^*]*" if cls.NESTED_COMMENTS is False else r"[^*/]*"
        cls.COMMENT_RUN = cast(Run, re.compile(comment_run).match)
        cls.COMMENT_END = re.compile(r"\n" if cls.LINE_COMMENT_CR is False else r"[\r\n]").search
        # psql: a tag starts with a letter, '_' or any byte from 0x80 and goes on with digits.
        tag = r"(?:[A-Za-z_\x80-\U0010ffff][\w\x80-\U0010ffff]*)?"
        tag = tag if cls.DOLLAR_QUOTES == "tagged" else ""
        cls.DOLLAR_OPEN = re.compile(rf"\${tag}\$").match
        cls.DOLLAR_PREFIX = re.compile(rf"\${tag}").fullmatch

    @classmethod
    def words(cls, exclude: str = "", lines: bool = False) -> tuple[Match, Run, Run]:
        """``word_patterns`` for this dialect; ``exclude``: characters no word may hold (a
        custom terminator's first); ``lines``: newlines are read one by one (line commands)."""
        lines = lines or cls.GO_BATCHES  # T-SQL: GO looks for newlines
        if cls.NON_ASCII_WORDS:  # U+00A0 and friends are word characters, not spaces
            space = r"[ \t\r\f\v]*" if lines else r"[ \t\n\r\f\v]*"
        else:
            space = r"[^\S\n]*" if lines else r"\s*"
        specials = "".join(cls.SPECIALS)
        return word_patterns(
            cls.WORD_START, cls.WORD_MORE, space, specials, exclude, cls.NON_ASCII_WORDS
        )


class Ansi(Dialect):
    CLIENTS = ("psql", "sqlite3", "snowsql")


class Postgres(Dialect):
    name = "postgres"
    sqlglot = "postgres"
    # Plain '…' take backslash escapes only with standard_conforming_strings off; E'…' always;
    # U&'…' never (the lexer reads them as standard strings, then decodes \XXXX).
    QUOTES = (
        Quote("'", "'", backslash=True, unless=("standard_conforming_strings",)),
        IDENTIFIER,
    )
    PREFIXED_QUOTES: ClassVar[dict[str, Quote]] = {
        "E": Quote("'", "'", backslash=True),
        "U&": STRING,
    }
    LINE_COMMENT_CR = True  # scan.l: comment ("--"{non_newline}*), non_newline [^\n\r]
    NESTED_COMMENTS = True  # scan.l: xcstart in <xc> pushes a level
    DOLLAR_QUOTES = "tagged"
    STRING_CONTINUATION = True
    NON_ASCII_WORDS = True  # scan.l: ident_start [A-Za-z\200-\377_]
    SETTINGS = ("standard_conforming_strings",)
    SETTING_WORDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "STANDARD_CONFORMING_STRINGS": SETTINGS, "ALL": SETTINGS,  # RESET ALL
    }  # fmt: skip
    PARENS_HOLD_TERMINATOR = True
    COMPOUND = frozenset()  # psql counts BEGIN, CASE and END only
    BODY_OBJECTS = frozenset({"FUNCTION", "PROCEDURE"})  # BEGIN ATOMIC … END (PG 14)
    END_COMMITS = True
    CLIENTS = ("psql",)


class MySQL(Dialect):
    name = "mysql"
    sqlglot = "mysql"
    QUOTES = (
        Quote("'", "'", backslash=True, unless=("no_backslash_escapes",)),
        # a string, unless ANSI_QUOTES makes it an identifier (no backslash escapes)
        Quote('"', '"', backslash=True, unless=("no_backslash_escapes", "ansi_quotes")),
        BACKTICK,
    )
    LINE_COMMENTS = ("--", "#")
    LINE_COMMENT_CR = False  # sql_lex.cc: a comment runs to '\n'
    DASH_COMMENT_NEEDS_SPACE = True
    NESTED_COMMENTS = False
    EXECUTABLE_COMMENTS = True
    WORD_START = "@$"
    NON_ASCII_WORDS = True  # unquoted identifiers take U+0080 .. U+FFFF
    SETTINGS = ("no_backslash_escapes", "ansi_quotes", "server_version")
    SETTING_WORDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "SQL_MODE": ("no_backslash_escapes", "ansi_quotes"),
        "@SQL_MODE": ("no_backslash_escapes", "ansi_quotes"),  # @@sql_mode: "@", "@SQL_MODE"
    }
    DELIMITER_COMMAND = True
    COMPOUND = frozenset({"IF", "LOOP", "WHILE", "REPEAT", "CASE"})
    BODY_OBJECTS = frozenset({"FUNCTION", "PROCEDURE", "TRIGGER", "EVENT"})
    CLIENTS = ("mysql",)
    DESCRIBE_EXPLAINS = True


class SQLite(Dialect):
    name = "sqlite"
    sqlglot = "sqlite"
    QUOTES = (STRING, IDENTIFIER, BACKTICK, Quote("[", "]", doubled=False))
    LINE_COMMENT_CR = False  # tokenize.c: a comment runs to '\n'
    NESTED_COMMENTS = False
    COMMENT_MAY_END_INPUT = True
    NON_ASCII_WORDS = True  # tokenize.c: IdChar() holds every byte from 0x80
    TCL_PARAMETERS = "$@:#"
    COMPOUND = frozenset()
    BODY_OBJECTS = frozenset({"TRIGGER"})
    END_COMMITS = True
    CLIENTS = ("sqlite3",)


class TSQL(Dialect):
    name = "tsql"
    sqlglot = "tsql"
    QUOTES = (STRING, IDENTIFIER, Quote("[", "]"))  # "…" an identifier (QUOTED_IDENTIFIER ON)
    WORD_START = "@#"  # @variable, #temp
    WORD_MORE = "$#@"
    SETTINGS = ("quoted_identifier",)
    NESTED_COMMENTS = True  # "Slash Star (Block Comment)": nested comments are supported
    GO_BATCHES = True
    SCRIPTING = True
    BEGIN_ANYWHERE = True  # a reserved word: BEGIN follows IF/WHILE conditions unmarked
    COMPOUND = frozenset()  # IF and WHILE take one statement or a BEGIN … END block
    BEGIN_TRANSACTION = frozenset(
        {"TRAN", "TRANSACTION", "DISTRIBUTED", "DIALOG", "CONVERSATION"}
    )
    BATCH_OBJECTS = frozenset({"PROCEDURE", "PROC", "FUNCTION", "TRIGGER", "VIEW"})
    # The statements of the SQL Server docs' Transact-SQL reference that can follow a SELECT
    # without ';' (reserved words, and the unreserved RECEIVE, SEND, GET, MOVE, ENABLE, DISABLE,
    # THROW, COPY, RENAME, refused as aliases rather than missed as statements). Not END (CASE …
    # END), WITH (needs ';' before a CTE), SELECT (UNION SELECT), ELSE (CASE … ELSE).
    STATEMENT_ONLY = frozenset({
        "INSERT", "UPDATE", "DELETE", "MERGE", "DROP", "CREATE", "ALTER", "TRUNCATE", "EXEC",
        "EXECUTE", "GRANT", "REVOKE", "DENY", "DECLARE", "USE", "BEGIN", "COMMIT", "ROLLBACK",
        "SAVE", "PRINT", "IF", "WHILE", "BREAK", "CONTINUE", "RETURN", "GOTO", "WAITFOR",
        "BACKUP", "RESTORE", "DBCC", "KILL", "SHUTDOWN", "CHECKPOINT", "RECONFIGURE",
        "RAISERROR", "THROW", "BULK", "SET", "OPEN", "FETCH", "CLOSE", "DEALLOCATE", "READTEXT",
        "WRITETEXT", "UPDATETEXT", "SETUSER", "REVERT", "DUMP", "LOAD", "LINENO", "ADD",
        "ENABLE", "DISABLE", "RECEIVE", "SEND", "GET", "MOVE", "COPY", "RENAME",
    })  # fmt: skip
    CONTINUES_AFTER: ClassVar[dict[str, frozenset[str]]] = {
        "FETCH": frozenset({"ROW", "ROWS"}),  # OFFSET n ROWS FETCH NEXT …
        "MERGE": frozenset({"INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS"}),  # join hint
    }
    CLIENTS = ("sqlcmd",)
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
    FLOW_OPERATOR = "->>"
    SCRIPTING = True
    BEGIN_TRANSACTION = frozenset({"TRANSACTION", "WORK", "NAME"})
    DECLARE_OPENS_BLOCK = True
    CLIENTS = ("snowsql",)


DIALECTS: dict[str, type[Dialect]] = {
    d.name: d for d in (Ansi, Postgres, MySQL, SQLite, TSQL, BigQuery, Snowflake)
}


def dialect_named(name: str) -> type[Dialect]:
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"unknown SQL dialect {name!r}; one of: {', '.join(DIALECTS)}") from None


# -- clients -----------------------------------------------------------------------------------
HARMLESS = "harmless"  # a client command that neither runs, reads, writes nor changes what runs


@dataclass(frozen=True)
class Client:
    """A command-line client's meta-commands, as facts: how they start, and what each does.

    ``commands`` maps a command's name to HARMLESS (it neither runs, reads, writes nor changes
    what runs) or the reason it is refused; a command not listed is refused with ``unknown``.
    ``sends``: the commands that send the statement so far (they end it).
    """

    name: str
    backslash: str = ""  # '\' in code starts a command: "word" (psql \gexec) or "char" (mysql \!)
    line: str = ""  # characters that start a command at a line start: sqlcmd ':' and '!'
    statement_line: str = ""  # … at a line start where no statement is pending: sqlite3 '.'
    words: frozenset[str] = frozenset()  # command words at a line start (sqlcmd EXIT, ED …)
    statement_words: frozenset[str] = frozenset()  # … that start a statement (mysql source)
    substitution: str = ""  # text that substitutes a variable anywhere: sqlcmd '$('
    interpolation: bool = False  # psql: :name, :'name', :"name" outside quotes
    commands: dict[str, str] = field(default_factory=dict)
    sends: frozenset[str] = frozenset()
    unknown: str = "a client command not known to be harmless"


RUNS_SHELL = "runs a shell command"
RUNS_FILE = "runs the statements of a file"
WRITES_FILE = "writes to a file"
# fmt: off
CLIENTS: dict[str, Client] = {
    "psql": Client(
        # psql puts :name's value into the text: anywhere if named, else refused at line starts
        "psql", backslash="word", interpolation=True, line=":",
        commands={
            "g": HARMLESS, "gx": HARMLESS, "gexec": "runs each cell of the result as a statement",
            "gset": "stores the result in variables that change later statements",
            "!": RUNS_SHELL, "copy": "reads or writes a file, or runs a program",
            "o": "writes results to a file or pipes them to a shell command",
            "out": "writes results to a file or pipes them to a shell command",
            "i": RUNS_FILE, "ir": RUNS_FILE, "include": RUNS_FILE,
            "include_relative": RUNS_FILE, "w": WRITES_FILE, "write": WRITES_FILE,
            "s": WRITES_FILE, "set": "sets a variable that changes later statements",
            "watch": "runs the statement again and again",
            "x": HARMLESS, "timing": HARMLESS, "d": HARMLESS, "d+": HARMLESS, "dt": HARMLESS,
            "dt+": HARMLESS, "dn": HARMLESS, "df": HARMLESS, "dv": HARMLESS, "di": HARMLESS,
            "ds": HARMLESS, "du": HARMLESS, "dx": HARMLESS, "l": HARMLESS, "list": HARMLESS,
            "conninfo": HARMLESS, "q": HARMLESS, "quit": HARMLESS, "?": HARMLESS,
        },
        sends=frozenset({"g", "gx", "gexec", "gset", "gdesc", "watch", "crosstabview"}),
        unknown="a psql meta-command not known to be harmless",
    ),
    "mysql": Client(
        "mysql", backslash="char",
        statement_words=frozenset({
            "SYSTEM", "SOURCE", "TEE", "PAGER", "EDIT", "CONNECT", "CHARSET", "PROMPT",
            "RESETCONNECTION", "QUERY_ATTRIBUTES", "CLEAR",
        }),
        commands={
            "g": HARMLESS, "G": HARMLESS, "!": RUNS_SHELL, "system": RUNS_SHELL, ".": RUNS_FILE,
            "source": RUNS_FILE, "T": WRITES_FILE, "tee": WRITES_FILE,
            "P": "pipes output through a shell command", "pager": "pipes output through a "
            "shell command", "e": "runs an editor", "edit": "runs an editor",
            "d": "changes the delimiter without being followed", "c": "discards the statement",
            "clear": "discards the statement", "W": HARMLESS, "w": HARMLESS, "s": HARMLESS,
            "p": HARMLESS, "t": HARMLESS, "n": HARMLESS, "q": HARMLESS,
        },
        sends=frozenset({"g", "G"}),
        unknown="a mysql client command not known to be harmless",
    ),
    "sqlcmd": Client(
        "sqlcmd", line=":!", words=frozenset({"ED", "RESET", "EXIT", "QUIT"}),
        substitution="$(",
        commands={
            "r": RUNS_FILE, "setvar": "sets a variable that $(name) puts into later text",
            "connect": "connects to another server", "!!": RUNS_SHELL,
            "out": WRITES_FILE, "error": WRITES_FILE, "perftrace": WRITES_FILE,
            "exit": "runs the query in :EXIT(…)", "ed": "runs an editor",
            "reset": "discards the batch", "on": "changes what runs after an error",
            "$(": "replaces $(name) with a variable before the server reads the text",
            "listvar": HARMLESS, "help": HARMLESS, "serverlist": HARMLESS, "quit": HARMLESS,
            "xml": HARMLESS,
        },
        unknown="an sqlcmd command not known to be harmless",
    ),
    # Only refused (client=None): the sqlite3 shell's dot-commands, snowsql's !commands.
    "sqlite3": Client("sqlite3", statement_line=".", unknown="an sqlite3 dot-command"),
    "snowsql": Client("snowsql", line="!", unknown="a snowsql command"),
}
# fmt: on
NAMED_CLIENTS = ("psql", "mysql", "sqlcmd")


@dataclass(frozen=True)
class Lexing:
    """What one stream reads: its dialect's facts with the settings and client applied."""

    dialect: type[Dialect]
    quotes: dict[str, tuple[Quote, ...]]  # by opening character, longest opener first
    prefixed: dict[str, Quote]
    server: tuple[str, int] | None  # ("mysql" | "mariadb", version as in /*!NNNNN)
    client: Client  # the named client, or every command style of the possible ones
    named: bool  # a client was named: its harmless commands pass
    settings: dict[str, object]  # as given

    def unsettled(self, names: tuple[str, ...]) -> Lexing:
        """The same, with the settings ``names`` unknown (the text changed them)."""
        settings = {**self.settings, **dict.fromkeys(names)}
        return lexing(self.dialect, self.client.name if self.named else None, settings)


def _resolve(quote: Quote, settings: dict[str, bool | None]) -> Quote:
    if not quote.unless or quote.backslash is False:
        return quote
    values = [settings.get(name) for name in quote.unless]
    if True in values:
        return replace(quote, backslash=False)
    if None in values:
        unset = [n for n, v in zip(quote.unless, values, strict=True) if v is None]
        unknown = "; ".join(SETTING_FACTS[name] for name in unset)
        likely = not any(SETTING_DEFAULTS[name] for name in unset)
        return replace(quote, backslash=None, unknown=unknown, likely=likely)
    return quote


_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


def server_version(text: str) -> tuple[str, int]:
    """``"8.0.36"``, ``"mysql 8.0.36"``, ``"10.11.6-MariaDB"`` -> (family, 80036 / 101106)."""
    m = _VERSION.search(text)
    if m is None:
        raise ValueError(f"server_version {text!r}: expected e.g. '8.0.36' or '10.11.6-MariaDB'")
    major, minor, patch = (int(g or 0) for g in m.groups())
    family = "mariadb" if "mariadb" in text.lower() else "mysql"
    return family, major * 10_000 + minor * 100 + patch


def lexing(dialect: type[Dialect], client: str | None, settings: dict[str, object]) -> Lexing:
    """``dialect`` read with ``settings`` (its SETTINGS; None or absent: unknown) and
    ``client`` (None: any of its CLIENTS may read it, so all their commands are refused)."""
    for name, value in settings.items():
        if name not in dialect.SETTINGS:
            known = ", ".join(dialect.SETTINGS) or "none"
            raise TypeError(f"{name!r} is not a {dialect.name} setting (its settings: {known})")
        expected = str if name == "server_version" else bool
        if value is not None and not isinstance(value, expected):
            raise TypeError(f"{name} takes {expected.__name__} or None, not {value!r}")
    flags = {k: v for k, v in settings.items() if isinstance(v, bool) or v is None}
    by_char: dict[str, list[Quote]] = {}
    for quote in sorted(dialect.QUOTES, key=lambda q: -len(q.opener)):  # longest opener first
        by_char.setdefault(quote.opener[0], []).append(_resolve(quote, flags))
    prefixed = {p: _resolve(q, flags) for p, q in dialect.PREFIXED_QUOTES.items()}
    version = settings.get("server_version")
    if client is None:
        styles = [CLIENTS[name] for name in dialect.CLIENTS]
        merged = Client(
            "",
            backslash=next((c.backslash for c in styles if c.backslash), ""),
            line="".join(c.line for c in styles),
            statement_line="".join(c.statement_line for c in styles),
            words=frozenset().union(*(c.words for c in styles)),
            statement_words=frozenset().union(*(c.statement_words for c in styles)),
            substitution=next((c.substitution for c in styles if c.substitution), ""),
            sends=frozenset().union(*(c.sends for c in styles)),
            unknown="a client command; no client was named (client=None), so none is "
            "known to be harmless",
        )
    elif client in NAMED_CLIENTS:
        merged = CLIENTS[client]
    else:
        raise ValueError(f"unknown client {client!r}; one of: {', '.join(NAMED_CLIENTS)}")
    if merged.substitution:
        for char, quotes in by_char.items():
            by_char[char] = [replace(q, substitution=True) for q in quotes]
    return Lexing(
        dialect,
        {char: tuple(quotes) for char, quotes in by_char.items()},
        prefixed,
        server_version(version) if isinstance(version, str) else None,
        merged,
        client is not None,
        settings,
    )
