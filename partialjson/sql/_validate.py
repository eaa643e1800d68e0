"""``validate=True``: each completed statement is parsed once by sqlglot, in the stream's
dialect. sqlglot is optional (the ``sql`` extra) and imported only here, only when asked for."""

from __future__ import annotations

from typing import Any

from ._dialects import Dialect
from ._events import Statement


class Validator:
    def __init__(self, dialect: type[Dialect]) -> None:
        try:
            import sqlglot
            from sqlglot.errors import SqlglotError
        except ImportError as exc:  # pragma: no cover - the sql extra is installed in tests
            raise ImportError(
                "validate=True needs sqlglot: pip install 'partialjson-toolkit[sql]'"
            ) from exc
        self._parse: Any = sqlglot.parse
        self._error: type[Exception] = SqlglotError
        self._read = dialect.sqlglot

    def problem(self, statement: Statement) -> tuple[str, int] | None:
        """sqlglot's complaint about ``statement`` and its offset, or None if it parses."""
        try:
            self._parse(statement.text, read=self._read)
        except self._error as exc:
            details = getattr(exc, "errors", None) or [{}]
            first = details[0]
            message = first.get("description") or str(exc).splitlines()[0]
            return message, statement.start + _index(statement.text, first)
        return None


def _index(text: str, detail: dict[str, Any]) -> int:
    """Where in ``text`` the token sqlglot complains about begins (0 if it does not say).

    sqlglot gives the 1-based line and the column of the token's last character."""
    line, column = detail.get("line"), detail.get("col")
    if not isinstance(line, int) or not isinstance(column, int):
        return 0
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at) + 1
    return max(0, min(len(text), at + column - len(detail.get("highlight") or " ")))
