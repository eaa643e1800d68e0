"""Server-sent events from raw bytes (``curl -N`` output), read into objects shaped like the
SDKs' own events, so the bridges read them without the SDK installed.

The SSE framing is the WHATWG one: lines end with LF, CRLF or CR; ``data:`` lines of an event
join with LF; a blank line dispatches it; comments and other fields are ignored. Each event's
data is a JSON object, except OpenAI's closing ``[DONE]``. An error event (Anthropic's
``event: error``, an OpenAI Chat ``{"error": ...}``) raises :class:`ProviderError`, as the SDKs
do; the bridge turns it into its ``StreamFailed``.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

_LINES = re.compile(r"\r\n|\r|\n")


class SdkObject(dict[str, Any]):
    """A JSON object read by attribute too, as an SDK's event model is (absent fields None)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.get(name)


class ProviderError(Exception):
    """The stream carried the provider's error event."""


def events(pieces: Iterable[bytes]) -> Iterator[SdkObject]:
    """The events of an SSE byte stream, as they complete."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    data: list[str] = []
    rest = ""
    for piece in pieces:
        text = rest + decoder.decode(piece)
        cr = text.endswith("\r")  # the LF of a CRLF may come in the next piece
        lines = _LINES.split(text[:-1] if cr else text)
        rest = lines.pop() + ("\r" if cr else "")  # the line not ended yet
        for line in lines:
            if line:
                field, _, value = line.partition(":")
                if field == "data":
                    data.append(value[1:] if value.startswith(" ") else value)
                continue
            if data:
                text = "\n".join(data)
                data = []
                if text == "[DONE]":
                    return
                yield _event(text)


def _event(text: str) -> SdkObject:
    event: SdkObject = json.loads(text, object_hook=SdkObject)
    error = event.error if event.type in ("error", None) else None
    if error is not None:
        raise ProviderError(f"{error.type or error.code}: {error.message}")
    return event
