"""Benchmark: what content guards cost a stream.

The 200 KB records document of ``bench_json.py`` (prose, CJK, emoji) streams in 1-8
character chunks (seeded) through ``JsonStream``, reading ``value`` after every chunk, with no
guard, with each built-in detector on every string, and with all of them; then through
``ModelStream`` with and without all of them. A secret is planted in a few strings so the
redaction path runs too. CPU time, best of several warm runs (``bench_json.best_cpu_seconds``).

Run from the project root:

    python bench/bench_guards.py [--markdown] [--quick]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_json import (
    SEED,
    best_cpu_seconds,
    records_document,
    render_table,
    split_in_chunks,
)
from pydantic import BaseModel

import partialjson as pj

SECRET = "sk-ant-api03-" + "q7X2" * 20


class Record(BaseModel):
    id: int
    title: str
    body: str
    score: float
    tags: list[str]
    done: bool
    meta: dict[str, Any]


def plant_secrets(text: str) -> str:
    """Put a key in every 50th body, as an answer might leak one."""
    document = json.loads(text)
    for i, record in enumerate(document["items"]):
        if i % 50 == 0:
            record["body"] += f" the key is {SECRET} keep it safe"
    return json.dumps(document, ensure_ascii=False)


def through_json(guards: list[pj.Guard]) -> Any:
    def run(chunks: list[str]) -> Any:
        stream: pj.JsonStream[str] = pj.JsonStream(guards=guards)
        for chunk in chunks:
            stream.feed(chunk)
            _ = stream.value
        return stream.close()
    return run


def through_model(guards: list[pj.Guard]) -> Any:
    def run(chunks: list[str]) -> Any:
        stream = pj.ModelStream(dict[str, list[Record]], guards=guards)
        for chunk in chunks:
            stream.feed(chunk)
            _ = stream.partial
        return stream.close()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rng = random.Random(SEED)
    text = plant_secrets(records_document(rng, 200_000))
    chunks = split_in_chunks(text, rng)
    repeats = 2 if args.quick else 5
    every = [pj.Guard.api_keys(), pj.Guard.card_numbers(), pj.Guard.emails("flag"),
             pj.Guard.words(["password", "confidential", "internal use only"], "flag")]
    cases: list[tuple[str, Any, list[pj.Guard]]] = [
        ("JsonStream", through_json, []),
        ("JsonStream", through_json, every[:1]),
        ("JsonStream", through_json, every[1:2]),
        ("JsonStream", through_json, every[2:3]),
        ("JsonStream", through_json, every[3:]),
        ("JsonStream", through_json, every),
        ("JsonStream", through_json, [pj.Guard.api_keys(scope=("items", "*", "title"))]),
        ("ModelStream", through_model, []),
        ("ModelStream", through_model, every),
    ]
    base: dict[str, float] = {}
    rows = []
    for kind, make, guards in cases:
        result = make(guards)(chunks)
        if any(g.name == "api_key" and g.paths is None for g in guards):
            assert SECRET not in json.dumps(result, default=repr)
        seconds = best_cpu_seconds(make(guards), chunks, repeats)
        base.setdefault(kind, seconds)
        scope = " (titles only)" if guards and guards[0].paths else ""
        names = ", ".join(f"{g.name} {g.action}" for g in guards) + scope or "none"
        rows.append([kind, names, f"{seconds * 1e3:.0f} ms", f"{seconds / base[kind]:.2f}x"])
    print(f"{len(text.encode()):,} bytes in {len(chunks):,} chunks; CPython "
          f"{platform.python_version()}, {'compiled' if pj.compiled else 'pure Python'} core")
    print(render_table(["stream", "guards", "CPU", "vs no guard"], rows, args.markdown))


if __name__ == "__main__":
    main()
