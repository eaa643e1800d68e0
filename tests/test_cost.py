"""Principle 2: a chunk costs work proportional to the chunk, never to what came before.

Work is counted, not timed: every Python and C function call made while streaming (what
``sys.setprofile`` sees). Streaming 8x the text in the same chunks must cost about 8x the calls;
re-scanning the buffer, or building each snapshot anew, would cost ~64x.

A profiler sees no calls inside compiled code, so the tests that count calls count the
pure-Python build: in a compiled install, test_pure_python.py runs them on the package's
source. Costs that calls cannot see (copying a string, holding memory) are measured in CPU
seconds and traced bytes, as ratios with a wide margin, in both builds.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field
from support import cut

import partialjson as pj

counts_calls = pytest.mark.skipif(
    pj.compiled, reason="counts Python calls: test_pure_python.py runs it on the pure build")


def records(n: int) -> str:
    item = {"id": 7, "title": "Zürich 東京 😀", "body": "a \"quoted\" line\nof prose " * 4,
            "score": -12.5e-3, "tags": ["x", "y"], "done": True, "meta": None}
    return json.dumps({"items": [item] * n}, ensure_ascii=False)


def calls_to_stream(text: str | bytes, **options: Any) -> int:
    chunks = cut(text, range(0, len(text), 5))
    count = 0

    def profiler(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        count += event in ("call", "c_call")

    stream: pj.JsonStream[Any] = pj.JsonStream(**options)
    sys.setprofile(profiler)
    try:
        for chunk in chunks:
            stream.feed(chunk)
            stream.value  # noqa: B018 - reading the snapshot is part of the cost
        stream.close()
    finally:
        sys.setprofile(None)
    return count


def growth(measure: Callable[[int], float]) -> float:
    return measure(8 * 40) / measure(40)


@counts_calls
def test_calls_grow_linearly_with_the_text() -> None:
    assert 7 < growth(lambda n: calls_to_stream(records(n))) < 9
    assert 7 < growth(lambda n: calls_to_stream(records(n).encode())) < 9
    assert 7 < growth(lambda n: calls_to_stream(records(n), trailing_strings=False)) < 9


@counts_calls
def test_calls_grow_linearly_with_nesting_depth() -> None:
    def deep(n: int) -> int:
        return calls_to_stream('{"a": [' * n + "1" + "]}" * n, max_depth=None)

    assert 7 < growth(deep) < 9


def test_a_growing_string_is_extended_not_copied() -> None:
    # The one cost calls cannot see: a string copied at every chunk would make 16x the text
    # cost ~256x the CPU. Linear growth gives ~16x; the bound leaves a 4x margin both ways.
    def seconds(n: int) -> float:
        best = float("inf")
        for _ in range(3):
            stream: pj.JsonStream[str] = pj.JsonStream()
            stream.feed('{"s": "')
            start = time.process_time()
            for _ in range(n):
                stream.feed("abcdefgh")
                stream.value  # noqa: B018
            best = min(best, time.process_time() - start)
        return best

    assert seconds(16 * 5_000) / seconds(5_000) < 64


@counts_calls
def test_model_stream_calls_grow_linearly_with_the_text() -> None:
    """Each value is validated once: 8x the records, 8x the work (pydantic calls included)."""
    from pydantic import BaseModel, Field

    class Item(BaseModel):
        id: int
        title: str
        body: str = Field(max_length=500)
        score: float
        tags: list[str]
        done: bool
        meta: dict[str, int] | None

    class Items(BaseModel):
        items: list[Item]

    def calls(n: int) -> int:
        text = records(n)
        chunks = cut(text, range(0, len(text), 5))
        count = 0

        def profiler(frame: Any, event: str, arg: Any) -> None:
            nonlocal count
            count += event in ("call", "c_call")

        stream = pj.ModelStream(Items)
        sys.setprofile(profiler)
        try:
            for chunk in chunks:
                stream.feed(chunk)
                stream.partial  # noqa: B018 - reading the partial object is part of the cost
            stream.close()
        finally:
            sys.setprofile(None)
        return count

    calls(1)  # compile the schema outside the count
    assert 7 < growth(calls) < 9


# -- what calls cannot see -------------------------------------------------------------------
def cpu_seconds(work: Callable[[], object]) -> float:
    """The least CPU time of three runs of ``work``, with the collector paused (timeit's way:
    a full collection costs what all live objects cost, whoever made them)."""
    best = float("inf")
    for _ in range(3):
        gc.disable()
        try:
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def peak_bytes(work: Callable[[], object]) -> int:
    """The most memory traced while ``work`` ran (what it keeps included)."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("type_", "opener"), [
    (dict[str, int], '{"'),
    (dict[Annotated[str, Field(max_length=10**9)], int], '{"'),
    (Annotated[str, Field(pattern="^a")] | Literal["ab"], '"'),  # the literal dies at once
])
def test_a_long_key_or_string_fed_a_character_at_a_time_costs_linear_time(
        type_: Any, opener: str) -> None:
    # 16x the characters: ~16x the CPU; checking the whole key (or keeping a dead candidate's
    # copy of the string) at every chunk would cost ~256x.
    def feed(n: int) -> Callable[[], object]:
        def work() -> None:
            stream = pj.ModelStream(type_)
            stream.feed(opener)
            for _ in range(n):
                stream.feed("a" * 16)
        return work

    assert cpu_seconds(feed(16 * 2_000)) / cpu_seconds(feed(2_000)) < 48


