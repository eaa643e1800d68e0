"""A pydantic-ai agent's structured output, validated field by field while it streams.

The agent's output is a ``Recipe`` (pydantic-ai asks for it through its output tool,
``final_result``). partialjson reads the run's events, ``agent.run_stream_events(...)``, and
shows each field of the recipe the moment it is complete and valid, each ingredient as it
closes, then the final object; a violation would stop the run at once (``pj.InvalidPart``).

By default pydantic-ai's ``OpenAIChatModel`` reads the bundled recording from a local server;
with OPENAI_API_KEY set it asks the real API instead.

Run:  python examples/pydantic_ai_agent.py
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from pydantic_ai import Agent
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai import OpenAIProvider

import partialjson as pj
from partialjson import pydantic_ai as pjai
from partialjson.cli.replay import Replay

sys.path.insert(0, str(Path(__file__).parent))
from _recipe import Recipe

RECORDING = Path(__file__).parent / "data" / "pydantic_ai_recipe.sse"


async def run(agent: Agent[None, Recipe]) -> None:
    async for event in pjai.stream(agent.run_stream_events("A shakshuka recipe for two."),
                                   output=Recipe):
        if isinstance(event, pj.JsonEvent) and isinstance(event.event, pj.ValueCompleted):
            path, value = event.event.path, event.event.value
            if len(path) == 1:
                shown = f"{len(value)} items" if isinstance(value, list) else repr(value)
                print(f"{path[0]}: {shown}")
            elif len(path) == 2 and path[0] == "ingredients":
                print(f"  ingredient {path[1]}: {value.amount} {value.item}")
        elif isinstance(event, pj.OutputComplete):
            print(f"complete -> {type(event.value).__name__}: {event.value.title!r}, "
                  f"{len(event.value.steps)} steps")


def main() -> None:
    with Replay(RECORDING) as replay:
        if os.environ.get("OPENAI_API_KEY"):
            provider = OpenAIProvider()
        else:
            provider = OpenAIProvider(base_url=replay.url + "/v1", api_key="replay")
        agent = Agent(OpenAIChatModel("gpt-4o", provider=provider), output_type=Recipe)
        asyncio.run(run(agent))


if __name__ == "__main__":
    main()
