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

from typing import Any, Final

from ._events import (
    ROOT,
    DocumentCompleted,
    Event,
    Path,
    StringDelta,
    ValueCompleted,
    ValueStarted,
)

# Fast constructors for the events of the hot path. Events are plain frozen dataclasses (users
# build them too), whose __init__ sets each field through object.__setattr__; filling the slots
# through their descriptors makes the same object in about half the time.
_new: Final = object.__new__


def _setter(cls: type, field: str) -> Any:
    return getattr(cls, field).__set__


_STARTED_PATH: Final[Any] = _setter(ValueStarted, "path")
_STARTED_KIND: Final[Any] = _setter(ValueStarted, "kind")
_DELTA_PATH: Final[Any] = _setter(StringDelta, "path")
_DELTA_TEXT: Final[Any] = _setter(StringDelta, "text")
_COMPLETED_PATH: Final[Any] = _setter(ValueCompleted, "path")
_COMPLETED_VALUE: Final[Any] = _setter(ValueCompleted, "value")


def started_event(path: Path, kind: str) -> ValueStarted:
    event: ValueStarted = _new(ValueStarted)
    _STARTED_PATH(event, path)
    _STARTED_KIND(event, kind)
    return event


def delta_event(path: Path, text: str) -> StringDelta:
    event: StringDelta = _new(StringDelta)
    _DELTA_PATH(event, path)
    _DELTA_TEXT(event, text)
    return event


def completed_event(path: Path, value: Any) -> ValueCompleted:
    event: ValueCompleted = _new(ValueCompleted)
    _COMPLETED_PATH(event, path)
    _COMPLETED_VALUE(event, value)
    return event


_KEYS_KEPT: Final = 10_000  # distinct keys the builder shares


class _Frame:
    """An open container: the object itself, its path, and the key of its current member."""

    __slots__ = ("container", "key", "path")

    def __init__(self, container: Any, path: Path) -> None:
        self.container = container
        self.path = path
        self.key: str = ""


class Builder:
    """The scanner's sink: keeps the live value and collects ``events``.

    The scanner reports, in document order, containers opening and closing, keys, strings
    starting, growing and ending, and whole scalars, each with its position in the chunk being
    scanned (for a scalar its first character and the one after it; start is -1 when
    ``start_scalar`` announced it). A subclass that sets ``hooks`` also hears of keys beginning
    and growing, numbers and literals read over several chunks, and commas (another member
    must follow: not called when trailing commas are allowed); the plain builder does not pay
    for those calls.
    """

    hooks = False

    def __init__(self, trailing_strings: bool = True, keep_documents: bool = False) -> None:
        self.trailing_strings = trailing_strings
        self.keep_documents = keep_documents
        self.events: list[Event] = []
        self.chunk = ""  # the text being scanned (positions the scanner reports index it)
        self.completed = 0  # documents completed
        self.documents: list[Any] = []  # and their values, kept only if keep_documents
        self.root: list[Any] = [None]  # the document, held like a member of a container
        self._stack: list[_Frame] = []
        self._keys: dict[str, str] = {}
        # Where the string being read lives (container and key), while it is shown.
        self._slot: Any = self.root
        self._slot_key: Any = 0
        self._string_path: Path = ROOT
        self._string_parts: list[str] = []
        # Content guards (``_guard.Guards``), and the one of the string being read: the text
        # it holds back or masks never reaches the value.
        self.guards: Any = None
        self._string_guard: Any = None

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
        self.events.append(completed_event(path, value))
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
        self.events.append(started_event(path, "object" if is_object else "array"))

    def end_container(self, pos: int) -> None:
        frame = self._stack.pop()
        self._completed(frame.path, frame.container)

    def key(self, name: str, pos: int) -> None:
        # One string per distinct key, as json.loads keeps: a list of a million records
        # holds its field names once, not a million times. (Bounded: keys may all differ.)
        keys = self._keys
        found = keys.get(name)
        if found is None:
            found = name
            if len(keys) < _KEYS_KEPT:
                keys[name] = name
        self._stack[-1].key = found

    def start_string(self, pos: int) -> None:
        if self.trailing_strings:
            path = self._attach("")
        else:
            path = self.member_path()
            self._string_parts = []
        self._string_path = path
        self.events.append(started_event(path, "string"))
        if self.guards is not None:
            self._string_guard = self.guards.for_path(path)

    def string_delta(self, text: str) -> None:
        if self._string_guard is not None:
            self._guarded(self._string_guard.feed(text))
        else:
            self.grow_string(text)

    def _guarded(self, pieces: list[Any]) -> None:
        """Show what the string's guard releases: text, and the events placed before text."""
        for piece in pieces:
            if type(piece) is str:
                self.grow_string(piece)
            else:
                self.events.append(piece)

    def grow_string(self, text: str) -> None:
        """The string being read grew by ``text`` (as shown: guards applied)."""
        self.events.append(delta_event(self._string_path, text))
        if self.trailing_strings:
            # Drop the container's reference first, so CPython extends the string in place.
            slot, key = self._slot, self._slot_key
            grown: str = slot[key]  # typed, so compiled code appends in place too
            slot[key] = None
            grown += text
            slot[key] = grown
        else:
            self._string_parts.append(text)

    def end_string(self, pos: int) -> None:
        if self._string_guard is not None:
            self._guarded(self._string_guard.end())
            self._string_guard = None
        if self.trailing_strings:
            value = self._slot[self._slot_key]
        else:
            value = "".join(self._string_parts)
            self._string_parts = []
            self._attach(value)
        self._completed(self._string_path, value)

    def scalar(self, value: Any, start: int, end: int) -> None:
        self._completed(self._attach(value), value)

    # -- hooks, called only if ``hooks`` ---------------------------------------------------------
    def start_key(self, pos: int) -> None:
        """A key begins at ``pos``."""

    def key_delta(self, text: str) -> None:
        """The key being read grew by ``text``."""

    def start_scalar(self, pos: int) -> None:
        """A number or literal begins at ``pos`` and is read over more than one step."""

    def comma(self, pos: int) -> None:
        """Another member must follow in the innermost container (the comma is at ``pos``)."""
