"""Engines for interactive use: previews at a quality, proxies built in the background.

:func:`open_for_preview` makes the engine an editing session or a viewer renders with:
frames are served at a :class:`~reelgraph.proxies.Quality` (from the smallest proxy that
satisfies it, the original while none is ready), and a :class:`ProxyUpkeep` queues the
missing proxies of every video source, and the full content hash of every video and audio
source not hashed yet, as background jobs at once; their progress arrives as World events
(:mod:`reelgraph.engine.background_progress`). Exports make a plain :class:`Engine`
instead, which serves originals and starts no background work.
"""

from __future__ import annotations

from typing import Any

from reelgraph.engine.engine import Engine
from reelgraph.engine.proxy_upkeep import ProxyUpkeep
from reelgraph.jobs.system import JobSystem
from reelgraph.project.document import ProjectDocument
from reelgraph.proxies.quality import Quality
from reelgraph.proxies.tasks import Progress

__all__ = ["open_for_preview"]


def open_for_preview(
    document: ProjectDocument,
    *,
    quality: Quality = Quality.FULL,
    proxies: bool = True,
    jobs: JobSystem | None = None,
    progress: Progress | None = None,
    **engine_options: Any,
) -> Engine:
    """An engine that previews ``document`` at ``quality`` and builds proxies meanwhile.

    Args:
        document: The project.
        quality: What resolution frame requests need (the :class:`PreviewQuality`).
        proxies: Queue the missing proxies of every video source now (and of sources
            found missing later, at their first request), and the full hashes of the
            sources' contents. False: serve what exists, start nothing.
        jobs: A job system to build on, shared with its owner (default: the engine's
            own, closed with it).
        progress: Called with each build's task after every frame and when it ends.
        engine_options: Passed on to :class:`Engine` (``media_cache``, ``width``...);
            ``decode_device`` defaults to ``auto`` here (NVDEC where a CUDA device opens).

    Returns:
        The engine; :meth:`Engine.close` cancels its builds and hashes and stops their
        threads.
    """
    engine_options.setdefault("decode_device", "auto")
    engine = Engine(document, quality=quality, **engine_options)
    if proxies:
        upkeep = ProxyUpkeep(jobs, progress=progress)
        try:
            upkeep.install(engine.world)
            upkeep.queue_sources(engine.media, engine.document)
            upkeep.queue_full_hashes(engine.media, engine.document)
        except BaseException:
            engine.close()
            raise
    return engine
