"""The SSE splitter the bridges read raw streams with: the same events for any cutting of the
bytes, as the standard's line-by-line reading gives them, and as the SDKs' own decoder does."""

from __future__ import annotations

import re

from anthropic._streaming import SSEDecoder
from hypothesis import given
from hypothesis import strategies as st

from partialjson.bridges._sse import Event, SSESplitter

# Field lines an event stream holds; values may hold any text but line ends (and ":" too).
_TEXT = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]),
                max_size=12)
_LINE = st.one_of(
    st.builds(lambda v: f"data:{v}", _TEXT),
    st.builds(lambda v: f"data: {v}", _TEXT),
    st.builds(lambda v: f"event: {v}", _TEXT),
    st.builds(lambda v: f": {v}", _TEXT),  # a comment: a keep-alive
    st.builds(lambda v: f"id: {v}", _TEXT.filter(lambda v: "\0" not in v)),
    st.just("retry: 3000"),
    st.just("data"),  # a field without a colon: an empty value
)
_EVENT = st.lists(_LINE, min_size=1, max_size=4)
_EOL = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def streams(draw: st.DrawFn) -> tuple[bytes, list[int]]:
    """An event stream (any line ends, mixed) and where to cut its bytes."""
    text = ""
    for event in draw(st.lists(_EVENT, max_size=8)):
        for line in event:
            text += line + draw(_EOL)
        text += draw(_EOL)  # the blank line that ends the event
    body = text.encode()
    cuts = draw(st.lists(st.integers(0, len(body)), max_size=12))
    return body, sorted(cuts)


def reference(body: bytes) -> list[Event]:
    """The standard's reading, line by line, of the whole body at once."""
    events: list[Event] = []
    name: str | None = None
    data: list[str] = []
    lines = re.split(r"\r\n|\r|\n", body.decode())
    for line in lines[:-1]:  # (the last is what follows the last line end)
        if not line:
            if data or name is not None:
                events.append((name, "\n".join(data)))
            name, data = None, []
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "data":
            data.append(value)
        elif field == "event":
            name = value or None  # (the standard's default name; the SDKs' None)
    return events


def split(body: bytes, cuts: list[int]) -> list[Event]:
    splitter = SSESplitter()
    events: list[Event] = []
    for start, end in zip([0, *cuts], [*cuts, len(body)], strict=True):
        events += splitter.feed(body[start:end])
    return events


@given(streams())
def test_any_cutting_of_the_bytes_gives_the_standards_events(
    stream: tuple[bytes, list[int]]
) -> None:
    body, cuts = stream
    assert split(body, cuts) == reference(body)


@given(streams())
def test_the_events_with_data_are_those_the_sdks_decoder_gives(
    stream: tuple[bytes, list[int]]
) -> None:
    body, cuts = stream
    # The SDKs' decoder also makes events of an id or retry field alone (with data ""); both
    # SDKs skip or fail on those, so only events with data are compared. (It is given the body
    # whole: it can take a "\r\n" cut in two for two line ends.)
    sdk = [(e.event, e.data) for e in SSEDecoder().iter_bytes(iter([body]))]
    assert [e for e in split(body, cuts) if e[1]] == [e for e in sdk if e[1]]


def test_a_cut_inside_a_utf8_character_or_a_crlf_is_no_cut() -> None:
    body = 'event: a\r\ndata: {"t": "晴れ 🌞"}\r\n\r\n: keep-alive\r\n\r\ndata: [DONE]\r\n\r\n'
    body = body.encode()
    expected = [("a", '{"t": "晴れ 🌞"}'), (None, "[DONE]")]
    for size in range(1, 6):
        assert split(body, list(range(size, len(body), size))) == expected


def test_an_event_left_unfinished_at_the_end_is_dropped() -> None:
    assert split(b"data: 1\n\ndata: 2\n", []) == [(None, "1")]


def test_a_long_event_in_small_pieces_costs_linear_time() -> None:
    # Only the unfinished event is kept, in its pieces: joined once, when it completes.
    body = b"data: " + b"x" * 400_000 + b"\n\n"
    splitter = SSESplitter()
    out = [e for i in range(0, len(body), 3) for e in splitter.feed(body[i : i + 3])]
    assert out == [(None, "x" * 400_000)]


def test_an_empty_chunk_keeps_a_pending_carriage_return() -> None:
    body = b"event: a\r\ndata: 1\r\n\r\n"
    cut = body.index(b"\n")  # between the "\r" and the "\n" of the first line end
    assert split(body, [cut, cut]) == split(body, []) == [("a", "1")]
