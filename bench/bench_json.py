"""Benchmark: partialjson against the usual ways of parsing JSON while an LLM streams it.

Every document is fed as a stream of 1-8 character chunks (seeded, so each run and each
competitor sees the same boundaries; the bytes competitors get each chunk encoded as UTF-8).
CPU time (best of several warm repeats, the garbage collector paused while timing, as timeit
does; see ``best_cpu_seconds``) is measured for one whole stream of:

- partialjson, str chunks and bytes chunks, reading the live ``value`` after every chunk;
- jiter re-parse: append the chunk to a buffer and re-parse it all with
  ``jiter.from_json(buffer, partial_mode="trailing-strings")``, as the OpenAI and Anthropic SDKs
  do. It is quadratic, so a size whose projected time is over the budget is skipped, not guessed;
- ijson's push parser (``parse_coro``), which emits events but builds no value;
- one-shot ``jiter.from_json`` of the whole document: a floor, not streaming.

It also times each chunk of partialjson on the largest document: flat p50/p99 from the first
to the last 10% of chunks means the cost per chunk does not grow with what came before.

Run from the project root:

    python bench/bench_json.py             # full run; jiter re-parse alone takes ~1 min
    python bench/bench_json.py --quick     # fewer repeats, jiter re-parse only up to ~20 KB
    python bench/bench_json.py --markdown  # tables as GitHub markdown
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import ijson  # type: ignore[import-untyped]
import jiter

import partialjson as pj

SEED = 2024
JITER_BUDGET_S = 60.0
QUICK_JITER_BUDGET_S = 5.0

PROSE_TEXT = (
    "the model streams its answer token by token while the interface renders every field as "
    "soon as it arrives so the user sees a list of results grow instead of a spinner and each "
    "record carries a title a summary some tags and a score that the client validates"
)
PROSE = PROSE_TEXT.split()
CJK = ["数据", "流式解析", "模型输出", "日本語のテキスト", "한국어 문장"]
EMOJI = ["🚀", "✨", "👍", "🎉", "🤖", "📦"]
NEEDS_ESCAPES = ['"quoted"', "line\nbreak", "tab\there", "C:\\Users\\me", 'say "hi"\n']
TAGS = ["urgent", "billing", "bug", "feature", "docs", "ux", "api", "infra", "question"]
AUTHORS = ["Ada Lovelace", "Zoë Durand", "José Núñez", "李雷", "田中太郎"]


# -- documents ----------------------------------------------------------------------------------
def prose(rng: random.Random, words: int) -> str:
    """Mostly English words, with some CJK, emoji and characters JSON must escape."""
    pools = [PROSE, CJK, EMOJI, NEEDS_ESCAPES]
    return " ".join(rng.choice(rng.choices(pools, [85, 7, 4, 4])[0]) for _ in range(words))


def record(rng: random.Random, index: int) -> dict[str, Any]:
    return {
        "id": index,
        "title": prose(rng, rng.randint(3, 8)),
        "body": prose(rng, rng.randint(40, 120)),
        "score": round(rng.uniform(-5, 100), 4),
        "tags": rng.sample(TAGS, rng.randint(0, 4)),
        "done": rng.random() < 0.5,
        "meta": {
            "author": rng.choice(AUTHORS),
            "tokens": rng.randint(10, 4000),
            "confidence": rng.random() / 1000,
            "parent": rng.choice([None, rng.randint(0, index + 1)]),
        },
    }


def records_document(rng: random.Random, target_bytes: int) -> str:
    """{"items": [...]} of about target_bytes; a fifth of the items with \\uXXXX escapes."""
    items: list[str] = []
    size = 0
    while size < target_bytes:
        item = json.dumps(record(rng, len(items)), ensure_ascii=rng.random() < 0.2)
        items.append(item)
        size += len(item.encode()) + 2
    return '{"items": [' + ", ".join(items) + "]}"


def tool_call_document(rng: random.Random) -> str:
    """The arguments of a tool call: a few fields and one long string, about 2 KB."""
    arguments = {
        "title": prose(rng, 8),
        "path": "reports/2024/summary.md",
        "content": prose(rng, 280),
        "overwrite": False,
        "labels": rng.sample(TAGS, 3),
        "priority": 2,
    }
    return json.dumps(arguments, ensure_ascii=False)


def split_in_chunks(text: str, rng: random.Random) -> list[str]:
    chunks = []
    position = 0
    while position < len(text):
        step = rng.randint(1, 8)
        chunks.append(text[position : position + step])
        position += step
    return chunks


# -- the competitors: each consumes one whole stream --------------------------------------------
def partialjson_stream(chunks: list[str] | list[bytes]) -> Any:
    stream: pj.JsonStream[Any] = pj.JsonStream()
    for chunk in chunks:
        stream.feed(chunk)
        _ = stream.value
    return stream.close()


def jiter_reparse(byte_chunks: list[bytes]) -> Any:
    buffer = b""
    value = None
    for chunk in byte_chunks:
        buffer += chunk
        value = jiter.from_json(buffer, partial_mode="trailing-strings")
    return value


def ijson_push(byte_chunks: list[bytes]) -> None:
    events = ijson.sendable_list()
    parser = ijson.parse_coro(events)
    for chunk in byte_chunks:
        parser.send(chunk)
        events.clear()
    parser.close()


def jiter_one_shot(whole: bytes) -> Any:
    return jiter.from_json(whole)


# -- measuring ----------------------------------------------------------------------------------
def best_cpu_seconds(run: Callable[[Any], Any], argument: Any, repeats: int) -> float:
    """Best CPU time of ``repeats`` back-to-back runs of ``run(argument)``, each timed with the
    garbage collector paused (timeit's method), after one untimed run to warm up — unless that
    one took over a second (a quadratic competitor at size): it then counts as the first.

    A full ``gc.collect()`` runs once, before the series, not before every run: it empties
    CPython's free lists and caches, and a short run (a 300-byte stream) would mostly measure
    their refill. ``cold_cpu_seconds`` measures that case on purpose.
    """
    gc.collect()
    first = cpu_seconds(run, argument)
    if first > 1.0:
        return min([first] + [cpu_seconds(run, argument) for _ in range(repeats - 1)])
    return min(cpu_seconds(run, argument) for _ in range(repeats))


def cold_cpu_seconds(run: Callable[[Any], Any], argument: Any, repeats: int) -> float:
    """Best CPU time of ``repeats`` runs, each right after a full ``gc.collect()``."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        best = min(best, cpu_seconds(run, argument))
    return best


def cpu_seconds(run: Callable[[Any], Any], argument: Any) -> float:
    """CPU time of one ``run(argument)``, with the garbage collector paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.process_time()
        run(argument)
        return time.process_time() - start
    finally:
        if enabled:
            gc.enable()


def chunk_latencies_ns(chunks: list[str] | list[bytes]) -> list[int]:
    """Wall time of feed() plus reading value, for each chunk of one stream."""
    stream: pj.JsonStream[Any] = pj.JsonStream()
    latencies = []
    clock = time.perf_counter_ns
    for chunk in chunks:
        start = clock()
        stream.feed(chunk)
        _ = stream.value
        latencies.append(clock() - start)
    stream.close()
    return latencies


@dataclass
class Document:
    label: str
    text: str
    repeats: int

    def __post_init__(self) -> None:
        self.data = self.text.encode()
        self.chunks = split_in_chunks(self.text, random.Random(f"{SEED}:{self.label}:chunks"))
        self.byte_chunks = [chunk.encode() for chunk in self.chunks]


@dataclass
class Result:
    document: Document
    partialjson_str: float
    partialjson_bytes: float
    jiter_reparse: float | None
    ijson: float
    jiter_one_shot: float


def build_documents(quick: bool) -> list[Document]:
    def rng(label: str) -> random.Random:
        return random.Random(f"{SEED}:{label}")

    repeats = [10, 3, 1, 1] if quick else [50, 10, 3, 2]
    return [
        Document("tool call", tool_call_document(rng("tool call")), repeats[0]),
        Document("records", records_document(rng("20K"), 20_000), repeats[1]),
        Document("records", records_document(rng("200K"), 200_000), repeats[2]),
        Document("records", records_document(rng("1M"), 1_000_000), repeats[3]),
    ]


def check_parsers_agree(document: Document) -> None:
    expected = json.loads(document.text)
    assert partialjson_stream(document.chunks) == expected, document.label
    assert partialjson_stream(document.byte_chunks) == expected, document.label
    assert jiter_one_shot(document.data) == expected, document.label


def measure(documents: list[Document], jiter_budget_s: float) -> tuple[list[Result], list[str]]:
    """Time every competitor on every document; also return notes on skipped measurements."""
    results, notes = [], []
    previous: tuple[int, float] | None = None  # (size, seconds) of the last jiter re-parse
    for document in documents:
        check_parsers_agree(document)
        size = len(document.data)
        reparse = None
        projected = previous[1] * (size / previous[0]) ** 2 if previous else 0.0
        if projected <= jiter_budget_s:
            reparse = best_cpu_seconds(jiter_reparse, document.byte_chunks, 1)
            previous = (size, reparse)
        else:
            notes.append(
                f"jiter re-parse skipped at {format_size(size)}: projected ~{projected:.0f} s "
                f"(quadratic trend), over the {jiter_budget_s:.0f} s budget"
            )
        results.append(
            Result(
                document,
                best_cpu_seconds(partialjson_stream, document.chunks, document.repeats),
                best_cpu_seconds(partialjson_stream, document.byte_chunks, document.repeats),
                reparse,
                best_cpu_seconds(ijson_push, document.byte_chunks, document.repeats),
                best_cpu_seconds(jiter_one_shot, document.data, document.repeats * 10),
            )
        )
    return results, notes


# -- reporting ----------------------------------------------------------------------------------
def format_size(size: int) -> str:
    return f"{size / 1e6:.2f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def format_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2g}x"


def render_table(headers: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = [headers, ["---"] * len(headers), *rows]
        return "\n".join("| " + " | ".join(line) + " |" for line in lines)
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    lines = [headers, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(
            [line[0].ljust(widths[0])]
            + [c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)]
        )
        for line in lines
    )


def results_table(results: list[Result], markdown: bool) -> str:
    headers = [
        "document", "size", "chunks", "partialjson str", "partialjson bytes", "jiter re-parse",
        "jiter ÷ partialjson str", "ijson", "partialjson bytes ÷ ijson", "jiter one-shot",
    ]  # fmt: skip
    rows = []
    for r in results:
        reparse_ratio = r.jiter_reparse / r.partialjson_str if r.jiter_reparse else None
        rows.append([
            r.document.label, format_size(len(r.document.data)), f"{len(r.document.chunks):,}",
            format_seconds(r.partialjson_str), format_seconds(r.partialjson_bytes),
            format_seconds(r.jiter_reparse), format_ratio(reparse_ratio),
            format_seconds(r.ijson), format_ratio(r.partialjson_bytes / r.ijson),
            format_seconds(r.jiter_one_shot),
        ])  # fmt: skip
    return render_table(headers, rows, markdown)


def growth_lines(small: Result, large: Result) -> list[str]:
    size_factor = len(large.document.data) / len(small.document.data)
    lines = []
    for kind, small_s, large_s in (
        ("str", small.partialjson_str, large.partialjson_str),
        ("bytes", small.partialjson_bytes, large.partialjson_bytes),
    ):
        time_factor = large_s / small_s
        lines.append(
            f"partialjson {kind}: {format_size(len(small.document.data))} -> "
            f"{format_size(len(large.document.data))} is {size_factor:.0f}x the size and "
            f"{time_factor:.1f}x the time: {time_factor / size_factor:.2f} (linear ≈ 1.0)"
        )
    return lines


def latency_table(document: Document, markdown: bool) -> str:
    def percentiles_us(latencies: list[int]) -> list[str]:
        cuts = statistics.quantiles(latencies, n=100)
        return [f"{cuts[49] / 1000:.1f}", f"{cuts[98] / 1000:.1f}"]

    rows = []
    for kind, chunks in (("str", document.chunks), ("bytes", document.byte_chunks)):
        latencies = chunk_latencies_ns(chunks)
        tenth = len(latencies) // 10
        rows.append([kind, "first 10%", *percentiles_us(latencies[:tenth])])
        rows.append([kind, "last 10%", *percentiles_us(latencies[-tenth:])])
    headers = ["partialjson", "part of the stream", "p50 µs", "p99 µs"]
    return render_table(headers, rows, markdown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, less jiter re-parse")
    parser.add_argument("--markdown", action="store_true", help="print GitHub markdown tables")
    args = parser.parse_args()

    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"jiter {version('jiter')}, ijson {version('ijson')} (backend {ijson.backend})"
    )
    print("CPU time for one whole stream in 1-8 character chunks, best of several warm repeats "
          "with the garbage collector paused while timing (timeit's method).")
    print(
        "jiter re-parse is compared with partialjson str, the deltas an SDK hands out; ijson,\n"
        "which takes bytes only, with partialjson bytes.\n"
    )

    documents = build_documents(args.quick)
    budget = QUICK_JITER_BUDGET_S if args.quick else JITER_BUDGET_S
    results, notes = measure(documents, budget)
    print(results_table(results, args.markdown))
    print("".join(f"\n— {note}" for note in notes), end="\n\n")
    print("\n".join(growth_lines(results[1], results[-1])))

    largest = documents[-1]
    print(f"\nTime per chunk (feed + value) along the {format_size(len(largest.data))} stream:\n")
    print(latency_table(largest, args.markdown))


if __name__ == "__main__":
    main()
