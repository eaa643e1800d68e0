"""Benchmark: validated partial objects while an LLM streams, against re-validating the buffer.

Every document is fed in 1-8 character chunks (seeded; the same boundaries for everyone), and
after every chunk each competitor holds a typed, validated partial object:

- partialjson ``ModelStream``: feed the chunk, read ``partial``; ``close()`` at the end;
- OpenAI SDK helper: the SDK's own ``ChatCompletionStreamState`` (what
  ``client.chat.completions.stream(response_format=T)`` runs) fed the same deltas as
  ``ChatCompletionChunk`` objects built beforehand (no transport for anyone): per chunk it
  rebuilds its snapshot and re-parses the content with ``jiter.from_json(partial_mode=True)``;
- jiter + Partial: the least that re-parsing costs — ``jiter.from_json(buffer,
  partial_mode=True)`` of the whole buffer, then ``TypeAdapter(Partial[T]).validate_python``
  for a typed object, as apps and instructor do;
- pydantic allow_partial: ``TypeAdapter(Partial[T]).validate_json(buffer,
  experimental_allow_partial=True)`` of the whole buffer (of the partial model:
  with ``T`` itself, a required field not yet seen is an error).

A second table gives the same model as a JSON Schema dict (``Model.model_json_schema()``):
partialjson ``ModelStream(schema)`` against ``ModelStream(Model)`` and against re-validating the
parsed prefix (``jiter.from_json(buffer, partial_mode=True)``) with the ``jsonschema`` package
(``Draft202012Validator.is_valid``) after every chunk.

The re-validating competitors are quadratic: a size whose projected time is over the budget is
projected from the largest size measured (marked ~), not run.

    python bench/bench_model.py             # full run (several minutes)
    python bench/bench_model.py --quick     # fewer repeats, smaller budget
    python bench/bench_model.py --markdown  # tables as GitHub markdown
"""

from __future__ import annotations

import argparse
import json
import platform
import random
from importlib.metadata import version
from typing import Any, Literal

import jiter
from bench_json import (
    SEED,
    best_cpu_seconds,
    cold_cpu_seconds,
    format_ratio,
    format_seconds,
    format_size,
    prose,
    records_document,
    render_table,
    split_in_chunks,
)
from pydantic import BaseModel, Field, TypeAdapter

import partialjson as pj


class Meta(BaseModel):
    author: str
    tokens: int = Field(ge=0)
    confidence: float
    parent: int | None


class Record(BaseModel):
    id: int
    title: str
    body: str
    score: float
    tags: list[str]
    done: bool
    meta: Meta


class Records(BaseModel):
    items: list[Record]


class GetWeather(BaseModel):
    """The arguments of a small tool call (about 300 bytes)."""

    location: str
    unit: Literal["celsius", "fahrenheit"]
    days: int = Field(ge=1, le=14)
    include_hourly: bool = False
    note: str = ""


def tool_call_text(rng: random.Random) -> str:
    arguments = {"location": "Zürich, Switzerland", "unit": "celsius", "days": 7,
                 "include_hourly": True, "note": prose(rng, 30)}
    return json.dumps(arguments, ensure_ascii=False)


# -- the competitors ----------------------------------------------------------------------------
def partialjson_model(case: Case) -> Any:
    stream = pj.ModelStream(case.model)
    for chunk in case.chunks:
        stream.feed(chunk)
        _ = stream.partial
    return stream.close()


def partialjson_schema(case: Case) -> Any:
    stream: pj.ModelStream[Any] = pj.ModelStream(case.schema)
    for chunk in case.chunks:
        stream.feed(chunk)
        _ = stream.partial
    return stream.close()


def jsonschema_revalidate(case: Case) -> Any:
    import jsonschema

    validator = jsonschema.Draft202012Validator(case.schema)
    buffer = b""
    value = None
    for chunk in case.byte_chunks:
        buffer += chunk
        value = jiter.from_json(buffer, partial_mode=True)
        validator.is_valid(value)
    return value


