"""Benchmark: the provider bridges against the SDK helpers' own partial parsing.

A tool call whose input is a large JSON document (records of prose, CJK, emoji, escapes) streams
in 4-character deltas, as a model streams a tool's input, from a local SSE server (tests/
sse_server.py, 64 KB writes) into the real SDK clients. On the same recorded stream, in one run,
CPU time of the reading thread (the server's thread is not counted) for:

- transport: iterating the raw SDK stream and nothing else (HTTP, the SDK's SSE decoding, its
  event models); the reference: what any reader of the SDK's stream pays;
- bridge: ``partialjson.anthropic.stream`` / ``partialjson.openai.stream`` on the raw stream, to
  the validated ToolCallComplete; it reads the stream's HTTP body itself (HTTP, its own SSE
  splitting, ``json.loads`` per event), so it does not pay the SDK's decoding or models;
- helper: the SDK's helper, ``messages.stream()`` / ``chat.completions.stream()`` with a strict
  tool (the only kind it parses while streaming), iterated to the end;

and, without HTTP, on the events recorded once: the bridge on their JSON (as it reads a raw
stream), and the helper's own accumulation on the SDK's event objects (Anthropic
``accumulate_event``, OpenAI ``ChatCompletionStreamState.handle_chunk``).
The time of each delta in the bridge, first against last 10% of the stream, shows whether the
cost of a delta grows with what came before.

Gemini (google-genai) has no helper that parses while streaming: users join each chunk's text
and parse it all again at every chunk. A structured output streams as JSON text, in 4-character
pieces, through the real ``genai.Client``; CPU time for iterating the SDK's stream alone
(transport), the Gemini bridge to the validated output, and the SDK's stream plus a parse of the
whole text so far at each chunk: ``json.loads`` (fails until the end), jiter's partial mode,
pydantic's partial validation (``TypeAdapter.validate_json(..., experimental_allow_partial)``).

LangChain (``--langchain``): the same OpenAI Chat stream read by langchain-openai's ``ChatOpenAI``
(``bind_tools``), CPU time of the reading thread for:

- chat.stream(): iterating the chat model's ``AIMessageChunk``s and nothing else (HTTP, the SDK,
  LangChain's chunk objects; the reference);
- LangChain: ``chat | JsonOutputToolsParser()`` streamed, LangChain's own partial tool-call
  parsing: it merges the ``tool_call_chunks`` (``AIMessageChunk.__add__``) and re-parses the
  merged arguments (``parse_partial_json``) at every chunk;
- partialjson: ``partialjson.langchain.stream(chat.stream(...), tools=...)`` to the validated
  call, and ``chat | PartialToolsParser(tools=...)`` (the LCEL runnable);

and on the chunks recorded once, each parser alone, with its time per chunk at the start and at
the end of the stream.

Run from the project root:

    python bench/bench_bridges.py             # 20 KB and 128 KB; the helpers take ~1 min
    python bench/bench_bridges.py --quick     # 20 KB only
    python bench/bench_bridges.py --gemini    # the Gemini tables only (~2 min at 128 KB)
    python bench/bench_bridges.py --markdown  # tables as GitHub markdown
    python bench/bench_bridges.py --langchain # the LangChain section only (~15 min at 128 KB:
                                              # LangChain's parsing is quadratic)
"""

from __future__ import annotations

import argparse
import collections
import gc
import itertools
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import anthropic
import httpx
import jiter
import openai
from anthropic.lib.streaming._messages import accumulate_event
from bench_json import format_ratio, format_seconds, format_size, records_document, render_table
from google import genai
from google.genai import types as genai_types
from openai.lib.streaming.chat import ChatCompletionStreamState
from pydantic import BaseModel, TypeAdapter, ValidationError

import partialjson as pj
from partialjson import anthropic as anthropic_bridge
from partialjson import gemini as gemini_bridge
from partialjson import openai as openai_bridge
from partialjson.bridges._sse import SSESplitter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import sse_server as wire

