"""``validate=True``: each completed statement is parsed once by sqlglot, in the stream's
dialect. sqlglot is optional (the ``sql`` extra) and imported only here, only when asked for.

sqlglot's parser recurses per level of nesting and runs out of Python's stack at about 45
parentheses or 50 ``CASE`` (fewer when the caller's stack is deep): a statement nested deeper
than ``VALIDATE_DEPTH`` is refused before sqlglot sees it, at the token that went too deep. Any
other failure of sqlglot (its own errors, recursion through unary operators, a bug) becomes a
``SqlSyntaxError`` too: ``validate=True`` raises nothing foreign."""

from __future__ import annotations

from typing import Any, Final

from ._dialects import Dialect
from ._events import Statement

VALIDATE_DEPTH: Final = 32  # parentheses, brackets and CASE … END, counted together


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

    def problem(self, statement: Statement, too_deep: int | None) -> tuple[str, int] | None:
        """sqlglot's complaint about ``statement`` and its offset, or None if it parses;
        ``too_deep``: where its nesting passed ``VALIDATE_DEPTH``, if it did."""
        if too_deep is not None:
            return (
                f"too deep to validate: more than {VALIDATE_DEPTH} levels of parentheses, "
                "brackets and CASE",
                too_deep,
            )
        try:
            self._parse(statement.text, read=self._read)
        except self._error as exc:
            details = getattr(exc, "errors", None) or [{}]
            first = details[0]
            message = first.get("description") or (str(exc).splitlines() or [""])[0]
            return message, statement.start + _index(statement.text, first)
        except RecursionError:
            return "nested too deeply for sqlglot to validate", statement.start
        except Exception as exc:  # a sqlglot bug must not escape as a crash
            return f"sqlglot failed on this statement ({type(exc).__name__})", statement.start
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
