"""Content guards: the same decisions whatever the chunking, nothing redacted ever shown, cost
linear in the text, detectors right on independent examples, and early stop through a bridge."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import subprocess
import sys
import time
from pathlib import Path as FilePath
from typing import Any

import anthropic
import openai
import pytest
import sse_server as wire
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field, model_validator
from sse_server import Outcome, ReplayServer

import partialjson as pj
from partialjson import _detectors
from partialjson import anthropic as anthropic_bridge
from partialjson import openai as openai_bridge
from partialjson._detectors import Detector
from partialjson.anthropic import Block

# -- oracles: the rules' definitions applied to the whole text at once ------------------------


def whole_matches(detector: Detector, text: str) -> list[tuple[int, int]]:
    """A rule's matches in the whole text: its pattern's non-overlapping matches (left to right)
    that pass its check."""
    return [(m.start(), m.end()) for m in detector.pattern.finditer(text)
            if m.end() > m.start() and (detector.check is None or detector.check(m.group()))]


def redacted(text: str, guards: list[pj.Guard]) -> str:
    """``text`` with every redact guard's matches masked; overlapping matches share a mask."""
    spans = sorted((s, e, g.mask) for g in guards if g.action == "redact"
                   for s, e in whole_matches(g.detector, text))
    out, at, masked_to = [], 0, 0
    for start, end, mask in spans:
        if start < masked_to:
            masked_to = max(masked_to, end)
            at = masked_to
            continue
        out += [text[at:start], mask]
        at = masked_to = end
    return "".join(out) + text[at:]


def flagged(text: str, guards: list[pj.Guard]) -> list[tuple[str, int, int]]:
    return sorted(((g.name, s, e) for g in guards if g.action == "flag"
                   for s, e in whole_matches(g.detector, text)), key=lambda f: (f[1], -f[2]))


def luhn_reference(digits: str) -> bool:
    """Luhn as usually taught: double every second digit from the right, add the digits of
    the products."""
    total = 0
    for i, d in enumerate(reversed(digits)):
        total += sum(map(int, str(int(d) * (2 if i % 2 else 1))))
    return total % 10 == 0


def merged(events: list[Any]) -> list[Any]:
    """Events with adjacent deltas of one string (or text part) merged: chunk-independent."""
    out: list[Any] = []
    for event in events:
        if (out and type(event) is type(out[-1]) is pj.StringDelta
                and event.path == out[-1].path):
            out[-1] = pj.StringDelta(event.path, out[-1].text + event.text)
        elif out and type(event) is type(out[-1]) is pj.TextDelta and event.part == out[-1].part:
            out[-1] = pj.TextDelta(event.part, out[-1].text + event.text)
        else:
            out.append(event)
    return out


def split(data: Any, cuts: list[int]) -> list[Any]:
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


