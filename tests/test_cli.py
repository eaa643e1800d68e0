"""The ``partialjson parse`` command: JSON Lines out as input arrives (JSON, JSON in prose,
validated with a model, a provider's SSE stream), one-line errors, meaningful exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sse_server as wire

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-m", "partialjson", "parse"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's partialjson, from any directory


def run_cli(*args: str, stdin: bytes, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*COMMAND, *args], input=stdin, capture_output=True, timeout=60,
                          cwd=cwd, env=ENV)


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
    assert done.stderr.decode() == (
        "partialjson: cannot read /no/such/file: No such file or directory\n")


def test_a_file_that_cannot_be_read_is_status_2(tmp_path: Path) -> None:
    done = run_cli(str(tmp_path), stdin=b"")
    assert done.returncode == 2
    assert done.stderr.decode() == f"partialjson: cannot read {tmp_path}: Is a directory\n"


def run_redirected(redirection: str, *args: str, stdin: bytes = b"[1]"
                   ) -> subprocess.CompletedProcess[bytes]:
    """The command run by a shell with ``redirection``, e.g. ``<&-`` (stdin closed)."""
    script = f'exec "$0" -m partialjson parse "$@" {redirection}'
    return subprocess.run(["sh", "-c", script, sys.executable, *args], input=stdin,
                          capture_output=True, timeout=60, cwd=ROOT, env=ENV)


@pytest.mark.parametrize(("redirection", "says"), [
    ("<&-", "standard input is closed: give a FILE, or pipe the input in"),
    (">&-", "standard output is closed"),
    ("1</dev/null", "cannot write the output: Bad file descriptor"),  # open, not for writing
])
def test_closed_standard_streams_are_status_2(redirection: str, says: str) -> None:
    done = run_redirected(redirection)
    assert (done.returncode, done.stderr.decode()) == (2, f"partialjson: {says}\n")


def test_a_file_is_read_with_stdin_closed(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b'{"a": 1}')
    done = run_redirected("<&-", str(tmp_path / "a.json"), "--final")
    assert (done.returncode, done.stdout, done.stderr) == (0, b'{"a": 1}\n', b"")


def test_with_stderr_closed_errors_stay_off_stdout() -> None:
    done = run_redirected("2>&-", "--final", stdin=b'{"a": 1')
    assert (done.returncode, done.stdout) == (3, b"")


# -- --extract, --model --------------------------------------------------------------------------
def test_extract_finds_the_json_in_prose_and_reports_the_prose() -> None:
    done = run_cli("--extract", stdin=b"Sure!\n```json\n{\"a\": [1]}\n```\nBye")
    assert done.returncode == 0
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert records[0] == {"event": "prose", "text": "Sure!\n```json\n"}
    assert {"event": "document", "index": 0, "value": {"a": [1]}} in records
    assert records[-1] == {"event": "prose", "text": "```\nBye"}


def test_an_unclosed_fence_is_incomplete_status_3() -> None:
    done = run_cli("--extract", "--final", stdin=b'```json\n{"a": 1}\n')
    assert done.returncode == 3
    assert done.stdout == b""
    assert done.stderr.decode().splitlines() == [
        "partialjson: expected the closing fence: line 3 column 1 (offset 17)",
        'partial value: {"a": 1}',
    ]


MODELS = '''
from typing import Literal
from pydantic import BaseModel, Field

class Payment(BaseModel):
    to: str
    amount: float = Field(le=1000)
    currency: Literal["EUR", "USD"]
'''


def test_model_validates_and_dumps_the_final_object(tmp_path: Path) -> None:
    (tmp_path / "shop.py").write_text(MODELS)
    done = run_cli("--model", "shop:Payment", "--final", cwd=tmp_path,
                   stdin=b'{"to": "Zo\xc3\xab", "amount": 12, "currency": "EUR"}')
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"to": "Zoë", "amount": 12.0, "currency": "EUR"}


def test_a_schema_violation_stops_the_stream_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "shop.py").write_text(MODELS)
    with subprocess.Popen([*COMMAND, "--model", "shop:Payment", "--snapshots"], cwd=tmp_path,
                          env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(b'{"to": "Bob", "currency": "GBP"')  # no need to send the rest
        process.stdin.flush()
        status = process.wait(timeout=30)  # it stops at the 'G', with the input still open
        assert process.stderr is not None
        stderr = process.stderr.read().decode().splitlines()
    assert status == 1
    assert stderr[0].startswith("partialjson: ") and "at $.currency" in stderr[0]
    assert "(offset 27)" in stderr[0]
    assert stderr[1] == 'partial value: {"to": "Bob", "currency": "GBP"}'  # as received


def test_a_model_that_does_not_load_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("--model", "nowhere:Thing", stdin=b"{}", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "partialjson: cannot load nowhere:Thing: No module named 'nowhere'\n")


@pytest.mark.parametrize(("spec", "says"), [
    ("json:JSONDecoder", "json:JSONDecoder is not a type pydantic can validate: "),  # a class
    ("json:decoder", "json:decoder is not a type pydantic can validate: "),  # a module
    ("json:dumps", "json:dumps is a function, not a model or type"),  # would check arguments
    ("os:sep", "os:sep is a str, not a model or type"),  # would be a forward reference
    ("json:nothing", "cannot load json:nothing: module 'json' has no attribute 'nothing'"),
    ("broken:Thing", "cannot load broken:Thing: RuntimeError: no settings"),
    ("undefined:Thing", "undefined:Thing is not a type pydantic can validate: "),  # forward ref
    ("json", "'json': expected MODULE:CLASS"),
])
def test_a_model_that_is_no_model_is_a_usage_error(tmp_path: Path, spec: str, says: str) -> None:
    (tmp_path / "broken.py").write_text("raise RuntimeError('no settings')\n")
    (tmp_path / "undefined.py").write_text(
        "from pydantic import BaseModel\nclass Thing(BaseModel):\n    part: 'Missing'\n")
    for args in (["--model", spec], ["--sse", "openai", "--tool", f"f={spec}"]):
        done = run_cli(*args, stdin=b"{}", cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert done.stdout == b""
        [line] = done.stderr.decode().splitlines()
        assert line.startswith(f"partialjson: {says}")


# -- --sse -----------------------------------------------------------------------------------------
def test_sse_routes_anthropic_tool_calls_through_the_bridge(tmp_path: Path) -> None:
    (tmp_path / "shop.py").write_text(MODELS)
    events = wire.message([wire.text("Paying."),
                           wire.tool_use("pay", '{"to": "Zoë", "amount": 9.5, "currency": "EUR"}')],
                          "tool_use")
    body = wire.sse(events).replace("\n", "\r\n").encode()  # CRLF, as some proxies send
    done = run_cli("--sse", "anthropic", "--tool", "pay=shop:Payment", cwd=tmp_path,
                   stdin=body)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert "".join(r["text"] for r in records if r["event"] == "text") == "Paying."
    call = next(r for r in records if r["event"] == "tool_call")
    assert (call["id"], call["name"]) == ("toolu_01", "pay")
    assert call["value"] == {"to": "Zoë", "amount": 9.5, "currency": "EUR"}
    assert {"event": "complete", "path": ["to"], "value": "Zoë",
            "part": call["part"]} in records


def test_sse_final_prints_each_openai_call_once() -> None:
    calls = [("call_a", "f", '{"x": 1}'), ("call_b", "g", '{"y": [2]}')]
    body = wire.chat(wire.chat_calls(calls, interleave=True, size=3)).encode()
    done = run_cli("--sse", "openai", "--final", stdin=body)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [(r["id"], r["value"]) for r in records] == [("call_a", {"x": 1}),
                                                        ("call_b", {"y": [2]})]


def test_sse_error_event_and_truncation_are_status_1_and_3() -> None:
    events = [*wire.message([wire.tool_use("pay", '{"to": "Zo')], None),
              ("error", {"type": "error", "error": {"type": "overloaded_error",
                                                    "message": "Overloaded"}})]
    failed = run_cli("--sse", "anthropic", stdin=wire.sse(events).encode())
    assert failed.returncode == 1
    assert failed.stderr.decode().splitlines()[0] == (
        "partialjson: the stream failed: ProviderError: overloaded_error: Overloaded")
    cut = wire.message([wire.tool_use("pay", '{"to": "Zo')], "max_tokens")
    truncated = run_cli("--sse", "anthropic", stdin=wire.sse(cut).encode())
    assert truncated.returncode == 3
    lines = truncated.stderr.decode().splitlines()
    assert "(stop reason 'max_tokens')" in lines[0]
    assert lines[1] == "partial values: {\"tool_use block 0 'pay' (toolu_01)\": {\"to\": \"Zo\"}}"


# -- terminal manners ------------------------------------------------------------------------------
def test_help_shows_examples_and_exit_statuses() -> None:
    done = subprocess.run([*COMMAND, "--help"], capture_output=True, timeout=60)
    out = done.stdout.decode()
    assert done.returncode == 0
    assert "--model MOD:CLASS" in out and "examples:" in out and "exit status:" in out


def test_bad_options_are_usage_errors() -> None:
    done = run_cli("--tool", "x=y:Z", stdin=b"{}")
    assert done.returncode == 2
    assert done.stderr.decode() == "partialjson: --tool goes with --sse\n"
    twice = run_cli("--sse", "openai", "--tool", "f=typing:Any", "--tool", "f=typing:Any",
                    stdin=b"")
    assert twice.returncode == 2
    assert twice.stderr.decode() == "partialjson: --tool f: given twice\n"


def test_a_closed_pipe_ends_quietly() -> None:
    with subprocess.Popen([*COMMAND], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        assert process.stdin is not None and process.stdout is not None
        process.stdout.close()  # the reader left, as `| head` does
        process.stdin.write(b"[" + b"1," * 50_000 + b"1]")
        process.stdin.close()
        assert process.wait(timeout=30) == 0
        assert process.stderr is not None
        assert process.stderr.read() == b""


def test_import_partialjson_imports_no_rich_and_no_sdk() -> None:
    code = ("import sys, partialjson, partialjson.anthropic, partialjson.openai, "
            "partialjson.cli; print(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('rich', 'anthropic', 'openai', 'httpx2')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.stdout.decode().strip() == "[]", done.stderr


# -- --sql -----------------------------------------------------------------------------------------
def test_sql_in_prose_is_split_into_statements() -> None:
    answer = b"Here you go:\n```sql\nSELECT 'a;b' FROM t; SELECT 2\n```\nDone."
    done = run_cli("--sql", "postgres", "--extract", stdin=answer)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    statements = [r for r in records if r["event"] == "statement"]
    assert [(s["kind"], s["text"]) for s in statements] == [("SELECT", "SELECT 'a;b' FROM t"),
                                                            ("SELECT", "SELECT 2")]
    assert records[0] == {"event": "prose", "text": "Here you go:\n"}


def test_a_forbidden_statement_stops_at_its_first_certain_character() -> None:
    with subprocess.Popen([*COMMAND, "--sql", "postgres", "--allow", "SELECT"], env=ENV,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(b"SELECT 1;\n")
        process.stdin.flush()
        records = [json.loads(process.stdout.readline()) for _ in range(3)]  # as it arrives
        process.stdin.write(b"DROP ")  # the rest never needs to come
        process.stdin.flush()
        status = process.wait(timeout=30)
        assert process.stderr is not None
        stderr = process.stderr.read().decode().splitlines()
    assert status == 1
    assert stderr[0] == ("partialjson: DROP is not allowed (statement 1): "
                         "line 2 column 5 (offset 14)")
    assert stderr[1].startswith('statements so far: [{"index": 0, "kind": "SELECT"')
    assert records[-1] == {"event": "statement", "index": 0, "kind": "SELECT", "text": "SELECT 1",
                           "start": 0, "end": 8, "effects": ["SELECT"]}


def test_sql_cut_short_is_incomplete_and_final_lists_statements() -> None:
    cut = run_cli("--sql", "mysql", stdin=b"SELECT 1; SELECT 'abc")
    assert cut.returncode == 3
    done = run_cli("--sql", "sqlite", "--final", stdin=b"SELECT 1; DELETE FROM t")
    assert [(s["index"], s["kind"]) for s in json.loads(done.stdout)] == [(0, "SELECT"),
                                                                          (1, "DELETE")]
    unknown = run_cli("--sql", "oracle", stdin=b"SELECT 1")
    assert unknown.returncode == 2
    assert unknown.stderr.decode().startswith("partialjson: unknown SQL dialect 'oracle'")


@pytest.mark.parametrize(("data", "status"), [
    (b'"abc\xe2\x82', 3),  # cut inside a character of a string: incomplete, the € may follow
    (b"[1, \xe2\x82", 1),  # no character beyond ASCII may start a value: invalid
    (b'"abc\xff', 1),  # no UTF-8 character starts with 0xff
])
def test_input_cut_inside_a_utf8_character_is_incomplete_only_where_it_may_go_on(
        data: bytes, status: int) -> None:
    assert run_cli(stdin=data).returncode == status
