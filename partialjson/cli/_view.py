"""What a live view shows of a JSON value as its events arrive, built from the events alone (as
any UI can): every value by path, a string's text so far, and whether each value is complete.
Then lines of rich text, for a terminal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .._events import Event, StringDelta, ValueCompleted, ValueStarted

if TYPE_CHECKING:
    from rich.text import Text

Key = str | int


class _Node:
    __slots__ = ("children", "complete", "kind", "text", "value")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.text = ""  # a string's text so far
        self.value: Any = None
        self.complete = False
        self.children: dict[Key, _Node] = {}


@dataclass(frozen=True)
class Line:
    depth: int
    label: str
    text: str
    complete: bool


class View:
    def __init__(self) -> None:
        self._nodes: dict[tuple[Key, ...], _Node] = {}

    def apply(self, event: Event) -> None:
        if isinstance(event, StringDelta):
            self._nodes[tuple(event.path)].text += event.text
        elif isinstance(event, ValueStarted):
            self._add(tuple(event.path), event.kind)
        elif isinstance(event, ValueCompleted):
            path = tuple(event.path)
            node = self._nodes.get(path) or self._add(path, "scalar")
            node.value, node.complete = event.value, True

    def _add(self, path: tuple[Key, ...], kind: str) -> _Node:
        node = self._nodes[path] = _Node(kind)
        if path:
            self._nodes[path[:-1]].children[path[-1]] = node
        return node

    def lines(self) -> list[Line]:
        """The value as indented lines, in document order."""
        out: list[Line] = []
        root = self._nodes.get(())
        if root is not None:
            _walk(root, "", 0, out)
        return out


def _walk(node: _Node, label: str, depth: int, out: list[Line]) -> None:
    if node.kind in ("object", "array"):
        kind = type(node.value).__name__ if isinstance(node.value, BaseModel) else ""
        out.append(Line(depth, label, kind, node.complete))
        for key, child in node.children.items():
            _walk(child, f"[{key}]" if isinstance(key, int) else str(key), depth + 1, out)
    elif node.kind == "string":
        out.append(Line(depth, label, node.value if node.complete else node.text, node.complete))
    else:
        out.append(Line(depth, label, repr(node.value), node.complete))


def rich_lines(lines: list[Line]) -> Text:
    """The lines for a terminal: complete values marked and green, growing ones yellow."""
    from rich.text import Text

    text = Text()
    for line in lines:
        text.append("  " * line.depth)
        if line.label:
            text.append(f"{line.label}: ", style="bold")
        if line.text:
            text.append(f"{line.text} ", style="green" if line.complete else "yellow")
        text.append("✓\n" if line.complete else "…\n", style="green" if line.complete else "dim")
    return text
