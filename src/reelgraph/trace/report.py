"""The render report ``reelgraph render --metrics`` prints: where the time went.

Per system set (stage) and per system, per render-graph node kind, decode and encode,
the job queues (depth, wait and run per class) when a job system ran, and the frame
cache's hit rate when a cache was used. Built by
:meth:`reelgraph.trace.instruments.Instruments.collect` at the end of a render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reelgraph.jobs.metrics import JobMetricsSnapshot
from reelgraph.trace.tracer import SpanStats

__all__ = ["RenderReport", "TimedName"]


@dataclass(frozen=True, slots=True)
class TimedName:
    """Time spent under one name: calls, total and longest seconds."""

    name: str
    count: int
    total: float
    max: float

    @classmethod
    def of(cls, name: str, stats: SpanStats) -> TimedName:
        """From a tracer's span totals."""
        return cls(name, stats.count, stats.total, stats.max)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (seconds)."""
        return {"name": self.name, "count": self.count, "total_s": self.total, "max_s": self.max}


@dataclass(frozen=True, slots=True)
class RenderReport:
    """Where a render's time went.

    Attributes:
        ticks: Schedule runs (one per rendered output frame, cached ones included).
        stages: Seconds per system set, in tick order.
        systems: Seconds per system (from the schedule's own timings).
        nodes: Render-graph node spans per kind, most expensive first.
        io: Decode and encode spans per name, most expensive first.
        jobs: The job queues' metrics, if a job system ran.
        cache: The frame cache's counters and hit rate, if a cache was used.
    """

    ticks: int = 0
    stages: tuple[TimedName, ...] = ()
    systems: tuple[TimedName, ...] = ()
    nodes: tuple[TimedName, ...] = ()
    io: tuple[TimedName, ...] = ()
    jobs: JobMetricsSnapshot | None = None
    cache: dict[str, float] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (``render --json --metrics``)."""
        return {
            "ticks": self.ticks,
            "stages": [s.to_dict() for s in self.stages],
            "systems": [s.to_dict() for s in self.systems],
            "nodes": [n.to_dict() for n in self.nodes],
            "io": [n.to_dict() for n in self.io],
            "jobs": None if self.jobs is None else self.jobs.to_dict(),
            "cache": self.cache,
        }

    def format(self) -> str:
        """A text report, times in milliseconds, per tick where it helps."""
        per = max(self.ticks, 1)
        lines = [f"metrics over {self.ticks} tick(s)"]
        sections: list[tuple[str, tuple[TimedName, ...]]] = [
            ("system set", self.stages),
            ("system", self.systems),
            ("node", self.nodes),
            ("decode/encode", self.io),
        ]
        for title, rows in sections:
            if not rows:
                continue
            lines.append(f"{title:<24}{'calls':>8}{'total ms':>11}{'ms/tick':>9}{'max ms':>9}")
            for row in rows:
                lines.append(
                    f"  {row.name:<22}{row.count:>8}{row.total * 1e3:>11.1f}"
                    f"{row.total * 1e3 / per:>9.2f}{row.max * 1e3:>9.2f}"
                )
        if self.jobs is not None:
            lines.append(self.jobs.format())
        else:
            lines.append("jobs: no job system ran in this render")
        if self.cache is not None:
            hits = self.cache.get("memory_hits", 0) + self.cache.get("disk_hits", 0)
            lines.append(
                f"cache: hit rate {self.cache.get('hit_rate', 0.0):.1%} "
                f"({hits:.0f} hits, {self.cache.get('memory_misses', 0):.0f} memory misses, "
                f"{self.cache.get('disk_misses', 0):.0f} disk misses)"
            )
        return "\n".join(lines)
