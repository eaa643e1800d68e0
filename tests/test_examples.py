"""The examples run, offline, and say what they promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_stream_json_example_streams_the_bundled_document_to_its_final_value() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "stream_json.py"), "--delay", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "final value equals json.loads: True"
    assert any(line.startswith("grow     .summary += ") for line in lines)
    assert "complete .hourly[2].precip_mm = 0" in lines


def test_stream_json_example_reports_a_syntax_error_with_its_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": [1, 2,, 3]}')
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "stream_json.py"), str(bad), "--delay", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 1
    assert "error: expected a JSON value: line 1 column 13 (offset 12)" in done.stderr
