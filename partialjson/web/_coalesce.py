"""UI-rate batching: the operations of an interval merged into the fewest operations.

It works on batches of operations (what ``json_patch`` yields), so it serves every encoder
option. Within the batch being gathered, an ``append`` to the string the previous operation
put or grew is merged into it (``add P "ab"`` + ``append P "c"`` = ``add P "abc"``), as is a
strict mode ``replace`` of that string. Nothing is reordered. A batch holding a completion (a
``done``, or a number or boolean, which is complete when it arrives) is sent at once, an error
of the source is raised after what was gathered is sent, and the end flushes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import Any

Op = dict[str, Any]


class _Gather:
    """The operations of the interval being gathered."""

    def __init__(self) -> None:
        self.ops: list[Op] = []
        self.owned = False  # the last op is our own copy, safe to change
        self.start = 0.0  # when the first of them arrived

    def take(self, batch: list[Op]) -> bool:
        """Add ``batch``; True if it holds a completion (send now)."""
        ops = self.ops
        urgent = False
        for op in batch:
            name = op["op"]
            if name == "done" or type(op.get("value")) in (int, float, bool):
                urgent = True  # a completion: a done, or a number or boolean (sent whole)
            elif ops:
                last = ops[-1]
                if last["path"] == op["path"] and last["op"] != "done" and isinstance(
                        last.get("value"), str):
                    if name == "append":
                        if not self.owned:
                            last = ops[-1] = dict(last)
                            self.owned = True
                        last["value"] += op["value"]
                        continue
                    if name == "replace" and isinstance(op["value"], str):
                        if not self.owned:
                            last = ops[-1] = dict(last)
                            self.owned = True
                        last["value"] = op["value"]
                        continue
            ops.append(op)
            self.owned = False
        return urgent

    def step(self, batch: list[Op], interval: float, clock: Callable[[], float]
             ) -> list[Op] | None:
        """Take ``batch``; the operations to send now, if it is time."""
        if not self.ops:
            self.start = clock()
        urgent = self.take(batch)
        if self.ops and (urgent or clock() - self.start >= interval):
            return self.flush()
        return None

    def flush(self) -> list[Op]:
        ops, self.ops, self.owned = self.ops, [], False
        return ops


def coalesce(batches: Iterable[list[Op]], interval: float = 0.05,
             clock: Callable[[], float] = time.monotonic) -> Iterator[list[Op]]:
    """Merge the batches that arrive within ``interval`` seconds (by ``clock``) of the first
    one gathered. A batch is sent when the next one arrives after the interval, at once if it
    holds a ``done``, and at the end."""
    gather = _Gather()
    try:
        for batch in batches:
            ready = gather.step(batch, interval, clock)
            if ready is not None:
                yield ready
    except Exception:
        if gather.ops:  # what was gathered before the source failed, then its error
            yield gather.flush()
        raise
    if gather.ops:
        yield gather.flush()


async def acoalesce(batches: AsyncIterable[list[Op]], interval: float = 0.05,
                    clock: Callable[[], float] = time.monotonic) -> AsyncIterator[list[Op]]:
    """:func:`coalesce` over an async iterable, which also sends what it gathered when the
    interval ends while the source is silent (a model pausing mid-string is not held up)."""
    gather = _Gather()
    source = aiter(batches)
    pending: asyncio.Future[list[Op]] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(source))
            if gather.ops:
                left = interval - (clock() - gather.start)
                ready, _ = await asyncio.wait({pending}, timeout=max(left, 0.0))
                if not ready:  # the interval is over and nothing came: send
                    yield gather.flush()
                    continue
            try:
                batch = await pending
            except StopAsyncIteration:
                break
            finally:
                if pending.done():
                    pending = None
            out = gather.step(batch, interval, clock)
            if out is not None:
                yield out
    except Exception:
        if gather.ops:
            yield gather.flush()
        raise
    finally:
        if pending is not None:
            pending.cancel()
    if gather.ops:
        yield gather.flush()
