"""The examples run, offline, and say what they promise."""

from __future__ import annotations

import http.client
import importlib
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

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


def recipe() -> dict[str, object]:
    """The recipe in the bundled recording, read without partialjson."""
    text = ""
    for line in (EXAMPLES / "data" / "openai_recipe.sse").read_text().splitlines():
        if line.startswith("data: {"):
            choices = json.loads(line[6:])["choices"]
            text += (choices[0]["delta"].get("content") or "") if choices else ""
    return json.loads(text)  # type: ignore[no-any-return]


def test_typed_object_example_shows_each_field_as_it_completes() -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env["PYTHONPATH"] = str(EXAMPLES.parent)
    done = subprocess.run([sys.executable, str(EXAMPLES / "typed_object.py")], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    expected = recipe()
    fields = [line.split("✓")[0].strip() for line in lines if "✓" in line]
    assert fields == list(expected)  # in document order, each once
    assert lines[0].endswith(f"PartialRecipe(title={expected['title']!r}, servings=None, "
                             "minutes=None, ingredients=None, steps=N")  # cut at 110 columns
    assert lines[-1] == (f"{expected['title']}: {len(expected['ingredients'])} ingredients, "  # type: ignore[arg-type]
                         f"{len(expected['steps'])} steps, {expected['minutes']} minutes")  # type: ignore[arg-type]


@pytest.fixture
def relay_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The FastAPI example app, served by uvicorn on 127.0.0.1 (a free port) in this process."""
    for name in [k for k in os.environ if k.endswith("_API_KEY")]:
        monkeypatch.delenv(name)
    monkeypatch.syspath_prepend(str(EXAMPLES))
    relay = importlib.import_module("sse_relay")
    server = uvicorn.Server(uvicorn.Config(relay.app, host="127.0.0.1", port=0,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def get(host: str, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(host, timeout=30)
    connection.request("GET", path)
    return connection.getresponse()


def test_sse_relay_example_sends_validated_partials_that_only_grow(relay_server: str) -> None:
    page = get(relay_server, "/")
    assert page.status == 200
    assert 'new EventSource("/recipe")' in page.read().decode()

    response = get(relay_server, "/recipe")
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [(block.split("\n")[0][len("event: "):], json.loads(block.split("\n")[1][6:]))
              for block in response.read().decode().strip().split("\n\n")]
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "done" and set(kinds[:-1]) == {"partial"}
    expected = recipe()
    assert events[-1][1] == expected
    partials = [data for kind, data in events if kind == "partial"]
    assert len(partials) > 20  # the object is sent as it builds up, not at the end
    for before, after in itertools.pairwise(partials):
        assert set(before["done"]) <= set(after["done"])
        for key in expected:
            old, new = before["recipe"][key], after["recipe"][key]
            if key in before["done"]:  # a complete field never changes again
                assert new == old == expected[key]
            elif isinstance(old, str):
                assert new.startswith(old)  # strings only grow
    assert partials[0]["done"] == [] and partials[-1]["done"] == list(expected)
