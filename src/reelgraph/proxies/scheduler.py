"""Proxy builds and full content hashes as background jobs that foreground work preempts.

A piece of work (a :class:`~reelgraph.proxies.tasks.ProxyTask` or a
:class:`~reelgraph.proxies.tasks.HashTask`) runs as a chain of short
:data:`~reelgraph.jobs.Priority.BACKGROUND` jobs, a few steps each (frames of a build,
4 MiB blocks of a hash); each job queues the next when it ends. So:

- **preemption**: a foreground job queued on the same pool runs before the next slice
  (the dispatcher serves classes in order); a slice also ends early, between steps, as
  soon as such a job is waiting, and while foreground work runs on other pools (or on a
  thread that marked it with :meth:`~reelgraph.jobs.JobSystem.foreground`, as an engine
  rendering a frame does) a slice waits for it before stepping on (the CPU goes to what
  a user waits for);
- **cancellation**: each task has a :class:`~reelgraph.jobs.CancelToken` checked
  between steps; a cancelled build deletes its partial files and never publishes a
  proxy, a cancelled hash records nothing (Ctrl-C in ``reelgraph proxies build``
  cancels the root token);
- **progress**: a task counts what it has done and calls a progress callback.

A full hash that contradicts the one the index recorded for the same fingerprint means
the fingerprint named two contents: that fingerprint's proxies are deleted, so none is
served for the wrong content.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reelgraph.errors import JobCancelledError, JobTimeoutError
from reelgraph.jobs.cancel import CancelToken
from reelgraph.jobs.handle import JobHandle, JobState, current_token
from reelgraph.jobs.priority import FOREGROUND, PoolKind, Priority
from reelgraph.jobs.system import JobSystem
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.media_index.index import MediaIndex
from reelgraph.proxies.build import ProxyBuild
from reelgraph.proxies.library import ProxyLibrary
from reelgraph.proxies.quality import ProxyLevel
from reelgraph.proxies.tasks import (
    BackgroundTask,
    HashProgress,
    HashTask,
    Progress,
    ProxyTask,
    TaskState,
)

__all__ = ["HashProgress", "HashTask", "Progress", "ProxyScheduler", "ProxyTask", "TaskState"]


def _nothing() -> None:
    """What a build does after its last frame: nothing (it published its proxies)."""


@dataclass(frozen=True, slots=True)
class _Chain:
    """How one task's jobs are made: their name, steps per job, what follows the last step.

    ``finish`` runs on the worker, after the last step and before the task is done.
    """

    name: str
    steps: int
    finish: Callable[[], None] = _nothing


class ProxyScheduler:
    """Runs proxy builds and full hashes as background jobs of a :class:`JobSystem`.

    Args:
        jobs: The job system.
        library: Where proxies are written.
        pool: The pool the slices run on.
        slice_frames: Most frames of a build per job.
        slice_blocks: Most 4 MiB blocks of a full hash per job.
        token: Parent of every task's token (default: the job system's root).
        yield_seconds: How long a slice waits for foreground work before each step.
    """

    def __init__(
        self,
        jobs: JobSystem,
        library: ProxyLibrary,
        *,
        pool: PoolKind = PoolKind.BACKGROUND,
        slice_frames: int = 8,
        slice_blocks: int = 16,
        token: CancelToken | None = None,
        yield_seconds: float = 0.05,
    ) -> None:
        self.jobs = jobs
        self.library = library
        self.pool = pool
        self.slice_frames = max(1, slice_frames)
        self.slice_blocks = max(1, slice_blocks)
        self.token = token if token is not None else jobs.root
        self.yield_seconds = yield_seconds
        """How long a slice waits for foreground work elsewhere before its next step."""

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
        self._queue_slice(task, _Chain(f"proxy {path.name}", self.slice_frames))
        return task

    def hash_file(
        self,
        index: MediaIndex,
        path: Path,
        fingerprint: Fingerprint,
        *,
        progress: HashProgress | None = None,
    ) -> HashTask:
        """Queue the full SHA-256 of ``path``; recorded in ``index`` (and saved) when done.

        Args:
            index: Where the hash is recorded.
            path: The file.
            fingerprint: Its content fingerprint.
            progress: Called with the task after each 4 MiB block, each pause, its end.

        Returns:
            The task (already queued).
        """
        token = self.token.child(f"hash:{path.name}")
        task = HashTask(path, fingerprint, token, progress)

        def record() -> None:
            assert task.sha256 is not None
            if not index.record_full_hash(fingerprint, task.sha256):
                task.contradicted = True
                self.library.remove(fingerprint)
            index.save()

        self._queue_slice(task, _Chain(f"hash {path.name}", self.slice_blocks, record))
        return task

    def _queue_slice(self, task: BackgroundTask, chain: _Chain) -> None:
        try:
            handle = self.jobs.submit(
                self._slice,
                task,
                chain,
                priority=Priority.BACKGROUND,
                pool=self.pool,
                token=task.token,
                name=chain.name,
            )
        except Exception as exc:  # a closed job system: the work ends here
            # Closing after cancelling (an engine closing) is a cancellation, not a failure.
            cancelled = task.token.cancelled
            task._resolve(TaskState.CANCELLED if cancelled else TaskState.FAILED, exc)
            return
        handle.add_done_callback(lambda h: self._slice_ended(task, h))

    def _slice_ended(self, task: BackgroundTask, handle: JobHandle) -> None:
        if handle.state is JobState.CANCELLED or handle.state is JobState.TIMED_OUT:
            task._resolve(TaskState.CANCELLED)
        elif handle.state is JobState.FAILED:
            error = handle.exception(0)
            cancelled = isinstance(error, JobCancelledError)
            task._resolve(TaskState.CANCELLED if cancelled else TaskState.FAILED, error)

    def _foreground_queued(self) -> bool:
        pool = self.jobs.pool(self.pool)
        return any(pool.depth(p) for p in (*FOREGROUND, Priority.DEFERRED))

    def _wait_for_foreground(self, task: BackgroundTask, token: CancelToken) -> None:
        """Let foreground work elsewhere finish first, up to :attr:`yield_seconds`.

        Bounded, so work always advances (slowly) even under endless foreground work;
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

    def _slice(self, task: BackgroundTask, chain: _Chain) -> None:
        token = current_token() or task.token
        task.slices += 1
        task.state = TaskState.RUNNING
        for _ in range(chain.steps):
            token.check()
            if self._foreground_queued():
                break  # preempted: the queued work runs before the next slice
            self._wait_for_foreground(task, token)
            token.check()
            if not task.step():
                chain.finish()
                task._resolve(TaskState.DONE)
                return
            task._report()
        token.check()
        self._queue_slice(task, chain)
