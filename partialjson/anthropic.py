"""``partialjson.anthropic``: the Anthropic bridge, whose home is
:mod:`partialjson.bridges.anthropic`."""

from .bridges.anthropic import Block, stream

__all__ = ["Block", "stream"]