# -- texts full of near misses ------------------------------------------------------------------
AWS_EXAMPLE = "AKIAIOSFODNN7EXAMPLE"  # the access key id of AWS's documentation
PIECES = [
    "sk-", "sk-ant-api03-", "abcdefghij", "KLMNOPQRST", "0123456789", "_-", "AKIA", AWS_EXAMPLE,
    "ghp_", "4111 1111 1111 1111", "4111111111111112", "5555-5555-5555-4444", "4111", " ", "-",
    "@", "bob", "example", ".", "com", "Secret", "secretary", "SECRET", "x", "\n", "é", "😀",
    '"', "\\", "pass word", "pass", "word",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
cuts = st.lists(st.integers(0, 2000), max_size=40)

GUARDS = [
    pj.Guard.api_keys(),
    pj.Guard.card_numbers(mask="####"),
    pj.Guard.emails("flag"),
    pj.Guard.words(["secret", "pass word"], "flag"),
    pj.Guard.regex(r"(?<!\d)\d{3}-\d{4}(?!\d)", "flag", max_length=9, name="phone"),
]


def run_json(doc: Any, chunks: list[Any], guards: list[pj.Guard],
             snapshots: list[Any] | None = None) -> tuple[list[Any], Any]:
    stream: pj.JsonStream[Any] = pj.JsonStream(guards=guards)
    events: list[Any] = []
    for chunk in chunks:
        events += stream.feed(chunk)
        if snapshots is not None:
            snapshots.append(json.loads(json.dumps(stream.value)))
    value = stream.close()
    return events, value


# -- chunk-boundary independence, monotone snapshots, nothing redacted shown --------------------
@given(texts, texts, cuts, st.booleans(), st.booleans())
def test_the_same_matches_at_the_same_offsets_whatever_the_chunking(
    answer: str, other: str, cut: list[int], as_bytes: bool, ascii_only: bool
) -> None:
    doc = {"answer": answer, "list": [other, {"note": answer + other}]}
    text = json.dumps(doc, ensure_ascii=ascii_only)  # escapes too: \" \\ \n \u00e9 \ud83d\ude00
    data: Any = text.encode() if as_bytes else text
    snapshots: list[Any] = []
    events, value = run_json(doc, split(data, cut), GUARDS, snapshots)
    whole_events, whole_value = run_json(doc, [data], GUARDS)

    expected = {"answer": redacted(answer, GUARDS),
                "list": [redacted(other, GUARDS), {"note": redacted(answer + other, GUARDS)}]}
    assert value == whole_value == expected
    assert merged(events) == merged(whole_events)
    flags = [(tuple(e.path), e.rule, e.start, e.end) for e in events
             if isinstance(e, pj.GuardFlagged)]
    assert flags == [((*path, ), *f) for path, s in [(("answer",), answer), (("list", 0), other),
                                                     (("list", 1, "note"), answer + other)]
                     for f in flagged(s, GUARDS)]
    # Monotone, and never a character the redaction hides: each snapshot is a prefix of the end.
    shown: dict[tuple[Any, ...], str] = {}
    for event in events:
        if isinstance(event, pj.StringDelta):
            shown[tuple(event.path)] = shown.get(tuple(event.path), "") + event.text
            assert expected_at(expected, tuple(event.path)).startswith(shown[tuple(event.path)])
    for snapshot in snapshots:
        assert prefix_of(snapshot, expected)


def expected_at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def prefix_of(partial: Any, whole: Any) -> bool:
    if isinstance(partial, str):
        return isinstance(whole, str) and whole.startswith(partial)
    if isinstance(partial, dict):
        return all(k in whole and prefix_of(v, whole[k]) for k, v in partial.items())
    if isinstance(partial, list):
        return len(partial) <= len(whole) and all(map(prefix_of, partial, whole))
    return partial is None or partial == whole


@given(texts, cuts)
def test_a_stop_raises_at_the_first_match_whatever_the_chunking(text: str, cut: list[int]) -> None:
    guards = [pj.Guard.api_keys("stop"), pj.Guard.words(["secret"], "flag")]
    doc = json.dumps({"n": 1, "answer": text})
    stream: pj.JsonStream[str] = pj.JsonStream(guards=guards)
    keys = whole_matches(guards[0].detector, text)
    fed = ""
    try:
        for chunk in split(doc, cut):
            fed += chunk
            stream.feed(chunk)
            shown = stream.value.get("answer", "") if stream.value else ""
            assert text.startswith(shown) and (not keys or len(shown) <= keys[0][0])
        stream.close()
    except pj.GuardViolation as error:
        assert keys and (error.start, error.end) == keys[0] and error.offset == keys[0][0]
        assert error.path == ("answer",) and error.rule == "api_key"
        assert error.text_so_far == fed  # everything received is kept
        assert text[keys[0][0] : keys[0][1]] not in str(error)
        shown = stream.value.get("answer", "")
        assert text.startswith(shown) and len(shown) <= keys[0][0]
        assert stream.error is error
        with pytest.raises(pj.GuardViolation):
            stream.feed("x")
    else:
        assert not keys
        assert stream.value == {"n": 1, "answer": text}


class Item(BaseModel):
    note: str
    code: str


class Answer(BaseModel):
    answer: str
    items: list[Item]


class Checked(Answer):
    @model_validator(mode="before")
    @classmethod
    def seen_whole(cls, data: Any) -> Any:  # a validator on the raw input: the whole document
        return data


@pytest.mark.parametrize("model", [Answer, Checked])
@given(texts, texts, cuts)
def test_a_model_stream_shows_only_redacted_text_in_its_partial_and_final_objects(
    model: type[Answer], note: str, code: str, cut: list[int]
) -> None:
    guards = [pj.Guard.card_numbers(scope=("items", "*", "note")),
              pj.Guard.api_keys(scope=[("items", "*", "note"), ("answer",)])]
    doc = {"answer": code, "items": [{"note": note, "code": code}, {"note": code, "code": note}]}
    stream = pj.ModelStream(model, guards=guards)
    expected = {"answer": redacted(code, guards[1:]),  # only the key guard covers the answer
                "items": [{"note": redacted(note, guards), "code": code},
                          {"note": redacted(code, guards), "code": note}]}
    for chunk in split(json.dumps(doc), cut):
        stream.feed(chunk)
        assert prefix_of(json.loads(json.dumps(stream.value)), expected)
        items = getattr(stream.partial, "items", None) or []  # (None before a whole Checked)
        for shown, want in zip(items, expected["items"], strict=False):  # type: ignore[arg-type]
            if shown is not None and shown.note is not None:
                assert want["note"].startswith(shown.note)  # type: ignore[index]
    assert stream.close() == model.model_validate(expected)


# -- cost ---------------------------------------------------------------------------------------
class Counting:
    """A compiled pattern that counts the characters it is asked to search."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.work = 0

    def finditer(self, text: str, pos: int = 0) -> Any:
        self.work += len(text) - pos
        return self.pattern.finditer(text, pos)


def counted_work(text: str, step: int) -> tuple[int, float]:
    """The characters the rules' patterns were asked to search, and the CPU time, for ``text``
    fed as one string's content in deltas of ``step`` characters."""
    counters: list[Counting] = []
    guards = []
    for detector in [_detectors.api_keys(), _detectors.card_numbers(), _detectors.emails(),
                     _detectors.words(["secret"])]:
        counters.append(Counting(detector.pattern))
        guards.append(pj.Guard(Detector(detector.name, counters[-1], detector.max_length,  # type: ignore[arg-type]
                                        detector.tail, detector.check)))
    stream: pj.JsonStream[str] = pj.JsonStream(guards=guards)
    started = time.process_time()
    stream.feed('{"a": "')
    for i in range(0, len(text), step):
        stream.feed(text[i : i + step])
    stream.feed('"}')
    assert stream.close() == {"a": redacted(text, guards)}
    return sum(c.work for c in counters), time.process_time() - started


def test_the_work_per_delta_is_bounded_not_a_rescan() -> None:
    # Worst cases for the held tails: long runs of key, card and address characters.
    unit = ("sk-" + "a" * 300 + " 4111 1111 1111 111" + "1" * 40 + " " + "bob.smith" * 8
            + "@" + "host." * 90 + "secre ")
    short, long = unit * 4, unit * 16
    (small, small_time), (large, large_time) = counted_work(short, 1), counted_work(long, 1)
    assert large < 4.5 * small  # linear: 4x the text, 4x the work (a rescan would be 16x)
    assert large_time < 8 * small_time  # (the same in time, with room for a busy machine)
    # A delta costs its length plus the held tail (at most a rule's max_length), per rule.
    assert large < len(long) * 2 * (577 + 267 + 38 + 7)
    assert counted_work(long, len(long))[0] < 3 * 4 * len(long)  # in one delta: a few passes


# -- the detectors, on independent examples -----------------------------------------------------
CARDS = ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117",
         "30569309025904", "4222222222222", "3530111333300000", "6011000990139424"]


