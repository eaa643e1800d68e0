"""``partialjson.openai``: the OpenAI bridge, whose home is :mod:`partialjson.bridges.openai`."""

from .bridges.openai import ChatPart, ResponsePart, stream

__all__ = ["ChatPart", "ResponsePart", "stream"]
