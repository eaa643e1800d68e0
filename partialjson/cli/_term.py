"""Terminal manners: colour only on a terminal and never with NO_COLOR, one-line errors, and the
exit statuses the command documents."""

from __future__ import annotations

import os
import sys
from typing import TextIO

OK = 0
INVALID = 1  # the input is invalid: JSON syntax, schema, SQL policy, a provider's error event
USAGE = 2  # the command cannot run as asked: options, files, modules, missing extras
INCOMPLETE = 3  # the input ended before the document, statement or call did
BUG = 70  # an unexpected error (EX_SOFTWARE)
INTERRUPTED = 130  # Ctrl-C


class Usage(Exception):
    """The command cannot run as asked (exit status 2); the message is the whole story."""


def colour(stream: TextIO) -> bool:
    """Colours for ``stream``: only on a terminal, and not when NO_COLOR is set (no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def error(message: object, detail: str | None = None) -> None:
    """``partialjson: message`` on stderr (red on a terminal), then a detail line if any."""
    if sys.stderr is None:  # started with stderr closed (2>&-): the exit status still tells
        return
    prefix = "\x1b[1;31mpartialjson:\x1b[0m" if colour(sys.stderr) else "partialjson:"
    print(f"{prefix} {message}", file=sys.stderr)
    if detail is not None:
        print(detail, file=sys.stderr)
