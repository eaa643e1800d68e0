"""The ``partialjson`` command: parse JSON as it arrives on a pipe or from a file.

    partialjson parse [FILE|-] [--events | --snapshots | --final] [--multiple] [--allow-nan]

Reads bytes as they come (no waiting for the end), prints JSON Lines on stdout, and exits with
status 1 and one line on stderr on invalid input (the value so far is kept on stderr too).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from ._errors import PartialJSONError
from ._events import DocumentCompleted, Event, StringDelta, ValueCompleted, ValueStarted
from ._stream import JsonStream

EXAMPLES = """examples:
  curl -sN https://example.invalid/stream | partialjson parse --events
  partialjson parse response.json --snapshots
  printf '{"a": 1}\\n{"a": 2}\\n' | partialjson parse --multiple --final
"""


def event_record(event: Event) -> dict[str, Any]:
    """One event as a JSON-ready dict."""
    if isinstance(event, ValueStarted):
        return {"event": "start", "path": list(event.path), "kind": event.kind}
    if isinstance(event, StringDelta):
        return {"event": "delta", "path": list(event.path), "text": event.text}
    if isinstance(event, ValueCompleted):
        return {"event": "complete", "path": list(event.path), "value": event.value}
    assert isinstance(event, DocumentCompleted)
    return {"event": "document", "index": event.index, "value": event.value}


def read_pieces(source: BinaryIO, size: int = 65536) -> Iterator[bytes]:
    """Yield bytes as soon as they are available, not when a buffer fills."""
    read = getattr(source, "read1", source.read)
    while piece := read(size):
        yield piece


def parse(args: argparse.Namespace) -> int:
    stream: JsonStream[bytes] = JsonStream(multiple=args.multiple, allow_nan=args.allow_nan)

    def emit(record: Any) -> None:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def report(events: list[Event]) -> None:
        if args.output == "events":
            for event in events:
                emit(event_record(event))
        elif args.output == "snapshots" and events:
            emit(stream.value)

    source = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
    try:
        with source:
            for piece in read_pieces(source):
                report(stream.feed(piece))
        report(stream.end())
        final = stream.close()
    except PartialJSONError as error:
        print(f"partialjson: {error}", file=sys.stderr)
        print(f"partial value: {json.dumps(stream.value, ensure_ascii=False)}", file=sys.stderr)
        return 1
    if args.output == "final":
        emit(final)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="partialjson",
        description="Parse JSON while it streams.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    parse_command = commands.add_parser(
        "parse", help="print events, snapshots or the final value as JSON Lines",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse_command.add_argument("file", nargs="?", default="-", help="a file, or - for stdin")
    output = parse_command.add_mutually_exclusive_group()
    for name in ("events", "snapshots", "final"):
        output.add_argument(f"--{name}", dest="output", action="store_const", const=name)
    parse_command.add_argument("--multiple", action="store_true", help="several documents")
    parse_command.add_argument("--allow-nan", action="store_true", help="accept NaN, Infinity")
    parse_command.set_defaults(output="events")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        return parse(args)
    except OSError as error:
        print(f"partialjson: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
