"""The tracer: spans, counters and async intervals, kept as Chrome trace events.

A :class:`Tracer` records what the engine did and when: one span per tick, system set,
system, render-graph node, decode and encode call, and job run; one async interval per
job's wait in its queue; counters for queue depths. :meth:`Tracer.write` saves Chrome
trace-event JSON that Perfetto (ui.perfetto.dev) and ``chrome://tracing`` open.

Tracing is off unless a tracer is handed in: code that traces asks for the tracer
(an optional World resource) and takes its untraced path when there is none, so the cost
when off is one lookup per tick. Times are wall-clock diagnostics; they never reach an
output file.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from reelgraph.trace.chrome import chrome_trace_document, write_chrome_trace

__all__ = ["NULL_TRACER", "NullTracer", "Span", "SpanStats", "Tracer"]


@dataclass(frozen=True, slots=True)
class SpanStats:
    """The spans of one ``(category, name)``: how many, and their seconds."""

    count: int
    total: float
    max: float

    @property
    def mean(self) -> float:
        """Seconds per span."""
        return self.total / self.count if self.count else 0.0


class Span:
    """A context manager that records one complete event (``ph: X``) when it exits."""

    __slots__ = ("_args", "_category", "_name", "_start", "_tracer")

    def __init__(self, tracer: Tracer, name: str, category: str, args: dict[str, Any]) -> None:
        self._tracer = tracer
        self._name = name
        self._category = category
        self._args = args
        self._start = 0

    def __enter__(self) -> Span:
        self._start = self._tracer.now_ns()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self._args = {**self._args, "error": exc_type.__name__}
        self._tracer.complete(
            self._name, self._category, self._start, self._tracer.now_ns(), self._args
        )


class Tracer:
    """Records trace events from any thread.

    Args:
        keep_events: Keep every event for :meth:`write`; when False only the per-name
            totals of :meth:`stats` are kept (what ``render --metrics`` needs).
        clock_ns: Nanosecond clock (injected by tests).
        max_events: Events kept at most; later ones only count in :meth:`stats` and
            ``dropped`` says how many were not kept.
    """

    enabled = True

    def __init__(
        self,
        *,
        keep_events: bool = True,
        clock_ns: Callable[[], int] = time.perf_counter_ns,
        max_events: int = 5_000_000,
    ) -> None:
        self.now_ns = clock_ns
        self._epoch = clock_ns()
        self._keep = keep_events
        self._max_events = max_events
        self._lock = threading.Lock()
        self._events: list[dict[str, Any]] = []
        self._threads: dict[int, tuple[int, str]] = {}
        self._totals: dict[tuple[str, str], list[int]] = {}
        self._pid = os.getpid()
        self.dropped = 0

    # -- recording ------------------------------------------------------------------------

    def span(self, name: str, category: str, /, **args: Any) -> Span:
        """A context manager timing one span: ``with tracer.span("decode", "decode"):``."""
        return Span(self, name, category, args)

    def complete(
        self,
        name: str,
        category: str,
        start_ns: int,
        end_ns: int,
        args: dict[str, Any] | None = None,
    ) -> None:
        """Record a span that ran from ``start_ns`` to ``end_ns`` on this thread."""
        duration = max(0, end_ns - start_ns)
        with self._lock:
            total = self._totals.get((category, name))
            if total is None:
                self._totals[(category, name)] = [1, duration, duration]
            else:
                total[0] += 1
                total[1] += duration
                total[2] = max(total[2], duration)
            if self._keep:
                event = self._event("X", name, category, start_ns, args)
                event["dur"] = duration / 1000.0
                self._append(event)

    def instant(self, name: str, category: str, /, **args: Any) -> None:
        """Record a moment (``ph: i``) on this thread."""
        if self._keep:
            with self._lock:
                event = self._event("i", name, category, self.now_ns(), args)
                event["s"] = "t"
                self._append(event)

    def counter(self, name: str, values: dict[str, float]) -> None:
        """Record counter values (``ph: C``), e.g. queue depth per class."""
        if self._keep:
            with self._lock:
                self._append(self._event("C", name, "counter", self.now_ns(), dict(values)))

    def async_begin(self, name: str, category: str, ident: int | str, /, **args: Any) -> None:
        """Begin an interval not bound to a thread (``ph: b``), e.g. a job's queue wait."""
        if self._keep:
            with self._lock:
                event = self._event("b", name, category, self.now_ns(), args)
                event["id"] = str(ident)
                self._append(event)

    def async_end(self, name: str, category: str, ident: int | str, /, **args: Any) -> None:
        """End the interval begun with the same name, category and ident (``ph: e``)."""
        if self._keep:
            with self._lock:
                event = self._event("e", name, category, self.now_ns(), args)
                event["id"] = str(ident)
                self._append(event)

    def _event(
        self, phase: str, name: str, category: str, ts_ns: int, args: dict[str, Any] | None
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "name": name,
            "cat": category,
            "ph": phase,
            "ts": (ts_ns - self._epoch) / 1000.0,
            "pid": self._pid,
            "tid": self._tid(),
        }
        if args:
            event["args"] = {k: _plain(v) for k, v in args.items()}
        return event

    def _tid(self) -> int:
        ident = threading.get_ident()
        known = self._threads.get(ident)
        if known is None:
            known = (len(self._threads) + 1, threading.current_thread().name)
            self._threads[ident] = known
        return known[0]

    def _append(self, event: dict[str, Any]) -> None:
        if len(self._events) < self._max_events:
            self._events.append(event)
        else:
            self.dropped += 1

    # -- reading --------------------------------------------------------------------------

    def events(self) -> list[dict[str, Any]]:
        """A copy of the recorded events, in recording order."""
        with self._lock:
            return list(self._events)

    def stats(self, category: str | None = None) -> dict[tuple[str, str], SpanStats]:
        """Span totals per ``(category, name)`` (of one category if given), sorted."""
        with self._lock:
            items = sorted(self._totals.items())
        return {
            key: SpanStats(count, total / 1e9, longest / 1e9)
            for key, (count, total, longest) in items
            if category is None or key[0] == category
        }

    def document(self, **metadata: Any) -> dict[str, Any]:
        """The Chrome trace-event document (a JSON-ready dict)."""
        with self._lock:
            events = list(self._events)
            threads = sorted(self._threads.values())
        return chrome_trace_document(
            events, pid=self._pid, threads=threads, metadata={"dropped": self.dropped, **metadata}
        )

    def write(self, path: str | Path, **metadata: Any) -> Path:
        """Save the trace as Chrome trace-event JSON (atomically); returns the path.

        Raises:
            OutputWriteError: The file cannot be written.
        """
        return write_chrome_trace(Path(path), self.document(**metadata))


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


class _NullSpan:
    __slots__ = ()

    def __enter__(self) -> _NullSpan:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


_NULL_SPAN = _NullSpan()


class NullTracer:
    """A tracer that records nothing (for code that wants to call a tracer always)."""

    enabled = False
    dropped = 0

    def span(self, name: str, category: str, /, **args: Any) -> _NullSpan:
        """The shared no-op span."""
        return _NULL_SPAN

    def complete(self, *args: Any, **kwargs: Any) -> None:
        """Nothing."""

    def instant(self, *args: Any, **kwargs: Any) -> None:
        """Nothing."""

    def counter(self, *args: Any, **kwargs: Any) -> None:
        """Nothing."""

    def async_begin(self, *args: Any, **kwargs: Any) -> None:
        """Nothing."""

    def async_end(self, *args: Any, **kwargs: Any) -> None:
        """Nothing."""

    def stats(self, category: str | None = None) -> dict[tuple[str, str], SpanStats]:
        """Always empty."""
        return {}


#: The shared tracer that records nothing.
NULL_TRACER = NullTracer()
