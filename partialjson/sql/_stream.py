"""SqlStream: the public, sans-I/O face of the SQL scanner.

It owns what the scanner and splitter do not: the text received (to cut statements out of it),
the policy, optional extraction from markdown and validation, and turning positions into public
errors with offset, line and column. Chunks in, events out; it never does I/O.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from .._errors import PartialJSONError
from ._dialects import dialect_named, lexing
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
from ._extract import CLOSE, OPEN, PROSE, Fences
from ._functions import FACTS, Names
from ._policy import Allow, Policy
from ._scanner import ScanError, Scanner
from ._splitter import Incomplete, Splitter
from ._validate import Validator


class Received:
    """The text fed so far, kept as chunks, cut by input offsets.

    Statements are cut from a window that starts at the earliest text still needed; the window
    drops its head once that is more than half of it, so cutting costs O(statement + input).
    """

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.length = 0
        self.window = ""
        self.window_start = 0
        self.unjoined = 0  # how many of the last chunks the window lacks

    def append(self, chunk: str) -> None:
        self.chunks.append(chunk)
        self.length += len(chunk)
        self.unjoined += 1

    def cut(self, start: int, end: int) -> str:
        self._catch_up()
        return self.window[start - self.window_start : end - self.window_start]

    def forget(self, before: int) -> None:
        """Nothing before ``before`` will be cut again."""
        self._catch_up()
        head = before - self.window_start
        if head > len(self.window) // 2:
            self.window = self.window[head:]
            self.window_start = before

    def recent(self, start: int, end: int) -> str:
        """``input[start:end]`` from the last chunks, walking back from the end: what came
        after ``start`` is walked once per call, so cuts of recent text stay O(input)."""
        pieces = []
        at = self.length
        for chunk in reversed(self.chunks):
            chunk_start = at - len(chunk)
            if chunk_start < end:
                pieces.append(chunk[max(0, start - chunk_start) : end - chunk_start])
            if chunk_start <= start:
                break
            at = chunk_start
        return "".join(reversed(pieces))

    def whole(self) -> str:
        self._catch_up()
        if len(self.chunks) != 1:
            self.chunks = ["".join(self.chunks)]
        return self.chunks[0]

    def _catch_up(self) -> None:
        if self.unjoined:
            self.window += "".join(self.chunks[-self.unjoined :])
            self.unjoined = 0


class SqlStream:
    """Split SQL into statements while it streams, decide their kinds early, enforce a policy.

    ``feed(chunk)`` returns the events the chunk caused; ``statements`` holds the statements
    completed so far; ``close()`` ends the input and returns all of them.

    Options:
        dialect: ``"ansi"``, ``"postgres"``, ``"mysql"``, ``"sqlite"``, ``"tsql"``,
            ``"bigquery"`` or ``"snowflake"``: where strings, comments and statements end.
        allow: the kinds allowed (``{"SELECT"}`` is read-only: a SELECT that writes is
            refused too), or a callable taking a :class:`Statement` so far; a forbidden
            statement raises :class:`PolicyViolation` from ``feed()`` as soon as it is certain.
        max_statements: the most statements allowed (1 for single-statement apps).
        extract: read SQL from the ```sql fences of streamed markdown; the rest is prose.
        validate: parse each completed statement with sqlglot (the ``sql`` extra); ``True``
            raises :class:`SqlSyntaxError` for one it rejects, ``"report"`` yields a
            :class:`StatementInvalid` event and goes on.
        client: ``"psql"``, ``"mysql"`` or ``"sqlcmd"``: the command-line client the text goes
            through, whose meta-commands are followed (those that run, read, write or change
            what runs are the effect ``"CLIENT"``); ``None`` (no client named): every client
            meta-command is ``"CLIENT"``.
        settings: server settings that change how text lexes, each ``None`` (unknown) by
            default — text whose reading depends on an unknown one is the effect
            ``"AMBIGUOUS"``: postgres ``standard_conforming_strings``; mysql
            ``no_backslash_escapes``, ``ansi_quotes``, ``server_version`` (``"8.0.36"``,
            ``"10.11.6-MariaDB"``); tsql ``quoted_identifier``.
        functions: names of functions known to be free of side effects besides the dialect's
            built-ins (``partialjson/sql/_functions.py``): a call to any other function adds
            the effect ``"FUNCTION"``, which a set policy refuses unless it allows it.
            ``"schema.f"`` for a qualified name, ``'"MixedCase"'`` for a quoted one (exact);
            unquoted names fold as the dialect folds them.
    """

    def __init__(
        self,
        dialect: str = "ansi",
        *,
        allow: Allow = None,
        max_statements: int | None = None,
        extract: bool = False,
        validate: bool | Literal["report"] = False,
        client: str | None = None,
        functions: Collection[str] = (),
        **settings: bool | str | None,
    ) -> None:
        self.dialect = dialect_named(dialect)
        self.lexing = lexing(self.dialect, client, dict(settings))
        self._policy = Policy(allow, max_statements)
        names = Names(FACTS[self.dialect.name], functions)
        self._validator = Validator(self.dialect) if validate else None
        self._report_invalid = validate == "report"
        self._received = Received()
        self._splitter = Splitter(self.dialect, self, names)
        self._scanner = Scanner(self.lexing, self._splitter)
        self._fences = Fences() if extract else None
        self._events: list[SqlEvent] = []
        self._statements: list[Statement] = []
        self._error: PartialJSONError | None = None
        self._closed = False

    # -- the state -----------------------------------------------------------------------------
    @property
    def statements(self) -> list[Statement]:
        """The statements completed so far."""
        return self._statements

    @property
    def received(self) -> str:
        """Everything fed so far, errors or not."""
        return self._received.whole()

    @property
    def error(self) -> PartialJSONError | None:
        """The error that ended the stream, if any."""
        return self._error

    # -- input ---------------------------------------------------------------------------------
    def feed(self, chunk: str) -> list[SqlEvent]:
        """Take the next chunk; return the events it caused, in input order."""
        if self._error is not None:
            raise self._error
        if self._closed:
            raise PartialJSONError("feed() after close()")
        if not isinstance(chunk, str):
            raise TypeError(f"a SqlStream takes str chunks, not {type(chunk).__name__}")
        self._received.append(chunk)
        self._run(chunk, final=False)
        return self._take_events()

    def end(self) -> list[SqlEvent]:
        """End of input: return the events it causes (the last statement completes).

        Raises :class:`IncompleteStatement` if the input ends inside a statement (an
        unterminated string, comment or body) or inside a ```sql fence."""
        if self._error is not None:
            raise self._error
        if not self._closed:
            self._run("", final=True)
            self._closed = True
        return self._take_events()

    def close(self) -> list[Statement]:
        """End of input (see :meth:`end`); return all the statements."""
        self.end()
        return self._statements

    def _run(self, chunk: str, final: bool) -> None:
        try:
            if self._fences is None:
                self._scanner.feed(chunk)
                if final:
                    self._scanner.end()
            else:
                self._extract(chunk, final)
        except Incomplete as exc:
            self._fail(self._incomplete(exc.message, exc.offset, exc.start))
        except ScanError as exc:
            self._fail(SqlSyntaxError(exc.message, exc.offset, *self._line_column(exc.offset)))

    def _extract(self, chunk: str, final: bool) -> None:
        fences = self._fences
        assert fences is not None
        segments = fences.feed(chunk)
        if final:
            segments += fences.end()
        scanner = self._scanner
        prose: list[str] = []  # joined once per run of prose: a chunk of many lines stays O(chunk)
        for what, text, offset in segments:
            if what == PROSE:
                prose.append(text)
                continue
            self._prose(prose)
            if what == OPEN:
                scanner.restart(offset)
            elif what == CLOSE:
                scanner.end()
            else:
                scanner.feed(text)
        self._prose(prose)
        if final and fences.sql:
            splitter = self._splitter
            start = splitter.start if splitter.pending else self._received.length
            self._fail(self._incomplete("unclosed ```sql fence", self._received.length, start))

    def _prose(self, pieces: list[str]) -> None:
        """One event for the prose pieces gathered (merged with prose just before), if any."""
        if not pieces:
            return
        events = self._events
        last = events[-1] if events else None
        if isinstance(last, Prose):
            events.pop()
            pieces.insert(0, last.text)
        events.append(Prose("".join(pieces)))
        pieces.clear()

    def _take_events(self) -> list[SqlEvent]:
        events = self._events
        self._events = []
        return events

    # -- what the splitter reports -------------------------------------------------------------
    def started(self, index: int, offset: int) -> None:
        if self._policy.too_many(index):
            limit = self._policy.max_statements
            self._violation(f"more than {limit} statement(s)", None, index, offset, offset)
        self._events.append(StatementStarted(index, offset))

    def unsettle(self, settings: tuple[str, ...]) -> None:
        self._scanner.lexing = self._scanner.lexing.unsettled(settings)

    def decided(self, index: int, kind: str, offset: int) -> None:
        self._events.append(KindDecided(index, kind, offset))

    def text(self, start: int, end: int) -> str:
        return self._received.recent(start, end)

    def changed(self, statement: Splitter, offset: int) -> None:
        self._judge(statement, offset, complete=False)

    def completed(self, statement: Splitter, offset: int) -> None:
        done = self._judge(statement, offset, complete=True)
        assert done is not None
        self._statements.append(done)
        self._events.append(StatementCompleted(done))
        self._received.forget(done.end)
        if self._validator is not None:
            self._validate(done, statement.too_deep)

    def _judge(self, statement: Splitter, offset: int, complete: bool) -> Statement | None:
        """Apply the policy to the statement's facts at ``offset``; return it if complete."""
        kinds = statement.kinds
        policy = self._policy
        forbidden = policy.forbidden(kinds.kind, kinds.effects)
        if forbidden is not None:
            reason, name = kinds.reasons.get(forbidden, (None, None))
            message = f"{forbidden} is not allowed" + (f": {reason}" if reason else "")
            self._violation(message, forbidden, statement.index, statement.start, offset,
                            reason, name)
        if kinds.kind is None or not (complete or policy.judge):
            return None
        end = statement.end if complete else offset
        text = self._received.cut(statement.start, end)
        current = Statement(
            statement.index, text, kinds.kind, statement.start, end, kinds.flags, kinds.effects
        )
        if policy.judge is not None and not policy.judge(current):
            message = f"the policy refuses this {kinds.kind} statement"
            self._violation(message, kinds.kind, statement.index, statement.start, offset)
        return current

    def _validate(self, statement: Statement, too_deep: int | None) -> None:
        assert self._validator is not None
        problem = self._validator.problem(statement, too_deep)
        if problem is None:
            return
        message, offset = problem
        error = SqlSyntaxError(
            message,
            offset,
            *self._line_column(offset),
            start=statement.start,
            end=statement.end,
            text=statement.text,
        )
        if self._report_invalid:
            self._events.append(StatementInvalid(statement, error))
        else:
            self._fail(error)

    # -- errors --------------------------------------------------------------------------------
    def _violation(
        self, message: str, kind: str | None, index: int, start: int, offset: int,
        reason: str | None = None, name: str | None = None,
    ) -> None:
        self._fail(
            PolicyViolation(
                f"{message} (statement {index})",
                offset,
                *self._line_column(offset),
                kind=kind,
                statement_index=index,
                text_so_far=self._received.cut(start, offset),
                reason=reason,
                name=name,
            )
        )

    def _incomplete(self, message: str, offset: int, start: int) -> IncompleteStatement:
        text = self.received[start:offset]
        return IncompleteStatement(
            message, offset, *self._line_column(offset), start=start, end=offset, text=text
        )

    def _fail(self, error: PartialJSONError) -> None:
        self._error = error
        raise error

    def _line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``; O(input), errors only."""
        before = self.received[:offset]
        return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def split(text: str, dialect: str = "ansi", **options: object) -> list[Statement]:
    """The statements of a whole SQL text: ``SqlStream(dialect, **options)`` fed it at once."""
    stream = SqlStream(dialect, **options)  # type: ignore[arg-type]
    stream.feed(text)
    return stream.close()