def found(detector: Detector, text: str) -> list[str]:
    stream: pj.JsonStream[str] = pj.JsonStream(guards=[pj.Guard(detector, "flag")])
    events = stream.feed(json.dumps(text)) + stream.end()
    return [text[e.start : e.end] for e in events if isinstance(e, pj.GuardFlagged)]


@pytest.mark.parametrize("number", CARDS)
def test_published_test_card_numbers_are_found_however_grouped(number: str) -> None:
    assert luhn_reference(number)
    grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    dashed = "-".join(number[i : i + 4] for i in range(0, len(number), 4))
    for shown in (number, grouped, dashed):
        assert found(_detectors.card_numbers(), f"card: {shown}, thanks") == [shown]


@given(st.text("0123456789", min_size=13, max_size=19), st.lists(st.sampled_from(["", " ", "-"]),
                                                                 min_size=19, max_size=19))
def test_a_card_number_is_found_exactly_when_its_luhn_checksum_holds(
    digits: str, separators: list[str]
) -> None:
    shown = "".join(d + s for d, s in zip(digits, separators, strict=False)).rstrip(" -")
    hits = found(_detectors.card_numbers(), f"pay with {shown}.")
    assert hits == ([shown] if luhn_reference(digits) else [])


def test_longer_digit_runs_are_not_card_numbers() -> None:
    assert found(_detectors.card_numbers(), "id 41111111111111110000000 end") == []
    assert found(_detectors.card_numbers(), "order 4111111111111111") == ["4111111111111111"]


