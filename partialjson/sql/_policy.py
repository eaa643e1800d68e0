"""Policies: which statements a stream accepts, judged as early as certain.

A set of kinds allows a statement while every one of its effects is in the set: ``{"SELECT"}``
is read-only — a SELECT that writes (a data-modifying CTE, ``SELECT … INTO``, a locking read) or
an ``EXPLAIN ANALYZE`` of a write has an effect outside it. Effects only grow as tokens arrive,
so the first token that adds a forbidden one is the earliest certain place, and an allowed
statement is never refused on the way. A callable is asked whenever the kind is decided or the
facts grow, with the statement so far.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from ._events import Statement

Allow = Collection[str] | Callable[[Statement], bool] | None

# Kinds that read and write nothing (EXPLAIN shows a plan; with ANALYZE it has the effects of
# what it runs).
READ_ONLY = frozenset({"SELECT", "VALUES", "SHOW", "DESCRIBE", "EXPLAIN"})


class Policy:
    def __init__(self, allow: Allow, max_statements: int | None) -> None:
        if max_statements is not None and max_statements < 1:
            raise ValueError("max_statements must be at least 1 (or None for no limit)")
        self.max_statements = max_statements
        self.kinds: frozenset[str] | None = None
        self.judge: Callable[[Statement], bool] | None = None
        if callable(allow):
            self.judge = allow
        elif allow is not None:
            if isinstance(allow, str):
                raise TypeError('allow takes a set of kinds, e.g. {"SELECT"}, not a string')
            self.kinds = frozenset(kind.upper() for kind in allow)

    def too_many(self, index: int) -> bool:
        return self.max_statements is not None and index >= self.max_statements

    def forbidden(self, kind: str | None, effects: frozenset[str]) -> str | None:
        """What a set policy forbids of these facts: the kind, else the first effect by name."""
        allowed = self.kinds
        if allowed is None or effects <= allowed:
            return None
        if kind is not None and kind not in allowed:
            return kind
        return min(effects - allowed)
