"""Relay a structured output to a browser as it streams: ``partialjson.web`` and its JS client.

``GET /`` is a page that builds the recipe as it arrives; ``GET /recipe/{run}`` is the event
stream: the server asks OpenAI for a structured output, reads it into
``pj.ModelStream(Recipe)``, and sends each change as a few JSON Patch operations (``append``
for a growing string, ``done`` when a value is complete and valid), batched at UI rate. The
browser applies them with ``partialjson.js`` (served at ``/partialjson.js``) and renders each
field as it appears, ticks it when it is done, and shows the error if validation stops the
stream (``?quick=1`` asks for a recipe of at most 20 minutes: the recorded one takes 30, and the
stream stops at that number). A dropped connection resumes where it stopped (``web.Relay``,
``Last-Event-ID``).

Run:  python examples/sse_relay.py [--port 8000]     then open http://127.0.0.1:8000
      (offline: the bundled recording, through the real AsyncOpenAI client and a local server)
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from typing import Any

import openai
from _recipe import RECORDING, REQUEST, Recipe, client_options
from _web import RENDER, STYLE, TIMED_SOURCE, serve_client
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from pydantic import Field

import partialjson as pj
from partialjson import web
from partialjson.cli.replay import Replay


class QuickRecipe(Recipe):
    minutes: int = Field(le=20)


app = FastAPI()
relay = web.Relay(retry=300)  # a dropped connection: the browser is back in 0.3 s
serve_client(app)


async def steps(model: type[Recipe]) -> AsyncIterator[list[Any]]:
    """The events of the model's answer, one list per delta."""
    with Replay(RECORDING) as replay:
        async with openai.AsyncOpenAI(max_retries=0, **client_options(replay.url)) as client:
            response = await client.chat.completions.create(**REQUEST)
            stream = pj.ModelStream(model)
            try:
                async for chunk in response:
                    delta = chunk.choices[0].delta.content if chunk.choices else None
                    if delta:
                        yield stream.feed(delta)  # a SchemaViolation ends the stream here
                yield stream.end()
            finally:
                await response.close()  # stopped early: the model stops generating


@app.get("/recipe/{run}")
async def recipe(run: str, request: Request, quick: bool = False) -> StreamingResponse:
    model = QuickRecipe if quick else Recipe

    def source() -> AsyncIterator[list[dict[str, Any]]]:  # called once per run
        return web.acoalesce(web.ajson_patch(steps(model), model=model))

    events = relay.asse(f"{run}:{quick}", source, request.headers.get("last-event-id"))
    return StreamingResponse(events, media_type="text/event-stream",
                             headers={"cache-control": "no-cache"})


PAGE = """<!doctype html>
<meta charset="utf-8"><title>partialjson: a recipe as it streams</title>
""" + STYLE + """
<h1>A recipe, as the model writes it</h1>
<p><a href="/">any recipe</a> · <a href="/?quick=1">a quick one (at most 20 minutes)</a>
 · <span id="status">connecting…</span></p>
<p id="error"></p>
<div id="root" class="field" data-path="" data-type="object"><div class="children"></div></div>
<script type="module">
import {connect, toPointer, PartialDocument} from "/partialjson.js";
""" + TIMED_SOURCE + RENDER + """
const quick = new URLSearchParams(location.search).has("quick");
const run = crypto.randomUUID();
const status = document.getElementById("status");
const started = performance.now();
connect(`/recipe/${run}${quick ? "?quick=1" : ""}`, {
  EventSource: TimedSource,
  onChange: render,
  onDone: markDone,
  onError: (error) => {
    document.getElementById("error").textContent =
      `${error.type ?? "Error"}${error.path ? " at " + error.path : ""}: ${error.message}`;
    status.textContent = "stopped";
    window.finished = "error";
  },
  onEnd: () => {
    status.textContent = `complete in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    window.finished = "end";
  },
});
// The time to apply the whole stream again, without rendering (for the browser test).
window.applyAll = (times) => {
  const start = performance.now();
  for (let i = 0; i < times; i++) {
    const doc = new PartialDocument();
    for (const data of stats.batches) doc.apply(JSON.parse(data));
  }
  return (performance.now() - start) / times;
};
</script>
"""


@app.get("/")
async def page() -> HTMLResponse:
    return HTMLResponse(PAGE)


if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port)
