"""Benchmark: partialjson.sql against what apps do today while an LLM streams SQL.

Every text is fed as a stream of chunks (seeded, so each run and each competitor sees the same
boundaries): 20-character chunks for SQL scripts of 4 KB to 400 KB, 1-8 character chunks (token
deltas) for a 1 KB text-to-SQL answer. CPU time (best of several repeats) for one whole stream of:

- partialjson: ``SqlStream("postgres").feed(chunk)`` per chunk, then ``close()``;
- sqlparse re-split: append the chunk to a buffer and run ``sqlparse.split(buffer)`` on it all,
  as apps that watch for complete statements do;
- sqlglot re-tokenize: the same with ``sqlglot.tokenize(buffer, read="postgres")`` (an
  unterminated string raises TokenError: caught, as an app waiting for more would);
- one ``sqlparse.split`` / ``sqlglot.tokenize`` of the whole text: a floor, not streaming.

The re-parsers are quadratic. Where timing every re-parse would take longer than the budget, an
evenly spaced sample of them is timed and the total estimated from it (marked ``~``): a
measurement of the same work, not an extrapolation of a trend.

It also times each chunk of partialjson on the largest script: flat p50/p99 from the first to the
last 10% of chunks means the cost of a chunk does not grow with what came before.

Run from the project root (needs the bench extra: sqlparse, sqlglot, and bench_json's peers):

    python bench/bench_sql.py             # full run, about two minutes
    python bench/bench_sql.py --quick     # fewer repeats and samples
    python bench/bench_sql.py --markdown  # tables as GitHub markdown
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from itertools import accumulate
from typing import Any

import sqlglot
import sqlparse
from bench_json import best_cpu_seconds, format_ratio, format_seconds, format_size, render_table
from sqlglot.errors import TokenError
from sqlglot.tokens import TokenType

from partialjson import sql

SEED = 2024
DIALECT = "postgres"
PEER_BUDGET_S = 20.0  # per peer and text: above it, sample
SAMPLES = 40
QUICK = {"budget": 3.0, "samples": 8}

TABLES = ["users", "orders", "order_items", "products", "invoices", "events", "accounts"]
COLUMNS = ["id", "name", "email", "status", "total", "created_at", "country", "score", "note"]
WORDS = ["refund", "gift; wrap", "it's late", "priority", "b2b", "trial", "vip", "churn risk"]


# -- texts ---------------------------------------------------------------------------------------
def statement(rng: random.Random) -> str:
    """One realistic statement: reads with joins, CTEs and CASE, writes, DDL, comments."""
    t1, t2 = rng.sample(TABLES, 2)
    c1, c2, c3 = rng.sample(COLUMNS, 3)
    word = rng.choice(WORDS).replace("'", "''")
    n = rng.randint(1, 10_000)
    return rng.choice([
        f"SELECT a.{c1}, b.{c2}, count(*) AS n\nFROM {t1} a\nJOIN {t2} b ON b.{t1}_id = a.id\n"
        f"WHERE a.{c3} <> '{word}' AND a.created_at > now() - interval '{n % 90} days'\n"
        f"GROUP BY a.{c1}, b.{c2}\nORDER BY n DESC\nLIMIT {n % 100 + 1}",
        f"INSERT INTO {t1} ({c1}, {c2}, {c3}) VALUES\n  ({n}, '{word}', now()),\n"
        f"  ({n + 1}, 'second; row', NULL)",
        f"UPDATE {t1} SET {c1} = {c1} + {n % 7}, {c2} = '{word}' -- adjust; audit later\n"
        f"WHERE id = {n}",
        f"WITH recent AS (\n  SELECT * FROM {t1}\n"
        f"  WHERE created_at > DATE '2024-0{n % 9 + 1}-01'\n)\n"
        f"SELECT {c1}, CASE WHEN {c2} > {n} THEN 'high' ELSE 'low' END AS band\nFROM recent",
        f"/* nightly cleanup; see ticket {n} */\nDELETE FROM {t1} WHERE {c3} IS NULL",
        f"CREATE TABLE IF NOT EXISTS {t1}_{n} (\n  id bigint PRIMARY KEY,\n"
        f"  {c1} text NOT NULL DEFAULT '{word}',\n  {c2} numeric(12, 2)\n)",
    ])  # fmt: skip


def script(rng: random.Random, target: int) -> str:
    statements: list[str] = []
    size = 0
    while size < target:
        statements.append(statement(rng) + ";\n\n")
        size += len(statements[-1])
    return "".join(statements)


def answer(rng: random.Random) -> str:
    """A text-to-SQL answer: one query of about 1 KB."""
    return (
        "-- revenue per country for customers active in the last quarter; excludes test data\n"
        "WITH active AS (\n  SELECT id, country FROM users\n"
        "  WHERE status = 'active' AND note NOT LIKE '%test;%'\n"
        "    AND created_at > now() - interval '90 days'\n),\n"
        "spend AS (\n  SELECT o.user_id, sum(i.price * i.quantity) AS total\n"
        "  FROM orders o JOIN order_items i ON i.order_id = o.id\n"
        "  WHERE o.status IN ('paid', 'shipped', 'it''s complicated')\n  GROUP BY o.user_id\n)\n"
        "SELECT a.country,\n       count(*) AS customers,\n       sum(s.total) AS revenue,\n"
        "       round(avg(s.total), 2) AS average,\n"
        "       CASE WHEN sum(s.total) > 100000 THEN 'tier 1'\n"
        "            WHEN sum(s.total) > 10000 THEN 'tier 2' ELSE 'tier 3' END AS tier\n"
        "FROM active a\nJOIN spend s ON s.user_id = a.id\nGROUP BY a.country\n"
        "HAVING count(*) >= 10\nORDER BY revenue DESC\nLIMIT 25;\n"
        + statement(rng)
    )


def chunked(text: str, rng: random.Random, smallest: int, largest: int) -> list[str]:
    chunks = []
    position = 0
    while position < len(text):
        step = rng.randint(smallest, largest)
        chunks.append(text[position : position + step])
        position += step
    return chunks


# -- the competitors -----------------------------------------------------------------------------
def partialjson_stream(chunks: list[str]) -> list[sql.Statement]:
    stream = sql.SqlStream(DIALECT)
    for chunk in chunks:
        stream.feed(chunk)
    return stream.close()


def sqlglot_tokenize(text: str) -> Any:
    try:
        return sqlglot.tokenize(text, read=DIALECT)
    except TokenError:  # a prefix ending inside a string: wait for more
        return None


def reparse_seconds(
    parse: Callable[[str], Any], chunks: list[str], budget: float, samples: int
) -> tuple[float, bool]:
    """CPU time of ``parse`` on the growing buffer at every chunk, and whether it is estimated
    from an evenly spaced sample of the re-parses."""
    text = "".join(chunks)
    ends = list(accumulate(len(chunk) for chunk in chunks))
    one = cpu(lambda: parse(text))
    if one * len(chunks) / 2 <= budget:  # every re-parse, timed
        return cpu(lambda: [parse(text[:end]) for end in ends]), False
    picked = [ends[int((k + 0.5) * len(ends) / samples)] for k in range(samples)]
    return cpu(lambda: [parse(text[:end]) for end in picked]) * len(ends) / samples, True


def cpu(work: Callable[[], Any], repeats: int = 1) -> float:
    """Best CPU time of ``work()`` over ``repeats`` runs."""
    return best_cpu_seconds(lambda _: work(), None, repeats)


# -- measuring -----------------------------------------------------------------------------------
@dataclass
class Text:
    label: str
    text: str
    chunks: list[str]
    repeats: int

    @property
    def chunking(self) -> str:
        sizes = sorted({len(chunk) for chunk in self.chunks[:-1]})
        return f"{sizes[0]}-{sizes[-1]}" if len(sizes) > 1 else str(sizes[0])


@dataclass
class Result:
    text: Text
    ours: float
    sqlparse: tuple[float, bool]
    sqlglot: tuple[float, bool]
    sqlparse_once: float
    sqlglot_once: float


def build_texts(quick: bool) -> list[Text]:
    def rng(label: str) -> random.Random:
        return random.Random(f"{SEED}:{label}")

    repeats = [20, 20, 5, 2] if quick else [100, 50, 10, 3]
    texts = [
        ("answer", answer(rng("answer")), (1, 8)),
        ("script", script(rng("4K"), 4_000), (20, 20)),
        ("script", script(rng("40K"), 40_000), (20, 20)),
        ("script", script(rng("400K"), 400_000), (20, 20)),
    ]
    return [
        Text(label, text, chunked(text, rng(f"{label}:{len(text)}"), *sizes), count)
        for (label, text, sizes), count in zip(texts, repeats, strict=True)
    ]


def check_agreement(item: Text) -> None:
    """partialjson's statements are sqlglot's, split at its semicolon tokens."""
    groups: list[list[Any]] = [[]]
    for token in sqlglot.tokenize(item.text, read=DIALECT):
        if token.token_type == TokenType.SEMICOLON:
            groups.append([])
        else:
            groups[-1].append(token)
    expected = [item.text[g[0].start : g[-1].end + 1] for g in groups if g]
    assert [s.text for s in partialjson_stream(item.chunks)] == expected, item.label


def measure(texts: list[Text], budget: float, samples: int) -> list[Result]:
    results = []
    for item in texts:
        check_agreement(item)
        results.append(
            Result(
                item,
                cpu(lambda item=item: partialjson_stream(item.chunks), item.repeats),  # type: ignore[misc]
                reparse_seconds(sqlparse.split, item.chunks, budget, samples),
                reparse_seconds(sqlglot_tokenize, item.chunks, budget, samples),
                cpu(lambda item=item: sqlparse.split(item.text), 3),  # type: ignore[misc]
                cpu(lambda item=item: sqlglot.tokenize(item.text, read=DIALECT), 3),  # type: ignore[misc]
            )
        )
    return results


# -- reporting -----------------------------------------------------------------------------------
def estimated(measured: tuple[float, bool]) -> str:
    seconds, sampled = measured
    if seconds >= 3600:
        shown = f"{seconds / 3600:.1f} h"
    elif seconds >= 100:
        shown = f"{seconds / 60:.1f} min"
    else:
        shown = format_seconds(seconds)
    return ("~" if sampled else "") + shown


def results_table(results: list[Result], markdown: bool) -> str:
    headers = [
        "text", "size", "chunks", "partialjson", "sqlparse re-split", "÷ partialjson",
        "sqlglot re-tokenize", "÷ partialjson", "sqlparse once", "sqlglot once",
    ]  # fmt: skip
    rows = []
    for r in results:
        rows.append([
            r.text.label, format_size(len(r.text.text)),
            f"{len(r.text.chunks):,} of {r.text.chunking} chars", format_seconds(r.ours),
            estimated(r.sqlparse), format_ratio(r.sqlparse[0] / r.ours),
            estimated(r.sqlglot), format_ratio(r.sqlglot[0] / r.ours),
            format_seconds(r.sqlparse_once), format_seconds(r.sqlglot_once),
        ])  # fmt: skip
    return render_table(headers, rows, markdown)


def latency_table(item: Text, markdown: bool) -> str:
    stream = sql.SqlStream(DIALECT)
    latencies = []
    clock = time.perf_counter_ns
    for chunk in item.chunks:
        start = clock()
        stream.feed(chunk)
        latencies.append(clock() - start)
    stream.close()
    tenth = len(latencies) // 10
    rows = []
    for part, sample in (("first 10%", latencies[:tenth]), ("last 10%", latencies[-tenth:])):
        cuts = statistics.quantiles(sample, n=100)
        rows.append([part, f"{cuts[49] / 1000:.1f}", f"{cuts[98] / 1000:.1f}"])
    return render_table(["part of the stream", "p50 µs", "p99 µs"], rows, markdown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and samples")
    parser.add_argument("--markdown", action="store_true", help="print GitHub markdown tables")
    args = parser.parse_args()
    budget = QUICK["budget"] if args.quick else PEER_BUDGET_S
    samples = int(QUICK["samples"] if args.quick else SAMPLES)

    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"sqlparse {version('sqlparse')}, sqlglot {version('sqlglot')} (Python tokenizer)"
    )
    print("CPU time for one whole stream; '~': estimated from a sample of the re-parses.\n")
    results = measure(build_texts(args.quick), budget, samples)
    print(results_table(results, args.markdown))

    small, large = results[1], results[-1]
    size_factor = len(large.text.text) / len(small.text.text)
    time_factor = large.ours / small.ours
    print(
        f"\npartialjson: {format_size(len(small.text.text))} -> "
        f"{format_size(len(large.text.text))} is {size_factor:.0f}x the size and "
        f"{time_factor:.0f}x the time: {time_factor / size_factor:.2f} (linear ≈ 1.0)"
    )
    least = min(large.sqlparse[0], large.sqlglot[0]) / large.ours
    verdict = "met" if least >= 100 else "NOT met"
    print(f"target, at least 100x less CPU than re-parsing at 400 KB: {verdict} ({least:.0f}x)")
    print(f"\nTime per chunk (feed) along the {format_size(len(large.text.text))} stream:\n")
    print(latency_table(large.text, args.markdown))


if __name__ == "__main__":
    main()
