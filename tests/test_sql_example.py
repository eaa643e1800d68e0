"""The SQL guard example runs offline on its bundled answers and stops the one that writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_sql_guard_allows_the_read_stops_the_hidden_write_and_refuses_the_cut_answer() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "sql_guard.py"), "--delay", "0"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # this checkout's partialjson
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    first, second, third = done.stdout.split("question: ")[1:]
    # A read-only answer: its one SELECT completes; the prose around the fence passes through.
    assert "  complete  #0 SELECT: SELECT c.name, sum(o.total) AS revenue FROM customers c" in first
    assert "AND o.note <> 'test; ignore' GROUP BY c.name ORDER BY revenue DESC LIMIT 5\n" in first
    assert "  prose: 168 characters passed through to the reader\n" in first
    assert first.endswith("  -> 1 statement(s) safe to run\n\n")
    # A DELETE in a common table expression: stopped at 'DELETE FROM', 22 deltas early.
    stop = "  STOP at delta 18 of 40: DELETE is not allowed (statement 0): line 5 column 14"
    assert stop in second
    assert "the statement so far: 'WITH stale AS (\\n  DELETE FROM'" in second
    assert "22 deltas never read; nothing runs" in second
    assert "complete" not in second
    # Cut off inside the fence: incomplete, never a statement.
    assert "  INCOMPLETE: unclosed ```sql fence" in third
    assert "complete" not in third
    assert third.endswith("  -> 0 statement(s) safe to run\n\n")
