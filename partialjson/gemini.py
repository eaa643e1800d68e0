"""``partialjson.gemini``: the Gemini bridge, whose home is :mod:`partialjson.bridges.gemini`."""

from .bridges.gemini import GeminiPart, stream

__all__ = ["GeminiPart", "stream"]
