"""``partialjson demo``: a recorded stream through the real SDK client from a local server,
shown as plain text without a terminal and live with rich on one, then what it cost."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

import partialjson as pj
from partialjson.cli import _demo
from partialjson.cli._view import View, rich_lines

ROOT = Path(__file__).resolve().parents[1]
TRIP = '{"destination": "Kyoto, Japan", "summary": "Three unhurried days'


def demo(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "partialjson", "demo", "--speed", "0", *args],
                          capture_output=True, text=True, timeout=60, env=env, check=False)


def recorded(provider: str) -> tuple[_demo.Trip, list[str]]:
    """The trip in the recording and its deltas, read without partialjson from the SSE lines."""
    deltas: list[str] = []
    for line in (_demo.DATA / f"demo_{provider}.sse").read_text().splitlines():
        if line.startswith("data: {"):
            data = json.loads(line[6:])
            delta = data.get("delta", {}).get("partial_json")
            if delta is None and data.get("choices"):
                delta = data["choices"][0]["delta"].get("content")
            if delta:
                deltas.append(delta)
    return _demo.Trip.model_validate_json("".join(deltas)), deltas


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_the_demo_streams_the_recording_into_a_valid_trip(provider: str) -> None:
    done = demo("--provider", provider)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"partialjson demo: {_demo.SCENARIOS[provider][0]} -> Trip")
    assert "no API key, no network" in lines[0]
    trip, deltas = recorded(provider)
    checked = [line.split("✓ ", 1)[1] for line in lines if "  ✓ " in line]
    assert checked[0] == f"destination = {trip.destination!r}"
    assert f"days[2].activities[3].place = {trip.days[2].activities[3].place!r}" in checked
    assert checked[-1] == f"tips[2] = {trip.tips[2]!r}"
    assert any(line.endswith(f"complete: a valid Trip of {len(trip.days)} days") for line in lines)
    if provider == "anthropic":
        assert lines[1].startswith("I'll plan three days in Kyoto for you.")
    json_bytes = len("".join(deltas).encode())
    summary = next(line for line in lines if line.startswith("streamed "))
    expected = rf"streamed {json_bytes:,} bytes of JSON in {len(deltas)} deltas \(\S+ bytes of "
    assert re.fullmatch(expected + r"SSE\) in \d+\.\d\d s", summary), summary
    for name in ("partialjson (parse, validate)", "jiter re-parse at each delta"):
        row = next(line for line in lines if line.startswith(f"  {name}"))
        assert re.search(r"\d+\.\d\d ms +\d+\.\d µs +\d+\.\d µs$", row), row
    assert "\x1b[" not in done.stdout  # no colours without a terminal


def test_the_live_view_marks_values_as_they_complete() -> None:
    view = View()
    stream = pj.ModelStream(_demo.Trip)
    for event in stream.feed(TRIP):
        view.apply(event)
    console = Console(file=io.StringIO(), force_terminal=True, width=120, color_system="standard")
    console.print(rich_lines(view.lines()))
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[32mKyoto, Japan" in shown  # complete: green, checked
    assert "Kyoto, Japan \x1b[0m\x1b[32m✓" in shown
    assert "\x1b[33mThree unhurried days" in shown  # growing: yellow
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown).rstrip("\n").splitlines()
    assert plain == ["…", "  destination: Kyoto, Japan ✓", "  summary: Three unhurried days …"]


def test_no_color_turns_colours_off_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    live = _demo.Live()
    live.console.file = io.StringIO()
    live.console.print("[green]ok[/green]")
    assert live.console.file.getvalue() == "ok\n"
