"""Procedural bodies: how deep inside ``BEGIN … END`` and friends a ``;`` stands.

A ``;`` inside a block separates the block's own statements; only at depth 0 can it end the
statement that holds the block. The rule generalises psql's (which counts ``BEGIN``, ``CASE`` and
``END`` in ``CREATE FUNCTION``) to the scripting dialects, fed the words and punctuation at paren
depth 0 of one statement:

- ``BEGIN`` opens a block where a statement starts (T-SQL: anywhere, it is reserved; elsewhere
  ``SELECT begin, …`` names a column); where ``BEGIN`` may also start a transaction (T-SQL,
  BigQuery, Snowflake) the next token decides: ``BEGIN TRAN``, ``BEGIN;`` are not blocks.
- ``IF``, ``LOOP``, ``WHILE``, ``REPEAT``, ``FOR`` and a ``CASE`` statement open a construct
  only where a statement starts (``IF(a, b, c)`` in an expression is a function); a ``CASE``
  expression is counted inside a block, as psql does.
- ``END`` closes the innermost construct; a following ``IF``, ``LOOP``, ``TRY``… belongs to it.
- Statements start at the start of the whole statement (in scripting dialects), after ``;``
  inside a block, after ``BEGIN``, ``THEN``, ``ELSE``, ``DO``, ``LOOP``, ``REPEAT``, and after
  a label (``outer: LOOP``).
"""

from __future__ import annotations

from ._dialects import Dialect

CLOSED_BY_END = frozenset(
    {"IF", "LOOP", "WHILE", "REPEAT", "FOR", "CASE", "TRY", "CATCH"}
)  # END IF, END TRY
AWAITING_BODY = {"WHILE": "WHILE DO", "FOR": "FOR DO"}  # WHILE … DO|LOOP, FOR … DO|LOOP
CASE_EXPRESSION = "CASE EXPRESSION"


class Blocks:
    """The open constructs of one statement."""

    __slots__ = (
        "after_end", "begin_pending", "dialect", "label", "routine", "stack", "statement_start"
    )  # fmt: skip

    def __init__(self, dialect: type[Dialect], statement_start: bool) -> None:
        self.dialect = dialect
        self.stack: list[str] = []
        self.statement_start = statement_start  # the next word starts a statement
        self.routine = not statement_start  # a routine's body: its first BEGIN is a block
        self.after_end = False
        self.begin_pending = False  # BEGIN: a transaction or a block?
        self.label = False  # a word at a statement start: a label if ':' follows

    def holds(self) -> bool:
        """True while a ``;`` is inside a block."""
        return bool(self.stack)

    def word(self, w: str) -> None:
        at_start = self.statement_start
        self.statement_start = self.label = False
        if self.begin_pending:
            self.begin_pending = False
            if w in self.dialect.BEGIN_TRANSACTION:
                return
            self.stack.append("BEGIN")
            at_start = True
        if self.after_end:
            self.after_end = False
            if w in CLOSED_BY_END:
                return
        stack = self.stack
        top = stack[-1] if stack else ""
        if w == "END":
            if stack:
                stack.pop()
            self.after_end = True
        elif w == "BEGIN" and (
            at_start or self.dialect.BEGIN_ANYWHERE or (self.routine and not stack)
        ):
            self._begin(top)  # elsewhere 'begin' is a name: SELECT begin, … FROM t
        elif at_start and w == "DECLARE" and self.dialect.DECLARE_OPENS_BLOCK:
            stack.append("DECLARE")  # a declare section, then its BEGIN … END
        elif at_start and w in self.dialect.COMPOUND:
            stack.append(AWAITING_BODY.get(w, w))
            self.statement_start = w in ("LOOP", "REPEAT")
        elif w == "CASE" and stack:
            stack.append(CASE_EXPRESSION)
        elif at_start and w in ("ATOMIC", "NOT"):  # BEGIN [NOT] ATOMIC: still before a statement
            self.statement_start = True
        elif w in ("THEN", "ELSE"):
            self.statement_start = top not in ("", CASE_EXPRESSION)
        elif w in ("DO", "LOOP") and top in ("WHILE DO", "FOR DO"):
            stack[-1] = top.split()[0]
            self.statement_start = True
        else:
            self.label = at_start

    def _begin(self, top: str) -> None:
        if top == "DECLARE":
            self.stack[-1] = "BEGIN"  # the declare section's body
        elif self.dialect.BEGIN_TRANSACTION:
            self.begin_pending = True
            return
        else:
            self.stack.append("BEGIN")
        self.statement_start = True

    def other(self, char: str) -> None:
        """Punctuation or a literal (``'``); ``;`` separates statements inside a block."""
        if self.begin_pending:
            self.begin_pending = False
            if char == ";":
                return  # BEGIN; a transaction
            self.stack.append("BEGIN")
        self.statement_start = char == ";" or (char == ":" and self.label)
        self.label = self.after_end = False
