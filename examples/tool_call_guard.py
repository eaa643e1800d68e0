"""Guard a tool call while it streams: validate Claude's arguments as they arrive, and cancel
the response the moment they break the tool's schema, before the model writes the rest.

The ``send_payment`` tool allows at most 1000 per payment. The bundled recorded response asks for
2500, then goes on with a long memo. partialjson validates each field as it completes; when the
amount completes over the limit, the bridge closes the HTTP response (the model stops generating,
and billing) and raises with the call, the field and the text received so far.

By default the real ``anthropic`` client reads the bundled recording from a local server; with
ANTHROPIC_API_KEY set it asks the real API instead.

Run:  python examples/tool_call_guard.py [--async]     (exit status 1: the call was refused)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any, Literal

import anthropic
from pydantic import BaseModel, Field

import partialjson as pj
from partialjson import anthropic as bridge
from partialjson.cli.replay import Replay

RECORDING = Path(__file__).parent / "data" / "anthropic_payment.sse"


class Payment(BaseModel):
    recipient: str
    iban: str
    amount: float = Field(gt=0, le=1000)
    currency: Literal["EUR", "USD", "GBP"]
    memo: str


TOOLS = {"send_payment": Payment}
REQUEST: dict[str, Any] = {
    "model": "claude-sonnet-4-6",
    "max_tokens": 2048,
    "tools": [{"name": "send_payment", "description": "Send a bank transfer.",
               "input_schema": Payment.model_json_schema()}],
    "messages": [{"role": "user", "content": "Pay Zoë Durand 2500 EUR for the studio rental, "
                                             "with a detailed memo."}],
}


def show(event: pj.BridgeEvent) -> None:
    """Print what a user interface would show."""
    if isinstance(event, pj.TextDelta):
        print(event.text, end="", flush=True)
    elif isinstance(event, pj.PartStarted) and event.part.name is not None:  # a bridge.Block
        print(f"\n-> {event.part.name} ({event.part.id})")
    elif isinstance(event, pj.JsonEvent) and isinstance(event.event, pj.ValueCompleted):
        path = event.event.path
        if len(path) == 1:  # a top-level argument, validated
            print(f"   {path[0]} = {str(event.event.value)[:60]!r}  ok")
    elif isinstance(event, pj.ToolCallComplete):
        print(f"   complete: {event.value!r}")


def explain(error: pj.InvalidPart) -> None:
    print(f"\ncancelled {error.part}: {error.error}")
    print(f"   arguments received: {len(error.text or ''):,} characters")
    print(f"   validated so far: {error.values[error.part]!r}")


def guard(client: anthropic.Anthropic) -> int:
    try:
        with client.messages.stream(**REQUEST) as helper:  # or messages.create(stream=True)
            for event in bridge.stream(helper, tools=TOOLS):
                show(event)
    except pj.InvalidPart as error:
        explain(error)
        return 1
    return 0


async def guard_async(client: anthropic.AsyncAnthropic) -> int:
    try:
        raw = await client.messages.create(stream=True, **REQUEST)
        async for event in bridge.stream(raw, tools=TOOLS):
            show(event)
    except pj.InvalidPart as error:
        explain(error)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--async", dest="use_async", action="store_true",
                        help="use AsyncAnthropic and create(stream=True)")
    args = parser.parse_args()
    if os.environ.get("ANTHROPIC_API_KEY"):
        return run(args.use_async, {})
    with Replay(RECORDING) as replay:
        status = run(args.use_async, {"api_key": "replay", "base_url": replay.url})
        print(f"server: {replay.report()}")
    return status


def run(use_async: bool, options: dict[str, Any]) -> int:
    if use_async:
        return asyncio.run(guard_async(anthropic.AsyncAnthropic(max_retries=0, **options)))
    return guard(anthropic.Anthropic(max_retries=0, **options))


if __name__ == "__main__":
    sys.exit(main())
