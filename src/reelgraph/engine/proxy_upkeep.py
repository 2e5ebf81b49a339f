"""Proxies an interactive engine builds by itself: in the background, preempted, cancelled.

An engine that previews (an editing session, a viewer) serves frames from proxies where
its :class:`~reelgraph.proxies.PreviewQuality` allows, and the originals while none is
ready (:meth:`MediaPool.proxy_for`). :class:`ProxyUpkeep` makes the proxies exist
without anyone asking: installed in the engine's World, it queues the build of every
video source's missing levels as :data:`~reelgraph.jobs.Priority.BACKGROUND` jobs, and
has frame requests that find a proxy missing queue theirs (a clip added by an edit).

- **preemption**: the engine marks each tick as foreground work of the job system
  (:meth:`JobSystem.foreground`); a build waits before each frame while one runs, up to
  ``yield_seconds`` (so it still advances under endless rendering);
- **cancellation**: :meth:`close` (run by :meth:`Engine.close`) cancels every build;
  each deletes its partial files, and an owned job system's threads are joined;
- **progress**: a callback gets each build's :class:`ProxyTask` after every frame and
  when it ends; other processes read the build's progress note
  (``reelgraph proxies PROJECT list``).

Batch exports never make one: they start no proxy work.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reelgraph.engine.media_pool import MediaPool
from reelgraph.jobs.priority import PoolKind
from reelgraph.jobs.system import JobSystem, JobSystemConfig
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.project.document import ProjectDocument
from reelgraph.proxies.quality import ProxyLevel
from reelgraph.proxies.scheduler import Progress, ProxyScheduler, ProxyTask
from reelgraph.timeline.components import MediaSource

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reelgraph.ecs import World

__all__ = ["ProxyUpkeep"]


def _own_config() -> JobSystemConfig:
    # One thread per pool, no watchdog: proxy slices have no time limit.
    return JobSystemConfig(workers={kind: 1 for kind in PoolKind}, watchdog_interval=None)


class ProxyUpkeep:
    """Resource: one engine's background proxy builds.

    Args:
        jobs: A job system to share; its owner starts and closes it, and :meth:`close`
            only cancels this upkeep's builds. Default: a job system of its own (one
            thread per pool), started when the first build is queued and closed, its
            threads joined, by :meth:`close`.
        progress: Called with a build's task after every frame and once when it ends,
            from a worker thread.
        slice_frames: Most frames per background job.
        yield_seconds: How long a build waits, before each frame, for a frame being
            rendered (real seconds).
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
        """The job system the builds run on."""
        self.token = self.jobs.root.child("proxies")
        """Parent of every build's token; cancelled by :meth:`close`."""
        self._progress = progress
        self._slice_frames = slice_frames
        self._yield_seconds = yield_seconds
        self._scheduler: ProxyScheduler | None = None
        self._tasks: list[ProxyTask] = []
        self._closed = False

    @property
    def tasks(self) -> list[ProxyTask]:
        """Every build queued so far, in queueing order (done ones included)."""
        return list(self._tasks)

    def install(self, world: World) -> None:
        """Become ``world``'s resource and the builder of its media pool's missing proxies.

        The job system becomes a resource too unless the world has one (so ticks are
        marked as foreground work of it, and ``--metrics`` reads it).
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
        world.insert_resource(self)

    def queue_sources(self, pool: MediaPool, document: ProjectDocument) -> list[ProxyTask]:
        """Queue the missing proxies of every video source of ``document``; the new tasks.

        Sources are taken in path order; unreadable ones are skipped (rendering them
        reports the error).
        """
        paths = sorted({c.source.path for c in document.clips if isinstance(c.source, MediaSource)})
        queued = [pool.request_proxies(MediaSource(path)) for path in paths]
        return [task for task in queued if task is not None]

    def build(
        self, path: Path, fingerprint: Fingerprint, levels: Sequence[ProxyLevel]
    ) -> ProxyTask:
        """Queue the build of ``levels`` of the original at ``path`` (the pool's builder).

        Raises:
            RuntimeError: :meth:`install` was not called.
        """
        if self._scheduler is None:
            raise RuntimeError("ProxyUpkeep.install() must run before builds are queued")
        if self._owned and not self._closed:
            self.jobs.start()
        task = self._scheduler.build(path, fingerprint, levels, progress=self._progress)
        self._tasks.append(task)
        return task

    def close(self) -> None:
        """Cancel every build (partial files are deleted); join an owned system's threads."""
        if self._closed:
            return
        self._closed = True
        self.token.cancel("engine closed")
        if self._owned:
            self.jobs.close(cancel_queued=True)
