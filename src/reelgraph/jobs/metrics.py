"""Job metrics: queue depth, wait time and run time per pool and priority class.

:class:`JobMetrics` is written by the pools (thread-safe) and read as an immutable
:class:`JobMetricsSnapshot`, which ``reelgraph render --metrics`` prints and the bench
harness records. Percentiles are nearest-rank over the most recent samples (a bounded
window, so memory stays flat however many jobs run). Times come from the pool's clock.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reelgraph.jobs.priority import Priority

__all__ = ["ClassMetrics", "DurationStats", "JobMetrics", "JobMetricsSnapshot"]


@dataclass(frozen=True, slots=True)
class DurationStats:
    """A summary of durations in seconds."""

    count: int = 0
    total: float = 0.0
    mean: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    max: float = 0.0

    @classmethod
    def of(
        cls, samples: Iterable[float], count: int, total: float, maximum: float
    ) -> DurationStats:
        """Summarize ``count`` durations adding up to ``total``; ``samples`` is a window."""
        window = sorted(samples)
        return cls(
            count=count,
            total=total,
            mean=total / count if count else 0.0,
            p50=_nearest_rank(window, 0.50),
            p95=_nearest_rank(window, 0.95),
            max=maximum,
        )

    def to_dict(self) -> dict[str, float]:
        """JSON-ready fields (seconds)."""
        return {
            "count": self.count,
            "total": self.total,
            "mean": self.mean,
            "p50": self.p50,
            "p95": self.p95,
            "max": self.max,
        }


def _nearest_rank(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class ClassMetrics:
    """What one priority class did on one pool (or on all pools, when ``pool`` is ``*``)."""

    pool: str
    priority: Priority
    submitted: int
    rejected: int
    started: int
    completed: int
    failed: int
    cancelled: int
    timed_out: int
    depth: int
    max_depth: int
    running: int
    wait: DurationStats
    run: DurationStats

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "pool": self.pool,
            "priority": self.priority.label,
            "submitted": self.submitted,
            "rejected": self.rejected,
            "started": self.started,
            "completed": self.completed,
            "failed": self.failed,
            "cancelled": self.cancelled,
            "timed_out": self.timed_out,
            "depth": self.depth,
            "max_depth": self.max_depth,
            "running": self.running,
            "wait_s": self.wait.to_dict(),
            "run_s": self.run.to_dict(),
        }


@dataclass
class _Tally:
    samples: int
    submitted: int = 0
    rejected: int = 0
    started: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    timed_out: int = 0
    depth: int = 0
    max_depth: int = 0
    running: int = 0
    wait_count: int = 0
    wait_total: float = 0.0
    wait_max: float = 0.0
    run_count: int = 0
    run_total: float = 0.0
    run_max: float = 0.0
    waits: deque[float] = field(init=False)
    runs: deque[float] = field(init=False)

    def __post_init__(self) -> None:
        self.waits = deque(maxlen=self.samples)
        self.runs = deque(maxlen=self.samples)


_OUTCOMES = ("completed", "failed", "cancelled", "timed_out")


def _merge(pool: str, priority: Priority, tallies: list[_Tally]) -> ClassMetrics:
    def total(name: str) -> int:
        return sum(int(getattr(t, name)) for t in tallies)

    return ClassMetrics(
        pool=pool,
        priority=priority,
        submitted=total("submitted"),
        rejected=total("rejected"),
        started=total("started"),
        completed=total("completed"),
        failed=total("failed"),
        cancelled=total("cancelled"),
        timed_out=total("timed_out"),
        depth=total("depth"),
        max_depth=max((t.max_depth for t in tallies), default=0),
        running=total("running"),
        wait=DurationStats.of(
            [s for t in tallies for s in t.waits],
            total("wait_count"),
            sum(t.wait_total for t in tallies),
            max((t.wait_max for t in tallies), default=0.0),
        ),
        run=DurationStats.of(
            [s for t in tallies for s in t.runs],
            total("run_count"),
            sum(t.run_total for t in tallies),
            max((t.run_max for t in tallies), default=0.0),
        ),
    )


@dataclass(frozen=True, slots=True)
class JobMetricsSnapshot:
    """The metrics at one moment.

    Attributes:
        classes: One row per ``(pool, class)`` that saw a job, by pool name then class.
        totals: One row per class, summed over every pool (``pool == "*"``), most
            urgent first.
    """

    classes: tuple[ClassMetrics, ...] = ()
    totals: tuple[ClassMetrics, ...] = ()

    def for_class(self, priority: Priority, pool: str | None = None) -> ClassMetrics:
        """One class on one pool, or summed over every pool (``pool=None``).

        Raises:
            KeyError: No job of that class was seen on that pool.
        """
        rows = self.totals if pool is None else self.classes
        for row in rows:
            if row.priority is priority and (pool is None or row.pool == pool):
                return row
        raise KeyError((pool, priority))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: per pool and class, and per class over all pools."""
        return {
            "per_pool": [c.to_dict() for c in self.classes],
            "per_class": [c.to_dict() for c in self.totals],
        }

    def format(self) -> str:
        """A text table: one row per class that saw any job, times in milliseconds."""
        rows = [c for c in self.totals if c.submitted or c.rejected]
        if not rows:
            return "jobs: none submitted"
        lines = [
            f"{'class':<12}{'done':>7}{'fail':>6}{'cncl':>6}{'tmo':>5}{'rej':>6}"
            f"{'depth':>7}{'max':>6}{'wait p50':>10}{'p95':>9}{'run p50':>10}{'p95':>9}"
        ]
        for c in rows:
            lines.append(
                f"{c.priority.label:<12}{c.completed:>7}{c.failed:>6}{c.cancelled:>6}"
                f"{c.timed_out:>5}{c.rejected:>6}{c.depth:>7}{c.max_depth:>6}"
                f"{c.wait.p50 * 1e3:>10.2f}{c.wait.p95 * 1e3:>9.2f}"
                f"{c.run.p50 * 1e3:>10.2f}{c.run.p95 * 1e3:>9.2f}"
            )
        return "\n".join(lines)


