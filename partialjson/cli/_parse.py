"""``partialjson parse``: read a file or a pipe as the bytes arrive, print JSON Lines.

The input is JSON (``--extract``: JSON in prose), validated with ``--model``; a provider's raw
SSE stream read through its bridge (``--sse``); or SQL (``--sql``, a policy with ``--allow``).
Output is every event, a snapshot after every piece that changed the value, or the final value.
Errors are one line on stderr, then what was read so far; the exit status tells invalid (1)
from incomplete (3)."""

from __future__ import annotations

import argparse
import codecs
import importlib
import inspect
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from pydantic import PydanticUserError

from .._errors import IncompleteJSON, PartialJSONError
from .._model import ModelStream
from .._stream import JsonStream
from ..bridges import BridgeError, IncompleteStream, OutputComplete, ToolCallComplete
from ..sql import IncompleteStatement, SqlStream
from ._records import bridge_record, dumps, json_record, sql_record, statement_record
from ._term import INCOMPLETE, INVALID, OK, Usage, error


def read_pieces(source: BinaryIO, size: int = 65536) -> Iterator[bytes]:
    """Yield bytes as soon as they are available, not when a buffer fills."""
    read = getattr(source, "read1", source.read)
    while piece := read(size):
        yield piece


def load(spec: str) -> Any:
    """The type ``module:Name`` names (modules in the working directory too, as with ``-m``),
    once pydantic has shown it can validate with it."""
    module_name, _, name = spec.partition(":")
    if not module_name or not name:
        raise Usage(f"{spec!r}: expected MODULE:CLASS, e.g. myapp.models:Trip")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        found: Any = importlib.import_module(module_name)
        for attribute in name.split("."):
            found = getattr(found, attribute)
    except (ImportError, AttributeError) as exc:
        raise Usage(f"cannot load {spec}: {exc}") from exc
    except Exception as exc:  # raised by the user's module as it imports: no bug of ours
        raise Usage(f"cannot load {spec}: {type(exc).__name__}: {exc}") from exc
    # pydantic would validate a function's arguments, and read a string as a type's name
    if inspect.isroutine(found) or isinstance(found, str):
        raise Usage(f"{spec} is a {type(found).__name__}, not a model or type")
    try:
        ModelStream(found)  # builds pydantic's schema now (it is cached for the stream)
    except PydanticUserError as exc:
        reason = str(exc).split("\n")[0].split(". ")[0]  # the rest is advice for its author
        raise Usage(f"{spec} is not a type pydantic can validate: {reason}") from exc
    return found


def emit(record: Any) -> None:
    try:
        sys.stdout.write(dumps(record) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader left: main ends quietly
    except OSError as exc:  # a full disk, a descriptor not open for writing (1</dev/null)
        raise Usage(f"cannot write the output: {exc.strerror or exc}") from exc


def run(args: argparse.Namespace) -> int:
    if args.tool and not args.sse:
        raise Usage("--tool goes with --sse")
    if args.sse and (args.output == "snapshots" or args.multiple):
        raise Usage("--sse prints events or the final calls and outputs (--events, --final)")
    if args.extract and args.multiple:
        raise Usage("--extract finds one value: it does not go with --multiple")
    if args.allow and not args.sql:
        raise Usage("--allow goes with --sql")
    if args.sql and (args.model or args.sse or args.multiple or args.allow_nan):
        raise Usage("--sql reads SQL: it goes with --extract and --allow only")
    model = load(args.model) if args.model else None
    tools = _tools(args.tool)
    with _open(args.file) as source:
        pieces = read_pieces(source)
        if args.sse:
            return _sse(args, pieces, tools, model)
        if args.sql:
            return _sql(args, pieces)
        return _json(args, pieces, model)


def _tools(specs: list[str]) -> dict[str, Any]:
    tools: dict[str, Any] = {}
    for spec in specs:
        name, _, model = spec.partition("=")
        if not name or not model:
            raise Usage(f"--tool {spec!r}: expected NAME=MODULE:CLASS")
        if name in tools:
            raise Usage(f"--tool {name}: given twice")
        tools[name] = load(model)
    return tools


def _open(file: str) -> BinaryIO:
    if file != "-":
        try:
            return open(file, "rb")
        except OSError as exc:
            raise Usage(f"cannot read {file}: {exc.strerror or exc}") from exc
    if sys.stdin is None:  # started with stdin closed (<&-)
        raise Usage("standard input is closed: give a FILE, or pipe the input in")
    return sys.stdin.buffer


def _json(args: argparse.Namespace, pieces: Iterable[bytes], model: Any) -> int:
    stream: JsonStream[bytes] | ModelStream[Any]
    if model is None:
        stream = JsonStream(multiple=args.multiple, allow_nan=args.allow_nan,
                            extract=args.extract)
    else:
        stream = ModelStream(model, extract=args.extract)

    def report(events: list[Any]) -> None:
        if args.output == "events":
            for event in events:
                emit(json_record(event))
        elif args.output == "snapshots" and events:
            emit(stream.partial if isinstance(stream, ModelStream) else stream.value)

    try:
        for piece in pieces:
            report(stream.feed(piece))
        report(stream.end())
        final = stream.close()
    except PartialJSONError as exc:
        error(exc, f"partial value: {dumps(stream.value)}")
        return INCOMPLETE if isinstance(exc, IncompleteJSON) else INVALID
    if args.output == "final":
        emit(final)
    return OK


def _sse(args: argparse.Namespace, pieces: Iterable[bytes], tools: dict[str, Any],
         model: Any) -> int:
    from .. import anthropic, openai
    from ._sdk import events as sse_events

    bridge = anthropic if args.sse == "anthropic" else openai
    events = bridge.stream(sse_events(pieces), tools=tools, output=model, extract=args.extract)
    try:
        for event in events:
            if args.output == "events" or isinstance(event, (ToolCallComplete, OutputComplete)):
                emit(bridge_record(event))
    except BridgeError as exc:
        values = {str(part): value for part, value in exc.values.items()}
        error(exc, f"partial values: {dumps(values)}")
        return INCOMPLETE if isinstance(exc, IncompleteStream) else INVALID
    return OK


def _sql(args: argparse.Namespace, pieces: Iterable[bytes]) -> int:
    try:
        stream = SqlStream(args.sql, allow=set(args.allow) or None, extract=args.extract)
    except ValueError as exc:  # an unknown dialect
        raise Usage(str(exc)) from exc
    decoder = codecs.getincrementaldecoder("utf-8")()

    def report(events: list[Any]) -> None:
        if args.output == "events":
            for event in events:
                emit(sql_record(event))
        elif args.output == "snapshots" and events:
            emit([statement_record(s) for s in stream.statements])

    try:
        for piece in pieces:
            report(stream.feed(decoder.decode(piece)))
        report(stream.feed(decoder.decode(b"", final=True)))
        report(stream.end())
        statements = stream.close()
    except (PartialJSONError, UnicodeDecodeError) as exc:
        done = [statement_record(s) for s in stream.statements]
        error(exc, f"statements so far: {dumps(done)}")
        return INCOMPLETE if isinstance(exc, IncompleteStatement) else INVALID
    if args.output == "final":
        emit([statement_record(s) for s in statements])
    return OK
