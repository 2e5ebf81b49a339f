"""A pool of worker threads serving per-class bounded queues.

FFmpeg and numpy release the GIL, so threads carry decode, encode and pixel work. A pool
takes jobs through its :class:`~reelgraph.jobs.dispatch.Dispatcher` (priorities, quotas,
aging), pushes back on producers when a class's queue is full, runs each job under its
own cancellation token, enforces per-job time limits, and reports to
:class:`~reelgraph.jobs.metrics.JobMetrics` and, when given, to a tracer.

Locking: one condition guards the dispatcher and the pool's state; callables, handle
callbacks and token callbacks always run outside it.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from reelgraph.errors import (
    JobCancelledError,
    JobSystemClosedError,
    JobTimeoutError,
    QueueFullError,
)
from reelgraph.jobs.cancel import CancelToken
from reelgraph.jobs.clock import Clock, MonotonicClock
from reelgraph.jobs.dispatch import Dispatcher
from reelgraph.jobs.handle import Job, JobHandle, JobState
from reelgraph.jobs.metrics import JobMetrics
from reelgraph.jobs.outstanding import Outstanding
from reelgraph.jobs.policy import QueuePolicy
from reelgraph.jobs.priority import FOREGROUND, PoolKind, Priority

if TYPE_CHECKING:
    from reelgraph.trace.tracer import Tracer

__all__ = ["WorkerPool"]

_OUTCOME = {
    JobState.DONE: "completed",
    JobState.FAILED: "failed",
    JobState.CANCELLED: "cancelled",
    JobState.TIMED_OUT: "timed_out",
}


class WorkerPool:
    """Worker threads taking jobs from per-class bounded queues.

    Args:
        kind: The pool's kind (its name in metrics and thread names).
        workers: How many threads (a setting, never the machine's core count).
        policy: Capacities, quotas and aging per class.
        clock: Where wait times, run times, aging and time limits are read.
        metrics: Where to report (a fresh :class:`JobMetrics` if None).
        tracer: Records job waits and runs when given and enabled.
        outstanding: The join counter shared with other pools (a fresh one if None).
        ids: Shared job-id counter, so ids are unique across a job system's pools.
        root: The token every job's token descends from.
        watchdog_interval: Real seconds between checks for jobs past their time limit;
            None: no watchdog thread (call :meth:`expire_overdue` yourself, as tests do).
        start: Start the workers now; otherwise call :meth:`start`.
    """

    def __init__(
        self,
        kind: PoolKind | str,
        workers: int,
        *,
        policy: QueuePolicy | None = None,
        clock: Clock | None = None,
        metrics: JobMetrics | None = None,
        tracer: Tracer | None = None,
        outstanding: Outstanding | None = None,
        ids: Iterator[int] | None = None,
        root: CancelToken | None = None,
        watchdog_interval: float | None = None,
        start: bool = True,
    ) -> None:
        if workers < 1:
            raise ValueError(f"a pool needs at least one worker, got {workers}")
        self.kind = PoolKind(kind)
        self._workers = workers
        self._clock: Clock = clock if clock is not None else MonotonicClock()
        self._dispatcher = Dispatcher(policy or QueuePolicy())
        self._metrics = metrics if metrics is not None else JobMetrics()
        self._tracer = tracer if tracer is not None and tracer.enabled else None
        self._outstanding = outstanding if outstanding is not None else Outstanding()
        self._ids = ids if ids is not None else itertools.count(1)
        self._root = root if root is not None else CancelToken(self.kind.value, clock=self._clock)
        self._cond = threading.Condition(threading.RLock())
        self._running_jobs: dict[int, Job] = {}
        self._blocked = 0
        self._closing = False
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._watchdog_interval = watchdog_interval
        if start:
            self.start()

    # -- life -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker threads (and the watchdog); does nothing if started."""
        with self._cond:
            if self._threads:
                return
            for number in range(self._workers):
                thread = threading.Thread(
                    target=self._work, name=f"reelgraph-{self.kind.value}-{number}", daemon=True
                )
                self._threads.append(thread)
            if self._watchdog_interval is not None:
                self._threads.append(
                    threading.Thread(
                        target=self._watch,
                        name=f"reelgraph-{self.kind.value}-watchdog",
                        daemon=True,
                    )
                )
        for thread in self._threads:
            thread.start()

    def close(self, *, cancel_queued: bool = False, wait: bool = True) -> None:
        """Stop taking jobs; run (or cancel) what is queued; stop the threads.

        Args:
            cancel_queued: Resolve queued jobs as cancelled instead of running them.
            wait: Wait for the threads to end.
        """
        with self._cond:
            self._closing = True
            dropped = self._dispatcher.drain() if cancel_queued else []
            for job in dropped:
                self._metrics.dequeued(self.kind.value, job.priority, 0, None)
            self._cond.notify_all()
        for job in dropped:
            job.token.cancel("pool closed")
            self._end_unstarted(job)
        if not self._threads:
            # Never started: nobody else will run what is queued.
            for job in self._drain_unstarted():
                self._end_unstarted(job)
        self._stop.set()
        if wait:
            for thread in self._threads:
                if thread is not threading.current_thread():
                    thread.join()

    def _drain_unstarted(self) -> list[Job]:
        with self._cond:
            jobs = self._dispatcher.drain()
        for job in jobs:
            self._metrics.dequeued(self.kind.value, job.priority, 0, None)
            job.token.cancel("pool closed")
        return jobs

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- submitting -----------------------------------------------------------------------

    def submit(
        self,
        fn: Callable[..., Any],
        /,
        *args: Any,
        priority: Priority = Priority.NORMAL,
        token: CancelToken | None = None,
        timeout: float | None = None,
        name: str | None = None,
        wait: float | None = None,
        **kwargs: Any,
    ) -> JobHandle:
        """Queue ``fn(*args, **kwargs)``; block while its class's queue is full.

        Args:
            fn: The callable; it may call :func:`~reelgraph.jobs.handle.current_token`
                and check it at safe points.
            priority: The job's class.
            token: Its parent token (the job gets a child of it; default: the pool's root).
            timeout: Seconds the job may run (from its start, on the pool's clock).
            name: For metrics and traces (default: the callable's name).
            wait: Real seconds to wait for room in a full queue (None: as long as it
                takes; 0: not at all).

        Returns:
            The job's handle.

        Raises:
            QueueFullError: The queue stayed full for ``wait`` seconds.
            JobSystemClosedError: The pool is closed.
        """
        job = self._admit(fn, args, kwargs, priority, token, timeout, name, wait)
        assert job is not None
        return job.handle

    def try_submit(
        self,
        fn: Callable[..., Any],
        /,
        *args: Any,
        priority: Priority = Priority.NORMAL,
        token: CancelToken | None = None,
        timeout: float | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> JobHandle | None:
        """Queue the job only if its class has room now; None (falsy) when it is full.

        Raises:
            JobSystemClosedError: The pool is closed.
        """
        job = self._admit(fn, args, kwargs, priority, token, timeout, name, 0.0, refuse=False)
        return None if job is None else job.handle

    def _admit(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        priority: Priority,
        token: CancelToken | None,
        timeout: float | None,
        name: str | None,
        wait: float | None,
        *,
        refuse: bool = True,
    ) -> Job | None:
        priority = Priority(priority)
        label = name or getattr(fn, "__name__", None) or "job"
        parent = token if token is not None else self._root
        with self._cond:
            if not self._make_room(priority, wait):
                self._metrics.rejected(self.kind.value, priority)
                if not refuse:
                    return None
                raise QueueFullError(
                    f"the {priority.label} queue of the {self.kind.value} pool stayed full",
                    pool=self.kind.value,
                    priority=priority.label,
                    waited=wait,
                )
            job = Job(
                id=next(self._ids),
                name=label,
                fn=fn,
                args=args,
                kwargs=kwargs,
                priority=priority,
                pool=self.kind,
                token=parent.child(label),
                timeout=timeout,
                submitted_at=self._clock.now(),
            )
            self._dispatcher.push(job)
            self._outstanding.add(priority)
            depth = self._dispatcher.depth(priority)
            self._metrics.submitted(self.kind.value, priority, depth)
            self._trace_queued(job, depth)
            self._cond.notify_all()
        job.token.on_cancel(lambda _token: self._cancel_queued(job))
        return job

    def _make_room(self, priority: Priority, wait: float | None) -> bool:
        """Wait (holding the condition) until the class has room; False if it never did."""
        if self._closing:
            raise JobSystemClosedError(
                f"the {self.kind.value} pool is closed", pool=self.kind.value
            )
        if self._dispatcher.has_room(priority):
            return True
        if wait is not None and wait <= 0:
            return False
        # A producer's patience is real time, unlike the pool clock (which tests drive).
        limit = None if wait is None else time.monotonic() + wait
        self._blocked += 1
        self._cond.notify_all()
        try:
            while not self._dispatcher.has_room(priority):
                remaining = None if limit is None else limit - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
                if self._closing:
                    raise JobSystemClosedError(
                        f"the {self.kind.value} pool closed", pool=self.kind.value
                    )
            return True
        finally:
            self._blocked -= 1
            self._cond.notify_all()

    def _cancel_queued(self, job: Job) -> None:
        with self._cond:
            if not self._dispatcher.remove(job):
                return  # already running (it will see its token) or already ended
            depth = self._dispatcher.depth(job.priority)
            self._metrics.dequeued(self.kind.value, job.priority, depth, None)
            self._trace_dequeued(job, depth)
            self._cond.notify_all()
        self._end_unstarted(job)

    def _end_unstarted(self, job: Job) -> None:
        if job.handle._resolve_cancelled():
            self._metrics.ended(self.kind.value, job.priority, _OUTCOME[job.handle.state])
        self._outstanding.done(job.priority)
        job.token.detach()

    # -- running --------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            with self._cond:
                job = self._dispatcher.take(self._clock.now())
                while job is None:
                    if self._closing and self._dispatcher.queued() == 0:
                        return
                    self._cond.wait()
                    job = self._dispatcher.take(self._clock.now())
                job.started_at = self._clock.now()
                if job.timeout is not None:
                    job.outer, job.token = job.token, job.token.child(job.name, timeout=job.timeout)
                self._running_jobs[job.id] = job
                depth = self._dispatcher.depth(job.priority)
                self._metrics.dequeued(
                    self.kind.value, job.priority, depth, job.started_at - job.submitted_at
                )
                self._trace_dequeued(job, depth)
                self._cond.notify_all()
            self._run(job)

    def _run(self, job: Job) -> None:
        handle = job.handle
        error: BaseException | None = None
        result: Any = None
        started = self._clock.now()
        try:
            if not job.token.cancelled:
                handle._mark_running()
                if self._tracer is None:
                    result = job.call()
                else:
                    with self._tracer.span(
                        job.name,
                        "job",
                        priority=job.priority.label,
                        pool=self.kind.value,
                        id=job.id,
                    ):
                        result = job.call()
        except BaseException as exc:  # the job's own error: handed to its handle
            error = exc
        finally:
            self._metrics.ran(self.kind.value, job.priority, self._clock.now() - started)
        if job.token.cancelled and (error is None or _is_stop(error)):
            resolved = handle._resolve_cancelled()
        elif error is not None:
            resolved = handle._resolve(JobState.FAILED, error=error)
        else:
            resolved = handle._resolve(JobState.DONE, result=result)
        if resolved:
            self._metrics.ended(self.kind.value, job.priority, _OUTCOME[handle.state])
        with self._cond:
            self._running_jobs.pop(job.id, None)
            self._dispatcher.finish(job)
            self._cond.notify_all()
        self._outstanding.done(job.priority)
        job.token.detach()
        if job.outer is not None:
            job.outer.detach()

    def expire_overdue(self) -> int:
        """Time out running jobs past their limit: cancel their tokens, resolve handles.

        The callable keeps its thread until it returns (threads cannot be killed); its
        result is then discarded. Returns how many jobs were timed out now.
        """
        now = self._clock.now()
        with self._cond:
            overdue = [
                job
                for job in self._running_jobs.values()
                if job.token.deadline is not None and now >= job.token.deadline
            ]
        expired = 0
        for job in overdue:
            job.token.expire_if_due()
            if job.handle._resolve_cancelled():
                self._metrics.ended(self.kind.value, job.priority, _OUTCOME[job.handle.state])
                expired += 1
        return expired

    def _watch(self) -> None:
        assert self._watchdog_interval is not None
        while not self._stop.wait(self._watchdog_interval):
            self.expire_overdue()

    # -- observing ------------------------------------------------------------------------

    def depth(self, priority: Priority) -> int:
        """Jobs of ``priority`` waiting."""
        with self._cond:
            return self._dispatcher.depth(priority)

    def running(self, priority: Priority | None = None) -> int:
        """Jobs running (of one class, or all)."""
        with self._cond:
            if priority is None:
                return len(self._running_jobs)
            return self._dispatcher.running(priority)

    @property
    def blocked_producers(self) -> int:
        """Producers waiting for room in a full queue now."""
        with self._cond:
            return self._blocked

    @property
    def metrics(self) -> JobMetrics:
        """Where this pool reports."""
        return self._metrics

    def wait_for(
        self, predicate: Callable[[WorkerPool], bool], timeout: float | None = None
    ) -> bool:
        """Block until ``predicate(pool)`` holds, re-checked at every state change.

        For tests and diagnostics: wait for "two producers blocked" or "one job running"
        without sleeping. Returns the predicate's last value.
        """
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)

    def join(self, *, background: bool = False, timeout: float | None = None) -> None:
        """Wait until no foreground job (or, with ``background``, no job) is unfinished.

        Raises:
            JobTimeoutError: Jobs were left after ``timeout`` real seconds.
        """
        classes = tuple(Priority) if background else FOREGROUND
        self._outstanding.wait_idle(classes, timeout)

    # -- tracing --------------------------------------------------------------------------

    def _trace_queued(self, job: Job, depth: int) -> None:
        if self._tracer is not None:
            self._tracer.async_begin(
                f"wait {job.name}", "job.wait", job.id, priority=job.priority.label
            )
            self._tracer.counter(f"queue {self.kind.value}", {job.priority.label: depth})

    def _trace_dequeued(self, job: Job, depth: int) -> None:
        if self._tracer is not None:
            self._tracer.async_end(f"wait {job.name}", "job.wait", job.id)
            self._tracer.counter(f"queue {self.kind.value}", {job.priority.label: depth})


def _is_stop(error: BaseException) -> bool:
    return isinstance(error, JobCancelledError | JobTimeoutError)
