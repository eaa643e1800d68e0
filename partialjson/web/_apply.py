"""The reference applier of the wire format: what a Python client runs."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from ._pointer import pointer, resolve


class PatchError(ValueError):
    """An operation that cannot apply to the document (a bad path, op or value)."""


def _index(container: list[Any], token: str, where: str, size: int) -> int:
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise PatchError(f"not an array index: {token!r} in {where!r}")
    index = int(token)
    if index >= size:
        raise PatchError(f"index {index} out of range in {where!r}")
    return index


def _grown(current: Any, value: Any, where: str) -> str:
    if not isinstance(current, str) or not isinstance(value, str):
        raise PatchError(f"append to a non-string at {where!r}")
    return current + value


def _whole(value: Any) -> bool:
    """Numbers and booleans are sent only whole: complete when they arrive."""
    return type(value) in (int, float, bool)


class Document:
    """A client's copy of the document, batch after batch, in the order they were sent.

    ``value`` is the document (None before the first operation), ``done`` the pointers of the
    values known complete (a ``done`` arrived, or a number or boolean was put there): a value
    is complete if it or a value containing it is in ``done`` (``is_done``). The wire's short
    forms (a relative path, a bare string for an ``append``) refer to the operation before, so
    one ``Document`` must see every batch of a stream, in order."""

    def __init__(self, value: Any = None) -> None:
        self.value = value
        self.done: set[str] = set()
        self._last: list[str] | None = None  # the previous operation's path, as tokens

    def is_done(self, path: str) -> bool:
        while True:
            if path in self.done:
                return True
            if not path:
                return False
            path = path[: path.rfind("/")]

    def apply(self, ops: Iterable[Any]) -> Any:
        """Apply a batch; returns the document. Raises ``PatchError`` on an operation that
        does not apply (the ones before it are applied)."""
        for op in ops:
            if isinstance(op, str):  # short for an append to the previous operation's path
                if self._last is None:
                    raise PatchError(f"a bare string {op!r} with no operation before it")
                op = {"op": "append", "value": op}
                keys = self._last
            elif isinstance(op, dict):
                where = op.get("path")
                if not isinstance(where, str):
                    raise PatchError(f"no path in {op!r}")
                try:
                    keys = resolve(where, self._last)
                except ValueError as exc:
                    raise PatchError(str(exc)) from None
            else:
                raise PatchError(f"an operation is an object or a string, not {op!r}")
            self._one(op, keys)
            self._last = keys
        return self.value

    def _size(self, keys: list[str]) -> int:
        """The length of the array an item is added to at ``.../-`` (its new item's index)."""
        parent = self.value
        try:
            for token in keys[:-1]:
                parent = parent[int(token) if isinstance(parent, list) else token]
        except (KeyError, IndexError, TypeError, ValueError):
            return 0  # the add fails, with its own error
        return len(parent) if isinstance(parent, list) else 0

    def _one(self, op: dict[str, Any], keys: list[str]) -> None:
        name = op.get("op")
        where = pointer(keys)
        if name == "done":
            self.done.add(where)
            return
        if name not in ("add", "replace", "append"):
            raise PatchError(f"unknown op {name!r}")
        if "value" not in op:
            raise PatchError(f"{name!r} needs a value")
        value = op["value"]
        if isinstance(value, (dict, list)):
            value = copy.deepcopy(value)  # the document must not share the op's objects
        if not keys and name != "append":
            self.done.clear()  # a new document (a bridge stream's restart): nothing done in it
        if name != "append" and _whole(value):
            self.done.add(where if keys[-1:] != ["-"] else f"{where[:-2]}/{self._size(keys)}")
        if not keys:
            self.value = value if name != "append" else _grown(self.value, value, where)
            return
        parent = self.value
        for token in keys[:-1]:
            if isinstance(parent, dict):
                if token not in parent:
                    raise PatchError(f"no member {token!r} in {where!r}")
                parent = parent[token]
            elif isinstance(parent, list):
                parent = parent[_index(parent, token, where, len(parent))]
            else:
                raise PatchError(f"{where!r} goes through a scalar")
        last = keys[-1]
        if isinstance(parent, dict):
            if name != "add" and last not in parent:
                raise PatchError(f"no member {last!r} to {name} at {where!r}")
            parent[last] = value if name != "append" else _grown(parent[last], value, where)
        elif isinstance(parent, list):
            if name == "add":
                if last == "-":
                    parent.append(value)
                else:
                    parent.insert(_index(parent, last, where, len(parent) + 1), value)
            else:
                index = _index(parent, last, where, len(parent))
                parent[index] = (value if name != "append"
                                 else _grown(parent[index], value, where))
        else:
            raise PatchError(f"{where!r} goes through a scalar")


def apply(document: Any, ops: Iterable[Any], done: set[str] | None = None) -> Any:
    """Apply one batch to ``document`` (changed in place where it is a container) and return
    the new document. ``done``, if given, receives the pointers known complete. Short forms
    may refer only to operations of this batch: use a :class:`Document` for a stream."""
    reader = Document(document)
    document = reader.apply(ops)
    if done is not None:
        done |= reader.done
    return document
