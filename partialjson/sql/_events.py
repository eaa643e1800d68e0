"""Statements and the events a SqlStream yields."""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import SqlSyntaxError
from ._kinds import Flag


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement: ``text`` is ``input[start:end]``, from its first token to its last (no
    terminator, no surrounding whitespace or comments).

    ``kind`` is what it looks like (``"SELECT"``, ``"DROP"``, ``"BLOCK"``, ``"UNKNOWN"``…);
    ``effects`` the kinds it would execute (its kind plus hidden writes: ``"DELETE"`` in a
    data-modifying CTE, ``"SELECT INTO"``, ``"SELECT FOR UPDATE"``, what ``EXPLAIN ANALYZE``
    runs, ``"FUNCTION"`` for a call of a function not known to be free of side effects,
    ``"SET"`` for MySQL's ``@v := …``); ``flags`` the facts behind them.
    """

    index: int
    text: str
    kind: str
    start: int
    end: int
    flags: Flag
    effects: frozenset[str]


@dataclass(frozen=True, slots=True)
class StatementStarted:
    """Statement ``index`` begins at ``offset`` (its first significant character)."""

    index: int
    offset: int


@dataclass(frozen=True, slots=True)
class KindDecided:
    """The leading keywords of statement ``index`` settle its ``kind``; ``offset`` is the
    character that made it certain (the one after ``DROP``)."""

    index: int
    kind: str
    offset: int


@dataclass(frozen=True, slots=True)
class StatementCompleted:
    """A statement ended (terminator, client command, end of its fence or of input)."""

    statement: Statement


@dataclass(frozen=True, slots=True)
class Prose:
    """Text outside ```sql fences (``extract=True``), as it arrives."""

    text: str


@dataclass(frozen=True, slots=True)
class StatementInvalid:
    """``validate="report"``: sqlglot rejects a completed statement."""

    statement: Statement
    error: SqlSyntaxError


SqlEvent = StatementStarted | KindDecided | StatementCompleted | Prose | StatementInvalid
