"""A provider's raw SSE stream (``curl -N`` output) read into objects shaped like the SDKs' own
events, so the bridges read them without the SDK installed.

The bytes are split into events by the bridges' own splitter (``bridges._sse``: O(n), any
cutting of the bytes). Each event's data is a JSON object, except OpenAI's closing ``[DONE]``.
An error event (Anthropic's ``event: error``, an OpenAI Chat ``{"error": ...}``) raises
:class:`ProviderError`, as the SDKs do; the bridge turns it into its ``StreamFailed``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..bridges._sse import SSESplitter


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
    splitter = SSESplitter()
    for piece in pieces:
        for _name, data in splitter.feed(piece):  # the name is in the data's "type" too
            if data == "[DONE]":
                return
            if data:  # (an event of comments, ids or names only carries nothing to read)
                yield _event(data)


def _event(text: str) -> SdkObject:
    event: SdkObject = json.loads(text, object_hook=SdkObject)
    error = event.error if event.type in ("error", None) else None
    if error is not None:
        raise ProviderError(f"{error.type or error.code}: {error.message}")
    return event
