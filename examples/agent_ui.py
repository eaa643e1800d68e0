"""An agent UI: the model's tool calls appear as they stream, each runnable once complete.

The bundled recording is an OpenAI answer calling two tools at once, their chunks interleaved.
The server reads it through the OpenAI bridge (``partialjson.openai``), validating each call's
arguments against its tool's model, and relays them with ``partialjson.web``: the document has
one member per call (``"<tool>:<call id>"``), whose arguments grow in the browser as the model
writes them. A call's card gets its "Run" button only when its ``done`` arrives: its arguments
are complete and valid. (Running is left to you: the button shows the call.)

Run:  python examples/agent_ui.py [--port 8000]     then open http://127.0.0.1:8000
      (offline: the bundled recording, through the real AsyncOpenAI client and a local server)
"""

from __future__ import annotations

import argparse
import os
from collections.abc import AsyncIterator
from typing import Any

import openai
from _web import RENDER, STYLE, TIMED_SOURCE, serve_client
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from openai_tool_calls import RECORDING, REQUEST, TOOLS

from partialjson import openai as bridge
from partialjson import web
from partialjson.cli.replay import Replay

app = FastAPI()
relay = web.Relay(retry=300)
serve_client(app)


def call_key(part: Any) -> str:
    """A call's member in the document: the page shows the tool's name and the call's id."""
    return f"{part.name}:{part.id}"


async def events() -> AsyncIterator[Any]:
    """The bridge's events of the model's answer (tool calls, validated as they grow)."""
    with Replay(RECORDING, delay=0.01) as replay:  # paced, to watch it
        options = {} if os.environ.get("OPENAI_API_KEY") else {
            "api_key": "replay", "base_url": replay.url + "/v1"}
        async with openai.AsyncOpenAI(max_retries=0, **options) as client:
            response = await client.chat.completions.create(stream=True, **REQUEST)
            try:
                async for event in bridge.stream(response, tools=TOOLS):
                    yield event
            finally:
                await response.close()


@app.get("/calls/{run}")
async def calls(run: str, request: Request) -> StreamingResponse:
    def source() -> AsyncIterator[list[dict[str, Any]]]:
        return web.acoalesce(web.ajson_patch(events(), tools=TOOLS, part_key=call_key))

    stream = relay.asse(run, source, request.headers.get("last-event-id"))
    return StreamingResponse(stream, media_type="text/event-stream",
                             headers={"cache-control": "no-cache"})


PAGE = """<!doctype html>
<meta charset="utf-8"><title>partialjson: an agent's tool calls as they stream</title>
""" + STYLE + """
<style>
#root>.children>.field{border:1px solid #ccc;border-radius:6px;padding:.5em;margin:.6em 0}
#root>.children>.field>.key{font-weight:600;color:#222}
button{margin-left:1em}button:disabled{opacity:.4}
</style>
<h1>Tool calls, as the model writes them</h1>
<p id="status">connecting…</p><p id="error"></p><pre id="ran"></pre>
<div id="root" class="field" data-path="" data-type="object"><div class="children"></div></div>
<script type="module">
import {connect, toPointer, PartialDocument} from "/partialjson.js";
""" + TIMED_SOURCE + RENDER + """
const status = document.getElementById("status");
const {document: doc} = connect(`/calls/${crypto.randomUUID()}`, {
  EventSource: TimedSource,
  onChange: (path, value) => {
    const el = render(path, value);
    if (path.length === 1 && !el.querySelector(":scope > button")) {
      const [tool, id] = path[0].split(":");
      el.firstChild.textContent = `${tool} (${id})`;
      const button = document.createElement("button");
      button.textContent = "Run";
      button.disabled = true;  // not before the call is complete
      button.onclick = () => {
        const call = JSON.stringify(doc.value[path[0]]);
        document.getElementById("ran").textContent += `${tool}(${call})\\n`;
      };
      el.firstChild.after(button);
    }
  },
  onDone: (path) => {
    markDone(path);
    if (path.length === 1) {  // the call's arguments are complete and valid: it may run
      const button = element(path).querySelector(":scope > button");
      button.disabled = false;
      element(path).classList.add("runnable");
    }
  },
  onError: (error) => {
    document.getElementById("error").textContent = `${error.type ?? "Error"}: ${error.message}`;
    window.finished = "error";
  },
  onEnd: () => { status.textContent = "complete"; window.finished = "end"; },
});
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
