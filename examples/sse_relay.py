"""Relay validated partial objects to a browser with server-sent events (FastAPI).

``GET /`` is a page that shows the recipe building up; ``GET /recipe`` is the event stream: the
server asks OpenAI for a structured output, reads it into ``pj.ModelStream(Recipe)``, and after
every delta that changed it sends the validated partial object and the fields already complete
(``event: partial``), then the whole recipe (``event: done``), or the error (``event: invalid``).
The browser never sees JSON that is not valid so far, and never parses a half object.

Run:  python examples/sse_relay.py [--port 8000]     then open http://127.0.0.1:8000
      (offline: the bundled recording, through the real AsyncOpenAI client and a local server)
"""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncIterator
from typing import Any

import openai
from _recipe import RECORDING, REQUEST, Recipe, client_options
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, StreamingResponse

import partialjson as pj
from partialjson.cli.replay import Replay

app = FastAPI()


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def relay() -> AsyncIterator[str]:
    with Replay(RECORDING) as replay:
        client = openai.AsyncOpenAI(max_retries=0, **client_options(replay.url))
        stream = pj.ModelStream(Recipe)
        try:
            async for chunk in await client.chat.completions.create(**REQUEST):
                delta = chunk.choices[0].delta.content if chunk.choices else None
                if delta and stream.feed(delta):
                    done = [key for key in Recipe.model_fields if stream.is_complete((key,))]
                    yield sse("partial", {"recipe": stream.partial.model_dump(), "done": done})
            yield sse("done", stream.close().model_dump())
        except pj.PartialJSONError as error:
            yield sse("invalid", {"error": str(error)})


@app.get("/recipe")
async def recipe() -> StreamingResponse:
    return StreamingResponse(relay(), media_type="text/event-stream")


PAGE = """<!doctype html>
<meta charset="utf-8"><title>partialjson: a recipe as it streams</title>
<style>body{font:16px system-ui;max-width:40em;margin:2em auto}.done{color:#080}
.done::after{content:" ✓"}li{margin:.2em 0}</style>
<h1 id="title">…</h1><p id="meta"></p><h2>Ingredients</h2><ul id="ingredients"></ul>
<h2>Steps</h2><ol id="steps"></ol>
<script>
const source = new EventSource("/recipe");
const show = (id, html, done) => {
  const node = document.getElementById(id);
  node.innerHTML = html; node.className = done ? "done" : "";
};
const esc = s => String(s ?? "").replace(/[&<>]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;"})[c]);
function render(r, done) {
  show("title", esc(r.title), done.includes("title"));
  show("meta", `${r.servings ?? "…"} servings · ${r.minutes ?? "…"} minutes`
       + (r.vegetarian ? " · vegetarian" : ""), done.includes("minutes"));
  const item = i => i && `<li>${esc(i.amount)} ${esc(i.item)}</li>`;
  show("ingredients", (r.ingredients || []).map(item).join(""), done.includes("ingredients"));
  show("steps", (r.steps || []).map(s => `<li>${esc(s)}</li>`).join(""), done.includes("steps"));
}
source.addEventListener("partial", e => {
  const m = JSON.parse(e.data); render(m.recipe, m.done);
});
source.addEventListener("done", e => {
  const r = JSON.parse(e.data); render(r, Object.keys(r)); source.close();
});
source.addEventListener("invalid", e => { show("meta", esc(JSON.parse(e.data).error), false);
                                          source.close(); });
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
