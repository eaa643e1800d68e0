"""Events as JSON Lines records: one dict per event, values as JSON (models dumped)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from pydantic_core import to_jsonable_python

from .._events import DocumentCompleted, Event, ProseDelta, StringDelta, ValueStarted, Violation
from ..bridges import (
    BridgeEvent,
    JsonEvent,
    OutputComplete,
    PartCompleted,
    PartStarted,
    ProviderEvent,
    TextDelta,
    ToolCallComplete,
)
from ..sql import KindDecided, Prose, SqlEvent, Statement, StatementCompleted, StatementStarted


def dumps(value: Any) -> str:
    """One line of JSON for any value the command prints (models, partial models too)."""
    return json.dumps(to_jsonable_python(value, fallback=repr), ensure_ascii=False)


def json_record(event: Event | Violation) -> dict[str, Any]:
    if isinstance(event, ValueStarted):
        return {"event": "start", "path": list(event.path), "kind": event.kind}
    if isinstance(event, StringDelta):
        return {"event": "delta", "path": list(event.path), "text": event.text}
    if isinstance(event, ProseDelta):
        return {"event": "prose", "text": event.text}
    if isinstance(event, DocumentCompleted):
        return {"event": "document", "index": event.index, "value": event.value}
    if isinstance(event, Violation):
        return {"event": "violation", "path": list(event.path), "error": str(event.error)}
    return {"event": "complete", "path": list(event.path), "value": event.value}


def bridge_record(event: BridgeEvent) -> dict[str, Any]:
    if isinstance(event, ProviderEvent):
        return {"event": "provider", "data": event.data}
    part = {"kind": type(event.part).__name__, **dataclasses.asdict(event.part)}
    if isinstance(event, JsonEvent):
        return {**json_record(event.event), "part": part}
    if isinstance(event, TextDelta):
        return {"event": "text", "text": event.text, "part": part}
    if isinstance(event, ToolCallComplete):
        return {"event": "tool_call", "id": event.id, "name": event.name, "value": event.value,
                "part": part}
    if isinstance(event, OutputComplete):
        return {"event": "output", "value": event.value, "part": part}
    if isinstance(event, PartStarted):
        return {"event": "part", "part": part}
    assert isinstance(event, PartCompleted)
    return {"event": "part_end", "text": event.text, "part": part}


def statement_record(statement: Statement) -> dict[str, Any]:
    return {"index": statement.index, "kind": statement.kind, "text": statement.text,
            "start": statement.start, "end": statement.end,
            "effects": sorted(statement.effects)}


def sql_record(event: SqlEvent) -> dict[str, Any]:
    if isinstance(event, StatementStarted):
        return {"event": "statement_start", "index": event.index, "offset": event.offset}
    if isinstance(event, KindDecided):
        return {"event": "kind", "index": event.index, "kind": event.kind,
                "offset": event.offset}
    if isinstance(event, Prose):
        return {"event": "prose", "text": event.text}
    if isinstance(event, StatementCompleted):
        return {"event": "statement", **statement_record(event.statement)}
    return {"event": "invalid", **statement_record(event.statement), "error": str(event.error)}
