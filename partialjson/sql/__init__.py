"""partialjson.sql: SQL statements from streamed text, with kinds and policies as it streams.

A sans-I/O scanner, one state machine for every dialect (each a table of lexical facts): feed it
chunks of SQL (raw, or inside ```sql fences in prose) and get statement boundaries, each
statement's kind as soon as its leading keywords settle it, and policy violations at the first
character that makes them certain — never on SQL the policy allows. Needs only the standard
library; ``validate=True`` uses sqlglot if installed.
"""

from ._dialects import DIALECTS
from ._errors import IncompleteStatement, PolicyViolation, SqlSyntaxError
from ._events import (
    KindDecided,
    Prose,
    SqlEvent,
    Statement,
    StatementCompleted,
    StatementInvalid,
    StatementStarted,
)
from ._kinds import Flag
from ._policy import READ_ONLY
from ._stream import SqlStream, split

__all__ = [
    "DIALECTS",
    "READ_ONLY",
    "Flag",
    "IncompleteStatement",
    "KindDecided",
    "PolicyViolation",
    "Prose",
    "SqlEvent",
    "SqlStream",
    "SqlSyntaxError",
    "Statement",
    "StatementCompleted",
    "StatementInvalid",
    "StatementStarted",
    "split",
]
