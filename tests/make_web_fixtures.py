"""The operation streams the JavaScript client's tests replay: ``tests/web_fixtures/*.json``.

Each file is ``{"name", "batches": [[op, ...], ...], "final": document, "done": [pointer, ...]}``
made by ``partialjson.web`` from a representative stream, as the wire carries it (the short
forms of ``web.compact``; strict-RFC streams as they are). ``test_web.py`` checks that the
committed files equal what the encoder makes now; after changing the encoder, regenerate them:

    .venv/bin/python tests/make_web_fixtures.py
"""

from __future__ import annotations

import datetime
import decimal
import enum
import json
import pathlib
from typing import Any, Literal

from pydantic import BaseModel

import partialjson as pj
from partialjson import web

FOLDER = pathlib.Path(__file__).parent / "web_fixtures"


class Color(enum.Enum):
    red = "red"
    blue = "blue"


class Reading(BaseModel):
    at: datetime.datetime
    amount: decimal.Decimal
    color: Color
    unit: Literal["celsius", "fahrenheit"]
    note: str


class Weather(BaseModel):
    city: str
    days: int


class Search(BaseModel):
    query: str
    limit: int


class Numbers(BaseModel):
    values: list[int | float]  # an int item is validated only with its list: a null first


def chunks(text: str, sizes: tuple[int, ...] = (1, 3, 2, 5, 4, 7, 8, 6)) -> list[str]:
    """``text`` cut in token-sized pieces (a fixed cycle of sizes: the same files every run)."""
    out, at, n = [], 0, 0
    while at < len(text):
        size = sizes[n % len(sizes)]
        out.append(text[at : at + size])
        at += size
        n += 1
    return out


def record(name: str, batches: list[list[dict[str, Any]]], strict: bool = False
           ) -> dict[str, Any]:
    wire = batches if strict else list(web.compact(batches))
    reader = web.Document()
    for batch in wire:
        reader.apply(batch)
    return {"name": name, "batches": wire, "final": reader.value, "done": sorted(reader.done)}


def json_stream(text: str, strict: bool = False) -> list[list[dict[str, Any]]]:
    stream = pj.JsonStream()
    steps = [stream.feed(chunk) for chunk in chunks(text)] + [stream.end()]
    return list(web.json_patch(steps, strict=strict))


def model_stream(model: Any, text: str, tell: bool = True) -> list[list[dict[str, Any]]]:
    """``tell=False``: the encoder is not given the model (raw strings, then ``replace``)."""
    stream = pj.ModelStream(model)
    steps = [stream.feed(chunk) for chunk in chunks(text)] + [stream.end()]
    return list(web.json_patch(steps, model=model if tell else None))


def bridge_stream() -> list[list[dict[str, Any]]]:
    """Two Anthropic tool calls, as recorded events (dicts, as the API sends them)."""
    from partialjson import anthropic

    events: list[dict[str, Any]] = [{"type": "message_start", "message": {
        "id": "msg_01", "type": "message", "role": "assistant", "model": "claude",
        "content": [], "stop_reason": None, "usage": {"input_tokens": 1, "output_tokens": 1}}}]
    calls = [("toolu_01", "get_weather", '{"city": "São Paulo", "days": 3}'),
             ("toolu_02", "search", '{"query": "rain/snow ~ \\"today\\"", "limit": 5}')]
    for index, (id_, name, arguments) in enumerate(calls):
        events.append({"type": "content_block_start", "index": index, "content_block": {
            "type": "tool_use", "id": id_, "name": name, "input": {}}})
        for piece in chunks(arguments):
            events.append({"type": "content_block_delta", "index": index, "delta": {
                "type": "input_json_delta", "partial_json": piece}})
        events.append({"type": "content_block_stop", "index": index})
    events += [{"type": "message_delta", "delta": {"stop_reason": "tool_use"},
                "usage": {"output_tokens": 9}}, {"type": "message_stop"}]
    tools = {"get_weather": Weather, "search": Search}
    return list(web.json_patch(anthropic.stream(events, tools=tools), tools=tools))


def fixtures() -> list[dict[str, Any]]:
    nested = json.dumps({"trip": {"days": [{"day": 1, "stops": ["Zürich", "Bern"]},
                                           {"day": 2, "stops": [], "meta": {"ok": True}}]},
                         "empty": {}, "list": [[1, [2.5, None]], False]})
    strings = json.dumps({"text": 'line "one"\nline \\two\\ \t tab — 東京 😀🎉',
                          "ascii": "caf\u00e9 \U0001d11e"}, ensure_ascii=False)
    escaped = json.dumps({"a/b": 1, "m~n": {"~1": "x", "/": [True]}, "": "empty key",
                          "~/~0/": {"": None}})
    typed = json.dumps({"at": "2026-12-03T11:50:00+01:00", "amount": "12.50",
                        "color": "blue", "unit": "celsius", "note": "typed values 🌡️"})
    return [
        record("nested", json_stream(nested)),
        record("strings", json_stream(strings)),
        record("pointer-escapes", json_stream(escaped)),
        record("typed-model", model_stream(Reading, typed)),
        record("bridge-two-tool-calls", bridge_stream()),
        record("replaced-values", model_stream(Reading, typed.replace(":00+01:00", ":00.000Z"),
                                               tell=False)),
        record("union-items-null-then-replaced", model_stream(
            Numbers, '{"values": [1, 2.5, 3, 4.25]}')),
        record("strict-rfc6902", json_stream(nested, strict=True), strict=True),
    ]


def write() -> None:
    FOLDER.mkdir(exist_ok=True)
    for old in FOLDER.glob("[!j]*.json"):  # js-*.json are written by hand
        old.unlink()
    for fixture in fixtures():
        path = FOLDER / f"{fixture['name']}.json"
        path.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")


if __name__ == "__main__":
    write()
