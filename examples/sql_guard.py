"""A read-only guard for text-to-SQL: stop a streamed answer the moment its SQL writes.

Replays recorded LLM answers (prose with ```sql fences, one string per streamed delta) through
``partialjson.sql.SqlStream(extract=True, allow={"SELECT"})`` and shows, as each delta arrives:

- the SQL statements the answer holds, each one's kind as soon as its first keywords settle it;
- for an answer whose SQL writes (here a DELETE hidden in a common table expression of a SELECT),
  the delta at which the guard stops reading: an application would cancel the request there,
  long before the answer is complete, and never run any of it;
- for an answer cut off inside a statement, that it is incomplete: never run half a query.

Run:  python examples/sql_guard.py [FILE] [--delay SECONDS]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from partialjson import sql

BUNDLED = Path(__file__).parent / "data" / "text_to_sql.json"


def guard(answer: dict[str, Any], delay: float) -> list[sql.Statement]:
    """Stream one answer through the guard; return the statements safe to run."""
    stream = sql.SqlStream(answer["dialect"], allow={"SELECT"}, extract=True)
    deltas = answer["deltas"]
    prose = read = 0
    try:
        for delta in deltas:
            read += 1
            for event in stream.feed(delta):
                prose += len(event.text) if isinstance(event, sql.Prose) else 0
                show(event)
            time.sleep(delay)
        for event in stream.end():
            show(event)
        print(f"  prose: {prose} characters passed through to the reader")
    except sql.PolicyViolation as stop:
        print(f"  STOP at delta {read} of {len(deltas)}: {stop}")
        print(f"       the statement so far: {stop.text_so_far!r}")
        print(f"       {len(deltas) - read} deltas never read; nothing runs")
        return []
    except sql.IncompleteStatement as cut:
        print(f"  INCOMPLETE: {cut}")
        print(f"       pending: {cut.text!r}; nothing runs")
        return []
    return stream.statements


def show(event: sql.SqlEvent) -> None:
    if isinstance(event, sql.KindDecided):
        print(f"  kind      #{event.index} {event.kind} (certain at offset {event.offset})")
    elif isinstance(event, sql.StatementCompleted):
        statement = event.statement
        flat = " ".join(statement.text.split())
        print(f"  complete  #{statement.index} {statement.kind}: {flat}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=BUNDLED)
    parser.add_argument("--delay", type=float, default=0.02, help="seconds between deltas")
    args = parser.parse_args()

    for answer in json.loads(args.file.read_text())["answers"]:
        print(f"question: {answer['question']} ({answer['dialect']})")
        safe = guard(answer, args.delay)
        print(f"  -> {len(safe)} statement(s) safe to run\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
