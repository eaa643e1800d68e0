"""How a bridge stream starts again after a failure: :class:`RetryPolicy`."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from .bridges._events import Cancelled, StreamFailed


@dataclass(frozen=True)
class RetryPolicy:
    """Retry a stream that failed, from the start, a bounded number of times.

    ``stream(factory, retry=pj.RetryPolicy(...))``: ``factory`` opens a new stream (a callable,
    e.g. ``lambda: client.messages.create(..., stream=True)``). When an attempt fails with one
    of ``on`` (the bridge's error or any exception in its ``__cause__`` chain, such as the
    SDK's ``APIConnectionError``), the stream waits, announces a ``pj.Restarted`` event, and
    reads a new attempt from the start with fresh parsers.

    The wait before restart ``n`` (1, 2, ...) is ``backoff * 2 ** (n - 1)`` seconds, at most
    ``max_delay``, less a random share of up to ``jitter`` of it (so that clients failing
    together do not retry together). A cancelled stream is never retried.
    """

    attempts: int = 3  #: attempts in all, the first included
    backoff: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.5
    on: tuple[type[BaseException], ...] = (StreamFailed,)

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.backoff < 0 or self.max_delay < 0:
            raise ValueError("RetryPolicy: attempts >= 1, backoff and max_delay >= 0")
        if not 0 <= self.jitter <= 1:
            raise ValueError("RetryPolicy: jitter is a share, from 0 to 1")

    def delay(self, restart: int) -> float:
        """Seconds to wait before restart number ``restart`` (1 for the first)."""
        base = min(self.max_delay, self.backoff * 2.0 ** (restart - 1))
        return base * (1.0 - self.jitter * random.random())

    def retries(self, error: BaseException, attempt: int) -> bool:
        """Whether attempt number ``attempt``, failed with ``error``, is followed by another."""
        if attempt >= self.attempts or isinstance(error, Cancelled):
            return False
        return any(isinstance(cause, self.on) for cause in _chain(error))


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__
