"""The reference applier of the wire format: what a Python client runs."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from ._pointer import tokens


class PatchError(ValueError):
    """An operation that cannot apply to the document (a bad path, op or value)."""


def _index(container: list[Any], token: str, pointer: str, size: int) -> int:
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise PatchError(f"not an array index: {token!r} in {pointer!r}")
    index = int(token)
    if index >= size:
        raise PatchError(f"index {index} out of range in {pointer!r}")
    return index


def _grown(current: Any, value: Any, pointer: str) -> str:
    if not isinstance(current, str) or not isinstance(value, str):
        raise PatchError(f"append to a non-string at {pointer!r}")
    return current + value


def apply(document: Any, ops: Iterable[dict[str, Any]], done: set[str] | None = None) -> Any:
    """Apply ``ops`` to ``document`` (changed in place where it is a container) and return the
    new document. ``done``, if given, receives the pointers of the ``done`` operations."""
    for op in ops:
        name, pointer = op.get("op"), op.get("path")
        if not isinstance(pointer, str):
            raise PatchError(f"no path in {op!r}")
        if name == "done":
            if done is not None:
                done.add(pointer)
            continue
        if name not in ("add", "replace", "append"):
            raise PatchError(f"unknown op {name!r}")
        if "value" not in op:
            raise PatchError(f"{name!r} needs a value")
        value = op["value"]
        if isinstance(value, (dict, list)):
            value = copy.deepcopy(value)  # the document must not share the op's objects
        try:
            keys = tokens(pointer)
        except ValueError as exc:
            raise PatchError(str(exc)) from None
        if not keys:
            document = value if name != "append" else _grown(document, value, pointer)
            continue
        parent = document
        for token in keys[:-1]:
            if isinstance(parent, dict):
                if token not in parent:
                    raise PatchError(f"no member {token!r} in {pointer!r}")
                parent = parent[token]
            elif isinstance(parent, list):
                parent = parent[_index(parent, token, pointer, len(parent))]
            else:
                raise PatchError(f"{pointer!r} goes through a scalar")
        last = keys[-1]
        if isinstance(parent, dict):
            if name != "add" and last not in parent:
                raise PatchError(f"no member {last!r} to {name} at {pointer!r}")
            parent[last] = value if name != "append" else _grown(parent[last], value, pointer)
        elif isinstance(parent, list):
            if name == "add":
                if last == "-":
                    parent.append(value)
                else:
                    parent.insert(_index(parent, last, pointer, len(parent) + 1), value)
            else:
                index = _index(parent, last, pointer, len(parent))
                parent[index] = (value if name != "append"
                                 else _grown(parent[index], value, pointer))
        else:
            raise PatchError(f"{pointer!r} goes through a scalar")
    return document
