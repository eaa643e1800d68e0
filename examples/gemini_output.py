"""A Gemini structured output (``response_schema``), validated while it streams.

google-genai streams the JSON of a structured output as text, a few tokens a chunk, and parses
nothing until the end. partialjson reads the same stream and shows each field the moment it is
complete, validated against the model, then hands over the model instance.

By default the real ``google-genai`` client reads the bundled recording from a local server; with
GEMINI_API_KEY (or GOOGLE_API_KEY) set it asks the real API instead.

Run:  python examples/gemini_output.py [--async]
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from google import genai
from google.genai import types
from pydantic import BaseModel, Field

import partialjson as pj
from partialjson import gemini as bridge
from partialjson.cli.replay import Replay

RECORDING = Path(__file__).parent / "data" / "gemini_itinerary.sse"
MODEL = "gemini-2.5-flash"
PROMPT = "Plan four days along the Douro valley, from Porto, as JSON."


class Stop(BaseModel):
    city: str
    nights: int = Field(ge=1)
    highlights: list[str]


class Itinerary(BaseModel):
    title: str
    days: int
    stops: list[Stop]
    budget_eur: float


CONFIG = types.GenerateContentConfig(response_mime_type="application/json",
                                     response_schema=Itinerary)


def show(event: pj.BridgeEvent) -> None:
    """Each top-level field and each stop as it completes; then the whole itinerary."""
    if isinstance(event, pj.JsonEvent) and isinstance(event.event, pj.ValueCompleted):
        path, value = event.event.path, event.event.value
        if len(path) == 1 and path[0] != "stops":
            print(f"✓ {path[0]} = {value!r}")
        elif len(path) == 2:  # a stop, validated
            print(f"✓ stop {path[1]}: {value.city}, {value.nights} night(s), "
                  f"{len(value.highlights)} highlights")
    elif isinstance(event, pj.OutputComplete):
        itinerary = event.value
        print(f"{itinerary.title}: {len(itinerary.stops)} stops, "
              f"{sum(s.nights for s in itinerary.stops)} nights, {itinerary.budget_eur} EUR")


def run(client: genai.Client) -> None:
    chunks = client.models.generate_content_stream(model=MODEL, contents=PROMPT, config=CONFIG)
    for event in bridge.stream(chunks, output=Itinerary):
        show(event)


async def run_async(client: genai.Client) -> None:
    chunks = await client.aio.models.generate_content_stream(model=MODEL, contents=PROMPT,
                                                             config=CONFIG)
    async for event in bridge.stream(chunks, output=Itinerary):
        show(event)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--async", dest="use_async", action="store_true",
                        help="use client.aio")
    args = parser.parse_args()
    with Replay(RECORDING) as replay:
        if os.environ.get("GEMINI_API_KEY") or os.environ.get("GOOGLE_API_KEY"):
            client = genai.Client()
        else:
            client = genai.Client(api_key="replay",
                                  http_options=types.HttpOptions(base_url=replay.url))
        if args.use_async:
            asyncio.run(run_async(client))
        else:
            run(client)


if __name__ == "__main__":
    main()
