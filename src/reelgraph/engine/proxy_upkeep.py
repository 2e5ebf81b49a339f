"""Proxies and full hashes an interactive engine makes by itself: in the background,
preempted, cancelled, their progress sent as World events.

An engine that previews (an editing session, a viewer) serves frames from proxies where
its :class:`~reelgraph.proxies.PreviewQuality` allows, and the originals while none is
ready (:meth:`MediaPool.proxy_for`). :class:`ProxyUpkeep` makes the proxies exist
without anyone asking: installed in the engine's World, it queues the build of every
video source's missing levels as :data:`~reelgraph.jobs.Priority.BACKGROUND` jobs, and
has frame requests that find a proxy missing queue theirs (a clip added by an edit).
It also confirms each video and audio source's content: the full SHA-256 of every
fingerprint the media index has no full hash for yet is computed the same way, once per
fingerprint, and recorded in the index (a contradicting one deletes that fingerprint's
proxies). Sources added by edits are hashed from the tick that applies the edit.

- **preemption**: the engine marks each tick as foreground work of the job system
  (:meth:`JobSystem.foreground`); a build or hash waits before each step while one
  runs, up to ``yield_seconds`` (so it still advances under endless rendering);
- **cancellation**: :meth:`close` (run by :meth:`Engine.close`) cancels every build and
  hash; builds delete their partial files, and an owned job system's threads are joined;
- **progress**: every report becomes a World event
  (:mod:`reelgraph.engine.background_progress`); a callback also gets each build's
  :class:`ProxyTask` after every frame and when it ends; other processes read the
  build's progress note (``reelgraph proxies PROJECT list``).

Batch exports never make one: they start no background work and send no such events.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reelgraph.ecs import EventReader, Schedule, Stage, World
from reelgraph.ecs.criteria import all_of, any_events, resource_exists
from reelgraph.engine.background_progress import (
    BackgroundProgress,
    FullHashProgressed,
    ProxyBuildProgressed,
    publish_background_progress,
)
from reelgraph.engine.media_pool import MediaPool
from reelgraph.engine.resources import TimelineChanged
from reelgraph.jobs.priority import PoolKind
from reelgraph.jobs.system import JobSystem, JobSystemConfig
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.project.document import ProjectDocument
from reelgraph.proxies.quality import ProxyLevel
from reelgraph.proxies.scheduler import ProxyScheduler
from reelgraph.proxies.tasks import HashTask, Progress, ProxyTask
from reelgraph.timeline.components import MediaSource

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["ProxyUpkeep", "add_upkeep_systems", "hash_new_sources"]

# Only these kinds of source have content worth confirming (stills are read whole anyway).
_HASHED_KINDS = ("video", "audio")


def _own_config() -> JobSystemConfig:
    # One thread per pool, no watchdog: proxy slices have no time limit.
    return JobSystemConfig(workers={kind: 1 for kind in PoolKind}, watchdog_interval=None)


def _media_paths(document: ProjectDocument) -> list[str]:
    """The document's media file paths, each once, sorted."""
    return sorted({c.source.path for c in document.clips if isinstance(c.source, MediaSource)})


