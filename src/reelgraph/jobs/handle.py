"""A submitted job and the handle its submitter holds (a small future).

:class:`Job` is the pool's record of one unit of work; :class:`JobHandle` is what
``submit`` returns: wait for it, read its result or error, cancel it. A job ends in one
of four states: done, failed (its callable raised), cancelled, or timed out.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from reelgraph.errors import JobCancelledError, JobTimeoutError
from reelgraph.jobs.cancel import CancelToken
from reelgraph.jobs.priority import PoolKind, Priority

__all__ = ["Job", "JobHandle", "JobState", "current_token"]

_CURRENT: ContextVar[CancelToken | None] = ContextVar("reelgraph_job_token", default=None)


def current_token() -> CancelToken | None:
    """The cancellation token of the job running on this thread, or None outside jobs."""
    return _CURRENT.get()


class JobState(enum.Enum):
    """Where a job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"

    @property
    def is_final(self) -> bool:
        """Whether the job has ended (its handle is resolved)."""
        return self not in (JobState.QUEUED, JobState.RUNNING)


@dataclass(eq=False, slots=True)
class Job:
    """The pool's record of one submitted unit of work (internal to the job system)."""

    id: int
    name: str
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    priority: Priority
    pool: PoolKind
    token: CancelToken
    timeout: float | None
    submitted_at: float
    started_at: float | None = None
    outer: CancelToken | None = None  # the queued token, when a time limit replaced it
    handle: JobHandle = field(init=False)

    def __post_init__(self) -> None:
        self.handle = JobHandle(self)

    def call(self) -> Any:
        """Run the callable with :func:`current_token` set to the job's token."""
        reset = _CURRENT.set(self.token)
        try:
            return self.fn(*self.args, **self.kwargs)
        finally:
            _CURRENT.reset(reset)


class JobHandle:
    """The submitter's view of a job: wait for it, read its outcome, cancel it."""

    __slots__ = ("_callbacks", "_done", "_error", "_job", "_lock", "_result", "_state")

    def __init__(self, job: Job) -> None:
        self._job = job
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._state = JobState.QUEUED
        self._result: Any = None
        self._error: BaseException | None = None
        self._callbacks: list[Callable[[JobHandle], None]] = []

    @property
    def id(self) -> int:
        """The job's id, unique within its job system, in submission order."""
        return self._job.id

    @property
    def name(self) -> str:
        """The job's name (for metrics and traces)."""
        return self._job.name

    @property
    def priority(self) -> Priority:
        """The job's priority class."""
        return self._job.priority

    @property
    def token(self) -> CancelToken:
        """The job's cancellation token."""
        return self._job.token

    @property
    def state(self) -> JobState:
        """Where the job is now."""
        return self._state

    def done(self) -> bool:
        """Whether the job has ended, whichever way."""
        return self._done.is_set()

    def cancel(self, reason: str = "cancelled") -> bool:
        """Ask the job to stop: a queued job never runs, a running one sees its token.

        Returns:
            False if the job had already ended, True otherwise.
        """
        if self.done():
            return False
        self._job.token.cancel(reason)
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job ends or ``timeout`` seconds pass; returns whether it ended."""
        return self._done.wait(timeout)

    def result(self, timeout: float | None = None) -> Any:
        """The job's return value, waiting for it if needed.

        Raises:
            JobTimeoutError: ``timeout`` passed first (``phase="wait"``), or the job ran
                past its own limit (``phase="run"``).
            JobCancelledError: The job was cancelled.
            Exception: Whatever the job's callable raised.
        """
        if not self._done.wait(timeout):
            raise JobTimeoutError(
                f"job {self.name!r} did not finish within {timeout} s",
                phase="wait",
                job=self.name,
            )
        if self._error is not None:
            raise self._error
        return self._result

    def exception(self, timeout: float | None = None) -> BaseException | None:
        """The error the job ended with (None if it succeeded), waiting if needed."""
        try:
            self.result(timeout)
        except JobTimeoutError as error:
            if error.params.get("phase") == "wait":
                raise
            return error
        except BaseException as error:
            return error
        return None

    def add_done_callback(self, callback: Callable[[JobHandle], None]) -> None:
        """Call ``callback(handle)`` when the job ends (at once if it has)."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
        callback(self)

    # -- resolution (by the pool) ---------------------------------------------------------

    def _mark_running(self) -> None:
        self._state = JobState.RUNNING

    def _resolve(
        self, state: JobState, result: Any = None, error: BaseException | None = None
    ) -> bool:
        with self._lock:
            if self._done.is_set():
                return False
            self._state, self._result, self._error = state, result, error
            callbacks, self._callbacks = self._callbacks, []
            self._done.set()
        for callback in callbacks:
            callback(self)
        return True

    def _resolve_cancelled(self) -> bool:
        token = self._job.token
        if token.timed_out:
            error: BaseException = JobTimeoutError(
                f"job {self.name!r} ran past its time limit", phase="run", job=self.name
            )
            return self._resolve(JobState.TIMED_OUT, error=error)
        return self._resolve(
            JobState.CANCELLED,
            error=JobCancelledError(
                f"job {self.name!r} was cancelled ({token.reason})",
                job=self.name,
                reason=token.reason,
            ),
        )

    def __repr__(self) -> str:
        return f"JobHandle({self.id}, {self.name!r}, {self.priority.label}, {self._state.value})"
