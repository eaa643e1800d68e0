"""Server-sent events from the bytes of an HTTP body, as they arrive.

The bridges read a raw SDK stream's body with this instead of the SDK's decoder: the SDK builds
an object per line and per event, then a pydantic model per event, which costs more than the
bridge's own parsing. Here a chunk of bytes costs O(chunk): only the unfinished last event is
carried over, and a run of complete events is decoded and split at once.
"""

from __future__ import annotations

import json
from typing import Any

import jiter

Event = tuple[str | None, str]  # (the event's name, or None; its data lines joined by "\n")


class SSESplitter:
    """Splits an event stream (https://html.spec.whatwg.org/#event-stream-interpretation) fed
    in chunks cut anywhere, inside a UTF-8 character or a ``\\r\\n`` too."""

    __slots__ = ("_cr", "_newline", "_rest")

    def __init__(self) -> None:
        # The unfinished event, in the pieces it came in (joined once it completes, so that a
        # long event in small pieces costs O(event), not O(event) per piece), its line ends
        # already made "\n"; whether it ends with "\n".
        self._rest: list[bytes] = []
        self._newline = False
        self._cr = False  # the last chunk ended in "\r": a "\n" opening the next one is its pair

    def feed(self, chunk: bytes) -> list[Event]:
        """The events that ``chunk`` completes. (An event left unfinished at the end of the body
        is dropped, as the standard says.)"""
        if not chunk:
            return []  # (and a "\r" pending from the chunk before stays pending)
        if self._cr or b"\r" in chunk:
            chunk = self._normalize(chunk)
        end = chunk.rfind(b"\n\n")
        if end >= 0:
            cut = end + 1  # just after the first "\n" of the blank line
        elif self._newline and chunk.startswith(b"\n"):
            cut = 0  # the blank line straddles the pieces
        else:
            if chunk:
                self._rest.append(chunk)
                self._newline = chunk.endswith(b"\n")
            return []
        self._rest.append(chunk[:cut])
        complete = b"".join(self._rest)[:-1]
        rest = chunk[cut + 1 :]
        self._rest = [rest] if rest else []
        self._newline = rest.endswith(b"\n")
        # Complete events only: no UTF-8 character is cut, so all of them decode at once.
        events: list[Event] = []
        for block in complete.decode().split("\n\n"):
            if block:
                event = _event(block)
                if event is not None:
                    events.append(event)
        return events

    def _normalize(self, chunk: bytes) -> bytes:
        """Every line end (``\\r\\n``, ``\\r``, ``\\n``) as ``\\n``."""
        if self._cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]  # the "\r" before it already ended the line
        self._cr = chunk.endswith(b"\r")
        return chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _event(block: str) -> Event | None:
    """One event's fields; None for a block of comments (keep-alives) or unknown fields only."""
    # The usual events first: one data line, after an event line or not.
    if block.startswith("data: ") and "\n" not in block:
        return None, block[6:]
    if block.startswith("event: "):
        head, _, rest = block.partition("\n")
        if rest.startswith("data: ") and "\n" not in rest:
            return head[7:] or None, rest[6:]
    name: str | None = None
    data: list[str] = []
    for line in block.split("\n"):
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            data.append(value)
        elif field == "event":
            name = value or None  # as the SDKs have it
        # comments (field ""), id, retry and unknown fields change nothing the bridges read
    if not data and name is None:
        return None
    return name, "\n".join(data)


def loads(data: str) -> Any:
    """An event's JSON. jiter decodes the small documents of a stream's events in half the time
    of ``json.loads`` (bench/bench_bridges.py); what jiter refuses goes to ``json.loads``, which
    the SDKs use, so that a stream reads as it does through them (or fails as it would)."""
    try:
        return jiter.from_json(data.encode(), cache_mode=False)
    except ValueError:
        return json.loads(data)
