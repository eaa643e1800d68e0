"""The example pages in a real browser: Debian's headless Chromium, driven by Playwright.

The app of examples/sse_relay.py (and agent_ui.py) is served by uvicorn on 127.0.0.1 and plays
the bundled recording through the real AsyncOpenAI client; the page applies the stream with
partialjson.js and renders it. The assertions read the DOM; the oracle is the recording itself,
read without partialjson. Playwright is pointed at /usr/bin/chromium (no browser download).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_web_examples import example, recipe, recorded, serve

from partialjson import web

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install -y chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with playwright.sync_playwright() as driver:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        chromium = driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=["--no-sandbox"])
        yield chromium
        chromium.close()


class _Cut(Exception):
    pass


class CutFirstStream:
    """ASGI middleware: the first ``/recipe/`` response is cut after ``after`` events, as a
    dropped connection would (the body just ends); records the Last-Event-ID of the others."""

    def __init__(self, app: Any, after: int) -> None:
        self.app = app
        self.after = after
        self.cut = False
        self.resumed_from: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/recipe/"):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        if b"last-event-id" in headers:
            self.resumed_from.append(headers[b"last-event-id"].decode())
        if self.cut or b"last-event-id" in headers:
            return await self.app(scope, receive, send)
        self.cut = True
        chunks = 0

        async def cutting(message: Any) -> None:
            nonlocal chunks
            if message["type"] == "http.response.body" and message.get("body"):
                chunks += 1
                if chunks > self.after:
                    raise _Cut
            await send(message)

        try:
            await self.app(scope, receive, cutting)
        except Exception:  # _Cut, maybe inside the server's task group
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        return None


def pointers(value: Any, path: tuple[Any, ...] = ()) -> Iterator[str]:
    """The pointers of a document's values below the root, in document order."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()
    for key, item in items:
        yield web.pointer((*path, key))
        yield from pointers(item, (*path, key))


def dom(page: Any) -> list[list[Any]]:
    """Each rendered value, in DOM order: [pointer, JSON type, text, marked done]."""
    return page.evaluate("""() => [...document.querySelectorAll("#root .field")].map((el) => [
        el.dataset.path, el.dataset.type,
        el.querySelector(":scope > .value")?.textContent ?? null,
        el.classList.contains("done") || !!el.parentElement.closest(".field.done:not(#root)")])""")


def rebuild(rows: list[list[Any]]) -> Any:
    """The document the DOM shows (independently of the page's own state)."""
    root: dict[str, Any] = {}
    nodes: dict[str, Any] = {"": root}
    for pointer, kind, text, _ in rows:
        value = ({} if kind == "object" else [] if kind == "array" else text if kind == "string"
                 else json.loads(text))
        keys = web.tokens(pointer)
        parent = nodes[web.pointer(keys[:-1])]
        if isinstance(parent, list):
            assert int(keys[-1]) == len(parent), f"{pointer} out of order"
            parent.append(value)
        else:
            parent[keys[-1]] = value
        nodes[pointer] = value
    return root


def finished(page: Any, timeout: float = 15_000) -> str:
    page.wait_for_function("() => window.finished !== undefined", timeout=timeout)
    return str(page.evaluate("window.finished"))


def test_the_recipe_page_builds_the_object_and_survives_a_dropped_connection(
        browser: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = CutFirstStream(example("sse_relay").app, after=25)
    expected = recipe()
    with serve(app) as host:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"http://{host}/")
        assert finished(page) == "end"
        rows = dom(page)
        log = page.evaluate("window.log")
        stats = page.evaluate("({events: stats.events, handleMs: stats.handleMs, "
                              "batches: stats.batches.length, opens: stats.opens})")
        apply_ms = page.evaluate("window.applyAll(20)")
        page.screenshot(path=str(tmp_path / "sse_relay.png"), full_page=True)
        status = page.inner_text("#status")
        page.close()
    assert errors == []
    # the final DOM is the final object: no text lost or repeated across the reconnection
    assert rebuild(rows) == expected
    assert app.cut and len(app.resumed_from) == 1 and int(app.resumed_from[0]) >= 20
    assert stats["opens"] == 2
    # fields appear in document order, each once
    added = [pointer for what, pointer in log if what == "add"]
    assert added == list(pointers(expected))
    # completed fields are marked done, and a value is done before anything after it appears
    assert all(done for *_, done in rows)
    done_at = {pointer: n for n, (what, pointer) in enumerate(log) if what == "done"}
    assert done_at["/title"] < log.index(["add", "/servings"])
    assert done_at["/ingredients/0"] < log.index(["add", "/ingredients/1"])
    assert all(not (pointer + "/").startswith(done + "/") or pointer == done
               for done, at in done_at.items() for what, pointer in log[at + 1 :]
               if what == "add")
    assert status.startswith("complete in")
    with capsys.disabled():
        print(f"\n[browser] {stats['batches']} batches ({len(json.dumps(expected))} bytes of "
              f"JSON): handled (applied and rendered) in {stats['handleMs']:.1f} ms in all; "
              f"applied alone in {apply_ms:.2f} ms; screenshot {tmp_path / 'sse_relay.png'}")


def test_the_recipe_page_shows_an_early_stop(browser: Any, tmp_path: Path) -> None:
    with serve(example("sse_relay").app) as host:
        page = browser.new_page()
        page.goto(f"http://{host}/?quick=1")
        assert finished(page) == "error"
        error = page.inner_text("#error")
        rows = dom(page)
        page.screenshot(path=str(tmp_path / "sse_relay_quick.png"))
        page.close()
    assert error.startswith("SchemaViolation at /minutes: ") and "20" in error
    # stopped at the minutes: what came before is shown (and done), nothing after
    assert rebuild(rows) == {"title": recipe()["title"], "servings": 2}
    assert all(done for *_, done in rows)


def test_the_agent_page_makes_a_call_runnable_only_when_complete(browser: Any) -> None:
    with serve(example("agent_ui").app) as host:
        page = browser.new_page()
        page.goto(f"http://{host}/")
        page.wait_for_selector("#root > .children > .field > button")
        # the first call's card is there, its arguments still coming: not runnable yet
        assert page.locator("button").first.is_disabled()
        assert finished(page) == "end"
        buttons = page.locator("button")
        assert buttons.count() == 2 and all(not buttons.nth(i).is_disabled() for i in range(2))
        buttons.nth(1).click()
        ran = page.inner_text("#ran")
        log = page.evaluate("window.log")
        page.close()
    arguments = recorded("openai_parallel_calls.sse")
    call = json.dumps(json.loads(arguments[1]), separators=(",", ":"), ensure_ascii=False)
    assert ran.strip() == f"search_flights({call})"
    # a call is done (its button enabled) only after every one of its arguments arrived
    for what, pointer in log:
        if what == "done" and pointer.count("/") == 1:
            adds = [p for w, p in log if w == "add" and p.startswith(pointer + "/")]
            assert adds and log.index(["done", pointer]) > max(log.index(["add", p]) for p in adds)
