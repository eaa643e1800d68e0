"""Re-ask a tool call that broke its schema: validate Claude's arguments while they stream,
stop the response at the first invalid value, and ask again with ``repair_prompt``: the path,
pydantic's error, the offending text and what was valid, as a ``tool_result`` marked as an error.

The ``schedule_meeting`` tool wants an ISO date. In the first bundled recorded response the model
writes "next Tuesday"; the bridge refuses it when the string completes and closes the response
(the long agenda after it is never generated). The second request carries the repair prompt, and
the recorded answer is valid.

By default the real ``anthropic`` client reads the bundled recordings from a local server (one
per request); with ANTHROPIC_API_KEY set it asks the real API instead.

Run:  python examples/retry_on_violation.py [--async]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import anthropic
from pydantic import BaseModel, Field

import partialjson as pj
from partialjson import anthropic as bridge
from partialjson.cli.replay import Replay
from partialjson.recovery import repair_prompt

DATA = Path(__file__).parent / "data"
RECORDINGS = [DATA / "anthropic_meeting_invalid.sse", DATA / "anthropic_meeting_valid.sse"]
ATTEMPTS = 3


class Meeting(BaseModel):
    title: str
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")
    duration_minutes: int = Field(gt=0, le=480)
    attendees: list[str]
    agenda: str


TOOLS = {"schedule_meeting": Meeting}
REQUEST: dict[str, Any] = {
    "model": "claude-sonnet-4-6",
    "max_tokens": 2048,
    "tools": [{"name": "schedule_meeting", "description": "Put a meeting in the calendar.",
               "input_schema": Meeting.model_json_schema()}],
    "messages": [{"role": "user", "content": "Book a 45-minute design review with Ana and Li "
                                             "next Tuesday (today is 2025-07-10)."}],
}


def show(event: pj.BridgeEvent) -> None:
    if isinstance(event, pj.PartStarted) and getattr(event.part, "name", None):
        print(f"-> {event.part.name} ({event.part.id})")  # type: ignore[attr-defined]
    elif isinstance(event, pj.JsonEvent) and isinstance(event.event, pj.ValueCompleted):
        if len(event.event.path) == 1:
            print(f"   {event.event.path[0]} = {str(event.event.value)[:40]!r}  ok")
    elif isinstance(event, pj.ToolCallComplete):
        print(f"complete: {event.value!r}"[:160])


def refused(error: pj.InvalidPart, messages: list[dict[str, Any]]) -> None:
    print(f"refused {error.part}: {error.error}")
    repair = repair_prompt(error, "anthropic")
    print("re-asking with repair_prompt:")
    for line in repair[-1]["content"][0]["content"].splitlines():
        print(f"   | {line}")
    messages += repair


def schedule(client: anthropic.Anthropic) -> int:
    messages = list(REQUEST["messages"])
    for _ in range(ATTEMPTS):
        raw = client.messages.create(stream=True, **{**REQUEST, "messages": messages})
        try:
            with bridge.stream(raw, tools=TOOLS) as events:
                for event in events:
                    show(event)
            return 0
        except pj.InvalidPart as error:
            refused(error, messages)
    return 1


async def schedule_async(client: anthropic.AsyncAnthropic) -> int:
    messages = list(REQUEST["messages"])
    for _ in range(ATTEMPTS):
        raw = await client.messages.create(stream=True, **{**REQUEST, "messages": messages})
        try:
            async with bridge.stream(raw, tools=TOOLS) as events:
                async for event in events:
                    show(event)
            return 0
        except pj.InvalidPart as error:
            refused(error, messages)
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--async", dest="use_async", action="store_true",
                        help="use AsyncAnthropic")
    args = parser.parse_args()
    if os.environ.get("ANTHROPIC_API_KEY"):
        return run(args.use_async, {})
    with Replay(*RECORDINGS) as replay:
        status = run(args.use_async, {"api_key": "replay", "base_url": replay.url})
        print(f"server: {replay.requests} requests; the last: {replay.report()}")
    return status


def run(use_async: bool, options: dict[str, Any]) -> int:
    if use_async:
        return asyncio.run(schedule_async(anthropic.AsyncAnthropic(max_retries=0, **options)))
    return schedule(anthropic.Anthropic(max_retries=0, **options))


if __name__ == "__main__":
    sys.exit(main())
