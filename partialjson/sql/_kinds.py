"""What a statement is and what it does, decided from its tokens as they arrive.

A statement's *kind* is what it looks like: its leading keyword (``SELECT``, ``DROP``), after
the traps that hide it are resolved — ``WITH … <main statement>``, a leading ``(``, ``BEGIN``
that may open a block, ``TABLE t`` (a read). Its *effects* are the kinds it would execute: the
kind itself, plus writes hidden inside it — a data-modifying CTE, the statement an ``EXPLAIN
ANALYZE`` runs, ``SELECT … INTO`` (``"SELECT INTO"``), a locking read (``"SELECT FOR
UPDATE"``, also T-SQL's locking table hints) — and effects found beside the kind, each with a
reason (:meth:`Classifier.add_effect`): ``"FUNCTION"`` for a call not known to be free of side
effects (``_functions.py``), ``"SET"`` for MySQL's ``@v := …``. Its *flags* say which of those
facts were found. A policy that allows a set of kinds compares them with the effects; an exact
policy can read the flags.

Each decision is made at the first token that makes it certain, from the leading tokens and a few
facts tracked as tokens pass (paren depth, the last two tokens): nothing is ever re-read.
"""

from __future__ import annotations

import enum
import re

from ._dialects import OBJECTS, Dialect


class Flag(enum.Flag):
    """Facts about a statement that change what it does."""

    DATA_MODIFYING_CTE = enum.auto()  # (INSERT INTO | UPDATE … SET | DELETE FROM | MERGE INTO
    SELECT_INTO = enum.auto()  # SELECT … INTO: a new table (PG, T-SQL), a file or variables
    LOCKING_READ = enum.auto()  # FOR UPDATE / FOR [NO KEY|KEY] SHARE / LOCK IN SHARE MODE
    EXPLAIN_ANALYZE = enum.auto()  # EXPLAIN ANALYZE runs the statement it explains
    EXECUTABLE_COMMENT = enum.auto()  # MySQL /*! … */: code that looks like a comment
    CALLS_FUNCTION = enum.auto()  # a function not known to be free of side effects; a sequence
    ASSIGNS_VARIABLE = enum.auto()  # MySQL @v := …: session state set inside a query


NO_FLAGS = Flag(0)

# Leading keyword -> kind. Others are "UNKNOWN".
KINDS = {
    word: word
    for word in (
        "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "UPSERT", "CREATE", "ALTER",
        "DROP", "TRUNCATE", "RENAME", "COMMENT", "GRANT", "REVOKE", "DENY", "VALUES", "SHOW",
        "DESCRIBE", "EXPLAIN", "USE", "SET", "RESET", "BEGIN", "START", "COMMIT", "ROLLBACK",
        "SAVEPOINT", "RELEASE", "CALL", "EXECUTE", "DO", "COPY", "VACUUM", "ANALYZE", "LOCK",
        "UNLOCK", "DECLARE", "PREPARE", "DEALLOCATE", "FETCH", "CLOSE", "OPEN", "MOVE", "LISTEN",
        "NOTIFY", "UNLISTEN", "LOAD", "PRAGMA", "ATTACH", "DETACH", "REINDEX", "CLUSTER",
        "CHECKPOINT", "DISCARD", "REFRESH", "IMPORT", "EXPORT", "PUT", "GET", "LIST", "REMOVE",
        "UNDROP", "HANDLER", "KILL", "FLUSH", "OPTIMIZE", "REPAIR", "CHECK", "CHECKSUM",
        "BACKUP", "RESTORE", "PRINT", "RAISERROR", "THROW", "WAITFOR", "GOTO", "RETURN", "BREAK",
        "CONTINUE", "IF", "WHILE", "LOOP", "REPEAT", "FOR", "CASE", "RAISE", "ASSERT", "LEAVE",
        "ITERATE", "DBCC", "BULK", "INSTALL", "UNINSTALL", "SECURITY",
    )
}  # fmt: skip
KINDS.update(DESC="DESCRIBE", EXEC="EXECUTE", ABORT="ROLLBACK", TABLE="SELECT")

# Keywords that start the main statement after WITH's common table expressions.
MAIN = {"SELECT": "SELECT", "INSERT": "INSERT", "UPDATE": "UPDATE", "DELETE": "DELETE",
        "MERGE": "MERGE", "VALUES": "VALUES", "TABLE": "SELECT"}  # fmt: skip
