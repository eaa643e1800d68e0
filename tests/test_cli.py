"""The ``partialjson parse`` command: JSON Lines out as input arrives, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

COMMAND = [sys.executable, "-m", "partialjson", "parse"]


def run_cli(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*COMMAND, *args], input=stdin, capture_output=True, timeout=60)


def test_events_are_json_lines_with_paths() -> None:
    done = run_cli(stdin='{"a": "h\u00e9", "n": [1, 2.5]}'.encode())
    assert done.returncode == 0
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert {"event": "complete", "path": ["n", 1], "value": 2.5} in records
    assert records[-1] == {"event": "document", "index": 0, "value": {"a": "hé", "n": [1, 2.5]}}


def test_final_value_of_several_documents() -> None:
    done = run_cli("--final", "--multiple", stdin=b'{"a": 1}\n{"a": 2}\n3')
    assert json.loads(done.stdout) == [{"a": 1}, {"a": 2}, 3]


def test_output_comes_as_input_arrives() -> None:
    with subprocess.Popen(
        [*COMMAND, "--snapshots"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(b'{"items": ["fir')
        process.stdin.flush()
        first = process.stdout.readline()  # arrives while the document is still open
        process.stdin.write(b'st"]}')
        process.stdin.close()
        rest = process.stdout.read()
    assert json.loads(first) == {"items": ["fir"]}
    assert json.loads(rest.splitlines()[-1]) == {"items": ["first"]}


def test_invalid_input_is_one_line_and_a_nonzero_status() -> None:
    done = run_cli(stdin=b'{"a": [1, tru]}')
    assert done.returncode == 1
    lines = done.stderr.decode().splitlines()
    assert lines == [
        "partialjson: expected 'true': line 1 column 14 (offset 13) at $.a[1]",
        'partial value: {"a": [1]}',
    ]


def test_a_missing_file_is_status_2() -> None:
    done = subprocess.run([*COMMAND, "/no/such/file"], capture_output=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.decode().startswith("partialjson: ")
