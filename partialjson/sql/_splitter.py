"""Where statements begin and end, from the scanner's tokens.

A statement begins at its first significant token (comments before it belong to no statement)
and its text ends with its last token, so neither surrounding whitespace nor comments nor the
terminator are part of it. A ``;`` ends it unless something holds it open: parentheses (psql),
a ``BEGIN … END`` body, a T-SQL ``CREATE PROCEDURE`` batch (which only ``GO`` ends). A client
terminator (``GO``, a MySQL ``DELIMITER``, ``\\G``) ends it whatever is open, as the client
would send it. T-SQL needs no ``;`` at all: a read ends where a word that only starts a
statement (``DELETE``, ``EXEC``…) appears at depth 0. Empty statements (``;;``) and
comment-only text make nothing.

Each statement has a :class:`Classifier` (kind, flags, effects) and, where ``BEGIN … END`` may
hide a ``;``, :class:`Blocks`. What they decide goes to the :class:`Sink` with the offset of the
character that made it certain.
"""

from __future__ import annotations

from typing import Protocol

from ._blocks import Blocks
from ._dialects import Dialect
from ._functions import Calls, Names
from ._kinds import LITERAL, Classifier, Flag
from ._validate import VALIDATE_DEPTH


class Incomplete(Exception):
    """The input ended inside something: an unterminated string, comment, block…"""

    def __init__(self, message: str, offset: int, start: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset  # where the input ended
        self.start = start  # where the pending statement (or the open construct) began


class Sink(Protocol):
    def started(self, index: int, offset: int) -> None: ...
    def decided(self, index: int, kind: str, offset: int) -> None: ...
    def changed(self, statement: Splitter, offset: int) -> None: ...
    def completed(self, statement: Splitter, offset: int) -> None: ...
    def unsettle(self, settings: tuple[str, ...]) -> None: ...
    def text(self, start: int, end: int) -> str: ...  # input[start:end], recently received


class Splitter:
    """Statement boundaries; the scanner's :class:`~._scanner.Tokens` receiver."""

    def __init__(self, dialect: type[Dialect], sink: Sink, names: Names) -> None:
        self.dialect = dialect
        self.sink = sink
        self.names = names
        self.index = 0  # of the pending statement, or the next one
        self.pending = False  # a statement has begun and not ended
        self.start = 0  # offset of the pending statement's first character
        self.end = 0  # offset after its last token so far
        self.paren = 0
        self.kinds = Classifier(dialect)
        self.calls = Calls(names, self)
        self.blocks: Blocks | None = None
        self.nesting = 0  # parentheses, brackets and CASE: what sqlglot recurses into
        self.cases = 0
        self.prev_word: str | None = None
        self.too_deep: int | None = None  # where nesting first passed VALIDATE_DEPTH
        self.announced = False  # its kind was reported
        self.command = False  # a client command's own statement
        self.in_executable_comment = False

    # -- tokens --------------------------------------------------------------------------------
    def begin(self, offset: int) -> None:
        """A significant token begins at ``offset``."""
        if not self.pending:
            self._open(offset)

    def word(self, word: str | None, start: int, end: int) -> None:
        if not self.pending:
            self._open(start)
        elif word in self.dialect.STATEMENT_ONLY and self._ends_implicitly(word):
            self._complete(start)
            self._open(start)
        if self.blocks is not None and self.paren == 0:
            self.blocks.word(word or "")
        self.end = end
        self.calls.word(word, start, end)
        if word == "CASE" and self.prev_word != "END":  # not END CASE
            self.cases += 1
            self._nest(1, start)
        elif word == "END" and self.cases:
            self.cases -= 1
            self._nest(-1, start)
        self.prev_word = word
        kinds = self.kinds
        changes = self.dialect.SETTING_WORDS.get(word or "")
        if changes and kinds.kind in ("SET", "RESET"):
            self.sink.unsettle(changes)  # SET sql_mode = …: later text reads differently
        if kinds.settled:
            return
        changed = kinds.word(word, self.paren)
        if kinds.body:
            if self.blocks is None:
                self.blocks = Blocks(self.dialect, statement_start=False)
            self.blocks.routine = True  # CREATE PROCEDURE p() BEGIN: a block
        if changed:
            self._changed(end)

    def punct(self, char: str, offset: int) -> None:
        if not self.pending:
            self._open(offset)
        self.calls.punctuation(char, offset)
        if char in "([":
            self._nest(1, offset)
        elif char in ")]":
            self._nest(-1, offset)
        outer = self.paren == 0
        if char == "(":
            self.paren += 1
        elif char == ")" and self.paren:
            self.paren -= 1
            outer = self.paren == 0
        self._other(char, outer, offset + 1)

    def literal(self, start: int, end: int) -> None:
        if not self.pending:
            self._open(start)
        self.calls.literal(start, end)
        # EXPLAIN (ANALYZE 'false'): the option's value decides.
        short = self.kinds.analyze_pending and end - start <= 16
        value = self.sink.text(start, end) if short else None
        self._other(LITERAL, self.paren == 0, end, value)

    def executable_comment(self, opened: bool, offset: int) -> None:
        """A MySQL ``/*!`` opened at ``offset``, or its ``*/`` closed, ending at ``offset``."""
        self.in_executable_comment = opened
        if opened:
            if not self.pending:
                self._open(offset)
            elif self.kinds.add_flag(Flag.EXECUTABLE_COMMENT):
                self._changed(offset)
        elif self.pending:
            self.end = offset

    def refuse(
        self, effect: str, reason: str, offset: int, name: str | None = None,
        flag: Flag | None = None,
    ) -> None:
        """The pending statement (or one starting at ``offset``) has ``effect`` (see
        :meth:`Classifier.add_effect`), and perhaps ``flag``, certain at ``offset``."""
        if not self.pending:
            self._open(offset)
        changed = self.kinds.add_effect(effect, reason, name)
        if flag is not None:
            changed = self.kinds.add_flag(flag) or changed
        if changed:
            self._changed(offset)

    def ambiguous(self, reason: str, offset: int) -> None:
        """Engines or settings read the text here differently (the scanner's reason)."""
        self.refuse("AMBIGUOUS", reason, offset)

    def client_command(self, reason: str, offset: int, name: str, start: int, end: int) -> None:
        """A command-line client's meta-command (written from ``start`` to ``end``) that runs,
        reads, writes or changes what runs. Outside a statement it is one of its own."""
        if not self.pending:
            self._open(start)
            self.end = end
            self.command = True
        self.refuse("CLIENT", reason, offset, name)

    def command_end(self, offset: int) -> None:
        """The line of a client command ends at ``offset``."""
        if self.pending and self.command:
            self._complete(offset)

    def terminator(self, start: int, end: int) -> None:
        """A ``;``: the end of the statement, unless something holds it open."""
        if not self.pending:
            return
        blocks = self.blocks
        if (
            (self.paren and self.dialect.PARENS_HOLD_TERMINATOR)
            or (blocks is not None and blocks.holds())
            or self.kinds.batch
        ):
            self._other(";", self.paren == 0, end)
        else:
            self._complete(start)

    def hard_end(self, offset: int) -> None:
        """A client terminator at ``offset``: the statement ends whatever is open."""
        if self.pending:
            self._complete(offset)

    def finish(self, offset: int) -> None:
        """End of input at ``offset``: a statement without a terminator completes here."""
        if not self.pending:
            return
        if self.blocks is not None and self.blocks.holds():
            raise Incomplete("unterminated block (BEGIN without END)", offset, self.start)
        if self.paren and self.dialect.PARENS_HOLD_TERMINATOR:
            raise Incomplete("unclosed parenthesis", offset, self.start)
        self._complete(offset)

    # -- statements ----------------------------------------------------------------------------
    def _other(self, char: str, outer: bool, end: int, value: str | None = None) -> None:
        if self.blocks is not None and outer:
            self.blocks.other(char)
        self.end = end
        if not self.kinds.settled and self.kinds.other(char, self.paren, value):
            self._changed(end)

    def _nest(self, step: int, offset: int) -> None:
        self.nesting = max(0, self.nesting + step)
        if self.nesting > VALIDATE_DEPTH and self.too_deep is None:
            self.too_deep = offset

    def _ends_implicitly(self, word: str) -> bool:
        """T-SQL: a read at depth 0, outside any block, ends before a statement-only word
        (unless the word before says the read goes on: ``ROWS FETCH``)."""
        blocks = self.blocks
        return (
            self.kinds.kind == "SELECT"
            and self.paren == 0
            and not (blocks is not None and blocks.holds())
            and self.kinds.prev not in self.dialect.CONTINUES_AFTER.get(word, ())
        )

    def _open(self, offset: int) -> None:
        self.pending = True
        self.start = self.end = offset
        self.paren = 0
        self.kinds = Classifier(self.dialect)
        self.calls = Calls(self.names, self)
        self.nesting = self.cases = 0
        self.prev_word = None
        self.too_deep = None
        self.blocks = Blocks(self.dialect, statement_start=True) if self.dialect.SCRIPTING else None
        self.announced = False
        self.command = False  # a client command's own statement
        self.sink.started(self.index, offset)
        if self.in_executable_comment and self.kinds.add_flag(Flag.EXECUTABLE_COMMENT):
            self._changed(offset)

    def _changed(self, offset: int) -> None:
        kind = self.kinds.kind
        if kind is not None and not self.announced:
            self.announced = True
            self.sink.decided(self.index, kind, offset)
        self.sink.changed(self, offset)

    def _complete(self, offset: int) -> None:
        if self.kinds.settle():
            self._changed(offset)
        self.sink.completed(self, offset)
        self.pending = False
        self.index += 1
