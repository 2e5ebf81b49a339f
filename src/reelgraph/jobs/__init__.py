"""Jobs: priority classes, bounded queues, worker pools, cancellation and metrics.

Classes ``IMMEDIATE > VIDEO_FRAME > NORMAL > DEFERRED > BACKGROUND`` each have a bounded
queue (admission control: a full queue blocks or refuses producers), a concurrency quota
and aging (a waiting job climbs one class per ``aging`` seconds, so nothing starves).
Pools carry frame-critical, default, I/O and background work. Cancellation is
cooperative through a tree of :class:`CancelToken`; per-job time limits cancel a job's
token and resolve its handle as timed out. Queue depth, wait and run times per class are
in :class:`JobMetrics`.
"""

from __future__ import annotations

from reelgraph.jobs.cancel import CancelToken
from reelgraph.jobs.clock import Clock, ManualClock, MonotonicClock
from reelgraph.jobs.dispatch import Dispatcher
from reelgraph.jobs.handle import JobHandle, JobState, current_token
from reelgraph.jobs.interrupt import cancel_on_interrupt
from reelgraph.jobs.metrics import ClassMetrics, DurationStats, JobMetrics, JobMetricsSnapshot
from reelgraph.jobs.policy import ClassPolicy, QueuePolicy
from reelgraph.jobs.pool import WorkerPool
from reelgraph.jobs.priority import FOREGROUND, PoolKind, Priority, default_pool
from reelgraph.jobs.system import JobSystem, JobSystemConfig

__all__ = [
    "FOREGROUND",
    "CancelToken",
    "ClassMetrics",
    "ClassPolicy",
    "Clock",
    "Dispatcher",
    "DurationStats",
    "JobHandle",
    "JobMetrics",
    "JobMetricsSnapshot",
    "JobState",
    "JobSystem",
    "JobSystemConfig",
    "ManualClock",
    "MonotonicClock",
    "PoolKind",
    "Priority",
    "QueuePolicy",
    "WorkerPool",
    "cancel_on_interrupt",
    "current_token",
    "default_pool",
]