KEYS = [
    AWS_EXAMPLE,
    "ASIAY34FZKBOKMUTVV7A",
    "ghp_" + "wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx",
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123",
    "sk-ant-api03-" + "R2D2C3POBB8-" * 7 + "AA",
    "sk-proj-" + "Xq3" * 16,
    "sk-" + "T3BlbkFJ" * 6,
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",  # Stripe's documented test key
    "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
    "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
]
NOT_KEYS = [
    "task-force-alpha-bravo-charlie-delta",  # "sk-" inside a word
    "sk-short",
    "AKIA1234",
    AWS_EXAMPLE + "X",  # a 17-character id is no AWS key id
    "ghp_tooshort",
    "the risk-free rate",
]


@pytest.mark.parametrize("key", KEYS)
def test_known_key_formats_are_found_whole(key: str) -> None:
    assert found(_detectors.api_keys(), f"use {key} here") == [key]
    assert found(_detectors.api_keys(), f'key="{key}"') == [key]


@pytest.mark.parametrize("text", NOT_KEYS)
def test_near_misses_are_not_keys(text: str) -> None:
    assert found(_detectors.api_keys(), f"see {text} now") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("write to bob@example.com today", ["bob@example.com"]),
    ("<first.last+tag@mail.example.co.uk>", ["first.last+tag@mail.example.co.uk"]),
    ("x_y%z@sub-domain.example.org.", ["x_y%z@sub-domain.example.org"]),
    ("bob@localhost", []),
    ("@example.com", []),
    ("bob at example dot com", []),
    ("a@b.c and c@d.ef", ["a@b.c", "c@d.ef"]),
])
def test_email_addresses(text: str, expected: list[str]) -> None:
    assert found(_detectors.emails(), text) == expected


def test_words_are_whole_and_case_insensitive_unless_asked() -> None:
    text = "The Secret of a secretary: SECRET-ish, top secret."
    assert found(_detectors.words(["secret"]), text) == ["Secret", "SECRET", "secret"]
    assert found(_detectors.words(["secret"], ignore_case=False), text) == ["secret"]
    assert found(_detectors.words(["secret"], whole_words=False), text) == [
        "Secret", "secret", "SECRET", "secret"]
    assert found(_detectors.words(["top secret", "secret"]), text) == ["Secret", "SECRET",
                                                                       "top secret"]


def test_a_regex_needs_a_bound_and_is_decided_within_it() -> None:
    with pytest.raises(ValueError, match="max_length"):
        pj.Guard.regex(r"\d+", max_length=0)
    guard = pj.Guard.regex(r"\b\d{3}-\d{4}\b", max_length=9, name="phone")
    stream: pj.JsonStream[str] = pj.JsonStream(guards=[guard])
    events = []
    for char in '"call 555-0199 or 555-01999"':
        events += stream.feed(char)
    assert stream.close() == "call [REDACTED] or 555-01999"