def openai_helper(case: Case) -> Any:
    from openai.lib.streaming.chat._completions import ChatCompletionStreamState

    state: Any = ChatCompletionStreamState(response_format=case.model)
    for chunk in case.openai_chunks:
        state.handle_chunk(chunk)
    return state.get_final_completion().choices[0].message.parsed


def sdk_helper_way(case: Case) -> Any:
    buffer = b""
    value = None
    for chunk in case.byte_chunks:
        buffer += chunk
        value = case.partial_adapter.validate_python(
            jiter.from_json(buffer, partial_mode=True))
    return value


def pydantic_allow_partial(case: Case) -> Any:
    buffer = b""
    value = None
    for chunk in case.byte_chunks:
        buffer += chunk
        value = case.partial_adapter.validate_json(
            buffer, experimental_allow_partial=True)
    return value


class Case:
    def __init__(self, label: str, model: type[BaseModel], text: str, repeats: int) -> None:
        self.label = label
        self.model = model
        self.text = text
        self.repeats = repeats
        self.size = len(text.encode())
        self.chunks = split_in_chunks(text, random.Random(f"{SEED}:{label}:{self.size}"))
        self.byte_chunks = [chunk.encode() for chunk in self.chunks]
        self.adapter: TypeAdapter[Any] = TypeAdapter(model)
        self.partial_adapter: TypeAdapter[Any] = TypeAdapter(pj.Partial[model])
        self.openai_chunks = openai_chunks(self.chunks)
        self.schema = model.model_json_schema()


def openai_chunks(deltas: list[str]) -> list[Any]:
    """The deltas as the SDK hands them to its helper: parsed ChatCompletionChunk objects."""
    from openai.types.chat import ChatCompletionChunk

    def chunk(delta: dict[str, Any], finish: str | None = None) -> Any:
        return ChatCompletionChunk.model_validate({
            "id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 0,
            "model": "bench", "choices": [{"index": 0, "delta": delta,
                                           "finish_reason": finish}]})

    return [chunk({"role": "assistant", "content": ""}),
            *(chunk({"content": d}) for d in deltas), chunk({}, "stop")]


def build_cases(quick: bool) -> list[Case]:
    repeats = [20, 3, 1, 1] if quick else [100, 10, 3, 2]
    return [
        Case("tool call", GetWeather, tool_call_text(random.Random(f"{SEED}:tool")), repeats[0]),
        Case("records", Records, records_document(random.Random(f"{SEED}:20K"), 20_000),
             repeats[1]),
        Case("records", Records, records_document(random.Random(f"{SEED}:50K"), 50_000),
             repeats[2]),
        Case("records", Records, records_document(random.Random(f"{SEED}:200K"), 200_000),
             repeats[3]),
    ]


def check_agree(case: Case) -> None:
    expected = case.model.model_validate_json(case.text)
    assert partialjson_model(case) == expected
    assert openai_helper(case) == expected
    assert case.adapter.validate_python(dump_plain(sdk_helper_way(case))) == expected
    assert case.adapter.validate_python(dump_plain(pydantic_allow_partial(case))) == expected


