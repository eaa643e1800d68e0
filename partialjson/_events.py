"""Events a stream yields, and the paths that address them.

Every event names the value it is about by a :class:`Path`. A path is built in O(1) from its
parent (a linked node), and turned into a tuple only when someone looks at it: a document nested
a million levels deep must not cost a million-element tuple per event.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, overload

from ._errors import SchemaViolation

Key = str | int


class Path:
    """The place of a value in its document: a lazy, immutable sequence of keys and indices.

    It compares equal to the tuple of the same keys (``path == ("items", 0, "name")``) and
    hashes like it, so it can be used wherever a tuple path is expected. Comparing walks the
    two chains of parents and keeps nothing: a path caches its tuple only when it is shallow,
    so asking about every path of a document nested thousands deep costs no memory per level.
    """

    __slots__ = ("_depth", "_key", "_parent", "_tuple")

    def __init__(self, parent: Path | None = None, key: Key = 0) -> None:
        self._parent = parent
        self._key = key
        self._depth: int = 0 if parent is None else parent._depth + 1
        self._tuple: tuple[Key, ...] | None = () if parent is None else None

    def as_tuple(self) -> tuple[Key, ...]:
        if self._tuple is not None:
            return self._tuple
        keys: list[Key] = []
        node: Path = self
        while node._tuple is None:
            keys.append(node._key)
            node = node._parent  # type: ignore[assignment]  # only the root has no parent
        keys.extend(reversed(node._tuple))
        keys.reverse()
        found = tuple(keys)
        if self._depth <= _CACHED_DEPTH:
            self._tuple = found
        return found

    def __len__(self) -> int:
        return self._depth

    @overload
    def __getitem__(self, index: int) -> Key: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Key, ...]: ...
    def __getitem__(self, index: int | slice) -> Key | tuple[Key, ...]:
        return self.as_tuple()[index]

    def __iter__(self) -> Iterator[Key]:
        return iter(self.as_tuple())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Path):
            if other._depth != self._depth:
                return False
            mine: Path | None = self
            theirs: Path | None = other
            while mine is not theirs:
                assert mine is not None and theirs is not None  # same depth: same length
                if mine._key != theirs._key:
                    return False
                mine, theirs = mine._parent, theirs._parent
            return True
        if isinstance(other, tuple):
            if len(other) != self._depth:
                return False
            node: Path = self
            for key in reversed(other):
                if node._key != key:
                    return False
                node = node._parent  # type: ignore[assignment]  # depth checked above
            return True
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.as_tuple())

    def __repr__(self) -> str:
        return f"Path{self.as_tuple()!r}"


_CACHED_DEPTH = 64  # deeper paths build their tuple when asked, and do not keep it


ROOT = Path()


Kind = Literal["object", "array", "string"]


@dataclass(frozen=True, slots=True)
class ValueStarted:
    """An object, array or string began at ``path`` (numbers and literals only complete)."""

    path: Path
    kind: Kind


@dataclass(frozen=True, slots=True)
class StringDelta:
    """The string at ``path`` grew by ``text`` (decoded; a half escape is held back)."""

    path: Path
    text: str


@dataclass(frozen=True, slots=True)
class ValueCompleted:
    """The value at ``path`` is complete; ``value`` is its decoded value."""

    path: Path
    value: Any


@dataclass(frozen=True, slots=True)
class DocumentCompleted:
    """Document number ``index`` (0 unless several documents are allowed) is complete."""

    value: Any
    index: int = 0


@dataclass(frozen=True, slots=True)
class ProseDelta:
    """Text around the JSON (``extract=True``): prose, markdown, fence lines, as it arrives."""

    text: str


@dataclass(frozen=True, slots=True)
class Violation:
    """A schema violation, reported as an event by ``ModelStream(early_stop=False)``."""

    path: Path
    error: SchemaViolation


@dataclass(frozen=True, slots=True)
class GuardFlagged:
    """A guard with action ``"flag"`` matched characters ``start`` to ``end`` of the string at
    ``path`` (offsets in the text as received); the text follows unchanged. From a bridge,
    ``part`` names the part (the path is ``()`` for a text part)."""

    path: Path
    rule: str
    start: int
    end: int
    part: Any = None


Event = (ValueStarted | StringDelta | ValueCompleted | DocumentCompleted | ProseDelta | Violation
         | GuardFlagged)

