"""Parallel tool calls from OpenAI Chat Completions, validated while they stream.

The bundled recorded response calls two tools at once, with the chunks of the two calls
interleaved (the protocol allows it; the SDK's own helper then guesses wrong). partialjson keeps
each call apart by its index, shows each argument as it completes, validated, and hands over each
call, as its model, the moment its JSON is complete.

By default the real ``openai`` client reads the bundled recording from a local server; with
OPENAI_API_KEY set it asks the real API instead.

Run:  python examples/openai_tool_calls.py [--async]
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import Any, Literal

import openai
from pydantic import BaseModel

import partialjson as pj
from partialjson import openai as bridge
from partialjson.cli.replay import Replay

RECORDING = Path(__file__).parent / "data" / "openai_parallel_calls.sse"


class GetWeather(BaseModel):
    city: str
    days: int
    units: Literal["celsius", "fahrenheit"]


class SearchFlights(BaseModel):
    origin: str
    destination: str
    date: str
    passengers: int


TOOLS = {"get_weather": GetWeather, "search_flights": SearchFlights}
REQUEST: dict[str, Any] = {
    "model": "gpt-4o",
    "tools": [openai.pydantic_function_tool(model, name=name) for name, model in TOOLS.items()],
    "messages": [{"role": "user", "content": "Weather in São Paulo for 3 days, and flights "
                                             "from GRU to Lisbon on 14 July 2025 for two."}],
}


def show(event: pj.BridgeEvent) -> None:
    """Print each call's progress; ``event.part`` is a ``bridge.ChatPart`` here."""
    if isinstance(event, pj.PartStarted):
        print(f"call {event.part.index}: {event.part.name} ({event.part.id}) started")
    elif isinstance(event, pj.JsonEvent) and isinstance(event.event, pj.ValueCompleted):
        if len(event.event.path) == 1:  # a top-level argument, validated
            print(f"call {event.part.index}:   {event.event.path[0]} = {event.event.value!r}")
    elif isinstance(event, pj.ToolCallComplete):
        print(f"{event.id}: complete -> {event.value!r}")


def run(client: openai.OpenAI) -> None:
    for event in bridge.stream(client.chat.completions.create(stream=True, **REQUEST),
                               tools=TOOLS):
        show(event)


async def run_async(client: openai.AsyncOpenAI) -> None:
    # The raw stream, not the chat.completions.stream() helper: given these (strict) tools,
    # the helper parses a call as done when another call's chunk arrives, and fails here.
    raw = await client.chat.completions.create(stream=True, **REQUEST)
    async for event in bridge.stream(raw, tools=TOOLS):
        show(event)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--async", dest="use_async", action="store_true",
                        help="use AsyncOpenAI")
    args = parser.parse_args()
    options: dict[str, Any] = {}
    with Replay(RECORDING) as replay:
        if not os.environ.get("OPENAI_API_KEY"):
            options = {"api_key": "replay", "base_url": replay.url + "/v1"}
        if args.use_async:
            asyncio.run(run_async(openai.AsyncOpenAI(max_retries=0, **options)))
        else:
            run(openai.OpenAI(max_retries=0, **options))


if __name__ == "__main__":
    main()