# Keywords that start the statement an EXPLAIN explains.
EXPLAINABLE = frozenset(MAIN) | {"WITH", "CREATE", "EXECUTE", "DECLARE", "REPLACE"}
# A write nested in parentheses: the keyword after '(' and the word that confirms it.
NESTED_WRITES = {"INSERT": "INTO", "DELETE": "FROM", "MERGE": "INTO", "UPDATE": "SET"}
ANALYZE = frozenset({"ANALYZE", "ANALYSE"})
# EXPLAIN (ANALYZE off): PostgreSQL's defGetBoolean takes 0 and, in any case, quoted or not,
# false and off; any other value is true or an error (nothing runs either way but true).
OFF = frozenset({"FALSE", "OFF", "0"})
OFF_STRINGS = frozenset({"FALSE", "OFF"})
_QUOTED_VALUE = re.compile(r"(?:[EeUuNn]&?)?(['\"`])(.{0,8})\1|\$(\w*)\$(.{0,8})\$\3\$", re.S)

SHARE_AFTER = (("KEY", "FOR"), ("IN", "LOCK"))  # FOR KEY SHARE, LOCK IN SHARE MODE; not `key share`
LOCKING_REASON = "a locking read: its locks outlive the statement and block writers"

LEAD, WITH, EXPLAIN, BEGIN, CREATE, MAIN_PART = range(6)  # phases
LITERAL = "'"  # how a string, quoted identifier or dollar body shows as the previous token


