"""The browser examples over HTTP (tests/test_browser.py loads their pages in Chromium).

Each app is served by uvicorn on 127.0.0.1 in this process; the model's answer is the bundled
recording, read by the real AsyncOpenAI client from a local server. The oracle is the recording
itself, read without partialjson.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from partialjson import web

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def recorded(name: str) -> dict[int, str]:
    """The text of each choice's content or of each tool call's arguments, by index (-1:
    the content) in a recorded Chat Completions stream."""
    texts: dict[int, str] = {}
    for line in (EXAMPLES / "data" / name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("data: {"):
            continue
        for choice in json.loads(line[6:])["choices"]:
            delta = choice["delta"]
            texts[-1] = texts.get(-1, "") + (delta.get("content") or "")
            for call in delta.get("tool_calls") or ():
                texts[call["index"]] = (texts.get(call["index"], "")
                                        + call["function"].get("arguments", ""))
    return texts


def recipe() -> dict[str, Any]:
    return json.loads(recorded("openai_recipe.sse")[-1])  # type: ignore[no-any-return]


def example(name: str) -> Any:
    """An example module, imported with examples/ on the path and no API key set."""
    for key in [k for k in os.environ if k.endswith("_API_KEY")]:
        del os.environ[key]
    if str(EXAMPLES) not in sys.path:
        sys.path.insert(0, str(EXAMPLES))
    return importlib.import_module(name)


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on 127.0.0.1 (a free port): yields ``host:port``."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def get(host: str, path: str, headers: dict[str, str] | None = None) -> tuple[str, str]:
    connection = http.client.HTTPConnection(host, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    return response.headers["content-type"], response.read().decode()


def events(body: str) -> list[dict[str, str]]:
    out = []
    for block in body.split("\n\n"):
        fields = dict(line.split(":", 1) for line in block.split("\n")
                      if line and not line.startswith(":"))
        if "data" in fields:
            out.append(fields)
    return out


def replay(stream: list[dict[str, str]]) -> web.Document:
    reader = web.Document()
    for event in stream:
        if "event" not in event:
            reader.apply(json.loads(event["data"]))
    return reader


def test_sse_relay_example_relays_the_recipe_and_resumes() -> None:
    relay = example("sse_relay")
    with serve(relay.app) as host:
        kind, page = get(host, "/")
        assert kind.startswith("text/html") and 'from "/partialjson.js"' in page
        kind, client = get(host, "/partialjson.js")
        assert kind.startswith("text/javascript") and "export function connect" in client
        kind, body = get(host, "/recipe/one")
        assert kind.startswith("text/event-stream")
        stream = events(body)
        assert stream[-1]["event"] == "end"
        reader = replay(stream)
        assert reader.value == recipe()
        assert all(reader.is_done(f"/{key}") for key in recipe())
        assert len(stream) > 20  # sent as it builds up, not at the end
        # a reconnection with Last-Event-ID gets the rest, from the same run
        _, rest = get(host, "/recipe/one", {"Last-Event-ID": "10"})
        assert events(rest) == stream[10:]


def test_sse_relay_example_stops_at_the_first_violation() -> None:
    relay = example("sse_relay")
    with serve(relay.app) as host:
        _, body = get(host, "/recipe/two?quick=1")
    stream = events(body)
    error = json.loads(stream[-1]["data"])
    assert stream[-1]["event"] == "error" and error["type"] == "SchemaViolation"
    assert error["path"] == "/minutes" and "20" in error["message"]
    text = recorded("openai_recipe.sse")[-1]
    assert error["offset"] == text.index('"minutes": 30,') + 13  # the 30 ends at its comma
    assert replay(stream[:-1]).value == {"title": recipe()["title"], "servings": 2}


def test_agent_ui_example_makes_a_call_runnable_only_when_complete() -> None:
    agent = example("agent_ui")
    with serve(agent.app) as host:
        _, page = get(host, "/")
        assert "button.disabled = true" in page
        _, body = get(host, "/calls/one")
    stream = events(body)
    assert stream[-1]["event"] == "end"
    arguments = recorded("openai_parallel_calls.sse")
    reader = web.Document()
    complete: list[str] = []
    assert not any(reader.is_done(f"/{key}") for key in replay(stream[:2]).value or {})
    for event in stream[:-1]:
        reader.apply(json.loads(event["data"]))
        for key, value in reader.value.items():
            if key not in complete and reader.is_done(web.pointer([key])):
                complete.append(key)
                index = 0 if key.startswith("get_weather:") else 1
                # done: exactly the call's arguments, validated, and not before
                assert value == json.loads(arguments[index])
    assert sorted(complete) == sorted(reader.value) and len(complete) == 2
    assert [key.split(":")[0] for key in reader.value] == ["get_weather", "search_flights"]


@pytest.mark.parametrize("script", ["sse_relay.py", "agent_ui.py"])
def test_the_examples_say_how_to_run_them(script: str) -> None:
    text = (EXAMPLES / script).read_text(encoding="utf-8")
    assert f"Run:  python examples/{script}" in text
