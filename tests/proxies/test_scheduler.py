"""Proxy builds are background jobs: foreground work preempts them, tokens cancel them.

Everything runs on one background worker with a manual clock (no aging), so the order
of work is decided by the dispatcher alone; no test sleeps to synchronise.
"""

from __future__ import annotations

import pytest

from reelgraph.jobs import JobSystem, JobSystemConfig, ManualClock, PoolKind, Priority
from reelgraph.media_index import full_sha256
from reelgraph.proxies import ProxyLevel
from reelgraph.proxies.scheduler import ProxyScheduler, ProxyTask, TaskState

from .conftest import FRAMES

LEVELS = (ProxyLevel.HALF, ProxyLevel.QUARTER)


@pytest.fixture
def jobs():
    config = JobSystemConfig(workers={kind: 1 for kind in PoolKind}, watchdog_interval=None)
    system = JobSystem(config, clock=ManualClock(), start=False)
    yield system
    system.close(cancel_queued=True)


def _partials(cache) -> list[str]:
    return [p.name for p in cache.proxies.root.rglob("*.partial")]


def test_a_build_runs_in_slices_and_publishes_every_level(jobs, media_cache, numbered_source):
    fingerprint = media_cache.index.identify(numbered_source)
    scheduler = ProxyScheduler(jobs, media_cache.proxies, slice_frames=5)
    task = scheduler.build(numbered_source, fingerprint, LEVELS)
    assert task.state is TaskState.QUEUED
    jobs.start()
    assert task.wait(60)
    assert task.state is TaskState.DONE, task.error
    assert task.frames_done == FRAMES
    assert task.slices == FRAMES // 5 + 1
    assert media_cache.proxies.levels(fingerprint) == list(LEVELS)


def test_a_foreground_job_runs_before_queued_proxy_work(jobs, media_cache, numbered_source):
    fingerprint = media_cache.index.identify(numbered_source)
    order: list[object] = []
    scheduler = ProxyScheduler(jobs, media_cache.proxies, slice_frames=4)
    task = scheduler.build(
        numbered_source, fingerprint, LEVELS, progress=lambda t: order.append(t.frames_done)
    )
    jobs.submit(
        lambda: order.append("foreground"), priority=Priority.VIDEO_FRAME, pool=PoolKind.BACKGROUND
    )
    jobs.start()
    assert task.wait(60) and task.state is TaskState.DONE
    assert order[0] == "foreground"


def test_foreground_work_queued_mid_build_preempts_it_at_the_next_frame(
    jobs, media_cache, numbered_source
):
    fingerprint = media_cache.index.identify(numbered_source)
    order: list[object] = []
    submitted = []

    def progress(task: ProxyTask) -> None:
        order.append(task.frames_done)
        if task.frames_done == 2 and not submitted:
            submitted.append(
                jobs.submit(
                    lambda: order.append("foreground"),
                    priority=Priority.VIDEO_FRAME,
                    pool=PoolKind.BACKGROUND,
                )
            )

    scheduler = ProxyScheduler(jobs, media_cache.proxies, slice_frames=8)
    task = scheduler.build(numbered_source, fingerprint, LEVELS, progress=progress)
    jobs.start()
    assert task.wait(60) and task.state is TaskState.DONE
    # The slice stopped after frame 2 (not at its end, frame 8) to let the job in.
    assert order[:4] == [1, 2, "foreground", 3]
    assert task.slices == 4  # frames 1-2 | 3-10 | 11-18 | 19-24 and the end
    assert media_cache.proxies.levels(fingerprint) == list(LEVELS)


def test_cancelling_a_build_stops_it_mid_way_and_leaves_no_proxy(
    jobs, media_cache, numbered_source
):
    fingerprint = media_cache.index.identify(numbered_source)

    def progress(task: ProxyTask) -> None:
        if task.frames_done == 5:
            task.cancel("user")

    scheduler = ProxyScheduler(jobs, media_cache.proxies, slice_frames=4)
    task = scheduler.build(numbered_source, fingerprint, LEVELS, progress=progress)
    jobs.start()
    assert task.wait(60)
    assert task.state is TaskState.CANCELLED
    assert task.frames_done == 5
    assert media_cache.proxies.levels(fingerprint) == []
    assert _partials(media_cache) == []


def test_cancelling_the_job_system_cancels_queued_builds(jobs, media_cache, numbered_source):
    fingerprint = media_cache.index.identify(numbered_source)
    scheduler = ProxyScheduler(jobs, media_cache.proxies)
    task = scheduler.build(numbered_source, fingerprint, LEVELS)
    jobs.cancel("interrupted")  # what Ctrl-C does in 'reelgraph proxies build'
    jobs.start()
    assert task.wait(60)
    assert task.state is TaskState.CANCELLED
    assert task.frames_done == 0
    assert media_cache.proxies.levels(fingerprint) == [] and _partials(media_cache) == []


def test_the_full_content_hash_runs_as_a_background_job(jobs, media_cache, numbered_source):
    fingerprint = media_cache.index.identify(numbered_source)
    scheduler = ProxyScheduler(jobs, media_cache.proxies)
    handle = scheduler.hash_file(media_cache.index, numbered_source, fingerprint)
    assert handle.priority is Priority.BACKGROUND
    jobs.start()
    assert handle.result(60) == full_sha256(numbered_source)
    assert media_cache.index.full_hash(fingerprint) == handle.result()


def test_a_preview_request_queues_the_missing_proxies_and_uses_them_once_built(
    jobs, media_cache, document
):
    from reelgraph.engine.engine import Engine
    from reelgraph.graph.render_graph import RenderGraph
    from reelgraph.proxies import Quality

    with Engine(document, media_cache=media_cache, quality=Quality.HALF) as engine:
        engine.media.build_missing_proxies(ProxyScheduler(jobs, media_cache.proxies))
        engine.render_frame(3)
        assert engine.world.resource(RenderGraph).sources()[0].proxy == ""  # not built yet
        (task,) = engine.media.proxy_builds.values()
        engine.render_frame(4)
        assert len(engine.media.proxy_builds) == 1  # queued once
        jobs.start()
        assert task.wait(60) and task.state is TaskState.DONE
        engine.render_frame(5)
        assert engine.world.resource(RenderGraph).sources()[0].proxy == "half"