class ProxyUpkeep:
    """Resource: one engine's background proxy builds and full content hashes.

    Args:
        jobs: A job system to share; its owner starts and closes it, and :meth:`close`
            only cancels this upkeep's work. Default: a job system of its own (one
            thread per pool), started when the first work is queued and closed, its
            threads joined, by :meth:`close`.
        progress: Called with a build's task after every frame and once when it ends,
            from a worker thread.
        slice_frames: Most frames per background job.
        yield_seconds: How long a build or hash waits, before each step, for a frame
            being rendered (real seconds).
    """

    def __init__(
        self,
        jobs: JobSystem | None = None,
        *,
        progress: Progress | None = None,
        slice_frames: int = 8,
        yield_seconds: float = 1.0,
    ) -> None:
        self._owned = jobs is None
        self.jobs = jobs if jobs is not None else JobSystem(_own_config(), start=False)
        """The job system the work runs on."""
        self.token = self.jobs.root.child("proxies")
        """Parent of every build's and hash's token; cancelled by :meth:`close`."""
        self.reports = BackgroundProgress()
        """Where workers report; drained into World events each tick."""
        self._progress = progress
        self._slice_frames = slice_frames
        self._yield_seconds = yield_seconds
        self._scheduler: ProxyScheduler | None = None
        self._tasks: list[ProxyTask] = []
        self._hashes: dict[str, HashTask] = {}
        self._closed = False

    @property
    def tasks(self) -> list[ProxyTask]:
        """Every build queued so far, in queueing order (done ones included)."""
        return list(self._tasks)

    @property
    def hashes(self) -> list[HashTask]:
        """Every full hash queued so far, in queueing order (done ones included)."""
        return list(self._hashes.values())

    def install(self, world: World) -> None:
        """Become ``world``'s resource and the builder of its media pool's missing proxies.

        The job system becomes a resource too unless the world has one (so ticks are
        marked as foreground work of it, and ``--metrics`` reads it), and so does
        :attr:`reports` (so the schedule sends them as events).
        """
        pool = world.resource(MediaPool)
        self._scheduler = ProxyScheduler(
            self.jobs,
            pool.media_cache.proxies,
            slice_frames=self._slice_frames,
            token=self.token,
            yield_seconds=self._yield_seconds,
        )
        pool.build_missing_proxies(self)
        if world.get_resource(JobSystem) is None:
            world.insert_resource(self.jobs)
        world.insert_resource(self.reports)
        world.insert_resource(self)

    def queue_sources(self, pool: MediaPool, document: ProjectDocument) -> list[ProxyTask]:
        """Queue the missing proxies of every video source of ``document``; the new tasks.

        Sources are taken in path order; unreadable ones are skipped (rendering them
        reports the error).
        """
        queued = [pool.request_proxies(MediaSource(path)) for path in _media_paths(document)]
        return [task for task in queued if task is not None]

    def queue_full_hashes(self, pool: MediaPool, document: ProjectDocument) -> list[HashTask]:
        """Queue the full hash of every video and audio source of ``document`` whose
        content the media index has no full hash for; the new tasks.

        Each fingerprint is hashed once per upkeep (never again while its hash is
        queued, running or ended). Sources are taken in path order; unreadable ones are
        skipped (rendering them reports the error).
        """
        queued = []
        for path in _media_paths(document):
            source = MediaSource(path)
            fingerprint = pool.readable_fingerprint(source, _HASHED_KINDS)
            if fingerprint is None or fingerprint.text in self._hashes:
                continue
            if pool.media_cache.index.full_hash(fingerprint) is not None:
                continue
            queued.append(self._hash(pool, pool.path_of(source), fingerprint))
        return queued

    def _hash(self, pool: MediaPool, path: Path, fingerprint: Fingerprint) -> HashTask:
        scheduler = self._started()
        # Reported before it is queued, so it precedes whatever a worker reports.
        self.reports.report(FullHashProgressed.queued(path, fingerprint))
        task = scheduler.hash_file(
            pool.media_cache.index, path, fingerprint, progress=self.reports.report_hash
        )
        self._hashes[fingerprint.text] = task
        return task

    def build(
        self, path: Path, fingerprint: Fingerprint, levels: Sequence[ProxyLevel]
    ) -> ProxyTask:
        """Queue the build of ``levels`` of the original at ``path`` (the pool's builder).

        Raises:
            RuntimeError: :meth:`install` was not called.
        """
        scheduler = self._started()
        self.reports.report(ProxyBuildProgressed.queued(path, fingerprint, tuple(levels)))
        task = scheduler.build(path, fingerprint, levels, progress=self._report_build)
        self._tasks.append(task)
        return task

    def _started(self) -> ProxyScheduler:
        if self._scheduler is None:
            raise RuntimeError("ProxyUpkeep.install() must run before work is queued")
        if self._owned and not self._closed:
            self.jobs.start()
        return self._scheduler

    def _report_build(self, task: ProxyTask) -> None:
        # The event first: the callback may hold the worker (a UI waiting on something).
        self.reports.report_build(task)
        if self._progress is not None:
            self._progress(task)

    def close(self) -> None:
        """Cancel every build and hash (partial files are deleted); join an owned
        system's threads."""
        if self._closed:
            return
        self._closed = True
        self.token.cancel("engine closed")
        if self._owned:
            self.jobs.close(cancel_queued=True)


_timeline_changes = EventReader(TimelineChanged)


def hash_new_sources(world: World) -> None:
    """Ingest: queue the full hashes of sources the tick's edits brought in."""
    if not _timeline_changes.read(world):
        return
    upkeep = world.resource(ProxyUpkeep)
    upkeep.queue_full_hashes(world.resource(MediaPool), world.resource(ProjectDocument))


def add_upkeep_systems(schedule: Schedule) -> None:
    """Add the systems of a :class:`ProxyUpkeep` to an engine's schedule.

    They run only in worlds it was installed in (exports: never): ``hash_new_sources``
    after the tick's edits, ``publish_background_progress`` at the end of every tick.
    """
    schedule.add_system(
        hash_new_sources,
        Stage.INGEST,
        after=("apply_pending_edits",),
        run_if=all_of(resource_exists(ProxyUpkeep), any_events(TimelineChanged)),
    )
    schedule.add_system(
        publish_background_progress, Stage.PERSIST, run_if=resource_exists(BackgroundProgress)
    )