class Classifier:
    """Kind, flags and effects of one statement; fed its tokens with their paren depth.

    ``word`` and ``other`` return True when the kind, flags or effects changed.
    """

    __slots__ = (
        "analyze", "analyze_pending", "base_depth", "batch", "body", "candidate",
        "candidate_depth", "changed", "clause_end", "clause_name", "create_words", "dialect",
        "effects", "flags", "hint_depth", "inner", "kind", "led_by_with", "main_depth",
        "main_may_follow", "phase", "prev", "prev2", "reasons", "settled",
    )  # fmt: skip

    def __init__(self, dialect: type[Dialect]) -> None:
        self.dialect = dialect
        self.kind: str | None = None
        self.flags = NO_FLAGS
        self.effects: frozenset[str] = frozenset()
        # Why an effect that is not a kind was added (the first reason for each), and the
        # name it is about: {"FUNCTION": ("calls pg_sleep, not known to be free of side
        # effects", "pg_sleep")}.
        self.reasons: dict[str, tuple[str, str | None]] = {}
        self.body = False  # a routine body where BEGIN … END holds ';' (CREATE FUNCTION …)
        self.batch = False  # T-SQL CREATE PROCEDURE …: runs to the next GO
        self.phase = LEAD
        self.led_by_with = False  # data-modifying CTEs run only in a statement led by WITH
        self.changed = False
        self.prev = self.prev2 = ""  # the last two tokens: words upper-cased, else the character
        self.candidate = ""  # a nested write waiting for its confirming word
        self.candidate_depth = 0
        self.base_depth = 0  # paren depth of WITH / EXPLAIN
        self.main_may_follow = False  # WITH: the main statement may start here …
        self.main_depth = 0  # … at this depth
        self.clause_end = ""  # WITH … SEARCH … SET col / CYCLE … USING col
        self.clause_name = False
        self.create_words = 0
        self.analyze = False
        self.analyze_pending = False  # EXPLAIN (ANALYZE …: the option's value decides
        self.inner: Classifier | None = None  # EXPLAIN: the explained statement
        self.hint_depth = 0  # T-SQL: inside WITH ( table hints ) at this depth
        self.settled = False  # nothing more can change: no need to see further tokens

    # -- tokens ------------------------------------------------------------------------------
    def word(self, word: str | None, depth: int) -> bool:
        self.changed = False
        w = word or ""  # a word too long to be a keyword
        if self.inner is not None:
            self._to_inner(w, depth, is_word=True)
        else:
            confirmed = self.led_by_with and self._nested_write(w, depth)
            phase = self.phase
            if phase == LEAD:
                self._lead(w, depth)
            elif phase == WITH:
                self._with_word(w, depth)
            elif phase == EXPLAIN:
                self._explain_word(w, depth)
            elif phase == BEGIN:
                is_transaction = w in self.dialect.BEGIN_TRANSACTION
                self._decide("BEGIN" if is_transaction else "BLOCK", MAIN_PART)
            elif phase == CREATE:
                self._create_word(w, depth)
            if self.kind in (None, "SELECT") and not confirmed:
                self._read_traps(w, depth)
        self.prev2, self.prev = self.prev, w
        return self.changed

    def other(self, char: str, depth: int, value: str | None = None) -> bool:
        """Punctuation (``char``) or a literal (``LITERAL``, its ``value`` if it is short) at
        paren ``depth`` (after it)."""
        self.changed = False
        if self.inner is not None:
            self._to_inner(char, depth, is_word=False)
        else:
            if char == "(" and self.prev == "WITH" and self.phase in (WITH, MAIN_PART):
                self.hint_depth = depth if self.dialect.LOCKING_HINTS else 0  # not WITH c AS
            elif char == ")" and depth < self.hint_depth:
                self.hint_depth = 0
            if self.candidate and (self.candidate != "UPDATE" or depth < self.candidate_depth):
                self.candidate = ""
            phase = self.phase
            if phase == LEAD and char != "(":
                self._decide("UNKNOWN", MAIN_PART)
            elif phase == WITH:
                self._with_other(char, depth)
            elif phase == EXPLAIN and self.analyze_pending:
                self.analyze_pending = False
                if not _off(value):
                    self._set_analyze()
            elif phase == BEGIN:
                self._decide("BLOCK", MAIN_PART)
        self.prev2, self.prev = self.prev, char
        return self.changed

    def settle(self) -> bool:
        """The statement ended: decide what is still open."""
        self.changed = False
        if self.inner is not None:
            self.inner.settle()
            self._merge_inner()
        if self.kind is None:
            self._decide("BEGIN" if self.phase == BEGIN else "UNKNOWN", MAIN_PART)
        return self.changed

    def add_flag(self, flag: Flag) -> bool:
        self.changed = False
        self._flag(flag)
        return self.changed

    def add_effect(self, effect: str, reason: str, name: str | None = None) -> bool:
        """An effect found beside the kind (a function call, text engines read differently,
        a client command), with the reason a policy gives when it refuses it."""
        self.changed = False
        self.reasons.setdefault(effect, (reason, name))
        self._effect(effect)
        return self.changed

    def in_with_list(self, depth: int) -> bool:
        """Between WITH and the main statement, outside the bodies: a name here is a common
        table expression's (``WITH c (a, b) AS``)."""
        return self.phase == WITH and depth == self.base_depth

    # -- phases ------------------------------------------------------------------------------
    def _lead(self, w: str, depth: int) -> None:
        dialect = self.dialect
        self.base_depth = depth
        if w == "WITH":
            self.phase = WITH
            self.led_by_with = True
        elif w == "EXPLAIN":
            self._decide("EXPLAIN", EXPLAIN)
        elif w in ("DESCRIBE", "DESC") and dialect.DESCRIBE_EXPLAINS:
            self._decide("DESCRIBE", EXPLAIN)  # MySQL: DESCRIBE ANALYZE SELECT … runs it
        elif w == "FROM" and dialect.FROM_FIRST:
            self._decide("SELECT", MAIN_PART)  # BigQuery pipe syntax: FROM t |> WHERE …
        elif w == "BEGIN" and dialect.SCRIPTING:
            self.phase = BEGIN  # a transaction or a block: the next token says
        elif w in ("CREATE", "ALTER"):
            self._decide(w, CREATE)
        elif w == "DECLARE" and dialect.DECLARE_OPENS_BLOCK:
            self._decide("BLOCK", MAIN_PART)
        elif w == "END" and dialect.END_COMMITS:
            self._decide("COMMIT", MAIN_PART)
        else:
            self._decide(KINDS.get(w, "UNKNOWN"), MAIN_PART)

    def _with_word(self, w: str, depth: int) -> None:
        may_follow = self.main_may_follow
        self.main_may_follow = False
        if may_follow and depth == self.main_depth and w in MAIN:
            self._decide(MAIN[w], MAIN_PART)
        elif depth != self.base_depth:
            return
        elif self.clause_name:  # the column after SEARCH … SET / CYCLE … USING
            self.clause_name = False
            self.clause_end = ""
            self.main_may_follow = True
            self.main_depth = depth
        elif may_follow and w in ("SEARCH", "CYCLE"):
            self.clause_end = "SET" if w == "SEARCH" else "USING"
        elif self.clause_end and w == self.clause_end:
            self.clause_name = True

    def _with_other(self, char: str, depth: int) -> None:
        may_follow = self.main_may_follow
        self.main_may_follow = False
        if char == ")" and depth == self.base_depth and not self.clause_end:
            self.main_may_follow = True  # after a CTE body: ',' or the main statement
            self.main_depth = depth
        elif char == "(" and may_follow:
            self.main_may_follow = True  # WITH … (SELECT …)
            self.main_depth = depth

    def _explain_word(self, w: str, depth: int) -> None:
        if self.analyze_pending:  # EXPLAIN (ANALYZE false, …)
            self.analyze_pending = False
            if w not in OFF:
                self._set_analyze()
            return
        if depth == self.base_depth and w in EXPLAINABLE:
            self.inner = Classifier(self.dialect)
            self._to_inner(w, depth, is_word=True)
        elif w in ANALYZE:
            if depth == self.base_depth:
                self._set_analyze()
            else:
                self.analyze_pending = True

    def _create_word(self, w: str, depth: int) -> None:
        if depth != self.base_depth:
            return
        if w in OBJECTS:
            dialect = self.dialect
            self.body = self.kind == "CREATE" and w in dialect.BODY_OBJECTS
            self.batch = w in dialect.BATCH_OBJECTS
            self.phase = MAIN_PART
            self.settled = True
        else:
            self.create_words += 1
            if self.create_words > 8:  # modifiers only come first
                self.phase = MAIN_PART
                self.settled = True

    # -- traps -------------------------------------------------------------------------------
    def _nested_write(self, w: str, depth: int) -> bool:
        """``(INSERT INTO``, ``(DELETE FROM``, ``(MERGE INTO``, ``(UPDATE … SET``: a write in
        a common table expression. Return True if ``w`` confirmed one."""
        candidate = self.candidate
        if candidate:
            if candidate == "UPDATE":
                if depth == self.candidate_depth and w == "SET":
                    return self._confirm_write(candidate)
            elif w == NESTED_WRITES[candidate] and self.prev == candidate:
                return self._confirm_write(candidate)
            else:
                self.candidate = ""
        if self.prev == "(" and w in NESTED_WRITES:
            self.candidate = w
            self.candidate_depth = depth
        return False

    def _confirm_write(self, kind: str) -> bool:
        self.candidate = ""
        self._effect(kind)
        self._flag(Flag.DATA_MODIFYING_CTE)
        return True

    def _read_traps(self, w: str, depth: int) -> None:
        """A read that writes or locks: ``SELECT … INTO``, ``FOR UPDATE`` and friends, T-SQL
        locking table hints."""
        prev, prev2 = self.prev, self.prev2
        if w == "INTO" and self.kind == "SELECT":
            self._effect("SELECT INTO")
            self._flag(Flag.SELECT_INTO)
        elif (
            (w == "UPDATE" and (prev == "FOR" or (prev == "KEY" and prev2 == "NO")))
            or (w == "SHARE" and (prev == "FOR" or (prev, prev2) in SHARE_AFTER))
            or (self.hint_depth == depth and w in self.dialect.LOCKING_HINTS)
        ):
            self.reasons.setdefault("SELECT FOR UPDATE", (LOCKING_REASON, None))
            self._effect("SELECT FOR UPDATE")
            self._flag(Flag.LOCKING_READ)

    def _set_analyze(self) -> None:
        self.analyze = True
        self._flag(Flag.EXPLAIN_ANALYZE)
        self._merge_inner()

    def _to_inner(self, token: str, depth: int, is_word: bool) -> None:
        inner = self.inner
        assert inner is not None
        if is_word:
            inner.word(token, depth)
        else:
            inner.other(token, depth)
        self._merge_inner()

    def _merge_inner(self) -> None:
        """EXPLAIN shows the flags of what it explains; with ANALYZE, it does what it runs."""
        inner = self.inner
        if inner is None:
            return
        self._flag(inner.flags)
        if self.analyze:
            for effect in inner.effects:
                self._effect(effect)

    # -- recording ---------------------------------------------------------------------------
    def _decide(self, kind: str, phase: int) -> None:
        self.kind = kind
        self.phase = phase
        self._effect(kind)
        self.settled = phase == MAIN_PART and kind != "SELECT" and not self.led_by_with

    def _effect(self, effect: str) -> None:
        if effect not in self.effects:
            self.effects = self.effects | {effect}
            self.changed = True

    def _flag(self, flag: Flag) -> None:
        if flag & ~self.flags:
            self.flags |= flag
            self.changed = True


def _off(value: str | None) -> bool:
    """A literal option value (``'false'``, ``$$off$$``) that turns EXPLAIN's ANALYZE off."""
    m = _QUOTED_VALUE.fullmatch(value or "")
    return m is not None and (m.group(2) or m.group(4) or "").upper() in OFF_STRINGS