def test_comparing_the_paths_of_a_deep_document_keeps_no_memory_per_level() -> None:
    # Caching each path's tuple would hold depth^2 keys: 4x the depth, 16x the memory.
    def compare(depth: int) -> Callable[[], object]:
        def work() -> None:
            stream: pj.JsonStream[str] = pj.JsonStream(max_depth=None)
            for event in stream.feed("[" * depth):
                assert event.path == (0,) * (len(event.path))
        return work

    assert peak_bytes(compare(4 * 4_000)) / peak_bytes(compare(4_000)) < 6


@pytest.mark.parametrize("kind", [str, bytes])
def test_a_stream_holds_its_value_and_one_copy_of_the_text(kind: type) -> None:
    text = records(400)
    data: Any = text if kind is str else text.encode()
    chunks = cut(data, range(0, len(data), 16))
    size = sys.getsizeof(data)  # a str with an emoji takes 4 bytes a character

    def stream(**options: Any) -> Callable[[], object]:
        def work() -> Any:
            parser: pj.JsonStream[Any] = pj.JsonStream(**options)
            for chunk in chunks:
                parser.feed(chunk)
            return parser.close()
        return work

    value = peak_bytes(lambda: json.loads(text))  # what the value needs
    assert peak_bytes(stream()) < value + 2 * size  # a list of chunks held ~10x the text
    assert peak_bytes(stream(keep_text=False)) < value + 64 * 1024


def test_violations_reported_without_stopping_cost_linear_memory_and_time() -> None:
    # Each violation keeps a view of the text, not a copy of it.
    from pydantic import BaseModel

    class Item(BaseModel):
        x: int

    def run(n: int, chunk: int) -> Callable[[], object]:
        text = json.dumps([{"x": "not a number"}] * n).encode()
        chunks = cut(text, range(0, len(text), chunk))

        def work() -> None:
            stream = pj.ModelStream(list[Item], early_stop=False)
            for piece in chunks:
                stream.feed(piece)
            assert len(stream.violations) == n
        return work

    assert peak_bytes(run(8 * 300, 16)) / peak_bytes(run(300, 16)) < 16
    # in one chunk, each position is counted on from the last one, not from the chunk's start
    assert cpu_seconds(run(8 * 2000, 10**9)) / cpu_seconds(run(2000, 10**9)) < 24


# -- SSE: a raw provider stream (the bridges' raw streams, partialjson parse --sse) --------------
def work_to_read_sse(read: Callable[[Iterator[bytes]], object], n: int) -> tuple[int, int]:
    """Calls, and bytes allocated at the peak of each piece's reading, to read one event with
    an n*200-byte line in 16-byte pieces. Copying or re-splitting what came before allocates
    it again at every piece (~64x for 8x the line); calls alone would not see that."""
    body = b'data: {"type": "ping", "text": "' + b"x" * (n * 200) + b'"}\n\n'
    calls = allocated = 0

    def pieces(measure: bool) -> Iterator[bytes]:
        nonlocal allocated
        for start in range(0, len(body), 16):
            if measure:
                tracemalloc.reset_peak()
                before = tracemalloc.get_traced_memory()[0]
            yield body[start : start + 16]  # read while the generator waits here
            if measure:
                allocated += tracemalloc.get_traced_memory()[1] - before

    def profiler(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(profiler)
    try:
        read(pieces(measure=False))
    finally:
        sys.setprofile(None)
    tracemalloc.start()
    try:
        read(pieces(measure=True))
    finally:
        tracemalloc.stop()
    return calls, allocated


@counts_calls
@pytest.mark.parametrize("reader", ["splitter", "cli"])
def test_a_long_sse_line_in_small_pieces_costs_linear_work(reader: str) -> None:
    from partialjson.bridges._sse import SSESplitter
    from partialjson.cli._sdk import events

    def read(pieces: Iterator[bytes]) -> object:
        if reader == "cli":
            return list(events(pieces))
        splitter = SSESplitter()
        return [event for piece in pieces for event in splitter.feed(piece)]

    assert 7 < growth(lambda n: work_to_read_sse(read, n)[0]) < 9
    assert 7 < growth(lambda n: work_to_read_sse(read, n)[1]) < 9
