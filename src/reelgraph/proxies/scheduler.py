"""Proxy building as background jobs that foreground work preempts and tokens cancel.

A build runs as a chain of short :data:`~reelgraph.jobs.Priority.BACKGROUND` jobs, a few
frames each; each job queues the next when it ends. So:

- **preemption**: a foreground job queued on the same pool runs before the next slice
  (the dispatcher serves classes in order); a slice also ends early, between frames, as
  soon as such a job is waiting, and while foreground work runs on other pools (or on a
  thread that marked it with :meth:`~reelgraph.jobs.JobSystem.foreground`, as an engine
  rendering a frame does) a slice waits for it before decoding on (the CPU goes to what
  a user waits for);
- **cancellation**: each build has a :class:`~reelgraph.jobs.CancelToken` checked
  between frames; a cancelled build deletes its partial files and never publishes a
  proxy (Ctrl-C in ``reelgraph proxies build`` cancels the root token);
- **progress**: :class:`ProxyTask` counts frames done and calls a progress callback.

Full content hashes (:func:`~reelgraph.media_index.full_sha256`) run the same way, as one
background job per file.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from reelgraph.errors import JobCancelledError, JobTimeoutError
from reelgraph.jobs.cancel import CancelToken
from reelgraph.jobs.handle import JobHandle, JobState, current_token
from reelgraph.jobs.priority import FOREGROUND, PoolKind, Priority
from reelgraph.jobs.system import JobSystem
from reelgraph.media_index.fingerprint import Fingerprint, full_sha256
from reelgraph.media_index.index import MediaIndex
from reelgraph.proxies.build import ProxyBuild
from reelgraph.proxies.library import ProxyLibrary
from reelgraph.proxies.quality import ProxyLevel

__all__ = ["ProxyScheduler", "ProxyTask", "TaskState"]

#: Called with the task after every frame, when it pauses for foreground work and when
#: it ends (from a worker thread).
Progress = Callable[["ProxyTask"], None]


class TaskState(enum.Enum):
    """Where a proxy build is."""

    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    """Running, but waiting for foreground work (a frame being rendered) to end."""
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ProxyTask:
    """One original's proxy build, as its submitter sees it."""

    def __init__(self, build: ProxyBuild, token: CancelToken, progress: Progress | None) -> None:
        self.build = build
        self.token = token
        self.state = TaskState.QUEUED
        self.error: BaseException | None = None
        self.slices = 0
        """Background jobs run so far (a build preempted more often runs more slices)."""
        self._progress = progress
        self._done = threading.Event()
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        """The original being reduced."""
        return self.build.path

    @property
    def frames_done(self) -> int:
        """Frames written to every level so far."""
        return self.build.frames_done

    @property
    def frames_total(self) -> int | None:
        """The original's frame count, once known."""
        return self.build.frames_total

    @property
    def done(self) -> bool:
        """Whether the build has ended (done, failed or cancelled)."""
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the build ends (``timeout`` real seconds at most); whether it did."""
        return self._done.wait(timeout)

    def cancel(self, reason: str = "cancelled") -> None:
        """Stop the build at its next frame; its partial files are deleted."""
        self.token.cancel(reason)

    def _resolve(self, state: TaskState, error: BaseException | None = None) -> None:
        with self._lock:
            if self._done.is_set():
                return
            if state is not TaskState.DONE:
                self.build.abort()
            self.state, self.error = state, error
            self._done.set()
        self.token.detach()
        if self._progress is not None:
            self._progress(self)

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self)


class ProxyScheduler:
    """Runs proxy builds and full hashes as background jobs of a :class:`JobSystem`.

    Args:
        jobs: The job system.
        library: Where proxies are written.
        pool: The pool the slices run on.
        slice_frames: Most frames per job.
        token: Parent of every build's token (default: the job system's root).
        yield_seconds: How long a slice waits for foreground work before each frame.
    """

    def __init__(
        self,
        jobs: JobSystem,
        library: ProxyLibrary,
        *,
        pool: PoolKind = PoolKind.BACKGROUND,
        slice_frames: int = 8,
        token: CancelToken | None = None,
        yield_seconds: float = 0.05,
    ) -> None:
        self.jobs = jobs
        self.library = library
        self.pool = pool
        self.slice_frames = max(1, slice_frames)
        self.token = token if token is not None else jobs.root
        self.yield_seconds = yield_seconds
        """How long a slice waits for foreground work elsewhere before building a frame."""

    def build(
        self,
        path: Path,
        fingerprint: Fingerprint,
        levels: Sequence[ProxyLevel] = tuple(ProxyLevel),
        *,
        progress: Progress | None = None,
    ) -> ProxyTask:
        """Queue the build of ``levels`` for the original at ``path``.

        Returns:
            The task (already queued).
        """
        token = self.token.child(f"proxies:{path.name}")
        task = ProxyTask(ProxyBuild(self.library, path, fingerprint, levels), token, progress)
        self._queue_slice(task)
        return task

    def _queue_slice(self, task: ProxyTask) -> None:
        try:
            handle = self.jobs.submit(
                self._slice,
                task,
                priority=Priority.BACKGROUND,
                pool=self.pool,
                token=task.token,
                name=f"proxy {task.path.name}",
            )
        except Exception as exc:  # a closed job system: the build ends here
            # Closing after cancelling (an engine closing) is a cancellation, not a failure.
            cancelled = task.token.cancelled
            task._resolve(TaskState.CANCELLED if cancelled else TaskState.FAILED, exc)
            return
        handle.add_done_callback(lambda h: self._slice_ended(task, h))

    def _slice_ended(self, task: ProxyTask, handle: JobHandle) -> None:
        if handle.state is JobState.CANCELLED or handle.state is JobState.TIMED_OUT:
            task._resolve(TaskState.CANCELLED)
        elif handle.state is JobState.FAILED:
            error = handle.exception(0)
            cancelled = isinstance(error, JobCancelledError)
            task._resolve(TaskState.CANCELLED if cancelled else TaskState.FAILED, error)

    def _foreground_queued(self) -> bool:
        pool = self.jobs.pool(self.pool)
        return any(pool.depth(p) for p in (*FOREGROUND, Priority.DEFERRED))

    def _wait_for_foreground(self, task: ProxyTask, token: CancelToken) -> None:
        """Let foreground work elsewhere finish first, up to :attr:`yield_seconds`.

        Bounded, so a build always advances (slowly) even under endless foreground work;
        the task is :attr:`TaskState.PAUSED` (and reported) while it waits, and a
        cancellation ends the wait at once.
        """
        if not self.jobs.unfinished(background=False):
            return
        task.state = TaskState.PAUSED
        task._report()
        try:
            self.jobs.join(timeout=self.yield_seconds, token=token)
        except JobTimeoutError:
            pass
        task.state = TaskState.RUNNING

    def _slice(self, task: ProxyTask) -> None:
        token = current_token() or task.token
        task.slices += 1
        task.state = TaskState.RUNNING
        for _ in range(self.slice_frames):
            token.check()
            if self._foreground_queued():
                break  # preempted: the queued work runs before the next slice
            self._wait_for_foreground(task, token)
            token.check()
            if not task.build.step():
                task._resolve(TaskState.DONE)
                return
            task._report()
        token.check()
        self._queue_slice(task)

    def hash_file(self, index: MediaIndex, path: Path, fingerprint: Fingerprint) -> JobHandle:
        """Queue the full SHA-256 of ``path``; recorded in ``index`` (and saved) when done.

        A full hash that contradicts the one recorded for the same fingerprint means the
        fingerprint named two contents: that fingerprint's proxies are deleted.
        """

        def run() -> str:
            digest = full_sha256(path, token=current_token())
            if not index.record_full_hash(fingerprint, digest):
                self.library.remove(fingerprint)
            index.save()
            return digest

        return self.jobs.submit(
            run, priority=Priority.BACKGROUND, pool=self.pool, token=self.token,
            name=f"hash {path.name}",
        )  # fmt: skip