def dump_plain(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value


def measure(cases: list[Case], budget_s: float) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    last: dict[tuple[str, str], tuple[int, float]] = {}  # last measured, per kind of document
    for case in cases:
        if case.size < 60_000:
            check_agree(case)
        row: dict[str, Any] = {"case": case,
                               "ours": best_cpu_seconds(partialjson_model, case, case.repeats)}
        competitors = (("openai", openai_helper), ("sdk", sdk_helper_way),
                       ("allow_partial", pydantic_allow_partial))
        for name, run in competitors:
            previous = last.get((name, case.label))
            projected = previous[1] * (case.size / previous[0]) ** 2 if previous else 0.0
            if projected <= budget_s:
                seconds = best_cpu_seconds(run, case, max(1, case.repeats // 3))
                last[name, case.label] = (case.size, seconds)
                row[name] = (seconds, False)
            else:
                row[name] = (projected, True)
        rows.append(row)
    return rows


def measure_schema(cases: list[Case], budget_s: float) -> list[dict[str, Any]]:
    import jsonschema

    rows: list[dict[str, Any]] = []
    last: dict[str, tuple[int, float]] = {}
    for case in cases:
        expected = json.loads(case.text)
        assert jsonschema.Draft202012Validator(case.schema).is_valid(expected)
        assert partialjson_schema(case) == expected
        row: dict[str, Any] = {"case": case,
                               "model": best_cpu_seconds(partialjson_model, case, case.repeats),
                               "schema": best_cpu_seconds(partialjson_schema, case, case.repeats)}
        previous = last.get(case.label)
        projected = previous[1] * (case.size / previous[0]) ** 2 if previous else 0.0
        if projected <= budget_s:
            seconds = best_cpu_seconds(jsonschema_revalidate, case, max(1, case.repeats // 3))
            last[case.label] = (case.size, seconds)
            row["jsonschema"] = (seconds, False)
        else:
            row["jsonschema"] = (projected, True)
        rows.append(row)
    return rows


def schema_table(rows: list[dict[str, Any]], markdown: bool) -> str:
    headers = ["document", "size", "ModelStream(Model)", "ModelStream(schema dict)",
               "÷ ModelStream(Model)", "jsonschema per chunk", "÷ ModelStream(schema)"]
    lines = []
    for row in rows:
        case = row["case"]
        size = f"{case.size} B" if case.size < 1000 else format_size(case.size)
        seconds, projected = row["jsonschema"]
        mark = "~" if projected else ""
        lines.append([case.label, size, format_seconds(row["model"]),
                      format_seconds(row["schema"]), format_ratio(row["schema"] / row["model"]),
                      mark + format_seconds(seconds), mark + format_ratio(seconds / row["schema"])])
    return render_table(headers, lines, markdown)


def table(rows: list[dict[str, Any]], markdown: bool) -> str:
    headers = ["document", "size", "chunks", "partialjson ModelStream", "OpenAI SDK helper",
               "÷ partialjson", "jiter + Partial", "÷ partialjson", "pydantic allow_partial",
               "÷ partialjson"]
    lines = []
    for row in rows:
        case, ours = row["case"], row["ours"]
        size = f"{case.size} B" if case.size < 1000 else format_size(case.size)
        cells = [case.label, size, f"{len(case.chunks):,}",
                 format_seconds(ours)]
        for name in ("openai", "sdk", "allow_partial"):
            seconds, projected = row[name]
            mark = "~" if projected else ""
            cells += [mark + format_seconds(seconds), mark + format_ratio(seconds / ours)]
        lines.append(cells)
    return render_table(headers, lines, markdown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 10 s budget")
    parser.add_argument("--markdown", action="store_true", help="GitHub markdown tables")
    parser.add_argument("--schema-only", action="store_true",
                        help="only the JSON Schema table")
    options = parser.parse_args()
    print(f"CPython {platform.python_version()}, pydantic {version('pydantic')}, "
          f"jiter {version('jiter')}, openai {version('openai')}")
    print("CPU time for one whole stream in 1-8 character chunks, a typed partial object "
          "after every chunk, best of several warm repeats with the garbage collector paused "
          "while timing; ~ marks a projection (quadratic trend).")
    print()
    cases = build_cases(options.quick)
    budget = 10.0 if options.quick else 120.0
    if not options.schema_only:
        rows = measure(cases, budget)
        print(table(rows, options.markdown))
        print()
        print(cold_line(cases[0]))
        print()
    print("The same documents against the model's JSON Schema, given as a dict:")
    print(schema_table(measure_schema(cases, budget), options.markdown))


def cold_line(case: Case) -> str:
    """The smallest case measured cold: right after a full gc.collect() before every run."""
    cells = [f"{name} {format_seconds(cold_cpu_seconds(run, case, case.repeats))}"
             for name, run in (("partialjson", partialjson_model), ("OpenAI SDK helper",
                               openai_helper), ("jiter + Partial", sdk_helper_way),
                               ("pydantic allow_partial", pydantic_allow_partial))]
    return (f"Cold, the {case.label} ({case.size} B) with a full gc.collect() before every run: "
            + ", ".join(cells) + ".")


if __name__ == "__main__":
    main()