SEED = 2025
DELTA = 4  # characters per delta


class Item(BaseModel):
    id: int
    title: str
    body: str
    score: float
    tags: list[str]
    done: bool
    meta: dict[str, Any]


class Records(BaseModel):
    """The tool's input model; the bridge validates against it while the input streams."""

    items: list[Item]


STRICT_TOOL: Any = {
    "type": "function",
    "function": {"name": "save_records", "strict": True, "parameters": {"type": "object"}},
}
ANTHROPIC_REQUEST: dict[str, Any] = {
    "model": "claude-sonnet-4-6", "max_tokens": 64000,
    "messages": [{"role": "user", "content": "Save the records."}],
}
CHAT_REQUEST: dict[str, Any] = {
    "model": "gpt-4o", "messages": [{"role": "user", "content": "Save the records."}],
}


# -- the recorded streams -----------------------------------------------------------------------
@dataclass
class Case:
    provider: str
    arguments: str
    body: str
    repeats: int

    @property
    def deltas(self) -> int:
        return -(-len(self.arguments) // DELTA)


def cases(sizes: list[int], repeats: list[int]) -> list[Case]:
    out = []
    for size, times in zip(sizes, repeats, strict=True):
        arguments = records_document(random.Random(f"{SEED}:{size}"), size)
        anthropic_events = wire.message(
            [wire.tool_use("save_records", arguments, size=DELTA)], "tool_use")
        chat_chunks = wire.chat_calls([("call_1", "save_records", arguments)], size=DELTA)
        out.append(Case("Anthropic", arguments, wire.sse(anthropic_events), times))
        out.append(Case("OpenAI Chat", arguments, wire.chat(chat_chunks), times))
    return out


# -- what is timed ------------------------------------------------------------------------------
class Reader:
    """Requests the case's stream from the local server through the real client."""

    def __init__(self, server: wire.ReplayServer, case: Case) -> None:
        self.server, self.case = server, case
        url = server.url
        if case.provider == "Anthropic":
            self.client: Any = anthropic.Anthropic(api_key="bench", base_url=url, max_retries=0)
        else:
            self.client = openai.OpenAI(api_key="bench", base_url=url + "/v1", max_retries=0)

    def _queue(self) -> None:
        self.server.reply(self.case.body, piece=65536)

    def raw(self) -> Any:
        self._queue()
        if self.case.provider == "Anthropic":
            return self.client.messages.create(stream=True, **ANTHROPIC_REQUEST)
        return self.client.chat.completions.create(stream=True, **CHAT_REQUEST)

    def helper(self) -> Any:
        self._queue()
        if self.case.provider == "Anthropic":
            return self.client.messages.stream(**ANTHROPIC_REQUEST)
        return self.client.chat.completions.stream(tools=[STRICT_TOOL], **CHAT_REQUEST)

    def bridge(self, source: Iterable[Any]) -> Any:
        module: Any = anthropic_bridge if self.case.provider == "Anthropic" else openai_bridge
        calls = [e for e in module.stream(source, tools={"save_records": Records})
                 if isinstance(e, pj.ToolCallComplete)]
        return calls[0].value


def transport(reader: Reader) -> None:
    for _ in reader.raw():
        pass


def bridge_end_to_end(reader: Reader) -> Any:
    return reader.bridge(reader.raw())


def helper_end_to_end(reader: Reader) -> Any:
    with reader.helper() as helper:
        for _ in helper:
            pass
        if reader.case.provider == "Anthropic":
            return helper.get_final_message().content[0].input
        return helper.get_final_completion().choices[0].message.tool_calls[0].function.arguments


def helper_accumulation(provider: str, events: list[Any]) -> Any:
    if provider == "Anthropic":
        snapshot, buffers = None, {}
        for event in events:
            snapshot = accumulate_event(event=event, current_snapshot=snapshot, json_bufs=buffers)
        return snapshot
    state: Any = ChatCompletionStreamState(input_tools=[STRICT_TOOL])
    for chunk in events:
        state.handle_chunk(chunk)
    return state


def cpu_seconds(run: Callable[[], Any], repeats: int) -> float:
    """Best CPU time of this thread over ``repeats`` runs."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.thread_time()
        run()
        best = min(best, time.thread_time() - start)
    return best


def delta_latencies_us(reader: Reader, events: list[Any]) -> tuple[list[float], list[float]]:
    """The bridge's time for each event (a delta, mostly): first and last 10% of them."""
    module: Any = anthropic_bridge if reader.case.provider == "Anthropic" else openai_bridge
    stamps: list[int] = []

    def stamped() -> Iterable[Any]:  # when the bridge asks for the next event, it is done
        clock = time.perf_counter_ns
        for event in events:
            stamps.append(clock())
            yield event
        stamps.append(clock())

    for _ in module.stream(stamped(), tools={"save_records": Records}):
        pass
    latencies = [(b - a) / 1000 for a, b in itertools.pairwise(stamps)]
    tenth = len(latencies) // 10
    return latencies[:tenth], latencies[-tenth:]


def recorded_json(case: Case) -> list[Any]:
    """The JSON of the stream's events, as the bridge reads them from a raw stream."""
    return [json.loads(data) for name, data in SSESplitter().feed(case.body.encode())
            if name != "ping" and data != "[DONE]"]


@dataclass
class Result:
    case: Case
    transport: float
    bridge: float
    helper: float
    bridge_only: float
    helper_only: float
    flat: tuple[str, str, str, str]


def measure(server: wire.ReplayServer, case: Case) -> Result:
    reader = Reader(server, case)
    expected = json.loads(case.arguments)
    events = list(reader.raw())  # the SDK's objects, for the helper's accumulation
    records = recorded_json(case)  # their JSON, for the bridge's parsing alone
    for value in (bridge_end_to_end(reader), reader.bridge(records), reader.bridge(events)):
        assert (value.model_dump() if isinstance(value, BaseModel) else value) == expected
    assert json.loads(json.dumps(helper_end_to_end(reader))) in (expected, case.arguments)

    first, last = delta_latencies_us(reader, records)
    cuts = [statistics.quantiles(part, n=100) for part in (first, last)]
    flat = (f"{cuts[0][49]:.1f}", f"{cuts[0][98]:.1f}", f"{cuts[1][49]:.1f}", f"{cuts[1][98]:.1f}")
    return Result(
        case,
        transport=cpu_seconds(lambda: transport(reader), case.repeats),
        bridge=cpu_seconds(lambda: bridge_end_to_end(reader), case.repeats),
        helper=cpu_seconds(lambda: helper_end_to_end(reader), 1),
        bridge_only=cpu_seconds(lambda: reader.bridge(records), case.repeats),
        helper_only=cpu_seconds(lambda: helper_accumulation(case.provider, events), 1),
        flat=flat,
    )


# -- reporting ----------------------------------------------------------------------------------
def totals_table(results: list[Result], markdown: bool) -> str:
    headers = [
        "stream", "tool input", "deltas", "transport (SDK stream)", "bridge", "SDK helper",
        "helper ÷ bridge", "transport ÷ bridge",
    ]  # fmt: skip
    rows = [[
        r.case.provider, format_size(len(r.case.arguments.encode())), f"{r.case.deltas:,}",
        format_seconds(r.transport), format_seconds(r.bridge), format_seconds(r.helper),
        format_ratio(r.helper / r.bridge), format_ratio(r.transport / r.bridge),
    ] for r in results]  # fmt: skip
    return render_table(headers, rows, markdown)


def parsing_table(results: list[Result], markdown: bool) -> str:
    headers = [
        "stream", "tool input", "bridge", "SDK helper accumulation", "helper ÷ bridge",
        "bridge p50 / p99 µs, first 10%", "last 10%",
    ]  # fmt: skip
    rows = [[
        r.case.provider, format_size(len(r.case.arguments.encode())),
        format_seconds(r.bridge_only), format_seconds(r.helper_only),
        format_ratio(r.helper_only / r.bridge_only),
        f"{r.flat[0]} / {r.flat[1]}", f"{r.flat[2]} / {r.flat[3]}",
    ] for r in results]  # fmt: skip
    return render_table(headers, rows, markdown)


# -- Gemini: the bridge against re-parsing the text at every chunk -------------------------------
RECORDS = TypeAdapter(Records)


def reparse_json_loads(texts: Iterable[str]) -> Any:
    text, value = "", None
    for piece in texts:
        text += piece
        try:  # noqa: SIM105 (what users write; a with block per chunk would cost more)
            value = json.loads(text)
        except ValueError:
            pass
    return value


def reparse_jiter(texts: Iterable[str]) -> Any:
    text, value = "", None
    for piece in texts:
        text += piece
        value = jiter.from_json(text.encode(), partial_mode="trailing-strings")
    return value


def reparse_pydantic(texts: Iterable[str]) -> Any:
    text, value = "", None
    for piece in texts:
        text += piece
        try:  # noqa: SIM105 (as above)
            value = RECORDS.validate_json(text, experimental_allow_partial="trailing-strings")
        except ValidationError:  # a required field not there yet
            pass
    return value


REPARSERS: dict[str, Callable[[Iterable[str]], Any]] = {
    "json.loads": reparse_json_loads,
    "jiter partial": reparse_jiter,
    "pydantic partial": reparse_pydantic,
}


def gemini_bridge_value(chunks: Iterable[Any]) -> Any:
    return next(e.value for e in gemini_bridge.stream(chunks, output=Records)
                if isinstance(e, pj.OutputComplete))


@dataclass
class GeminiResult:
    size: int
    chunks: int
    transport: float
    bridge: float
    rest: float  # the bridge on the REST API's body, read past the SDK (httpx)
    reparse: dict[str, float]  # end to end
    bridge_only: float
    reparse_only: dict[str, float]  # on the texts recorded once
    flat: dict[str, tuple[float, float]]  # p50 µs per chunk, first and last 10%


def measure_gemini(server: wire.ReplayServer, size: int, repeats: int) -> GeminiResult:
    document = records_document(random.Random(f"{SEED}:{size}"), size)
    body = wire.gemini(wire.gemini_text(document, DELTA))
    client = genai.Client(api_key="bench",
                          http_options=genai_types.HttpOptions(base_url=server.url))

    def sdk_stream() -> Any:
        server.reply(body, piece=65536)
        return client.models.generate_content_stream(model="gemini-2.5-flash", contents="Go")

    def texts(stream: Iterable[Any]) -> Iterator[str]:
        return (chunk.text for chunk in stream)

    recorded = list(sdk_stream())  # the SDK's objects, for the parsing alone
    pieces = [chunk.text for chunk in recorded]
    expected = Records.model_validate_json(document)
    assert gemini_bridge_value(sdk_stream()) == expected
    assert gemini_bridge_value(recorded) == expected
    for name, reparse in REPARSERS.items():
        value = reparse(pieces)
        assert (value if name != "pydantic partial" else value.model_dump()) == json.loads(document)

    def transport() -> None:
        for _ in texts(sdk_stream()):
            pass

    http = httpx.Client()
    rest_url = server.url + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"

    def rest_value() -> Any:
        server.reply(body, piece=65536)
        with http.stream("POST", rest_url, json={"contents": "Go"}) as response:
            return gemini_bridge_value(response)

    assert rest_value() == expected
    slow = 1 if size > 50_000 else repeats
    flat: dict[str, tuple[float, float]] = {}
    for name, run in (("bridge", gemini_bridge_value), *REPARSERS.items()):
        source = recorded if name == "bridge" else pieces
        first, last = per_chunk_us(run, source)
        flat[name] = (statistics.median(first), statistics.median(last))
    return GeminiResult(
        size=len(document.encode()),
        chunks=len(recorded),
        transport=cpu_seconds(transport, repeats),
        bridge=cpu_seconds(lambda: gemini_bridge_value(sdk_stream()), repeats),
        rest=cpu_seconds(rest_value, repeats),
        reparse={name: cpu_seconds(lambda run=run: run(texts(sdk_stream())), slow)  # type: ignore[misc]
                 for name, run in REPARSERS.items()},
        bridge_only=cpu_seconds(lambda: gemini_bridge_value(recorded), repeats),
        reparse_only={name: cpu_seconds(lambda run=run: run(pieces), slow)  # type: ignore[misc]
                      for name, run in REPARSERS.items()},
        flat=flat,
    )


def per_chunk_us(run: Callable[[Iterable[Any]], Any], items: list[Any]) -> tuple[list[float],
                                                                               list[float]]:
    """The time ``run`` spends on each item: the first and the last 10% of them."""
    stamps: list[int] = []

    def stamped() -> Iterator[Any]:
        clock = time.perf_counter_ns
        for item in items:
            stamps.append(clock())
            yield item
        stamps.append(clock())

    run(stamped())
    latencies = [(b - a) / 1000 for a, b in itertools.pairwise(stamps)]
    tenth = max(1, len(latencies) // 10)
    return latencies[:tenth], latencies[-tenth - 1 : -1]  # (the last: the end of the stream)


def gemini_tables(results: list[GeminiResult], markdown: bool) -> str:
    names = list(REPARSERS)
    headers = ["JSON output", "chunks", "transport (SDK stream)", "bridge on the SDK",
               "bridge on the REST body", *(f"re-parse: {n}" for n in names),
               "best re-parse ÷ bridge (SDK / REST body)"]
    rows = [[
        format_size(r.size), f"{r.chunks:,}", format_seconds(r.transport),
        format_seconds(r.bridge), format_seconds(r.rest),
        *(format_seconds(r.reparse[n]) for n in names),
        f"{format_ratio(min(r.reparse.values()) / r.bridge)} / "
        f"{format_ratio(min(r.reparse.values()) / r.rest)}",
    ] for r in results]  # fmt: skip
    end_to_end = render_table(headers, rows, markdown)
    headers = ["JSON output", "bridge", *(f"re-parse: {n}" for n in names),
               "best re-parse ÷ bridge", "p50 µs per chunk, first / last 10%: bridge",
               *names]
    rows = [[
        format_size(r.size), format_seconds(r.bridge_only),
        *(format_seconds(r.reparse_only[n]) for n in names),
        format_ratio(min(r.reparse_only.values()) / r.bridge_only),
        *(f"{r.flat[n][0]:.1f} / {r.flat[n][1]:.1f}" for n in ("bridge", *names)),
    ] for r in results]  # fmt: skip
    return end_to_end + "\n\nParsing alone, on the chunks recorded once (the bridge on the SDK's " \
        "objects, the re-parsers on their text):\n\n" + render_table(headers, rows, markdown)
# -- LangChain ----------------------------------------------------------------------------------
LANGCHAIN_TOOL: Any = {
    "type": "function",
    "function": {"name": "save_records", "description": "", "parameters": {"type": "object"}},
}


@dataclass
class LangChainResult:
    size: int
    chunks: int
    transport: float
    langchain: float | None  # (None: not run; see measure_langchain)
    bridge: float
    parser: float
    langchain_only: float
    bridge_only: float
    flat: tuple[float, float, float, float]  # p50 µs: LangChain first, last 10%; bridge the same


def langchain_chain(server: wire.ReplayServer, body: str) -> Any:
    """ChatOpenAI with the tool bound, its reply to the next request queued."""
    from langchain_openai import ChatOpenAI

    server.reply(body, piece=65536)
    chat = ChatOpenAI(model="gpt-4o", api_key="bench", base_url=server.url + "/v1",
                      max_retries=0)
    return chat.bind_tools([LANGCHAIN_TOOL])


def last_of(items: Iterable[Any]) -> Any:
    return collections.deque(items, maxlen=1)[0]


def per_chunk_p50_us(read: Callable[[Iterable[Any]], Any],
                     chunks: list[Any]) -> tuple[float, float]:
    """A reader's median time per chunk, over the first and the last 10% of the chunks: the
    time between two pulls on its input is what it spent on the previous chunk."""
    stamps: list[int] = []

    def stamped() -> Iterable[Any]:
        clock = time.perf_counter_ns
        for chunk in chunks:
            stamps.append(clock())
            yield chunk
        stamps.append(clock())

    read(stamped())
    latencies = [(b - a) / 1000 for a, b in itertools.pairwise(stamps)]
    tenth = len(latencies) // 10
    return statistics.median(latencies[:tenth]), statistics.median(latencies[-tenth:])


def measure_langchain(server: wire.ReplayServer, size: int, repeats: int) -> LangChainResult:
    from langchain_core.output_parsers.openai_tools import JsonOutputToolsParser

    from partialjson import langchain as pjl

    arguments = records_document(random.Random(f"{SEED}:{size}"), size)
    body = wire.chat(wire.chat_calls([("call_1", "save_records", arguments)], size=DELTA))
    tools = {"save_records": Records}
    expected = json.loads(arguments)

    def transport() -> list[Any]:
        return list(langchain_chain(server, body).stream("Save the records."))

    def langchain_parse(source: Iterable[Any]) -> Any:
        return last_of(source)[0]["args"]

    def bridge_read(source: Iterable[Any]) -> Any:
        return next(e.value for e in pjl.stream(source, tools=tools)
                    if isinstance(e, pj.ToolCallComplete))

    def langchain_end_to_end() -> None:
        chain = langchain_chain(server, body) | JsonOutputToolsParser()
        assert langchain_parse(chain.stream("Save the records.")) == expected

    def bridge_end_to_end() -> Any:
        return bridge_read(langchain_chain(server, body).stream("Save the records."))

    def parser_end_to_end() -> Any:
        parser = pjl.PartialToolsParser(tools=tools, first_tool_only=True)
        return last_of((langchain_chain(server, body) | parser).stream("Save the records."))

    def langchain_alone(chunks: Iterable[Any]) -> None:
        assert langchain_parse(JsonOutputToolsParser().transform(iter(chunks))) == expected

    chunks = transport()
    for value in (bridge_end_to_end(), parser_end_to_end(), bridge_read(chunks)):
        assert value.model_dump() == expected
    # LangChain end to end: one run, up to 20 KB; past that its parsing alone takes minutes,
    # and end to end is reported as chat.stream() plus that (what the 20 KB row checks)
    langchain_seconds = cpu_seconds(langchain_end_to_end, 1) if size <= 20_000 else None
    # LangChain alone: one run, stamped (a clock read per chunk is noise beside its parsing)
    gc.collect()
    start = time.thread_time()
    langchain_flat = per_chunk_p50_us(langchain_alone, chunks)
    langchain_only = time.thread_time() - start
    return LangChainResult(
        size=len(arguments.encode()),
        chunks=len(chunks),
        transport=cpu_seconds(transport, repeats),
        langchain=langchain_seconds,
        bridge=cpu_seconds(bridge_end_to_end, repeats),
        parser=cpu_seconds(parser_end_to_end, repeats),
        langchain_only=langchain_only,
        bridge_only=cpu_seconds(lambda: bridge_read(chunks), repeats),
        flat=(*langchain_flat, *per_chunk_p50_us(bridge_read, chunks)),
    )


def langchain_tables(results: list[LangChainResult], markdown: bool) -> str:
    headers = [
        "tool input", "chunks", "chat.stream()", "LangChain (JsonOutputToolsParser)",
        "partialjson.langchain.stream", "PartialToolsParser", "LangChain ÷ partialjson",
    ]  # fmt: skip
    rows = []
    for r in results:
        langchain, mark = r.langchain, ""
        if langchain is None:
            langchain, mark = r.transport + r.langchain_only, " (sum)"
        rows.append([
            format_size(r.size), f"{r.chunks:,}", format_seconds(r.transport),
            format_seconds(langchain) + mark, format_seconds(r.bridge), format_seconds(r.parser),
            format_ratio(langchain / r.bridge),
        ])  # fmt: skip
    alone_headers = [
        "tool input", "LangChain", "partialjson", "LangChain ÷ partialjson",
        "LangChain µs/chunk, first 10% → last 10%", "partialjson µs/chunk",
    ]  # fmt: skip
    alone = [[
        format_size(r.size), format_seconds(r.langchain_only), format_seconds(r.bridge_only),
        format_ratio(r.langchain_only / r.bridge_only),
        f"{r.flat[0]:.0f} → {r.flat[1]:.0f}", f"{r.flat[2]:.1f} → {r.flat[3]:.1f}",
    ] for r in results]  # fmt: skip
    return (render_table(headers, rows, markdown) + "\n\nParsing alone, on the chunks recorded "
            "once (p50 per chunk):\n\n" + render_table(alone_headers, alone, markdown))


def langchain_section(sizes: list[int], repeats: list[int], markdown: bool) -> None:
    print(f"\nLangChain (langchain-core {version('langchain-core')}, langchain-openai "
          f"{version('langchain-openai')}): the OpenAI Chat stream through ChatOpenAI; CPU time "
          "of the reading thread (LangChain: one run; (sum): chat.stream() plus LangChain's "
          "parsing alone, below):\n")
    with wire.ReplayServer() as server:
        results = [measure_langchain(server, size, times)
                   for size, times in zip(sizes, repeats, strict=True)]
    print(langchain_tables(results, markdown))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 20 KB input only")
    parser.add_argument("--markdown", action="store_true", help="print GitHub markdown tables")
    parser.add_argument("--gemini", action="store_true", help="the Gemini tables only")
    parser.add_argument("--langchain", action="store_true", help="the LangChain section only")
    args = parser.parse_args()
    sizes, repeats = ([20_000], [3]) if args.quick else ([20_000, 128_000], [5, 3])
    if args.langchain:
        langchain_section(sizes, repeats, args.markdown)
        return

    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"anthropic {version('anthropic')}, openai {version('openai')}, "
        f"google-genai {version('google-genai')}, "
        f"jiter {version('jiter')}, pydantic {version('pydantic')}"
    )
    print("CPU time of the reading thread, best of several runs (helpers and re-parsing at "
          "128 KB: one run).\n")
    with wire.ReplayServer() as server:
        gemini = [measure_gemini(server, size, times) for size, times in zip(sizes, repeats,
                                                                            strict=True)]
        print(f"Gemini: a structured output in {DELTA}-character pieces through the real "
              "genai.Client; end to end:\n")
        print(gemini_tables(gemini, args.markdown) + "\n")
        if args.gemini:
            return
        results = [measure(server, case) for case in cases(sizes, repeats)]
    print(f"A tool input in {DELTA}-character deltas through the real client from a local "
          "server.\n")
    print("End to end (transport: iterating the raw SDK stream and nothing else; bridge: reading "
          "that stream's HTTP body itself, to the validated call):\n")
    print(totals_table(results, args.markdown))
    print("\nParsing alone, on the events recorded once (no HTTP, no SSE): the bridge on their "
          "JSON, the helper on the SDK's objects:\n")
    print(parsing_table(results, args.markdown))


if __name__ == "__main__":
    main()
