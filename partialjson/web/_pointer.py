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


def relative(target: list[str], base: list[str]) -> str:
    """The Relative JSON Pointer (draft-bhutton-relative-json-pointer) of ``target`` from
    ``base`` (both as tokens): how many levels up from ``base``, then a pointer down."""
    common = 0
    end = min(len(target), len(base))
    while common < end and target[common] == base[common]:
        common += 1
    return str(len(base) - common) + pointer(target[common:])


def resolve(text: str, base: list[str] | None) -> list[str]:
    """The tokens of a pointer: absolute (``""``, ``/...``), or relative to ``base``
    (``N/...``: up N levels from ``base``, then down)."""
    if text == "" or text.startswith("/"):
        return tokens(text)
    digits = len(text) - len(text.lstrip("0123456789"))
    up = text[:digits]
    if not up or (len(up) > 1 and up[0] == "0") or text[digits:digits + 1] not in ("", "/"):
        raise ValueError(f"not a JSON Pointer nor a relative one: {text!r}")
    if base is None:
        raise ValueError(f"a relative pointer {text!r} with no operation before it")
    if int(up) > len(base):
        raise ValueError(f"{text!r} goes up past the document from {pointer(base)!r}")
    return base[: len(base) - int(up)] + tokens(text[digits:])
