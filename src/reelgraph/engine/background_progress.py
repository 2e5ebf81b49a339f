"""Progress of background media work as World events: proxy builds and full content hashes.

Builds and hashes run on worker threads (:mod:`reelgraph.proxies.scheduler`), which must
not touch the World. Each report becomes, at once and on the reporting thread, a frozen
snapshot (:class:`ProxyBuildProgressed`, :class:`FullHashProgressed`) put into the
:class:`BackgroundProgress` resource, a thread-safe inbox. The
:func:`publish_background_progress` system (``Stage.PERSIST``, the end of a tick) sends
what arrived since the last tick as World events, in the order it arrived. So a UI reads
them after :meth:`~reelgraph.engine.engine.Engine.tick`::

    builds = EventReader(ProxyBuildProgressed)
    engine.tick(frame)
    for report in builds.read(engine.world):
        show(report.fingerprint, report.frames_done, report.frames_total, report.state)

and a system reads them in the next tick (events live two ticks, see
:mod:`reelgraph.ecs.events`).

Between two ticks, reports of one piece of work in an unchanged state collapse into the
latest, which keeps the earlier one's place: an engine that is not ticked while it builds
a long clip holds one pending report per build, not one per frame. Every change of state
is kept. The same reports, drained at the same points, give the same events in the same
order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from reelgraph.ecs import World
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.proxies.quality import ProxyLevel
from reelgraph.proxies.tasks import HashTask, ProxyTask, TaskState

__all__ = [
    "BackgroundProgress",
    "BackgroundReport",
    "FullHashProgressed",
    "ProxyBuildProgressed",
    "publish_background_progress",
]


@dataclass(frozen=True, slots=True)
class ProxyBuildProgressed:
    """Event: a proxy build was queued, advanced, paused or ended.

    Attributes:
        fingerprint: The original's content fingerprint (:attr:`Fingerprint.text`).
        path: The original.
        levels: The levels the build writes (one decoding pass writes them all).
        frames_done: Frames written to every level so far.
        frames_total: The original's frame count (None until the build opens it).
        state: Where the build is.
    """

    fingerprint: str
    path: Path
    levels: tuple[ProxyLevel, ...]
    frames_done: int
    frames_total: int | None
    state: TaskState

    @classmethod
    def queued(
        cls, path: Path, fingerprint: Fingerprint, levels: tuple[ProxyLevel, ...]
    ) -> ProxyBuildProgressed:
        """The report of a build about to be queued."""
        return cls(fingerprint.text, path, levels, 0, None, TaskState.QUEUED)

    @classmethod
    def of(cls, task: ProxyTask) -> ProxyBuildProgressed:
        """A snapshot of ``task`` now (taken on the thread that reports it)."""
        return cls(
            task.fingerprint.text,
            task.path,
            task.build.levels,
            task.frames_done,
            task.frames_total,
            task.state,
        )


@dataclass(frozen=True, slots=True)
class FullHashProgressed:
    """Event: the full content hash of a file was queued, advanced, paused or ended.

    Attributes:
        fingerprint: The file's content fingerprint (:attr:`Fingerprint.text`).
        path: The file.
        bytes_done: Bytes hashed so far.
        bytes_total: The file's length.
        state: Where the hash is.
        sha256: The full hash, once done (it is then recorded in the media index).
        contradicted: Whether the index held another full hash for this fingerprint:
            two contents shared it, and its proxies were deleted.
    """

    fingerprint: str
    path: Path
    bytes_done: int
    bytes_total: int
    state: TaskState
    sha256: str | None = None
    contradicted: bool = False

    @classmethod
    def queued(cls, path: Path, fingerprint: Fingerprint) -> FullHashProgressed:
        """The report of a hash about to be queued."""
        return cls(fingerprint.text, path, 0, fingerprint.size, TaskState.QUEUED)

    @classmethod
    def of(cls, task: HashTask) -> FullHashProgressed:
        """A snapshot of ``task`` now (taken on the thread that reports it)."""
        return cls(
            task.fingerprint.text,
            task.path,
            task.bytes_done,
            task.bytes_total,
            task.state,
            task.sha256 if task.state is TaskState.DONE else None,
            task.contradicted,
        )


BackgroundReport: TypeAlias = ProxyBuildProgressed | FullHashProgressed
"""What the inbox holds: one report of either kind of work."""


def _work_of(report: BackgroundReport) -> tuple[object, ...]:
    """Which piece of work a report is about (reports of one work may collapse)."""
    if isinstance(report, ProxyBuildProgressed):
        return ("build", report.fingerprint, report.levels)
    return ("hash", report.fingerprint)


class BackgroundProgress:
    """Resource: reports of background work on their way from worker threads to the World.

    Thread-safe: any thread reports; the schedule drains (see the module docstring).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[BackgroundReport] = []
        self._latest: dict[tuple[object, ...], int] = {}

    def report(self, report: BackgroundReport) -> None:
        """Add ``report``; it replaces the pending one of the same work in the same state."""
        work = _work_of(report)
        with self._lock:
            at = self._latest.get(work)
            if at is not None and self._pending[at].state is report.state:
                self._pending[at] = report
                return
            self._latest[work] = len(self._pending)
            self._pending.append(report)

    def report_build(self, task: ProxyTask) -> None:
        """Report where the build ``task`` is now (a proxy scheduler's progress callback)."""
        self.report(ProxyBuildProgressed.of(task))

    def report_hash(self, task: HashTask) -> None:
        """Report where the hash ``task`` is now (a proxy scheduler's progress callback)."""
        self.report(FullHashProgressed.of(task))

    def drain(self) -> list[BackgroundReport]:
        """Take every pending report, in the order they arrived."""
        with self._lock:
            pending, self._pending = self._pending, []
            self._latest.clear()
        return pending

    def __len__(self) -> int:
        """Reports waiting for the next drain."""
        with self._lock:
            return len(self._pending)


def publish_background_progress(world: World) -> None:
    """Persist: send the background work reports that arrived since the last tick."""
    for report in world.resource(BackgroundProgress).drain():
        world.send(report)
