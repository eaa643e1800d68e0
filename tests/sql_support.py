"""Shared SQL test tools: what a stream run observed, and generated scripts whose statements,
kinds and effects are known by construction (the oracle of the property tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import strategies as st

import partialjson as pj
from partialjson import sql

DIALECTS = sorted(sql.DIALECTS)


# -- what a run observed -----------------------------------------------------------------------
def event_key(event: sql.SqlEvent) -> tuple[Any, ...]:
    if isinstance(event, sql.StatementStarted):
        return ("started", event.index, event.offset)
    if isinstance(event, sql.KindDecided):
        return ("kind", event.index, event.kind, event.offset)
    if isinstance(event, sql.StatementCompleted):
        return ("completed", *statement_key(event.statement))
    if isinstance(event, sql.StatementInvalid):
        return ("invalid", event.statement.index, event.error.offset)
    return ("prose", event.text)


def statement_key(s: sql.Statement) -> tuple[Any, ...]:
    return (s.index, s.text, s.kind, s.start, s.end, s.flags, tuple(sorted(s.effects)))


@dataclass
class Run:
    events: list[tuple[Any, ...]] = field(default_factory=list)
    statements: list[sql.Statement] = field(default_factory=list)
    error: pj.PartialJSONError | None = None
    received: str = ""

    @property
    def outcome(self) -> tuple[Any, ...]:
        error = self.error
        if error is None:
            return ("ok",)
        kind = getattr(error, "kind", None)
        return ("error", type(error).__name__, getattr(error, "offset", None), kind)

    @property
    def split(self) -> list[tuple[str, str]]:
        return [(s.text, s.kind) for s in self.statements]


def run(chunks: Sequence[str], dialect: str = "ansi", **options: Any) -> Run:
    """Feed ``chunks``, then close; record events (adjacent prose merged) and the outcome."""
    stream = sql.SqlStream(dialect, **options)
    seen = Run()

    def record(events: list[sql.SqlEvent]) -> None:
        for event in events:
            key = event_key(event)
            if key[0] == "prose" and seen.events and seen.events[-1][0] == "prose":
                seen.events[-1] = ("prose", seen.events[-1][1] + key[1])
            else:
                seen.events.append(key)

    try:
        for chunk in chunks:
            record(stream.feed(chunk))
        record(stream.end())
    except pj.PartialJSONError as exc:
        seen.error = exc
    seen.statements = list(stream.statements)
    seen.received = stream.received
    return seen


def raises_first_at(offset: int, text: str, dialect: str, **options: Any) -> None:
    """The text before ``offset`` raises no PolicyViolation; its character (or the end) does."""
    stream = sql.SqlStream(dialect, **options)
    stream.feed(text[:offset])  # not yet certain
    with pytest.raises(sql.PolicyViolation):
        if offset < len(text):
            stream.feed(text[offset])
        else:
            stream.end()


def split(text: str, dialect: str = "ansi", **options: Any) -> list[tuple[str, str]]:
    return [(s.text, s.kind) for s in sql.split(text, dialect, **options)]


# -- generated scripts -------------------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    """A statement as tokens; ``decided`` is the token whose end decides ``forbidden`` (the
    effect a read-only policy refuses), if any — or whose start, with ``at_start`` (the '('
    of a call is certain as soon as it is read)."""

    tokens: tuple[str, ...]
    kind: str
    effects: frozenset[str]
    forbidden: str | None = None
    decided: int = 0
    at_start: bool = False


def t(
    text: str, kind: str, *effects: str, forbidden: str | None = None, decided: int = 0,
    at_start: bool = False,
) -> Template:
    tokens = tuple(text.split("|"))
    return Template(tokens, kind, frozenset(effects or (kind,)), forbidden, decided, at_start)


# Statements every dialect reads the same way (tokens separated by '|').
COMMON_READS = [
    t("SELECT|1", "SELECT"),
    t("SELECT|a|,|b|FROM|t|WHERE|c|=|1", "SELECT"),
    t("WITH|c|AS|(|SELECT|1|)|SELECT|*|FROM|c", "SELECT"),
    t("(|SELECT|1|)|UNION|(|SELECT|2|)", "SELECT"),
    t("SELECT|CASE|WHEN|a|THEN|1|ELSE|2|END|FROM|t", "SELECT"),
    # Calls of functions on every dialect's list of functions free of side effects.
    t("SELECT|lower|(|a|)|,|COUNT|(|*|)|,|coalesce|(|b|,|1|)|FROM|t|GROUP|BY|a", "SELECT"),
    t("SELECT|row_number|(|)|OVER|(|ORDER|BY|a|)|FROM|t|WHERE|a|IN|(|1|)", "SELECT"),
]
COMMON_WRITES = [
    t("DROP|TABLE|users", "DROP", forbidden="DROP"),
    t("DELETE|FROM|t|WHERE|a|=|1", "DELETE", forbidden="DELETE"),
    t("INSERT|INTO|t|VALUES|(|1|,|2|)", "INSERT", forbidden="INSERT"),
    t("UPDATE|t|SET|a|=|1", "UPDATE", forbidden="UPDATE"),
    t("CREATE|TABLE|t|(|a|int|)", "CREATE", forbidden="CREATE"),
    t("SELECT|*|INTO|t2|FROM|t", "SELECT", "SELECT", "SELECT INTO",
      forbidden="SELECT INTO", decided=2),
    t("EXPLAIN|ANALYZE|DELETE|FROM|t", "EXPLAIN", "EXPLAIN", "DELETE",
      forbidden="EXPLAIN", decided=0),
]  # fmt: skip

# Reads that hide a ';' (or a comment opener) in a string, identifier or comment.
LEXICAL_READS = {
    "ansi": [t("SELECT|'a;b''c'|AS|\"x;\"\"y\"", "SELECT")],
    "postgres": [
        t("SELECT|'a\\b'|,|$t$ ; ' $$ $t$|,|$$;$$|,|E'q\\';r'", "SELECT"),
        t("SELECT|price$usd$|FROM|t", "SELECT"),
    ],
    "mysql": [
        t("SELECT|'a\\\\;b'|,|\"c\\\\;d\"|,|`e;``f`|,|5--2", "SELECT"),
        t("SELECT|/*! 1 */|+|1", "SELECT"),
    ],
    "sqlite": [t("SELECT|'a;b''c'|,|[x;y]|,|`p;q`|,|\"r;s\"", "SELECT")],
    "tsql": [t("SELECT|N'a;b''c'|,|[x;]]y]|,|\"r;s\"", "SELECT")],
    "bigquery": [
        t("SELECT|'a\\';b'|,|\"\"\"c;\"d\"\"\"|,|'''e;'f'''|,|`g;h`|,|r'\\';'", "SELECT")
    ],
    "snowflake": [t("SELECT|'a\\';b''c'|,|$$ ; ' $$|,|\"x;y\"", "SELECT")],
}

# Statements with a body whose ';' do not end them.
BODIES = {
    "ansi": [
        t("CREATE|PROCEDURE|p|(|)|BEGIN|ATOMIC|IF|x|THEN|SELECT|1|;|END|IF|;|END",
          "CREATE", forbidden="CREATE")
    ],
    "postgres": [
        t("CREATE|FUNCTION|f|(|)|RETURNS|int|LANGUAGE|sql|BEGIN|ATOMIC|SELECT|1|;"
          "|SELECT|CASE|WHEN|true|THEN|2|END|;|END", "CREATE", forbidden="CREATE"),
        t("CREATE|RULE|r|AS|ON|INSERT|TO|t|DO|ALSO|(|INSERT|INTO|q|VALUES|(|1|)|;"
          "|DELETE|FROM|q|)", "CREATE", forbidden="CREATE"),
    ],
    "mysql": [
        t("CREATE|PROCEDURE|p|(|)|BEGIN|DECLARE|i|INT|DEFAULT|0|;|WHILE|i|<|3|DO|SET|i|=|i|+|1"
          "|;|END|WHILE|;|lbl|:|LOOP|LEAVE|lbl|;|END|LOOP|;|END", "CREATE", forbidden="CREATE"),
    ],
    "sqlite": [
        t("CREATE|TRIGGER|tr|AFTER|INSERT|ON|t|BEGIN|UPDATE|u|SET|n|=|CASE|WHEN|1|THEN|2|END"
          "|;|END", "CREATE", forbidden="CREATE"),
    ],
    "tsql": [
        t("IF|1|=|1|BEGIN|SELECT|1|;|END", "IF", forbidden="IF"),
        t("BEGIN|TRY|SELECT|1|;|END|TRY|BEGIN|CATCH|SELECT|2|;|END|CATCH", "BLOCK",
          forbidden="BLOCK", decided=1),
    ],
    "bigquery": [
        t("BEGIN|SELECT|1|;|IF|x|THEN|SELECT|2|;|END|IF|;|END", "BLOCK",
          forbidden="BLOCK", decided=1),
        t("IF|x|THEN|SELECT|IF|(|a|,|1|,|2|)|;|ELSE|SELECT|3|;|END|IF", "IF", forbidden="IF"),
    ],
    "snowflake": [
        t("BEGIN|SELECT|1|;|FOR|i|IN|1|TO|3|DO|SELECT|2|;|END|FOR|;|END", "BLOCK",
          forbidden="BLOCK", decided=1),
        t("DECLARE|x|INT|;|BEGIN|SELECT|1|;|END", "BLOCK", forbidden="BLOCK"),
    ],
}  # fmt: skip

# A call of a function with side effects, refused at its '('.
SIDE_EFFECT_CALLS = {
    "ansi": "frobnicate", "postgres": "pg_sleep", "mysql": "SLEEP", "sqlite": "load_extension",
    "tsql": "OPENQUERY", "bigquery": "EXTERNAL_QUERY", "snowflake": "SYSTEM$WAIT",
}  # fmt: skip


def side_effect_call(dialect: str) -> Template:
    return t(f"SELECT|{SIDE_EFFECT_CALLS[dialect]}|(|1|)", "SELECT", "SELECT", "FUNCTION",
             forbidden="FUNCTION", decided=2, at_start=True)  # fmt: skip


# Not T-SQL, where UPDATE would start a statement of its own.
LOCKING_READ = t("SELECT|*|FROM|t|FOR|UPDATE", "SELECT", "SELECT", "SELECT FOR UPDATE",
                 forbidden="SELECT FOR UPDATE", decided=5)  # fmt: skip
PG_DATA_MODIFYING = t(
    "WITH|d|AS|(|DELETE|FROM|t|RETURNING|*|)|SELECT|*|FROM|d", "SELECT", "SELECT", "DELETE",
    forbidden="DELETE", decided=5,
)

_BLOCK_COMMENT = {
    "ansi": ["/* ; */"],  # a nested one is ambiguous: engines differ
    "postgres": ["/* it's; */", "/* a /* ; */ b; */"],
    "tsql": ["/* ; */", "/* a /* ; */ b; */"],
}
_LINE_COMMENT = {"mysql": ["-- ;'\n", "# ;\n"], "bigquery": ["-- ;\n", "# ;\"\n"],
                 "snowflake": ["-- ;\n", "// ;'\n"]}  # fmt: skip


def reads(dialect: str) -> list[Template]:
    return COMMON_READS + LEXICAL_READS[dialect]


def templates(dialect: str) -> list[Template]:
    extra = [PG_DATA_MODIFYING] if dialect == "postgres" else []
    extra.append(side_effect_call(dialect))
    if dialect != "tsql":
        extra.append(LOCKING_READ)
    return reads(dialect) + COMMON_WRITES + BODIES[dialect] + extra


def comments(dialect: str) -> list[str]:
    return _BLOCK_COMMENT.get(dialect, ["/* ; */"]) + _LINE_COMMENT.get(dialect, ["-- ;'\n"])


@dataclass(frozen=True)
class Script:
    text: str
    statements: list[tuple[str, str]]  # text, kind
    effects: list[frozenset[str]]
    starts: list[int]
    templates: list[Template]
    token_ends: list[list[int]]  # per statement: the offset after each of its tokens


@st.composite
def scripts(
    draw: st.DrawFn, dialect: str, pool: list[Template] | None = None, max_statements: int = 5
) -> Script:
    """Statements from ``pool`` (default: every template of ``dialect``), with whitespace and
    comments between their tokens and between statements, ';' terminators (some doubled), and
    perhaps no terminator after the last."""
    chosen = draw(st.lists(st.sampled_from(pool or templates(dialect)), min_size=1,
                           max_size=max_statements))  # fmt: skip
    styles = st.sampled_from([" ", "\n", "  ", "\t"])
    comment = " " + comments(dialect)[0] + " "
    outer = st.sampled_from(["", " ", "\n", "\n\n", *comments(dialect), "; "])
    text = ""
    expected, effects, starts, token_ends = [], [], [], []
    for number, template in enumerate(chosen):
        text += draw(outer) if number else draw(outer).lstrip(";")
        if text and not text[-1].isspace():
            text += " "  # a comment must not glue to a word; ';' then a word is fine
        style = draw(styles)  # between tokens, and a comment between two of them
        commented = draw(st.integers(0, len(template.tokens)))
        start = len(text)
        ends = []
        for i, token in enumerate(template.tokens):
            if i:
                text += comment if i == commented else style
            text += token
            ends.append(len(text))
        expected.append((text[start:], template.kind))
        effects.append(template.effects)
        starts.append(start)
        token_ends.append(ends)
        last = number == len(chosen) - 1
        if not last or draw(st.booleans()):
            text += draw(st.sampled_from([";", ";", " ;", ";;", "; ;"]))
    text += draw(st.sampled_from(["", "\n", " "]))
    return Script(text, expected, effects, starts, list(chosen), token_ends)


@st.composite
def dialect_scripts(
    draw: st.DrawFn, reads_only: bool = False
) -> tuple[str, Script]:
    """A dialect, and a script in it."""
    dialect = draw(st.sampled_from(DIALECTS))
    return dialect, draw(scripts(dialect, pool=reads(dialect) if reads_only else None))
