"""What one bridge stream did, and when: :class:`StreamStats`.

The bridges' reading loop (``bridges._reader``) notes each step here: a byte arrived, a provider
event gave content, a value completed, the stream ended. Times are seconds since the stream began
on an injectable clock (a test passes a fake one); ``cpu`` is the time of the bridge's own
processing steps, waiting excluded (``cpu_clock``). At the end, one ``logging`` record (logger
``partialjson``) and, when ``opentelemetry-api`` is installed, one span with its events.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from ._events import ValueCompleted
from .bridges._events import JsonEvent, OutputComplete, Restarted, ToolCallComplete

Outcome = Literal["complete", "violation", "truncated", "cancelled", "failed"]

logger = logging.getLogger("partialjson")
logger.addHandler(logging.NullHandler())  # a library says nothing unless the app configures it

# gen_ai.system for each bridge module (the OpenTelemetry GenAI conventions' names)
_SYSTEMS = {"gemini": "gcp.gemini"}


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``, None if there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(eq=False)
class StreamStats:
    """The figures of one bridge stream (``stream.stats``), filled in as it streams.

    Every time is in seconds from the start of the stream (the first read), None until it
    happens. Pass ``StreamStats(clock=..., cpu_clock=...)`` as ``stream(..., stats=...)`` to
    read time from other clocks (a test's fake one).
    """

    system: str | None = None  #: the provider: "anthropic", "openai", ...
    outcome: Outcome | None = None  #: how it ended; None while it streams
    time_to_first_byte: float | None = None  #: the first event (or body bytes) received
    time_to_first_delta: float | None = None  #: the first piece of text
    time_to_valid: float | None = None  #: the first tool call or output complete and valid
    duration: float | None = None  #: start to end
    fields: dict[tuple[Any, tuple[str | int, ...]], float] = field(default_factory=dict)
    """(part, path) -> when that value completed, for every value of every JSON part."""
    deltas: int = 0  #: pieces of text received (the provider's deltas)
    bytes: int = 0  #: bytes received: the body of a raw stream, else the parts' text (UTF-8)
    cpu: float = 0.0  #: seconds partialjson worked (splitting, parsing, validating): no waiting
    restarts: int = 0  #: attempts that failed and were started again (``retry=``)
    resumes: int = 0  #: dropped connections resumed where they stopped (``resume=``)
    error: Exception | None = None  #: the error the stream ended with
    gaps: list[float] = field(default_factory=list, repr=False)
    """The time between consecutive deltas."""
    clock: Callable[[], float] = field(default=time.perf_counter, repr=False)
    cpu_clock: Callable[[], float] = field(default=time.perf_counter, repr=False)
    """Times each of partialjson's own steps for ``cpu``. No step waits, so on the default
    clock that is the CPU time unless the thread was preempted; ``time.thread_time`` counts
    CPU time only, but costs about 2 µs more per event."""

    def __post_init__(self) -> None:
        self._start: float | None = None
        self._last_delta: float | None = None
        self._wire = False  # bytes counted from a raw body
        self._span: Any = None

    # -- derived figures -------------------------------------------------------------------
    @property
    def gap_p50(self) -> float | None:
        return percentile(self.gaps, 0.50)

    @property
    def gap_p90(self) -> float | None:
        return percentile(self.gaps, 0.90)

    @property
    def gap_p99(self) -> float | None:
        return percentile(self.gaps, 0.99)

    def as_dict(self) -> dict[str, Any]:
        """The figures as plain JSON values (paths joined ``$.a.b[0]``-style)."""
        return {
            "system": self.system,
            "outcome": self.outcome,
            "time_to_first_byte": self.time_to_first_byte,
            "time_to_first_delta": self.time_to_first_delta,
            "time_to_valid": self.time_to_valid,
            "duration": self.duration,
            "deltas": self.deltas,
            "bytes": self.bytes,
            "gap_p50": self.gap_p50,
            "gap_p90": self.gap_p90,
            "gap_p99": self.gap_p99,
            "cpu": self.cpu,
            "restarts": self.restarts,
            "resumes": self.resumes,
            "fields": {f"{part} {_path(path)}": at for (part, path), at in self.fields.items()},
        }

    def summary(self) -> str:
        """One line for a log or a terminal."""
        def ms(value: float | None) -> str:
            return "-" if value is None else f"{value * 1e3:.1f} ms"

        return (f"{self.system or 'bridge'} stream {self.outcome or 'open'} in "
                f"{ms(self.duration)}: first byte {ms(self.time_to_first_byte)}, first delta "
                f"{ms(self.time_to_first_delta)}, valid {ms(self.time_to_valid)}; "
                f"{self.deltas:,} deltas, {self.bytes:,} bytes, gaps p50 {ms(self.gap_p50)} "
                f"p90 {ms(self.gap_p90)} p99 {ms(self.gap_p99)}; {len(self.fields):,} values "
                f"complete; CPU {ms(self.cpu)}" + (f"; {self.restarts} restarts"
                                                   if self.restarts else ""))

    # -- what the reading loop notes ---------------------------------------------------------
    def _now(self) -> float:
        if self._start is None:
            self._begin()
        return self.clock() - (self._start or 0.0)

    def _begin(self) -> None:
        if self._start is not None:
            return
        self._start = self.clock()
        self._span = _open_span(self.system)

    def _received(self, size: int | None = None) -> None:
        """Something arrived: a provider event, or ``size`` bytes of a raw body."""
        if self.time_to_first_byte is None:
            self.time_to_first_byte = self._now()
            _span_event(self._span, "partialjson.first_byte")
        if size is not None:
            self._wire = True
            self.bytes += size

    def _events(self, events: list[Any], deltas: int = 0) -> None:
        """The events one provider event gave, and the pieces of text it carried."""
        now: float | None = None
        if deltas:
            now = self.clock() - self._start if self._start is not None else self._now()
            self.deltas += deltas
            if self.time_to_first_delta is None:
                self.time_to_first_delta = now
                _span_event(self._span, "partialjson.first_delta")
            if self._last_delta is not None:
                self.gaps.append(now - self._last_delta)
            self._last_delta = now
        for event in events:
            kind = type(event)
            if kind is JsonEvent:
                if type(event.event) is ValueCompleted and event.event.path:
                    path = tuple(event.event.path)
                    self.fields[(event.part, path)] = self._now() if now is None else now
                    if len(path) == 1 and self._span is not None:
                        _span_event(self._span, "partialjson.field_completed",
                                    {"partialjson.path": _path(path)})
            elif kind is ToolCallComplete or kind is OutputComplete:
                if self.time_to_valid is None:
                    self.time_to_valid = self._now()
                    _span_event(self._span, "partialjson.valid")
            elif kind is Restarted:
                self.restarts += 1
                self._last_delta = None  # a gap across a restart is no delta's
                _span_event(self._span, "partialjson.restarted")

    def _end(self, outcome: Outcome, error: Exception | None, texts: dict[Any, str]) -> None:
        if self.outcome is not None:
            return
        self.outcome, self.error = outcome, error
        self.duration = self._now()
        if not self._wire:
            self.bytes = sum(len(text.encode()) for text in texts.values())
        level = logging.INFO if outcome in ("complete", "cancelled") else logging.WARNING
        if logger.isEnabledFor(level):
            logger.log(level, "%s", self.summary(), extra={"stats": self})
        _close_span(self._span, self)
        self._span = None


def _path(path: tuple[str | int, ...]) -> str:
    return "$" + "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path)


def system_of(translator: Any) -> str:
    """gen_ai.system for a bridge, from its module's name (``...bridges.anthropic``)."""
    name = type(translator).__module__.rsplit(".", 1)[-1]
    return _SYSTEMS.get(name, name)


# -- OpenTelemetry: only when its API is installed ---------------------------------------------
def _open_span(system: str | None) -> Any:
    try:
        from opentelemetry import trace
    except ImportError:
        return None
    attributes = {"gen_ai.operation.name": "chat", "gen_ai.system": system or "unknown"}
    span = trace.get_tracer("partialjson").start_span(f"chat {system or 'stream'}",
                                                      attributes=attributes)
    return span if span.is_recording() else None  # (no SDK configured: nothing to record)


def _span_event(span: Any, name: str, attributes: dict[str, Any] | None = None) -> None:
    if span is not None:
        span.add_event(name, attributes or {})


def _close_span(span: Any, stats: StreamStats) -> None:
    if span is None:
        return
    from opentelemetry.trace import Status, StatusCode

    figures = {"outcome": stats.outcome, "time_to_first_byte": stats.time_to_first_byte,
               "time_to_first_delta": stats.time_to_first_delta,
               "time_to_valid": stats.time_to_valid, "duration": stats.duration,
               "deltas": stats.deltas, "bytes": stats.bytes, "gap_p50": stats.gap_p50,
               "gap_p90": stats.gap_p90, "gap_p99": stats.gap_p99, "cpu": stats.cpu,
               "restarts": stats.restarts, "resumes": stats.resumes}
    for name, value in figures.items():
        if value is not None:
            span.set_attribute(f"partialjson.{name}", value)
    if stats.outcome not in ("complete", "cancelled"):
        span.set_attribute("error.type", type(stats.error).__name__ if stats.error
                           else stats.outcome or "failed")
        span.set_status(Status(StatusCode.ERROR, str(stats.error or stats.outcome)))
    span.end()
