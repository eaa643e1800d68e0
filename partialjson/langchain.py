"""``partialjson.langchain``: the LangChain bridge, whose home is
:mod:`partialjson.bridges.langchain`."""

from typing import TYPE_CHECKING, Any

from .bridges.langchain import MessagePart, stream

if TYPE_CHECKING:
    from .bridges._langchain_parsers import (
        PartialOutputParser,
        PartialToolCall,
        PartialToolsParser,
        ToolCalls,
    )

__all__ = ["MessagePart", "PartialOutputParser", "PartialToolCall", "PartialToolsParser",
           "ToolCalls", "stream"]


def __getattr__(name: str) -> Any:  # the LCEL runnables, with langchain-core, on first use
    from .bridges import langchain

    return getattr(langchain, name)
