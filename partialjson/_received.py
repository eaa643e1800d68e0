"""What a JSON stream was fed: one growing buffer, and the line and column of an offset in it.

The input is kept as one buffer (a ``str``, extended in place, or a ``bytearray``), not as a
list of chunks: a list of small strings costs several times the text in object headers. Chunks
are gathered a few dozen at a time before they extend it (an extension costs more than a list
append: it may move the buffer, or make a system call). With ``keep=False`` only a bounded tail
is kept (the current chunk and at least ``TAIL`` units before it), for callers that never look
back at the text; lines are counted as the head is dropped, so errors still get their true line
and column.

Line and column lookups move a cursor forward: errors and violations come in input order, so
the newlines of a whole stream are counted once, however many violations it reports.
"""

from __future__ import annotations

from typing import Any, Final

TAIL: Final = 4096  # units kept before the current chunk with keep=False
_GATHERED: Final = 64  # chunks joined before they extend the buffer


class Received:
    """The input of one stream, in its units (characters for str input, bytes for bytes)."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.is_bytes = False
        self.length = 0  # units received in all
        self.start = 0  # input offset of the buffer's first unit (keep=False drops the head)
        self._text = ""
        self._gathered: list[Any] = []  # chunks not yet in the buffer
        self._bytes = bytearray()
        # The line cursor: the line at input offset ``_counted`` and where that line starts.
        self._counted = 0
        self._line = 1
        self._line_start = 0

    def append(self, chunk: str | bytes) -> None:
        if not self.length and isinstance(chunk, bytes):
            self.is_bytes = True
        gathered = self._gathered
        gathered.append(chunk)
        if len(gathered) >= _GATHERED:
            self._join()
        self.length += len(chunk)
        if not self.keep:
            excess = self.length - len(chunk) - self.start - TAIL
            if excess > TAIL:
                self._drop(excess)

    def _join(self) -> None:
        """Extend the buffer by the chunks gathered."""
        gathered = self._gathered
        if not gathered:
            return
        if self.is_bytes:
            self._bytes += b"".join(gathered)
        else:
            text = self._text
            self._text = ""  # the only reference: CPython extends the string in place
            text += "".join(gathered)
            self._text = text
        gathered.clear()

    def _drop(self, units: int) -> None:
        """Forget the first ``units`` of the buffer, counting their lines first."""
        self._join()
        self._count_to(self.start + units)
        if self.is_bytes:
            del self._bytes[:units]
        else:
            self._text = self._text[units:]
        self.start += units

    def slice(self, start: int = 0, stop: int | None = None) -> Any:
        """The input from offset ``start`` to ``stop`` (what is left of it with keep=False)."""
        self._join()
        first = max(start - self.start, 0)
        last = self.length - self.start if stop is None else max(stop - self.start, first)
        if self.is_bytes:
            return bytes(memoryview(self._bytes)[first:last])
        return self._text[first:last]

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of input offset ``offset``."""
        self._join()
        if offset < self._counted and self.start == 0:  # asked out of order: count again
            self._counted, self._line, self._line_start = 0, 1, 0
        self._count_to(offset)
        return self._line, offset - self._line_start + 1

    def _count_to(self, offset: int) -> None:
        """Move the line cursor forward to ``offset`` (never back)."""
        begin = self._counted - self.start
        end = offset - self.start
        if end <= begin:
            return
        buffer: Any = self._bytes if self.is_bytes else self._text
        newline: Any = b"\n" if self.is_bytes else "\n"
        lines = buffer.count(newline, begin, end)
        if lines:
            self._line += lines
            self._line_start = self.start + buffer.rfind(newline, begin, end) + 1
        self._counted = offset
