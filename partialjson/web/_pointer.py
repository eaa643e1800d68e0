"""RFC 6901 JSON Pointers: a path of keys and indices to its pointer text, and back."""

from __future__ import annotations

from collections.abc import Iterable


def escape(key: str | int) -> str:
    """One reference token: ``~`` as ``~0`` first, then ``/`` as ``~1`` (RFC 6901 §3)."""
    if type(key) is int:
        return str(key)
    text = str(key)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def pointer(path: Iterable[str | int], prefix: str = "") -> str:
    """The pointer of ``path`` below ``prefix`` (a pointer itself): ``("a", 0)`` -> ``/a/0``."""
    return prefix + "".join("/" + escape(key) for key in path)


def child(parent: str, key: str | int) -> str:
    """The pointer of member ``key`` of the value at ``parent``: O(len(parent))."""
    return parent + "/" + escape(key)


def tokens(text: str) -> list[str]:
    """The reference tokens of a pointer, unescaped (``~1`` before ``~0``, as the RFC says)."""
    if text == "":
        return []
    if not text.startswith("/"):
        raise ValueError(f"a JSON Pointer starts with '/': {text!r}")
    parts = text[1:].split("/")
    for part in parts:
        stripped = part.replace("~0", "").replace("~1", "")
        if "~" in stripped:
            raise ValueError(f"'~' must be followed by 0 or 1 in {text!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in parts]
