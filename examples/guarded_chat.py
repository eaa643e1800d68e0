"""A chat answer checked for secrets while it streams: API keys are redacted before a single
character of them is printed, e-mail addresses are flagged, and a card number stops the stream.

The bundled recorded answer pastes an Anthropic API key into a config file, split over a dozen
deltas. Each delta is printed as soon as the guards release it: ordinary text at once, the
end of a word only once it can no longer begin a key, and the key as ``[REDACTED]``.

By default the real ``anthropic`` client reads the bundled recording from a local server; with
ANTHROPIC_API_KEY set it asks the real API instead.

Run:  python examples/guarded_chat.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import anthropic

import partialjson as pj
from partialjson import anthropic as bridge
from partialjson.cli.replay import Replay

RECORDING = Path(__file__).parent / "data" / "anthropic_secret.sse"
REQUEST: dict[str, Any] = {
    "model": "claude-sonnet-4-6",
    "max_tokens": 1024,
    "messages": [{"role": "user", "content": "Write the .env for my Claude client. My key is in "
                                             "the notes I pasted earlier."}],
}
GUARDS = [
    pj.Guard.api_keys(),  # redact (the default), everywhere
    pj.Guard.emails("flag"),
    pj.Guard.card_numbers("stop"),
]


def chat(client: anthropic.Anthropic) -> int:
    flags: list[str] = []
    try:
        with client.messages.stream(**REQUEST) as helper:
            for event in bridge.stream(helper, guards=GUARDS):
                if isinstance(event, pj.TextDelta):
                    print(event.text, end="", flush=True)
                elif isinstance(event, pj.GuardFlagged):
                    flags.append(f"{event.rule} at characters {event.start}-{event.end}")
    except pj.InvalidPart as error:
        print(f"\n[stopped: {error.error}]")
        return 1
    print()
    for flag in flags:
        print(f"flagged: {flag}")
    return 0


def main() -> int:
    if os.environ.get("ANTHROPIC_API_KEY"):
        return chat(anthropic.Anthropic(max_retries=0))
    with Replay(RECORDING) as replay:
        return chat(anthropic.Anthropic(api_key="replay", base_url=replay.url, max_retries=0))


if __name__ == "__main__":
    sys.exit(main())
