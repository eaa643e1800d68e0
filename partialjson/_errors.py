"""The error hierarchy: every error partialjson raises derives from PartialJSONError.

Errors about a place in the input carry its offset (characters for str input, bytes for bytes
input, counted from the start of the stream), a 1-based line and column in the same unit, and the
JSON path of the value being read when it happened.
"""

from __future__ import annotations

from typing import Any


class PartialJSONError(Exception):
    """Base class of all partialjson errors."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its fields, not as a call with ``args`` (Exception's default): subclasses
        # take more than a message, and an error must cross a process boundary whole.
        return _rebuild, (type(self), self.args), self.__dict__


def _rebuild(cls: type[PartialJSONError], args: tuple[Any, ...]) -> PartialJSONError:
    error = cls.__new__(cls)
    error.args = args
    return error


class PositionedError(PartialJSONError):
    """An error at a known place in the input."""

    def __init__(
        self,
        message: str,
        offset: int,
        line: int = 1,
        column: int = 1,
        path: tuple[str | int, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
        self.path = path

    def __str__(self) -> str:
        where = f"line {self.line} column {self.column} (offset {self.offset})"
        if self.path:
            where += " at " + format_path(self.path)
        return f"{self.message}: {where}"


class JsonSyntaxError(PositionedError):
    """The input is not valid JSON; offset points at the first character that proves it."""


class IncompleteJSON(JsonSyntaxError):
    """The input ended (``close()``) before the document did; offset is the end of input."""


class LimitExceeded(PositionedError):
    """A resource limit (``max_depth``, ``max_bytes``, the int digit limit) was exceeded."""


class SchemaViolation(PositionedError):
    """The document cannot be valid for the type: raised at the first character that proves
    it (``offset``, ``line``, ``column``, ``path``). ``errors`` is pydantic-style (a list of
    dicts with ``type``, ``loc``, ``msg``, ``input``); ``text_so_far`` is what was received."""

    def __init__(
        self,
        message: str,
        offset: int,
        line: int = 1,
        column: int = 1,
        path: tuple[str | int, ...] = (),
        errors: list[dict[str, Any]] | None = None,
        text_so_far: str | bytes = "",
    ) -> None:
        super().__init__(message, offset, line, column, path)
        self.errors = errors or []
        self._text_so_far = text_so_far
        # Or a view of a stream's input, read when asked: a stream that goes on after its
        # violations (early_stop=False) must not keep a copy of its input for each.
        self._source: Any = None
        self._source_end = 0

    @property
    def text_so_far(self) -> str | bytes:
        """What was received when the violation was found."""
        if self._source is not None:
            text: str | bytes = self._source.slice(0, self._source_end)
            return text
        return self._text_so_far

    @text_so_far.setter
    def text_so_far(self, text: str | bytes) -> None:
        self._text_so_far = text
        self._source = None

    def _view(self, source: Any, end: int) -> None:
        """Read ``text_so_far`` from ``source`` (a stream's input), up to offset ``end``."""
        self._source = source
        self._source_end = end

    def __reduce__(self) -> tuple[Any, ...]:
        rebuild, args, state = super().__reduce__()
        return rebuild, args, {**state, "_text_so_far": self.text_so_far, "_source": None}


class GuardViolation(PartialJSONError):
    """A guard with action ``"stop"`` found a match (see :class:`partialjson.Guard`).

    ``rule`` is the guard's name; ``path`` the string's JSON path (``()`` for a bridge's text
    part, then named by ``part``); ``start`` and ``end`` the match's place in that string, in
    characters of the text as decoded (``offset`` is ``start``), whatever the chunking.
    ``text_so_far`` is everything the stream received, the match included: the message does
    not quote it.
    """

    def __init__(self, path: tuple[str | int, ...], rule: str, start: int, end: int,
                 part: Any = None) -> None:
        where = format_path(path) if part is None else str(part)
        super().__init__(f"guard {rule!r} stopped the stream: a match at characters {start} "
                         f"to {end} of {where}")
        self.path = path
        self.rule = rule
        self.start = start
        self.end = end
        self.part = part
        self.text_so_far: str | bytes = ""

    @property
    def offset(self) -> int:
        return self.start


class SchemaError(PartialJSONError, ValueError):
    """A schema partialjson cannot honour, refused at construction: a JSON Schema keyword
    outside the supported subset, or a malformed value. ``pointer`` is where in the schema
    (a JSON pointer, ``#/properties/name``), ``keyword`` the keyword refused."""

    def __init__(self, message: str, pointer: str = "#", keyword: str = "") -> None:
        super().__init__(f"{message} (at {pointer})")
        self.message = message
        self.pointer = pointer
        self.keyword = keyword


def format_path(path: tuple[str | int, ...]) -> str:
    """Render a path the way people read it: ``$.items[3].name``."""
    parts = ["$"]
    for key in path:
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    return "".join(parts)
