"""The job system: four pools, one root token, one metrics store, one join.

Work is routed by kind of work (frame-critical, default, I/O, background) and ordered by
priority class inside each pool. It is a World resource, so systems submit to it and
``render --metrics`` reads its metrics after a render::

    with JobSystem() as jobs:
        handle = jobs.submit(decode_tile, tile, priority=Priority.VIDEO_FRAME)
        jobs.join()                      # foreground work done
        picture = handle.result()

Pool sizes are settings, never the machine's core count: what the engine writes never
depends on how many threads ran it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reelgraph.jobs.cancel import CancelToken
from reelgraph.jobs.clock import Clock, MonotonicClock
from reelgraph.jobs.handle import JobHandle
from reelgraph.jobs.metrics import JobMetrics
from reelgraph.jobs.outstanding import Outstanding
from reelgraph.jobs.policy import QueuePolicy
from reelgraph.jobs.pool import WorkerPool
from reelgraph.jobs.priority import FOREGROUND, PoolKind, Priority, default_pool

if TYPE_CHECKING:
    from reelgraph.trace.tracer import Tracer

__all__ = ["JobSystem", "JobSystemConfig"]


@dataclass(frozen=True, slots=True)
class JobSystemConfig:
    """Pool sizes and queue rules of a job system.

    Attributes:
        workers: Threads per pool kind.
        policy: Capacities, quotas and aging per class (the same on every pool).
        watchdog_interval: Real seconds between time-limit checks (None: no watchdog;
            tests call :meth:`JobSystem.expire_overdue` with a manual clock instead).
    """

    workers: dict[PoolKind, int] = field(
        default_factory=lambda: {
            PoolKind.FRAME: 2,
            PoolKind.DEFAULT: 2,
            PoolKind.IO: 2,
            PoolKind.BACKGROUND: 1,
        }
    )
    policy: QueuePolicy = field(default_factory=QueuePolicy)
    watchdog_interval: float | None = 0.05


class JobSystem:
    """Pools by kind of work, sharing a root token, metrics and a join counter.

    Args:
        config: Pool sizes and queue rules.
        clock: The clock of waits, runs, aging and time limits.
        tracer: Records job waits and runs (when enabled).
        root: The root token (default: a new one named ``"jobs"``); cancelling it
            cancels every job.
        start: Start the pools' threads now.
    """

    def __init__(
        self,
        config: JobSystemConfig | None = None,
        *,
        clock: Clock | None = None,
        tracer: Tracer | None = None,
        root: CancelToken | None = None,
        start: bool = True,
    ) -> None:
        self.config = config or JobSystemConfig()
        self.clock: Clock = clock if clock is not None else MonotonicClock()
        self.root = root if root is not None else CancelToken("jobs", clock=self.clock)
        self.metrics = JobMetrics()
        self._outstanding = Outstanding()
        ids = itertools.count(1)
        self._pools = {
            kind: WorkerPool(
                kind,
                self.config.workers.get(kind, 1),
                policy=self.config.policy,
                clock=self.clock,
                metrics=self.metrics,
                tracer=tracer,
                outstanding=self._outstanding,
                ids=ids,
                root=self.root,
                watchdog_interval=self.config.watchdog_interval,
                start=start,
            )
            for kind in PoolKind
        }

    def pool(self, kind: PoolKind | str) -> WorkerPool:
        """One of the pools."""
        return self._pools[PoolKind(kind)]

    def start(self) -> None:
        """Start every pool's threads (when made with ``start=False``)."""
        for pool in self._pools.values():
            pool.start()

    def submit(
        self,
        fn: Callable[..., Any],
        /,
        *args: Any,
        priority: Priority = Priority.NORMAL,
        pool: PoolKind | str | None = None,
        token: CancelToken | None = None,
        timeout: float | None = None,
        name: str | None = None,
        wait: float | None = None,
        **kwargs: Any,
    ) -> JobHandle:
        """Queue ``fn(*args, **kwargs)`` on ``pool`` (default: by priority).

        See :meth:`WorkerPool.submit` for the arguments; blocks while the class's queue
        on that pool is full, up to ``wait`` real seconds.

        Raises:
            QueueFullError: The queue stayed full.
            JobSystemClosedError: The job system is closed.
        """
        target = self._pools[PoolKind(pool) if pool is not None else default_pool(priority)]
        return target.submit(
            fn,
            *args,
            priority=priority,
            token=token,
            timeout=timeout,
            name=name,
            wait=wait,
            **kwargs,
        )

    def try_submit(
        self,
        fn: Callable[..., Any],
        /,
        *args: Any,
        priority: Priority = Priority.NORMAL,
        pool: PoolKind | str | None = None,
        token: CancelToken | None = None,
        timeout: float | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> JobHandle | None:
        """Queue the job if its class has room now; None (falsy) if the queue is full."""
        target = self._pools[PoolKind(pool) if pool is not None else default_pool(priority)]
        return target.try_submit(
            fn, *args, priority=priority, token=token, timeout=timeout, name=name, **kwargs
        )

    def join(
        self,
        *,
        background: bool = False,
        timeout: float | None = None,
        token: CancelToken | None = None,
    ) -> None:
        """Wait until frame and normal work (and, with ``background``, all work) is done.

        With ``token``, the wait also ends (without error) as soon as it is cancelled.

        Raises:
            JobTimeoutError: Work was left after ``timeout`` real seconds (``phase="join"``).
        """
        classes = tuple(Priority) if background else FOREGROUND
        self._outstanding.wait_idle(classes, timeout, token=token)

    @contextmanager
    def foreground(self, priority: Priority = Priority.VIDEO_FRAME) -> Iterator[None]:
        """Count the caller's own work as one unfinished ``priority`` job while the block runs.

        Work done on the caller's thread (an engine rendering the frame a viewer asked
        for) is no job of a pool, yet background work must yield to it as to one: inside
        the block a foreground :meth:`join` waits, and jobs that wait for foreground work
        before each step (proxy builds) hold back until the block ends.

        Raises:
            ValueError: ``priority`` is not a foreground class.
        """
        if not priority.is_foreground:
            raise ValueError(f"{priority.label} is not a foreground class")
        self._outstanding.add(priority)
        try:
            yield
        finally:
            self._outstanding.done(priority)

    def unfinished(self, *, background: bool = True) -> int:
        """Jobs queued or running (foreground only unless ``background``)."""
        return self._outstanding.count(tuple(Priority) if background else FOREGROUND)

    def cancel(self, reason: str = "cancelled") -> None:
        """Cancel the root token: queued jobs never run, running ones see their tokens."""
        self.root.cancel(reason)

    def expire_overdue(self) -> int:
        """Time out running jobs past their limits, on every pool; returns how many."""
        return sum(pool.expire_overdue() for pool in self._pools.values())

    def close(self, *, cancel_queued: bool = False) -> None:
        """Stop every pool (running, or with ``cancel_queued`` cancelling, queued work)."""
        for pool in self._pools.values():
            pool.close(cancel_queued=cancel_queued)

    def __enter__(self) -> JobSystem:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close(cancel_queued=exc[0] is not None)
