"""Stream metrics: figures read off a fake clock, the logging record, the OpenTelemetry span
(through the SDK's in-memory exporter), and real figures from a real client."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest
import sse_server as wire
from pydantic import BaseModel
from sse_server import ReplayServer

import partialjson as pj
from partialjson import anthropic as bridge

otel = pytest.importorskip("opentelemetry.sdk.trace")
from opentelemetry import trace  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)


class Args(BaseModel):
    a: str
    b: int
    c: list[int]


PIECES = ['{"a": "xy", ', '"b": 12, ', '"c": [1, 2]}']
BLOCK = {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}
ITEMS: list[dict[str, Any]] = [
    {"type": "message_start", "message": {"id": "m", "type": "message", "role": "assistant",
                                          "content": [], "model": "claude-sonnet-4-6"}},
    {"type": "content_block_start", "index": 0, "content_block": BLOCK},
    *({"type": "content_block_delta", "index": 0,
       "delta": {"type": "input_json_delta", "partial_json": piece}} for piece in PIECES),
    {"type": "content_block_stop", "index": 0},
    {"type": "message_delta", "delta": {"stop_reason": "tool_use"}},
    {"type": "message_stop"},
]
TIMES = [1.0, 2.0, 3.0, 5.0, 9.0, 10.0, 11.0, 12.0]  # when each item arrives
TOOL = bridge.Block(0, "tool_use", "toolu_1", "f")


class Fake:
    """A wall clock and a CPU clock that only the (simulated) network moves: reading and
    waiting happen outside partialjson, so no CPU time may be counted for them."""

    def __init__(self) -> None:
        self.now = 0.0
        self.cpu = 0.0

    def items(self, items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for at, item in zip(TIMES, items, strict=False):
            self.now = at
            self.cpu += 100.0  # the SDK's work, or the wait: not ours
            yield item
        self.now = TIMES[-1]


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = otel.TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    if trace.get_tracer_provider() is not provider:
        pytest.skip("another test set the global tracer provider first")
    return exporter


def run(items: list[dict[str, Any]]) -> tuple[pj.StreamStats, Exception | None]:
    fake = Fake()
    stats = pj.StreamStats(clock=lambda: fake.now, cpu_clock=lambda: fake.cpu)
    events = bridge.stream(fake.items(items), tools={"f": Args}, stats=stats)
    assert events.stats is stats
    try:
        for _ in events:
            pass
    except pj.BridgeError as exc:
        return stats, exc
    return stats, None


def test_figures_follow_the_fake_clock(caplog: pytest.LogCaptureFixture,
                                       spans: InMemorySpanExporter) -> None:
    spans.clear()
    with caplog.at_level(logging.INFO, logger="partialjson"):
        stats, error = run(ITEMS)
    assert error is None
    assert stats.outcome == "complete" and stats.system == "anthropic"
    assert stats.time_to_first_byte == 1.0
    assert stats.time_to_first_delta == 3.0  # the first piece of arguments
    assert stats.time_to_valid == 9.0  # the piece that closes the object
    assert stats.duration == 12.0
    assert stats.deltas == 3
    assert stats.gaps == [2.0, 4.0]
    assert (stats.gap_p50, stats.gap_p90, stats.gap_p99) == (2.0, 4.0, 4.0)
    assert stats.fields == {(TOOL, ("a",)): 3.0, (TOOL, ("b",)): 5.0, (TOOL, ("c", 0)): 9.0,
                            (TOOL, ("c", 1)): 9.0, (TOOL, ("c",)): 9.0}
    assert stats.bytes == len("".join(PIECES).encode())
    assert stats.cpu == 0.0  # the clock moved only while waiting
    (record,) = [r for r in caplog.records if r.name == "partialjson"]
    assert record.levelno == logging.INFO and record.stats is stats  # type: ignore[attr-defined]
    assert "complete" in record.getMessage()

    (span,) = spans.get_finished_spans()
    assert span.name == "chat anthropic"
    attributes = dict(span.attributes or {})
    assert attributes["gen_ai.system"] == "anthropic"
    assert attributes["gen_ai.operation.name"] == "chat"
    assert attributes["partialjson.outcome"] == "complete"
    assert attributes["partialjson.deltas"] == 3
    assert attributes["partialjson.time_to_valid"] == 9.0
    names = [event.name for event in span.events]
    assert names == ["partialjson.first_byte", "partialjson.first_delta",
                     "partialjson.field_completed", "partialjson.field_completed",
                     "partialjson.field_completed", "partialjson.valid"]
    assert [dict(e.attributes or {}).get("partialjson.path") for e in span.events
            if e.name.endswith("field_completed")] == ["$.a", "$.b", "$.c"]


@pytest.mark.parametrize(("items", "outcome", "kind"), [
    ([*ITEMS[:3], {"type": "content_block_delta", "index": 0,
                   "delta": {"type": "input_json_delta", "partial_json": '"b": "no"'}}],
     "violation", "InvalidPart"),
    (ITEMS[:4], "truncated", "IncompleteStream"),
    ([*ITEMS[:2], {"type": "content_block_delta", "index": "0"}], "failed", "StreamFailed"),
], ids=["violation", "truncated", "failed"])
def test_each_outcome_is_recorded_and_an_error_marks_the_span(
    items: list[dict[str, Any]], outcome: str, kind: str, spans: InMemorySpanExporter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    spans.clear()
    with caplog.at_level(logging.INFO, logger="partialjson"):
        stats, error = run(items)
    assert type(error).__name__ == kind and stats.error is error
    assert stats.outcome == outcome
    assert [r.levelno for r in caplog.records if r.name == "partialjson"] == [logging.WARNING]
    (span,) = spans.get_finished_spans()
    assert span.status.status_code == trace.StatusCode.ERROR
    assert dict(span.attributes or {})["error.type"] == kind


def test_a_real_stream_has_real_figures(server: ReplayServer) -> None:
    text = '{"a": "' + "z" * 2000 + '", "b": 1, "c": []}'
    server.reply(wire.sse(wire.message([wire.tool_use("f", text, id="toolu_1")], "tool_use")),
                 piece=64, delay=0.002)
    client = anthropic.Anthropic(api_key="k", base_url=server.url, max_retries=0)
    events = bridge.stream(client.messages.create(stream=True, model="m", max_tokens=9,
                                                  messages=[]), tools={"f": Args})
    list(events)
    stats = events.stats
    assert stats.outcome == "complete"
    assert 0 < stats.time_to_first_byte <= stats.time_to_first_delta <= stats.time_to_valid  # type: ignore[operator]
    assert stats.time_to_valid <= stats.duration  # type: ignore[operator]
    assert stats.bytes == server.last().total  # the raw body, as sent
    assert stats.deltas == len(wire.fragments(text)) and len(stats.gaps) == stats.deltas - 1
    assert 0 < stats.cpu < stats.duration  # type: ignore[operator]
    assert stats.as_dict()["fields"]["tool_use block 0 'f' (toolu_1) $.b"] > 0


def test_parse_prints_the_figures_with_stats() -> None:
    events = wire.message([wire.text("Hi. "), wire.tool_use("f", '{"a": "x", "b": 2, "c": []}')],
                          "tool_use")
    body = wire.sse(events)
    done = subprocess.run([sys.executable, "-m", "partialjson", "parse", "--sse", "anthropic",
                           "--final", "--stats"], input=body.encode(), capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    line, record = done.stderr.decode().splitlines()
    assert line.startswith("stats: anthropic stream complete in ")
    figures = json.loads(record)
    # the deltas with text, counted from the body itself
    pieces = [e["delta"].get("text") or e["delta"].get("partial_json") for _, e in events
              if e["type"] == "content_block_delta"]
    assert figures["deltas"] == len([p for p in pieces if p])
    assert figures["bytes"] == len("".join(p for p in pieces if p).encode())
    assert figures["outcome"] == "complete" and figures["fields"]