class JobMetrics:
    """Thread-safe counters and time windows, written by pools and read as snapshots.

    Args:
        samples: How many recent waits and runs per ``(pool, class)`` percentiles use.
    """

    def __init__(self, *, samples: int = 2048) -> None:
        self._samples = samples
        self._lock = threading.Lock()
        self._tallies: dict[tuple[str, Priority], _Tally] = {}

    def _tally(self, pool: str, priority: Priority) -> _Tally:
        key = (pool, priority)
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = _Tally(self._samples)
        return tally

    def submitted(self, pool: str, priority: Priority, depth: int) -> None:
        """A job was queued; ``depth`` is its class's queue length after it."""
        with self._lock:
            tally = self._tally(pool, priority)
            tally.submitted += 1
            tally.depth = depth
            tally.max_depth = max(tally.max_depth, depth)

    def rejected(self, pool: str, priority: Priority) -> None:
        """A submission was refused because the class's queue stayed full."""
        with self._lock:
            self._tally(pool, priority).rejected += 1

    def dequeued(self, pool: str, priority: Priority, depth: int, wait: float | None) -> None:
        """A job left its queue: started after ``wait`` seconds, or cancelled (None)."""
        with self._lock:
            tally = self._tally(pool, priority)
            tally.depth = depth
            if wait is None:
                return
            tally.started += 1
            tally.running += 1
            tally.wait_count += 1
            tally.wait_total += wait
            tally.wait_max = max(tally.wait_max, wait)
            tally.waits.append(wait)

    def ran(self, pool: str, priority: Priority, seconds: float) -> None:
        """A job's callable returned (or raised) after ``seconds``."""
        with self._lock:
            tally = self._tally(pool, priority)
            tally.running -= 1
            tally.run_count += 1
            tally.run_total += seconds
            tally.run_max = max(tally.run_max, seconds)
            tally.runs.append(seconds)

    def ended(self, pool: str, priority: Priority, outcome: str) -> None:
        """A job's handle was resolved: ``completed``, ``failed``, ``cancelled``, ``timed_out``."""
        if outcome not in _OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        with self._lock:
            tally = self._tally(pool, priority)
            setattr(tally, outcome, getattr(tally, outcome) + 1)

    def snapshot(self) -> JobMetricsSnapshot:
        """The metrics now, as immutable values."""
        with self._lock:
            keys = sorted(self._tallies, key=lambda key: (key[0], key[1]))
            rows = [
                _merge(pool, priority, [self._tallies[pool, priority]]) for pool, priority in keys
            ]
            totals = [
                _merge("*", priority, [t for (_, p), t in self._tallies.items() if p is priority])
                for priority in Priority
                if any(p is priority for _, p in self._tallies)
            ]
        return JobMetricsSnapshot(tuple(rows), tuple(totals))