# -- scopes and actions -------------------------------------------------------------------------
def test_a_scope_names_a_path_a_subtree_or_any_key_with_a_star() -> None:
    mail = "bob@example.com"
    doc = {"answer": mail, "items": [{"note": mail, "code": mail}], "meta": {"note": mail}}
    value = pj.JsonStream(guards=[pj.Guard.emails(scope=("items", "*", "note"))])
    value.feed(json.dumps(doc))
    assert value.close() == {"answer": mail, "items": [{"note": "[REDACTED]", "code": mail}],
                             "meta": {"note": mail}}
    subtree = pj.JsonStream(guards=[pj.Guard.emails(scope=[("items",), ("answer",)])])
    subtree.feed(json.dumps(doc))
    assert subtree.close() == {"answer": "[REDACTED]", "items": [{"note": "[REDACTED]",
                                                                  "code": "[REDACTED]"}],
                               "meta": {"note": mail}}
    with pytest.raises(ValueError, match="scope"):
        pj.Guard.emails(scope=[3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="action"):
        pj.Guard.emails("drop")  # type: ignore[arg-type]


def test_keys_of_objects_are_not_guarded_and_text_is_held_only_while_it_may_match() -> None:
    stream: pj.JsonStream[str] = pj.JsonStream(guards=[pj.Guard.words(["secret"])])
    events = stream.feed('{"secret": "a sec')
    deltas = [e.text for e in events if isinstance(e, pj.StringDelta)]
    assert "".join(deltas) == "a "  # "sec" may still become "secret"
    events = stream.feed("ond")
    assert "".join(e.text for e in events if isinstance(e, pj.StringDelta)) == "second"
    events = stream.feed('"}')
    assert stream.close() == {"secret": "a second"}


# -- bridges, through the real SDK clients ------------------------------------------------------
KEY = KEYS[4]
CARD = "4111 1111 1111 1111"
REQUEST: dict[str, Any] = {"model": "claude-sonnet-4-6", "max_tokens": 1024,
                           "messages": [{"role": "user", "content": "Hi"}]}


def read_anthropic(server: ReplayServer, events: list[tuple[str, Any]], source: str,
                   is_async: bool, **options: Any) -> Outcome:
    server.reply(wire.sse(events), **wire.PACED)
    if is_async:
        async def main() -> Outcome:
            client = anthropic.AsyncAnthropic(api_key="test", base_url=server.url, max_retries=0)
            if source == "raw":
                raw = await client.messages.create(stream=True, **REQUEST)
                return await Outcome().adrain(anthropic_bridge.stream(raw, **options))
            return await Outcome().adrain(anthropic_bridge.stream(
                client.messages.stream(**REQUEST), **options))
        return asyncio.run(main())
    client = anthropic.Anthropic(api_key="test", base_url=server.url, max_retries=0)
    if source == "raw":
        raw = client.messages.create(stream=True, **REQUEST)
        return Outcome().drain(anthropic_bridge.stream(raw, **options))
    return Outcome().drain(anthropic_bridge.stream(client.messages.stream(**REQUEST), **options))


def test_a_text_part_is_redacted_before_any_event_and_json_left_to_its_scope(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    said = f"Your key is {KEY}, mail bob@example.com."
    args = json.dumps({"note": f"card {CARD}", "key": KEY})
    events = wire.message([wire.text(said, size=3), wire.tool_use("save", args, size=3)])
    guards = [pj.Guard.api_keys(scope="text"), pj.Guard.emails("flag", scope="text"),
              pj.Guard.card_numbers(scope=("note",))]
    outcome = read_anthropic(server, events, *via, guards=guards)

    assert outcome.error is None
    text = "".join(e.text for e in outcome.of(pj.TextDelta))
    assert text == "Your key is [REDACTED], mail bob@example.com."
    done = [e for e in outcome.of(pj.PartCompleted) if e.part == Block(0, "text")]
    assert done[0].text == text
    flags = outcome.of(pj.GuardFlagged)
    assert [(f.part, f.rule, said[f.start : f.end]) for f in flags] == [
        (Block(0, "text"), "email", "bob@example.com")]
    call = outcome.of(pj.ToolCallComplete)[0]
    assert call.value == {"note": "card [REDACTED]", "key": KEY}  # the key guard: text only
    # (The helper's own message snapshot, passed through in its ProviderEvent, is the SDK's.)
    ours = [e for e in outcome.events if via[0] == "raw" or not isinstance(e, pj.ProviderEvent)]
    assert CARD not in repr(ours)


def test_a_stop_closes_the_response_at_once_and_keeps_what_was_received(
    server: ReplayServer, via: tuple[str, bool]
) -> None:
    args = json.dumps({"city": "Paris", "notes": f"pay with {CARD} please" + " " * 6000})
    events = wire.message([wire.text("Saving."), wire.tool_use("save", args, size=40)])
    outcome = read_anthropic(server, events, *via, guards=[pj.Guard.card_numbers("stop")])

    error = outcome.error
    tool = Block(1, "tool_use", "toolu_01", "save")
    assert isinstance(error, pj.InvalidPart) and isinstance(error.error, pj.GuardViolation)
    assert error.part == tool and error.path == ("notes",)
    notes = json.loads(args)["notes"]
    assert (error.error.start, error.error.end) == (notes.index(CARD), notes.index(CARD) + 19)
    assert error.offset == notes.index(CARD)
    assert CARD not in str(error)
    assert error.text is not None and args.startswith(error.text) and CARD in error.text
    assert error.values[tool] == {"city": "Paris", "notes": "pay with "}
    assert not outcome.of(pj.ToolCallComplete)
    served = server.last()
    assert served.outcome == "client closed" and served.sent < served.total // 4


def test_the_openai_bridge_guards_message_content(server: ReplayServer) -> None:
    body = wire.chat(wire.chat_content(f"mail bob@example.com, key {KEY}", size=2))
    server.reply(body, piece=7)
    client = openai.OpenAI(api_key="test", base_url=server.url + "/v1", max_retries=0)
    raw = client.chat.completions.create(model="gpt-4o", stream=True,
                                         messages=[{"role": "user", "content": "Hi"}])
    guards = [pj.Guard.api_keys("stop"), pj.Guard.emails(mask="<email>")]
    outcome = Outcome().drain(openai_bridge.stream(raw, guards=guards))
    assert isinstance(outcome.error, pj.InvalidPart)
    assert isinstance(outcome.error.error, pj.GuardViolation)
    assert outcome.error.error.start == len("mail bob@example.com, key ")
    assert "".join(e.text for e in outcome.of(pj.TextDelta)) == "mail <email>, key "
    assert outcome.error.texts[outcome.error.part] == "mail <email>, key "
    assert KEY in outcome.error.error.text_so_far


# -- the example --------------------------------------------------------------------------------
def test_the_guarded_chat_example_redacts_the_key_live() -> None:
    examples = FilePath(__file__).resolve().parents[1] / "examples"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(examples.parent)}
    done = subprocess.run([sys.executable, str(examples / "guarded_chat.py")], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    recording = (examples / "data" / "anthropic_secret.sse").read_text()
    said = "".join(json.loads(line[6:])["delta"]["text"] for line in recording.splitlines()
                   if line.startswith("data: ") and '"text_delta"' in line)
    keys = whole_matches(_detectors.api_keys(), said)
    assert keys  # the recording leaks a key, which the output must not show
    for start, end in keys:
        assert said[start:end] not in done.stdout
    assert redacted(said, [pj.Guard.api_keys()]) in done.stdout


class Note(BaseModel):
    note: str


def test_the_prose_around_an_output_is_guarded_to_its_end() -> None:
    said = 'Here it is:\n```json\n{"note": "mail bob@example.com"}\n```\nYour key: ' + KEY
    recorded = [data for _, data in wire.message([wire.text(said, size=5)])]
    guards = [pj.Guard.emails(scope="text"), pj.Guard.api_keys("stop")]
    outcome = Outcome().drain(anthropic_bridge.stream(recorded, output=Note, extract=True,
                                                      guards=guards))
    error = outcome.error
    assert isinstance(error, pj.InvalidPart) and isinstance(error.error, pj.GuardViolation)
    assert error.part == Block(0, "text") and error.error.path == ()
    plain = Outcome().drain(anthropic_bridge.stream(recorded, output=Note, extract=True))
    prose = "".join(e.text for e in plain.of(pj.TextDelta))  # all of the part's prose
    assert (error.error.start, error.error.end) == (prose.index(KEY), len(prose))
    assert outcome.of(pj.OutputComplete)[0].value == Note(note="mail bob@example.com")
    assert "".join(e.text for e in outcome.of(pj.TextDelta)).endswith("Your key: ")


class Plain(BaseModel):
    answer: str = Field(pattern=r"^[a-z ]*$")


def test_a_schema_violation_on_a_redacted_string_does_not_quote_the_match() -> None:
    stream = pj.ModelStream(Plain, guards=[pj.Guard.api_keys()])
    with pytest.raises(pj.SchemaViolation) as caught:
        for char in json.dumps({"answer": f"use {KEY} now"}):
            stream.feed(char)
    error = caught.value
    assert error.path == ("answer",) and error.errors[0]["input"] == "use [REDACTED] now"
    assert KEY not in str(error) and KEY not in repr(error.errors)
    assert KEY in error.text_so_far  # what was received is kept, as received
