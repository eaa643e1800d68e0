"""Benchmark: relaying a structured output to a browser, three ways.

A ``Records`` output (bench_model's documents) streams in 1-8 character deltas (seeded) into a
``ModelStream``, and the server relays it over SSE:

- snapshot: ``partial.model_dump_json()`` after every delta that changed something (what
  examples/sse_relay.py did before partialjson.web);
- diff: LangChain-style JSON Patch, ``jsonpatch.make_patch(previous, current)`` between JSON-mode
  snapshots (``model_dump(mode="json")``) after every such delta;
- partialjson.web: ``json_patch(steps, model=Records)`` then ``sse``.

Each raw (an SSE event per delta) and at UI rate: through ``coalesce`` at its default interval
(0.05 s) for partialjson.web, and for the other two a snapshot / diff at most once per interval
(and at the end), with a simulated clock: one delta (a token) every 1/rate seconds, whether
or not it changes what is shown. Measured:
bytes on the wire (the SSE text, UTF-8) and the server's CPU time for the whole stream, the
ModelStream's parsing included for everyone. Where a quadratic relay would take too long, its
cost is estimated from a sample of its steps spread evenly over the stream (marked ~).

    python bench/bench_web.py             # full run
    python bench/bench_web.py --quick     # 20 KB only
    python bench/bench_web.py --markdown
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import time
from collections.abc import Callable, Iterator
from importlib.metadata import version
from typing import Any

import jsonpatch
from bench_json import (
    SEED,
    format_seconds,
    format_size,
    records_document,
    render_table,
    split_in_chunks,
)
from bench_model import Records

import partialjson as pj
from partialjson import web

INTERVAL = 0.05
RATES = (50, 150)  # tokens per second: a slower and a faster model
SAMPLE = 400  # steps timed when a quadratic relay is estimated


def framed(n: int, data: str) -> int:
    return len(f"id:{n}\ndata:{data}\n\n".encode())


class TokenClock:
    """Simulated time: one token (a delta) every 1/rate seconds, read without advancing it."""

    def __init__(self, rate: float | None) -> None:
        self.step = 0.0 if rate is None else 1.0 / rate
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def steps(chunks: list[str], clock: TokenClock | None = None) -> Iterator[list[Any]]:
    stream = pj.ModelStream(Records)
    for chunk in chunks:
        if clock is not None:
            clock.now += clock.step
        yield stream.feed(chunk)
    yield stream.end()


def web_relay(chunks: list[str], rate: float | None) -> int:
    clock = TokenClock(rate)
    batches = web.json_patch(steps(chunks, clock), model=Records)
    if rate is not None:
        batches = web.coalesce(batches, INTERVAL, clock=clock)
    return sum(len(piece.encode()) for piece in web.sse(batches))


def due(rate: float | None) -> Callable[[bool], bool]:
    """For the other relays: is it time to send (always raw; once per interval at a rate)?"""
    if rate is None:
        return lambda last: True
    state = {"now": 0.0, "sent": -1.0}

    def check(last: bool) -> bool:
        state["now"] += 1.0 / rate
        if last or state["now"] - state["sent"] >= INTERVAL:
            state["sent"] = state["now"]
            return True
        return False

    return check


def relay_points(chunks: list[str], rate: float | None) -> Iterator[tuple[int, Any]]:
    """``(n, partial)`` at each send of a snapshot-based relay: after a delta that changed
    something (and at the end), at most once per interval at ``rate``."""
    stream = pj.ModelStream(Records)
    send = due(rate)
    n = 0
    for i, chunk in enumerate(chunks):
        changed = bool(stream.feed(chunk))
        last = i == len(chunks) - 1
        if send(last) and (changed or last):
            n += 1
            yield n, stream.partial


def snapshot_relay(chunks: list[str], rate: float | None, every: int = 1) -> int:
    """The bytes sent; ``every``: do the work of one send in ``every`` only (0: none)."""
    return sum(framed(n, partial.model_dump_json()) for n, partial in relay_points(chunks, rate)
               if every and n % every == 0)


def diff_relay(chunks: list[str], rate: float | None, every: int = 1) -> int:
    previous: Any = {}
    size = 0
    for n, partial in relay_points(chunks, rate):
        if every == 1 or (every and n % every == 0):
            current = partial.model_dump(mode="json")
            size += framed(n, jsonpatch.make_patch(previous, current).to_string())
            previous = current
        elif every and (n + 1) % every == 0:
            previous = partial.model_dump(mode="json")  # the one sent before a sampled one
    return size


def sends(chunks: list[str], rate: float | None) -> int:
    return sum(1 for _ in relay_points(chunks, rate))


def cpu(run: Callable[[], int], repeats: int) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        start = time.process_time()
        size = run()
        best = min(best, time.process_time() - start)
        gc.enable()
    return best, size


def sampled(relay: Callable[..., int], chunks: list[str], rate: float | None) -> tuple[float, int]:
    """Estimate a quadratic relay: do the work of one send in ``every`` (about SAMPLE in all,
    spread over the stream), and scale its cost beyond parsing, and its bytes, by ``every``.
    (The diff relay also pays for the snapshot before each sampled one, as it diffs two.)"""
    every = max(1, sends(chunks, rate) // SAMPLE)
    parse, _ = cpu(lambda: relay(chunks, rate, every=0), 1)
    part, size = cpu(lambda: relay(chunks, rate, every=every), 1)
    if relay is diff_relay:
        snapshots, _ = cpu(lambda: snapshot_relay(chunks, rate, every=every), 1)
        part -= snapshots - parse  # the extra snapshot per sample is not a send's cost
    return parse + (part - parse) * every, size * every


def measure(quick: bool) -> list[list[str]]:
    sizes = [("20 KB", 20_000)] if quick else [("20 KB", 20_000), ("200 KB", 200_000)]
    rows = []
    for label, target in sizes:
        text = records_document(random.Random(f"{SEED}:{label}"), target)
        chunks = split_in_chunks(text, random.Random(f"{SEED}:{label}:chunks"))
        json_bytes = len(text.encode())
        big = target > 50_000
        for rate in (None, *RATES):
            mode = "raw deltas" if rate is None else f"coalesce, {rate} tok/s"
            web_cpu, web_bytes = cpu(lambda r=rate, c=chunks: web_relay(c, r), 1 if quick else 3)
            if big:
                snap_cpu, snap_bytes = sampled(snapshot_relay, chunks, rate)
                diff_cpu, diff_bytes = sampled(diff_relay, chunks, rate)
                mark = "~"
            else:
                snap_cpu, snap_bytes = cpu(lambda r=rate, c=chunks: snapshot_relay(c, r), 1)
                diff_cpu, diff_bytes = cpu(lambda r=rate, c=chunks: diff_relay(c, r), 1)
                mark = ""
            rows.append([
                label, f"{len(chunks):,}", mode,
                f"{mark}{format_size(snap_bytes)}", f"{mark}{format_size(diff_bytes)}",
                format_size(web_bytes), f"{web_bytes / json_bytes:.2g}x",
                f"{mark}{format_seconds(snap_cpu)}", f"{mark}{format_seconds(diff_cpu)}",
                format_seconds(web_cpu), f"{mark}{snap_cpu / web_cpu:.0f}x",
            ])
            print(" | ".join(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    options = parser.parse_args()
    rows = measure(options.quick)
    print(f"\nCPython {platform.python_version()}, pydantic {version('pydantic')}, "
          f"jsonpatch {version('jsonpatch')}, compiled: {pj.compiled}\n")
    headers = ["output", "deltas", "relay", "bytes: snapshot", "bytes: diff",
               "bytes: web", "web ÷ JSON", "CPU: snapshot", "CPU: diff", "CPU: web",
               "snapshot ÷ web"]
    print(render_table(headers, rows, options.markdown))


if __name__ == "__main__":
    main()
