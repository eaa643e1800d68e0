"""SQL errors: positioned errors of partialjson's hierarchy (``pj.PartialJSONError``).

Offsets count characters from the start of the stream (prose included when extracting from
markdown); line and column are 1-based.
"""

from __future__ import annotations

from .._errors import PositionedError


class SqlSyntaxError(PositionedError):
    """SQL the stream cannot accept: a client command it cannot follow, or (``validate=True``)
    a statement sqlglot rejects. ``start`` and ``end`` are the statement's offsets, if any."""

    def __init__(
        self,
        message: str,
        offset: int,
        line: int = 1,
        column: int = 1,
        *,
        start: int | None = None,
        end: int | None = None,
        text: str = "",
    ) -> None:
        super().__init__(message, offset, line, column)
        self.start = start
        self.end = end
        self.text = text


class IncompleteStatement(SqlSyntaxError):
    """The input (or its ```sql fence) ended inside a statement: an unterminated string,
    comment, dollar quote or ``BEGIN … END`` body, or a truncated fence. ``offset`` is where the
    input ended; ``text`` is the pending text from ``start``, never reported as a statement."""


class PolicyViolation(PositionedError):
    """A statement the policy forbids, raised at the first character that makes it certain.

    ``kind`` is what is forbidden (the statement's kind, or a hidden effect such as ``DELETE``
    in a data-modifying CTE, ``FUNCTION`` for a call not known to be free of side effects,
    ``AMBIGUOUS`` for text that engines or settings read differently; ``None`` for
    ``max_statements``), ``reason`` says why in words where the kind alone does not, ``name``
    is what it is about (the function's name), ``statement_index`` counts from 0,
    ``text_so_far`` is the statement's text up to ``offset``.
    """

    def __init__(
        self,
        message: str,
        offset: int,
        line: int = 1,
        column: int = 1,
        *,
        kind: str | None,
        statement_index: int,
        text_so_far: str,
        reason: str | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(message, offset, line, column)
        self.kind = kind
        self.statement_index = statement_index
        self.text_so_far = text_so_far
        self.reason = reason
        self.name = name
