"""Proxy builds are background jobs: foreground work preempts them, tokens cancel them.

Everything runs on one background worker with a manual clock (no aging), so the order
of work is decided by the dispatcher alone; no test sleeps to synchronise.
"""

from __future__ import annotations

from reelgraph.jobs import PoolKind, Priority
from reelgraph.media_index import full_sha256
from reelgraph.proxies import ProxyLevel
from reelgraph.proxies.scheduler import ProxyScheduler, ProxyTask, TaskState

from .conftest import FRAMES
from .helpers import build_now

LEVELS = (ProxyLevel.HALF, ProxyLevel.QUARTER)


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
    task = scheduler.hash_file(media_cache.index, numbered_source, fingerprint)
    assert task.state is TaskState.QUEUED
    assert jobs.pool(PoolKind.BACKGROUND).depth(Priority.BACKGROUND) == 1
    jobs.start()
    assert task.wait(60) and task.state is TaskState.DONE, task.error
    assert task.sha256 == full_sha256(numbered_source)
    assert media_cache.index.full_hash(fingerprint) == task.sha256
    assert task.bytes_done == task.bytes_total == numbered_source.stat().st_size


def test_a_full_hash_runs_in_slices_of_blocks_and_reports_each_block(jobs, media_cache, tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(256)) * (3 * 4096 * 4 + 1))  # three 4 MiB blocks and a bit
    fingerprint = media_cache.index.identify(path)
    scheduler = ProxyScheduler(jobs, media_cache.proxies, slice_blocks=2)
    seen: list[tuple[int, str]] = []
    task = scheduler.hash_file(
        media_cache.index,
        path,
        fingerprint,
        progress=lambda t: seen.append((t.bytes_done, t.state.value)),
    )
    jobs.start()
    assert task.wait(60) and task.state is TaskState.DONE, task.error
    block, size = 4 << 20, path.stat().st_size
    assert seen == [
        (block, "running"),
        (2 * block, "running"),
        (3 * block, "running"),
        (size, "running"),
        (size, "done"),
    ]
    assert task.slices == 3
    assert task.sha256 == full_sha256(path)


def test_a_full_hash_that_contradicts_the_recorded_one_deletes_the_proxies(
    jobs, media_cache, numbered_source
):
    fingerprint = build_now(media_cache, numbered_source, LEVELS)
    media_cache.index.record_full_hash(fingerprint, "0" * 64)
    scheduler = ProxyScheduler(jobs, media_cache.proxies)
    task = scheduler.hash_file(media_cache.index, numbered_source, fingerprint)
    jobs.start()
    assert task.wait(60) and task.state is TaskState.DONE, task.error
    assert task.contradicted
    assert media_cache.proxies.levels(fingerprint) == []
    assert media_cache.index.full_hash(fingerprint) == full_sha256(numbered_source)


def test_a_cancelled_full_hash_records_nothing(jobs, media_cache, numbered_source):
    fingerprint = media_cache.index.identify(numbered_source)
    scheduler = ProxyScheduler(jobs, media_cache.proxies)
    task = scheduler.hash_file(media_cache.index, numbered_source, fingerprint)
    task.cancel()
    jobs.start()
    assert task.wait(60) and task.state is TaskState.CANCELLED
    assert task.sha256 is None
    assert media_cache.index.full_hash(fingerprint) is None


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
