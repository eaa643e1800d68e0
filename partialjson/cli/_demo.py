"""``partialjson demo``: a recorded LLM response streams into a typed object, live, offline.

A local server on 127.0.0.1 replays a bundled recording (an Anthropic tool call whose input is
a nested trip plan, or the same plan as an OpenAI structured output) to the real SDK client; the
bridge turns the stream into validated events, shown as they come: on a terminal with rich, the
object growing and each value marked as it completes; otherwise as plain lines. Then what it
cost: the same deltas are parsed again without the network, by partialjson and by re-parsing
the buffer at every delta as the SDK helpers do (jiter), and both are timed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import jiter
from pydantic import BaseModel, Field

from .._events import StringDelta, ValueCompleted
from .._model import ModelStream
from ..bridges import BridgeEvent, JsonEvent, OutputComplete, TextDelta, ToolCallComplete
from ._term import OK, Usage, colour
from ._view import View, rich_lines
from .replay import Replay

DATA = Path(__file__).parent / "data"
SECONDS = 5.0  # how long the replay takes at speed 1
PIECE = 256  # bytes the server writes at a time


class Activity(BaseModel):
    time: str = Field(pattern=r"^\d\d:\d\d$")
    place: str
    note: str


class Day(BaseModel):
    day: int = Field(ge=1)
    title: str
    activities: list[Activity]


class Budget(BaseModel):
    currency: Literal["JPY", "EUR", "USD"]
    total: int
    breakdown: dict[str, int]


class Trip(BaseModel):
    destination: str
    summary: str
    days: list[Day]
    budget: Budget
    tips: list[str]


PROMPT = "Plan three days in Kyoto for me: mornings early, good food, a tea ceremony."


class Tape:
    """The SDK stream, passed on as it is, with the JSON deltas and their count noted."""

    def __init__(self, stream: Any, delta: Callable[[Any], str | None]) -> None:
        self.stream = stream
        self.delta = delta
        self.deltas: list[str] = []

    def __iter__(self) -> Iterator[Any]:
        for event in self.stream:
            text = self.delta(event)
            if text:
                self.deltas.append(text)
            yield event

    def close(self) -> None:
        self.stream.close()


def _anthropic(url: str) -> tuple[Tape, dict[str, Any]]:
    import anthropic

    client = anthropic.Anthropic(api_key="demo", base_url=url, max_retries=0)
    tool: Any = {"name": "plan_trip", "description": "Plan a trip, day by day.",
                 "input_schema": Trip.model_json_schema()}
    raw = client.messages.create(model="claude-sonnet-4-6", max_tokens=4096, tools=[tool],
                                 messages=[{"role": "user", "content": PROMPT}], stream=True)

    def delta(event: Any) -> str | None:
        is_json = event.type == "content_block_delta" and event.delta.type == "input_json_delta"
        return event.delta.partial_json if is_json else None

    return Tape(raw, delta), {"tools": {"plan_trip": Trip}}


def _openai(url: str) -> tuple[Tape, dict[str, Any]]:
    import openai

    client = openai.OpenAI(api_key="demo", base_url=url + "/v1", max_retries=0)
    schema: Any = {"type": "json_schema",
                   "json_schema": {"name": "trip", "schema": Trip.model_json_schema()}}
    raw = client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": PROMPT}], stream=True,
        response_format=schema)

    def delta(chunk: Any) -> str | None:
        return chunk.choices[0].delta.content if chunk.choices else None

    return Tape(raw, delta), {"output": Trip}


SCENARIOS = {
    "anthropic": ("an Anthropic tool call, plan_trip", _anthropic),
    "openai": ("an OpenAI structured output", _openai),
}


def run(args: argparse.Namespace) -> int:
    title, start = SCENARIOS[args.provider]
    try:
        __import__(args.provider)
    except ImportError:
        raise Usage(f"the demo needs the {args.provider} SDK: "
                    "pip install 'partialjson-toolkit[demo]'") from None
    live = not args.plain and sys.stdout.isatty()
    if live:
        try:
            __import__("rich")
        except ImportError:
            raise Usage("the live view needs rich: pip install 'partialjson-toolkit[demo]' "
                        "(or --plain)") from None
    screen: Screen = Live() if live else Plain()
    recording = DATA / f"demo_{args.provider}.sse"
    size = recording.stat().st_size
    delay = SECONDS / (size / PIECE) / args.speed if args.speed > 0 else 0.0
    screen.begin(f"partialjson demo: {title} -> Trip, replayed through the real "
                 f"{args.provider} SDK from a local server (no API key, no network)")
    with Replay(recording, piece=PIECE, delay=delay) as replay:
        began = time.perf_counter()
        tape, options = start(replay.url)
        first = whole = 0.0
        with screen:
            for event in _bridge(args.provider).stream(tape, **options):
                now = time.perf_counter() - began
                if isinstance(event, JsonEvent) and isinstance(event.event, ValueCompleted):
                    first = first or (now if len(event.event.path) == 1 else 0.0)
                elif isinstance(event, (ToolCallComplete, OutputComplete)):
                    whole = now
                screen.show(event, now)
        ended = time.perf_counter() - began
        sent = replay.sent
    json_bytes = len("".join(tape.deltas).encode())
    screen.end([
        f"streamed {json_bytes:,} bytes of JSON in {len(tape.deltas):,} deltas "
        f"({sent:,} bytes of SSE) in {ended:.2f} s",
        f"first field complete and valid after {first:.2f} s; the whole Trip after "
        f"{whole:.2f} s",
        *_costs(tape.deltas),
    ])
    return OK


def _bridge(provider: str) -> Any:
    if provider == "anthropic":
        from .. import anthropic

        return anthropic
    from .. import openai

    return openai


# -- what it cost --------------------------------------------------------------------------------
def _costs(deltas: list[str]) -> list[str]:
    """CPU for the same deltas: partialjson (parse, validate), and re-parsing at every delta."""
    def partialjson(timed: list[float]) -> None:
        stream: ModelStream[Trip] = ModelStream(Trip)
        for delta in deltas:
            start = time.perf_counter()
            stream.feed(delta)
            timed.append(time.perf_counter() - start)
        stream.close()

    def reparse(timed: list[float]) -> None:
        buffer = b""
        for delta in deltas:
            start = time.perf_counter()
            buffer += delta.encode()
            jiter.from_json(buffer, partial_mode="trailing-strings")
            timed.append(time.perf_counter() - start)

    rows = ["CPU for the same deltas, parsed again offline (best of 5):",
            f"  {'':32} {'total':>8}   per delta: first 10%, last 10%"]
    for name, work in (("partialjson (parse, validate)", partialjson),
                       ("jiter re-parse at each delta", reparse)):
        cpu, per_delta = _best(work)
        tenth = max(1, len(per_delta) // 10)
        early, late = (statistics.median(part) * 1e6
                       for part in (per_delta[:tenth], per_delta[-tenth:]))
        rows.append(f"  {name:32} {cpu * 1e3:5.2f} ms   {early:16.1f} µs {late:7.1f} µs")
    return [*rows, "re-parsing costs more per delta as the text grows; partialjson does not "
                   "(and it validated every field)"]


def _best(work: Callable[[list[float]], None], runs: int = 5) -> tuple[float, list[float]]:
    best, timings = float("inf"), []
    for _ in range(runs):
        timed: list[float] = []
        start = time.thread_time()
        work(timed)
        cpu = time.thread_time() - start
        if cpu < best:
            best, timings = cpu, timed
    return best, timings


# -- screens -------------------------------------------------------------------------------------
class Screen:
    def begin(self, title: str) -> None: ...
    def show(self, event: BridgeEvent, now: float) -> None: ...
    def end(self, summary: list[str]) -> None: ...

    def __enter__(self) -> Screen:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class Plain(Screen):
    """A line per text block and per value as it completes: for pipes, logs and tests."""

    def begin(self, title: str) -> None:
        print(title, flush=True)

    def show(self, event: BridgeEvent, now: float) -> None:
        if isinstance(event, TextDelta):
            print(event.text, end="", flush=True)
        elif isinstance(event, JsonEvent) and isinstance(event.event, ValueCompleted):
            path, value = event.event.path, event.event.value
            if not isinstance(value, (BaseModel, list, dict)):
                where = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path)
                print(f"{now:6.2f}s  ✓ {where[1:]} = {_short(value)}", flush=True)
        elif isinstance(event, (ToolCallComplete, OutputComplete)):
            days = len(event.value.days)
            print(f"{now:6.2f}s  complete: a valid Trip of {days} days", flush=True)

    def end(self, summary: list[str]) -> None:
        print("\n".join(summary))


class Live(Screen):
    """The object growing in place (rich), values turning green and checked as they complete."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(no_color=not colour(sys.stdout), highlight=False)
        self.view = View()
        self.text = ""
        self._live: Any = None

    def begin(self, title: str) -> None:
        self.console.print(title, style="bold")

    def __enter__(self) -> Screen:
        from rich.live import Live as RichLive

        self._live = RichLive(console=self.console, refresh_per_second=15, transient=True)
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.__exit__(None, None, None)
        self.console.print(self._render(None))

    def show(self, event: BridgeEvent, now: float) -> None:
        if isinstance(event, TextDelta):
            self.text += event.text
        elif isinstance(event, JsonEvent):
            self.view.apply(event.event)
            if not isinstance(event.event, StringDelta | ValueCompleted):
                return
        else:
            return
        self._live.update(self._render(self.console.height - 4))

    def _render(self, room: int | None) -> Any:
        from rich.console import Group
        from rich.text import Text

        lines = self.view.lines()
        if room is not None:
            lines = lines[-room:]  # the end, where it grows
        return Group(Text(self.text, style="italic"), rich_lines(lines))

    def end(self, summary: list[str]) -> None:
        for line in summary:
            self.console.print(line, style="cyan" if line.startswith("  ") else None)


def _short(value: Any, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"
