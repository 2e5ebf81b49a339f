"""Instruments for one render: a tracer, per-system timings, a cancellation token.

:class:`Instruments` is handed to :class:`~reelgraph.engine.engine.Engine` (and through
:func:`~reelgraph.export.job.export_project`); :meth:`Instruments.install` puts what it
holds into the engine's World as optional resources, and :meth:`Instruments.collect`
builds the :class:`~reelgraph.trace.report.RenderReport` before the engine closes::

    instruments = Instruments(tracer=Tracer(), metrics=True, token=CancelToken("render"))
    export_project(document, "out.mp4", settings, instruments=instruments)
    instruments.tracer.write("trace.json")
    print(instruments.report.format())

Nothing here changes what is rendered: the tracer only observes, and the token only
stops a render (at the start of a tick) when cancelled.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reelgraph.jobs.cancel import CancelToken
from reelgraph.trace.backend import TracedBackend
from reelgraph.trace.plugins import trace_plugin_host
from reelgraph.trace.report import RenderReport, TimedName
from reelgraph.trace.tracer import Tracer

if TYPE_CHECKING:
    from reelgraph.engine.engine import Engine

__all__ = ["Instruments"]


@dataclass
class Instruments:
    """What a render is observed and stopped with.

    Attributes:
        tracer: Records spans (per set, system, node, decode, encode, job) when given.
        metrics: Collect per-system timings and build :attr:`report` at the end.
        token: The render's root token; cancelling it (Ctrl-C) stops the render at the
            start of the next tick with ``jobs.cancelled``.
        report: Filled by :meth:`collect`.
    """

    tracer: Tracer | None = None
    metrics: bool = False
    token: CancelToken | None = None
    report: RenderReport | None = None

    def install(self, engine: Engine) -> None:
        """Put the tracer and token into the engine's World and instrument its schedule."""
        from reelgraph.engine.resources import RenderBackend

        world = engine.world
        tracer = self.tracer if self.tracer is not None and self.tracer.enabled else None
        if tracer is not None:
            world.insert_resource(tracer)
            backend = world.resource(RenderBackend).backend
            if not isinstance(backend, TracedBackend):
                world.insert_resource(RenderBackend(TracedBackend(backend, tracer)))
            if getattr(engine, "plugins", None) is not None:
                trace_plugin_host(engine.plugins, tracer)
        if self.token is not None:
            world.insert_resource(self.token)
        # With a tracer the system spans carry the timings; without one the schedule keeps them.
        engine.schedule.instrument(tracer=tracer, collect_timings=self.metrics and tracer is None)

    def collect(self, engine: Engine) -> RenderReport:
        """Build (and keep in :attr:`report`) the render's report."""
        stats = self.tracer.stats() if self.tracer is not None else {}

        def rows(category: str) -> tuple[TimedName, ...]:
            found = [TimedName.of(name, s) for (cat, name), s in stats.items() if cat == category]
            return tuple(sorted(found, key=lambda row: (-row.total, row.name)))

        stage_order = {"INGEST": 0, "DECODE": 1, "GRAPH_EVAL": 2, "COMPOSITE": 3, "OUTPUT": 4}
        stages = tuple(sorted(rows("stage"), key=lambda r: (stage_order.get(r.name, 9), r.name)))
        ticks = sum(s.count for (cat, _), s in stats.items() if cat == "tick")
        systems = tuple(
            TimedName(name, 0, seconds, 0.0)
            for name, seconds in sorted(engine.schedule.timings.items(), key=lambda kv: -kv[1])
        )
        if self.tracer is not None:
            systems = rows("system")
        self.report = RenderReport(
            ticks=ticks,
            stages=stages,
            systems=systems,
            nodes=rows("node"),
            io=tuple(sorted(rows("decode") + rows("encode"), key=lambda r: -r.total)),
            jobs=_job_metrics(engine),
            cache=_cache_metrics(engine),
        )
        return self.report


def _job_metrics(engine: Engine) -> Any:
    from reelgraph.jobs.system import JobSystem

    jobs = engine.world.get_resource(JobSystem)
    return None if jobs is None else jobs.metrics.snapshot()


def _cache_metrics(engine: Engine) -> dict[str, float] | None:
    # The cache layer is optional for this module: read it only if it is there.
    try:
        cache_module = importlib.import_module("reelgraph.cache")
    except ImportError:
        return None
    frame_cache = getattr(cache_module, "FrameCache", None)
    if frame_cache is None:
        return None
    cache = engine.world.get_resource(frame_cache)
    metrics = getattr(cache, "metrics", None)
    to_dict = getattr(metrics, "to_dict", None)
    return dict(to_dict()) if callable(to_dict) else None
