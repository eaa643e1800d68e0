"""The bridge examples run offline against their bundled recordings, and say what they promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env["PYTHONPATH"] = str(ROOT)  # this checkout's partialjson
    return subprocess.run([sys.executable, str(ROOT / "examples" / name), *args], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("flags", [[], ["--async"]], ids=["sync", "async"])
def test_tool_call_guard_cancels_the_payment_over_the_limit(flags: list[str]) -> None:
    done = run_example("tool_call_guard.py", *flags)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert "   recipient = 'Zoë Durand'  ok" in lines
    cancelled = next(line for line in lines if line.startswith("cancelled"))
    assert "'send_payment'" in cancelled and "less than or equal to 1000" in cancelled
    assert "at $.amount" in cancelled
    assert not any("complete:" in line for line in lines)
    server = lines[-1]
    assert server.startswith("server: the client hung up after ")
    sent, total = (int(n.replace(",", "")) for n in server.split()[6:9:2])
    assert sent < total // 10


@pytest.mark.parametrize("flags", [[], ["--async"]], ids=["sync", "async"])
def test_openai_example_completes_each_interleaved_call_as_its_model(flags: list[str]) -> None:
    done = run_example("openai_tool_calls.py", *flags)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == ("call_9PzEflights: complete -> SearchFlights(origin='GRU', "
                         "destination='LIS', date='2025-07-14', passengers=2)")
    weather = "call_4Yq7weather: complete -> GetWeather(city='São Paulo', days=3, units='celsius')"
    assert lines.index(weather) < lines.index("call 1:   date = '2025-07-14'")
