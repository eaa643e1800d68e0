"""Watch a JSON document arrive the way an LLM streams it, and what partialjson makes of it.

The bundled response is replayed in small UTF-8 byte pieces (some cut inside a character, as a
network would), and every piece shows:

- the events it caused: a value started, a string grew by some text, a value completed;
- the live partial value, which only ever grows.

Run:  python examples/stream_json.py [FILE] [--delay SECONDS] [--events-only]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import partialjson as pj

BUNDLED = Path(__file__).parent / "data" / "weather.json"


def pieces(data: bytes, seed: int = 3) -> list[bytes]:
    """Cut like a token stream: 1 to 9 bytes at a time, ignoring character boundaries."""
    rng = random.Random(seed)
    out, at = [], 0
    while at < len(data):
        size = rng.randint(1, 9)
        out.append(data[at : at + size])
        at += size
    return out


def describe(event: pj.Event) -> str:
    if isinstance(event, pj.ValueStarted):
        return f"start    {_path(event.path)} ({event.kind})"
    if isinstance(event, pj.StringDelta):
        return f"grow     {_path(event.path)} += {event.text!r}"
    if isinstance(event, pj.ValueCompleted):
        return f"complete {_path(event.path)} = {_short(event.value)}"
    return f"document {event.index} complete"


def _path(path: pj.Path) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path) or "$"


def _short(value: object, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=BUNDLED)
    parser.add_argument("--delay", type=float, default=0.01, help="seconds between pieces")
    parser.add_argument("--events-only", action="store_true", help="do not print snapshots")
    args = parser.parse_args()

    stream: pj.JsonStream[bytes] = pj.JsonStream()
    try:
        for piece in pieces(args.file.read_bytes()):
            events = stream.feed(piece)
            for event in events:
                print(describe(event))
            if events and not args.events_only:
                print(f"   value  {_short(stream.value, 100)}")
            time.sleep(args.delay)
        final = stream.close()
    except pj.PartialJSONError as error:
        print(f"error: {error}", file=sys.stderr)
        print(f"received so far: {stream.received!r}", file=sys.stderr)
        return 1
    print(f"\nfinal value equals json.loads: {final == json.loads(args.file.read_bytes())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
