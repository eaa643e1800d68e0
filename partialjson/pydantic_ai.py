"""``partialjson.pydantic_ai``: the pydantic-ai bridge, whose home is
:mod:`partialjson.bridges.pydantic_ai`."""

from .bridges.pydantic_ai import AgentPart, stream

__all__ = ["AgentPart", "stream"]
