"""Parallel tool calls from a LangChain chat model, validated while they stream.

``chat.bind_tools([...]).stream(...)`` gives ``AIMessageChunk``s; partialjson reads their
``tool_call_chunks`` as they come, shows each argument as it completes (validated against the
tool's model), and hands over each call, as its model, the moment its JSON is whole. With
``--lcel`` the same through an LCEL chain, ``chat | PartialToolsParser(...)``, which yields the
calls so far after each chunk.

By default ``ChatOpenAI`` reads the bundled recording (two interleaved calls) from a local server;
with OPENAI_API_KEY set it asks the real API instead.

Run:  python examples/langchain_tools.py [--async] [--lcel]
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import Any, Literal

from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field

import partialjson as pj
from partialjson import langchain as pjl
from partialjson.cli.replay import Replay

RECORDING = Path(__file__).parent / "data" / "openai_parallel_calls.sse"
PROMPT = ("Weather in São Paulo for 3 days, and flights from GRU to Lisbon on 14 July 2025 "
          "for two.")


class GetWeather(BaseModel):
    """The forecast for a city."""

    city: str
    days: int = Field(ge=1, le=14)
    units: Literal["celsius", "fahrenheit"]


class SearchFlights(BaseModel):
    """Flights between two airports on a date."""

    origin: str
    destination: str
    date: str
    passengers: int


TOOLS = {"get_weather": GetWeather, "search_flights": SearchFlights}


def show(event: pj.BridgeEvent) -> None:
    """Print each call's progress; ``event.part`` is a ``pjl.MessagePart`` here."""
    if isinstance(event, pj.PartStarted):
        print(f"call {event.part.index}: {event.part.name} ({event.part.id}) started")
    elif isinstance(event, pj.JsonEvent) and isinstance(event.event, pj.ValueCompleted):
        if len(event.event.path) == 1:  # a top-level argument, validated
            print(f"call {event.part.index}:   {event.event.path[0]} = {event.event.value!r}")
    elif isinstance(event, pj.ToolCallComplete):
        print(f"{event.id}: complete -> {event.value!r}")


def show_calls(calls: list[pjl.PartialToolCall]) -> None:
    print(" | ".join(f"{c.name}: {'done' if c.complete else 'so far'} {c.args!r}" for c in calls))


def run(chat: Any, lcel: bool) -> None:
    if lcel:
        for calls in (chat | pjl.PartialToolsParser(tools=TOOLS)).stream(PROMPT):
            show_calls(calls)
        return
    for event in pjl.stream(chat.stream(PROMPT), tools=TOOLS):
        show(event)


async def run_async(chat: Any, lcel: bool) -> None:
    if lcel:
        async for calls in (chat | pjl.PartialToolsParser(tools=TOOLS)).astream(PROMPT):
            show_calls(calls)
        return
    async for event in pjl.stream(chat.astream(PROMPT), tools=TOOLS):
        show(event)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--async", dest="use_async", action="store_true", help="use astream()")
    parser.add_argument("--lcel", action="store_true", help="chat | PartialToolsParser(...)")
    args = parser.parse_args()
    with Replay(RECORDING) as replay:
        options: dict[str, Any] = {}
        if not os.environ.get("OPENAI_API_KEY"):
            options = {"api_key": "replay", "base_url": replay.url + "/v1"}
        # the tools under the names the recording calls them by
        tools = [{"type": "function", "function": {
            "name": name, "description": model.__doc__, "parameters": model.model_json_schema()}}
            for name, model in TOOLS.items()]
        chat = ChatOpenAI(model="gpt-4o", max_retries=0, **options).bind_tools(tools)
        if args.use_async:
            asyncio.run(run_async(chat, args.lcel))
        else:
            run(chat, args.lcel)


if __name__ == "__main__":
    main()
