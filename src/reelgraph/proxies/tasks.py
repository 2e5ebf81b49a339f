"""Background media work as its submitter sees it: proxy builds and full content hashes.

:class:`~reelgraph.proxies.scheduler.ProxyScheduler` makes a task when it queues the
work and advances it from background jobs, on worker threads. The submitter reads the
task's state, waits for it or cancels it; the task calls its progress callback (from a
worker thread) after every step, when it pauses for foreground work and once when it
ends.

- :class:`ProxyTask`: one original's proxy build, a frame per step;
- :class:`HashTask`: one file's full SHA-256, a 4 MiB block per step.

This module imports no ``av``: the build itself is only referred to.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Self

from reelgraph.jobs.cancel import CancelToken
from reelgraph.media_index.fingerprint import Fingerprint, FullHash

if TYPE_CHECKING:
    from reelgraph.proxies.build import ProxyBuild

__all__ = ["BackgroundTask", "HashProgress", "HashTask", "Progress", "ProxyTask", "TaskState"]

#: Called with a proxy build's task after every frame, when it pauses for foreground
#: work and when it ends (from a worker thread).
Progress = Callable[["ProxyTask"], None]

#: Called with a full hash's task after every block, when it pauses for foreground work
#: and when it ends (from a worker thread).
HashProgress = Callable[["HashTask"], None]


class TaskState(enum.Enum):
    """Where a piece of background work is."""

    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    """Running, but waiting for foreground work (a frame being rendered) to end."""
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class BackgroundTask:
    """What every task has: a state, a cancel token, an end to wait for, a callback.

    Args:
        token: Cancels the work (checked between steps).
        progress: Called with the task after each step, each pause and at its end.
    """

    def __init__(self, token: CancelToken, progress: Callable[[Self], None] | None) -> None:
        self.token = token
        self.state = TaskState.QUEUED
        self.error: BaseException | None = None
        self.slices = 0
        """Background jobs run so far (work preempted more often runs more slices)."""
        self._progress = progress
        self._done = threading.Event()
        self._lock = threading.Lock()

    @property
    def done(self) -> bool:
        """Whether the work has ended (done, failed or cancelled)."""
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work ends (``timeout`` real seconds at most); whether it did."""
        return self._done.wait(timeout)

    def cancel(self, reason: str = "cancelled") -> None:
        """Stop the work at its next step."""
        self.token.cancel(reason)

    def step(self) -> bool:
        """Do the next step of the work; False once there is none left.

        Raises:
            Exception: the step failed (the task ends as failed).
        """
        raise NotImplementedError

    def _abort(self) -> None:
        """Undo what an unfinished task left behind (called when it ends otherwise than done)."""

    def _resolve(self, state: TaskState, error: BaseException | None = None) -> None:
        with self._lock:
            if self._done.is_set():
                return
            if state is not TaskState.DONE:
                self._abort()
            self.state, self.error = state, error
            self._done.set()
        self.token.detach()
        self._report()

    def _report(self: Self) -> None:
        if self._progress is not None:
            self._progress(self)


class ProxyTask(BackgroundTask):
    """One original's proxy build, as its submitter sees it."""

    def __init__(self, build: ProxyBuild, token: CancelToken, progress: Progress | None) -> None:
        super().__init__(token, progress)
        self.build = build

    @property
    def path(self) -> Path:
        """The original being reduced."""
        return self.build.path

    @property
    def fingerprint(self) -> Fingerprint:
        """The original's content fingerprint (names its proxies)."""
        return self.build.fingerprint

    @property
    def frames_done(self) -> int:
        """Frames written to every level so far."""
        return self.build.frames_done

    @property
    def frames_total(self) -> int | None:
        """The original's frame count, once known."""
        return self.build.frames_total

    def step(self) -> bool:
        """Write the next frame to every level; False once the last one is written."""
        return self.build.step()

    def _abort(self) -> None:
        self.build.abort()  # its partial files go


class HashTask(BackgroundTask):
    """One file's full content hash, as its submitter sees it.

    Args:
        path: The file.
        fingerprint: Its content fingerprint (the index entry the hash is recorded in).
        token: Cancels the hash.
        progress: Called with the task after each block, each pause and at its end.
    """

    def __init__(
        self,
        path: Path,
        fingerprint: Fingerprint,
        token: CancelToken,
        progress: HashProgress | None,
    ) -> None:
        super().__init__(token, progress)
        self.path = path
        self.fingerprint = fingerprint
        self.sha256: str | None = None
        """The full hash, once done."""
        self.contradicted = False
        """Whether the index held another full hash for this fingerprint (two contents
        shared it): that fingerprint's proxies were deleted."""
        self._hash: FullHash | None = None

    @property
    def bytes_done(self) -> int:
        """Bytes hashed so far."""
        return 0 if self._hash is None else self._hash.bytes_done

    @property
    def bytes_total(self) -> int:
        """The file's length (its fingerprint's until the hash opens it)."""
        return self.fingerprint.size if self._hash is None else self._hash.bytes_total

    def step(self) -> bool:
        """Hash the next block; False once every byte is hashed (:attr:`sha256` is set).

        Raises:
            OSError: the file cannot be read.
        """
        if self._hash is None:
            self._hash = FullHash(self.path)
        if self._hash.step():
            return True
        self.sha256 = self._hash.hexdigest()
        return False
