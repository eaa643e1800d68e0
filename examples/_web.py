"""What the two browser examples share: the JS client's route, and a page's common parts.

``partialjson.js`` ships inside the package (``partialjson/static/``); a route serves it as is.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.responses import Response

CLIENT = (files("partialjson") / "static" / "partialjson.js").read_text(encoding="utf-8")

# Times the page's handling of each event (applying its operations and rendering them):
# EventSource with its listeners wrapped, given to connect(). window.stats holds the total.
TIMED_SOURCE = """
window.stats = {events: 0, handleMs: 0, batches: [], opens: 0};
class TimedSource extends EventSource {
  constructor(url) {
    super(url);
    this.addEventListener("open", () => stats.opens++);
  }
  addEventListener(type, listener) {
    super.addEventListener(type, (event) => {
      if (type === "message") stats.batches.push(event.data);
      const start = performance.now();
      listener(event);
      stats.handleMs += performance.now() - start;
      stats.events++;
    });
  }
}
"""


def serve_client(app: FastAPI) -> None:
    """``GET /partialjson.js``: the browser client, from the installed package."""

    @app.get("/partialjson.js")
    async def client() -> Response:
        return Response(CLIENT, media_type="text/javascript",
                        headers={"cache-control": "no-cache"})


STYLE = """<style>
body{font:16px/1.45 system-ui;max-width:42em;margin:2em auto;color:#222}
.field{margin:.1em 0 .1em 1.2em}.key{color:#666;margin-right:.4em}.key:empty{display:none}
.field.done:not([data-type=object],[data-type=array])>.value::after,
.field.done:is([data-type=object],[data-type=array])>.key::after{content:" ✓";color:#080}
.field:not(.done)>.value{color:#555}#error{color:#b00;font-weight:600}#root{margin-left:-1.2em}
</style>"""

# Renders the document as it builds, whatever its shape: an element per value
# (data-path: its JSON Pointer, data-type: its JSON type), created the first time the value
# changes, in the order values arrive; "done" once complete. window.log: [what, pointer].
RENDER = """
const nodes = new Map([["", document.getElementById("root")]]);
window.log = [];
function children(el) {
  let box = el.querySelector(":scope > .children");
  if (!box) { box = document.createElement("div"); box.className = "children"; el.append(box); }
  return box;
}
function element(path) {
  const pointer = toPointer(path);
  let el = nodes.get(pointer);
  if (el) return el;
  const parent = element(path.slice(0, -1));
  const key = path.at(-1);
  el = document.createElement("div");
  el.className = "field";
  el.dataset.path = pointer;
  el.innerHTML = '<span class="key"></span><span class="value"></span>';
  el.firstChild.textContent = typeof key === "number" ? `${key + 1}.` : key;
  children(parent).append(el);
  nodes.set(pointer, el);
  log.push(["add", pointer]);
  return el;
}
function render(path, value) {
  const el = element(path);
  const type = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  el.dataset.type = type;
  if (type === "object" || type === "array") {
    children(el);  // a container sent whole: its members too
    for (const [key, item] of Object.entries(value)) {
      render([...path, type === "array" ? Number(key) : key], item);
    }
  } else {
    const text = type === "string" ? value : JSON.stringify(value);
    el.querySelector(":scope > .value").textContent = text;
  }
  return el;
}
function markDone(path) {
  element(path).classList.add("done");
  log.push(["done", toPointer(path)]);
}
"""
