"""The builder: turns what the scanner reports into the live partial value and events.

Promises about ``value`` (principle 4), in the order a reader relies on them:

- a value never changes type once shown;
- numbers, ``true``, ``false`` and ``null`` appear only whole;
- strings only grow at their end, and never show half an escape or half a surrogate pair
  (with ``trailing_strings=False`` they appear only whole);
- objects and arrays change only by their last member growing or a new member being added;
- a member appears once its key is whole and its value's type is known (at once for objects,
  arrays and strings; when complete for numbers and literals);
- containers are updated in place: the object you got earlier is the one that grows.

The one exception is a duplicate key, where, as with ``json.loads``, the last value wins.

Cost: every operation is O(1), growing a shown string included: it is appended to in place
while its container holds the only reference (CPython then resizes instead of copying).
"""

from __future__ import annotations

from typing import Any

from ._events import (
    ROOT,
    DocumentCompleted,
    Event,
    Path,
    StringDelta,
    ValueCompleted,
    ValueStarted,
    maker,
)

_new_started = maker(ValueStarted)
_new_delta = maker(StringDelta)
_new_completed = maker(ValueCompleted)


class _Frame:
    """An open container: the object itself, its path, and the key of its current member."""

    __slots__ = ("container", "key", "path")

    def __init__(self, container: Any, path: Path) -> None:
        self.container = container
        self.path = path
        self.key: str = ""


class Builder:
    """Implements the scanner's sink: keeps the live value and collects ``events``."""

    def __init__(self, trailing_strings: bool = True, keep_documents: bool = False) -> None:
        self.trailing_strings = trailing_strings
        self.keep_documents = keep_documents
        self.events: list[Event] = []
        self.chunk = ""  # the text being scanned (positions the scanner reports index it)
        self.completed = 0  # documents completed
        self.documents: list[Any] = []  # and their values, kept only if keep_documents
        self.root: list[Any] = [None]  # the document, held like a member of a container
        self._stack: list[_Frame] = []
        # Where the string being read lives (container and key), while it is shown.
        self._slot: Any = self.root
        self._slot_key: Any = 0
        self._string_path: Path = ROOT
        self._string_parts: list[str] = []

    @property
    def path(self) -> Path:
        """Path of the innermost open container."""
        return self._stack[-1].path if self._stack else ROOT

    @property
    def string_path(self) -> Path:
        """Path of the string being read."""
        return self._string_path

    def member_path(self) -> Path:
        """Path of the value about to start (or being read) in the innermost container."""
        if not self._stack:
            return ROOT
        frame = self._stack[-1]
        container = frame.container
        return Path(frame.path, frame.key if type(container) is dict else len(container))

    def _attach(self, value: Any) -> Path:
        """Put a new value in its place and return its path."""
        if not self._stack:
            self.root[0] = value
            self._slot, self._slot_key = self.root, 0
            return ROOT
        frame = self._stack[-1]
        container = frame.container
        self._slot = container
        if type(container) is dict:
            key: Any = frame.key
            container[key] = value
        else:
            key = len(container)
            container.append(value)
        self._slot_key = key
        return Path(frame.path, key)

    def _completed(self, path: Path, value: Any) -> None:
        self.events.append(_new_completed(path, value))
        if not self._stack:
            if self.keep_documents:
                self.documents.append(value)
            self.events.append(DocumentCompleted(value, self.completed))
            self.completed += 1

    # -- the sink --------------------------------------------------------------------------
    def start_container(self, is_object: bool, pos: int) -> None:
        container: Any = {} if is_object else []
        path = self._attach(container)
        self._stack.append(_Frame(container, path))
        self.events.append(_new_started(path, "object" if is_object else "array"))

    def end_container(self, pos: int) -> None:
        frame = self._stack.pop()
        self._completed(frame.path, frame.container)

    def key(self, name: str, pos: int) -> None:
        self._stack[-1].key = name

    def start_string(self, pos: int) -> None:
        if self.trailing_strings:
            path = self._attach("")
        else:
            path = self.member_path()
            self._string_parts = []
        self._string_path = path
        self.events.append(_new_started(path, "string"))

    def string_delta(self, text: str) -> None:
        self.events.append(_new_delta(self._string_path, text))
        if self.trailing_strings:
            # Drop the container's reference first, so CPython extends the string in place.
            slot, key = self._slot, self._slot_key
            grown = slot[key]
            slot[key] = None
            grown += text
            slot[key] = grown
        else:
            self._string_parts.append(text)

    def end_string(self, pos: int) -> None:
        if self.trailing_strings:
            value = self._slot[self._slot_key]
        else:
            value = "".join(self._string_parts)
            self._string_parts = []
            self._attach(value)
        self._completed(self._string_path, value)

    def scalar(self, value: Any, start: int, end: int) -> None:
        self._completed(self._attach(value), value)
