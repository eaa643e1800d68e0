"""The ``partialjson`` command: the arguments, and how the command ends.

    partialjson demo [--provider anthropic|openai] [--speed FACTOR] [--plain]
    partialjson parse [FILE|-] [--events|--snapshots|--final] [--extract] [--model MOD:CLASS]
                      [--sse anthropic|openai [--tool NAME=MOD:CLASS]] [--multiple] [--allow-nan]
                      [--sql DIALECT [--allow KIND]]

Each subcommand lives in a module of its own (``_demo``, ``_parse``); rich is imported only by
the demo's live view on a terminal.
"""

from __future__ import annotations

import argparse
import os
import sys

from ._term import BUG, INTERRUPTED, OK, USAGE, Usage, error

__all__ = ["main"]

EXIT_STATUS = """exit status:
  0  done
  1  the input is invalid: JSON syntax, a schema violation, a forbidden SQL statement,
     a provider's error event
  2  the command cannot run as asked: options, a file that cannot be read, a module that
     does not load or names no model, stdin or stdout closed, a missing extra
  3  the input ended too early: a document, statement or tool call not whole, an unclosed
     fence
 70  an unexpected error (a bug: --debug shows where)
A reader that leaves (| head) ends it quietly, with status 0.
"""
DEMO_EXAMPLES = """examples:
  partialjson demo                       an Anthropic tool call, live
  partialjson demo --provider openai     an OpenAI structured output
  partialjson demo --speed 3 --plain     faster, as plain text
"""
PARSE_EXAMPLES = """examples:
  printf '{"a": [1, tru' | partialjson parse --final
  partialjson parse answer.md --extract --snapshots          JSON in prose or a ```json fence
  partialjson parse trip.json --model myapp.models:Trip      validated, stops at a violation
  partialjson parse answer.md --sql postgres --extract --allow SELECT     a read-only guard
  curl -sN https://api.anthropic.com/v1/messages ... | partialjson parse --sse anthropic \\
      --tool get_weather=myapp.tools:Weather
"""


def _parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="partialjson", formatter_class=raw, epilog=EXIT_STATUS,
        description="Typed, validated objects from LLM output while it streams.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo", help="watch a recorded LLM response stream into a typed object (offline)",
        description="Replay a recorded provider stream through the real SDK client against a "
        "local server (no API key, no network) and watch the object build up.",
        epilog=DEMO_EXAMPLES + "\n" + EXIT_STATUS, formatter_class=raw,
    )
    demo.add_argument("--provider", choices=["anthropic", "openai"], default="anthropic",
                      help="an Anthropic tool call, or an OpenAI structured output")
    demo.add_argument("--speed", type=float, default=1.0, metavar="FACTOR",
                      help="replay speed (2: twice as fast; 0: no pauses)")
    demo.add_argument("--plain", action="store_true", help="plain text even on a terminal")
    demo.set_defaults(run="demo")

    parse = commands.add_parser(
        "parse", help="read JSON as it arrives and print events, snapshots or the final value",
        description="Read a file or a pipe as the bytes arrive and print JSON Lines.",
        epilog=PARSE_EXAMPLES + "\n" + EXIT_STATUS, formatter_class=raw,
    )
    parse.add_argument("file", nargs="?", default="-", help="a file, or - for stdin (default)")
    output = parse.add_mutually_exclusive_group()
    output.add_argument("--events", dest="output", action="store_const", const="events",
                        help="every event (default)")
    output.add_argument("--snapshots", dest="output", action="store_const", const="snapshots",
                        help="the value after every piece that changed it")
    output.add_argument("--final", dest="output", action="store_const", const="final",
                        help="only the final value")
    parse.add_argument("--extract", action="store_true",
                       help="the JSON is inside prose or a ```json fence")
    parse.add_argument("--model", metavar="MOD:CLASS",
                       help="validate with a pydantic model, stop at the first violation")
    parse.add_argument("--sse", choices=["anthropic", "openai"],
                       help="the input is a provider's raw SSE stream (curl -N output)")
    parse.add_argument("--tool", action="append", default=[], metavar="NAME=MOD:CLASS",
                       help="with --sse: validate this tool's arguments (repeatable)")
    parse.add_argument("--sql", metavar="DIALECT",
                       help="the input is SQL: ansi, postgres, mysql, sqlite, tsql, bigquery, "
                       "snowflake")
    parse.add_argument("--allow", action="append", default=[], metavar="KIND",
                       help="with --sql: the statement kinds allowed, e.g. SELECT (repeatable)")
    parse.add_argument("--multiple", action="store_true", help="several documents (JSON Lines)")
    parse.add_argument("--allow-nan", action="store_true", help="accept NaN and Infinity")
    parse.add_argument("--stats", action="store_true",
                       help="at the end, the stream's figures on stderr (JSON, --sse)")
    parse.set_defaults(run="parse", output="events")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if sys.stdout is None:  # started with stdout closed (>&-): nowhere to print
            raise Usage("standard output is closed")
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        if args.run == "demo":
            from ._demo import run
        else:
            from ._parse import run
        return run(args)
    except KeyboardInterrupt:
        return INTERRUPTED
    except BrokenPipeError:  # the reader left (| head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except (Usage, OSError) as exc:
        if args.debug:
            raise
        error(exc)
        return USAGE
    except Exception as exc:
        if args.debug:
            raise
        error(f"unexpected {type(exc).__name__}: {exc} (--debug shows the traceback)")
        return BUG
