"""Preview engines build their proxies by themselves: queued on open, preempted, cancelled.

Shared job systems run on a manual clock and start only when a test says so; a build
is held mid-way by its own progress callback waiting for an event or for its token, so
no test sleeps to synchronise (timeouts are failure guards only).
"""

from __future__ import annotations

import json
import os
import threading
import time

import numpy as np

from reelgraph.cli.main import main as reelgraph
from reelgraph.engine.editing import open_for_editing
from reelgraph.engine.engine import Engine
from reelgraph.engine.preview import open_for_preview
from reelgraph.engine.proxy_upkeep import ProxyUpkeep
from reelgraph.engine.sinks import OutputSinks
from reelgraph.graph.render_graph import RenderGraph
from reelgraph.jobs import JobSystem, PoolKind, Priority
from reelgraph.proxies import ProxyLevel, Quality
from reelgraph.proxies.scheduler import ProxyTask, TaskState
from reelgraph.render.color import from_working
from reelgraph.testing.generated_media import read_frame_number

from .conftest import FRAMES, HEIGHT, WIDTH

GUARD = 60.0  # seconds; only reached when a test is broken


def _shown(engine: Engine, frame: int) -> tuple[np.ndarray, str]:
    """Display pixels of ``frame`` and the proxy level its source was served from."""
    pixels = from_working(engine.render_frame(frame))
    return pixels, engine.world.resource(RenderGraph).sources()[0].proxy


def _leftovers(media_cache) -> list[str]:
    root = media_cache.proxies.root
    return [p.name for p in root.rglob("*") if p.name.startswith(".")] if root.is_dir() else []


class _Probe:
    """A frame sink that records how much foreground work the job system counts."""

    def __init__(self, jobs: JobSystem) -> None:
        self.jobs = jobs
        self.seen: list[int] = []

    def write(self, index: int, pixels: np.ndarray, audio: np.ndarray | None) -> None:
        self.seen.append(self.jobs.unfinished(background=False))

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


def test_opening_for_preview_queues_every_video_sources_proxies_as_background_jobs(
    document, media_cache, jobs
):
    with open_for_preview(document, media_cache=media_cache, jobs=jobs) as engine:
        (task,) = engine.world.resource(ProxyUpkeep).tasks
        assert task.state is TaskState.QUEUED
        assert task.build.levels == tuple(ProxyLevel)
        (full_hash,) = engine.world.resource(ProxyUpkeep).hashes
        assert full_hash.fingerprint == task.build.fingerprint
        # The build's first slice, then the source's full hash.
        assert jobs.pool(PoolKind.BACKGROUND).depth(Priority.BACKGROUND) == 2
        assert engine.media.proxy_builds == {task.build.fingerprint.text: task}


def test_opening_a_project_for_editing_queues_its_proxies_and_closing_cancels_them(
    project_dir, media_cache, jobs
):
    with open_for_editing(project_dir / "p.json", media_cache=media_cache, jobs=jobs) as session:
        (task,) = session.engine.world.resource(ProxyUpkeep).tasks
        assert task.state is TaskState.QUEUED
        assert task.path.name == "clip.mp4"
    jobs.start()
    assert task.wait(GUARD) and task.state is TaskState.CANCELLED
    assert media_cache.proxies.levels(task.build.fingerprint) == []


def test_a_one_shot_edit_starts_no_proxy_work(project_dir, media_cache):
    with open_for_editing(project_dir / "p.json", media_cache=media_cache, proxies=False) as s:
        assert s.engine.world.get_resource(ProxyUpkeep) is None
        assert s.engine.media.proxy_builds == {}


def test_an_export_engine_starts_no_proxy_work(document, media_cache):
    before = set(threading.enumerate())
    with Engine(document, media_cache=media_cache) as engine:
        engine.render_frame(3)
        assert engine.world.get_resource(ProxyUpkeep) is None
        assert engine.world.get_resource(JobSystem) is None
        assert engine.media.proxy_builds == {}
        assert not any(t.name.startswith("reelgraph-background") for t in threading.enumerate())
    assert set(threading.enumerate()) <= before
    assert media_cache.proxies.entries() == []


def test_a_frame_is_served_from_the_original_while_building_and_from_the_proxy_after(
    document, media_cache, jobs
):
    with open_for_preview(
        document, media_cache=media_cache, jobs=jobs, quality=Quality.HALF
    ) as engine:
        (task,) = engine.world.resource(ProxyUpkeep).tasks
        before, proxy_before = _shown(engine, 7)
        assert proxy_before == ""
        jobs.start()
        assert task.wait(GUARD) and task.state is TaskState.DONE, task.error
        after, proxy_after = _shown(engine, 7)
    assert proxy_after == "half"
    assert before.shape == after.shape == (HEIGHT, WIDTH, 3)
    assert read_frame_number(before) == read_frame_number(after) == 7
    assert np.abs(before.astype(int) - after.astype(int)).mean() < 6
    assert media_cache.proxies.levels(task.build.fingerprint) == list(ProxyLevel)


def test_a_tick_counts_as_foreground_work_of_the_engines_job_system(document, media_cache, jobs):
    with open_for_preview(document, media_cache=media_cache, jobs=jobs) as engine:
        probe = _Probe(jobs)
        engine.world.insert_resource(OutputSinks([probe]))
        engine.tick(2)
        assert probe.seen == [1]
        assert jobs.unfinished(background=False) == 0


def test_builds_pause_while_a_frame_is_being_made_and_go_on_after(document, media_cache, jobs):
    paused = threading.Event()
    states: list[tuple[str, int]] = []

    def progress(task: ProxyTask) -> None:
        states.append((task.state.value, task.frames_done))
        if task.state is TaskState.PAUSED:
            paused.set()

    # Only the end of the frame lets the build on (never its time bound).
    upkeep = ProxyUpkeep(jobs, progress=progress, yield_seconds=GUARD)
    with Engine(document, media_cache=media_cache, quality=Quality.HALF) as engine:
        upkeep.install(engine.world)
        (task,) = upkeep.queue_sources(engine.media, engine.document)
        with jobs.foreground():  # a frame being made (one that takes the whole block)
            jobs.start()
            assert paused.wait(GUARD), "the build did not pause for the frame"
            pixels, proxy = _shown(engine, 5)
            assert (proxy, read_frame_number(pixels)) == ("", 5)
            assert task.frames_done == 0
        assert task.wait(GUARD) and task.state is TaskState.DONE, task.error
    assert states[0] == ("paused", 0)
    assert states[1:4] == [("running", 1), ("running", 2), ("running", 3)]
    assert task.frames_done == FRAMES


def test_closing_the_engine_cancels_its_builds_and_leaves_no_thread_running(document, media_cache):
    before = set(threading.enumerate())
    reached = threading.Event()

    def hold_mid_way(task: ProxyTask) -> None:
        if task.frames_done == 2 and not task.done:
            reached.set()
            task.token.wait(GUARD)  # released by the close below

    engine = open_for_preview(document, media_cache=media_cache, progress=hold_mid_way)
    (task,) = engine.world.resource(ProxyUpkeep).tasks
    assert reached.wait(GUARD)
    engine.close()
    assert task.wait(GUARD)
    assert task.state is TaskState.CANCELLED
    assert task.frames_done == 2
    assert media_cache.proxies.levels(task.build.fingerprint) == []
    assert _leftovers(media_cache) == []  # no partial file, no progress note
    assert set(threading.enumerate()) <= before


def test_closing_the_engine_ends_a_build_paused_for_a_frame_at_once(document, media_cache):
    paused = threading.Event()

    def progress(task: ProxyTask) -> None:
        if task.state is TaskState.PAUSED:
            paused.set()

    upkeep = ProxyUpkeep(progress=progress, yield_seconds=GUARD)
    engine = Engine(document, media_cache=media_cache, quality=Quality.HALF)
    upkeep.install(engine.world)
    (task,) = upkeep.queue_sources(engine.media, engine.document)
    with upkeep.jobs.foreground():  # a frame still being made when the viewer closes
        assert paused.wait(GUARD)
        began = time.monotonic()
        engine.close()
        assert time.monotonic() - began < GUARD / 2  # the pause did not run its course
    assert task.wait(GUARD) and task.state is TaskState.CANCELLED
    assert task.frames_done == 0 and _leftovers(media_cache) == []


def test_closing_an_engine_on_a_shared_job_system_cancels_only_its_own_builds(
    document, media_cache, jobs
):
    engine = open_for_preview(document, media_cache=media_cache, jobs=jobs)
    (task,) = engine.world.resource(ProxyUpkeep).tasks
    engine.close()
    jobs.start()
    assert task.wait(GUARD) and task.state is TaskState.CANCELLED
    assert not jobs.root.cancelled
    assert jobs.submit(lambda: "still running", priority=Priority.NORMAL).result(GUARD)


def test_build_progress_is_reported_per_frame_and_listed_by_the_cli(
    project_dir, media_cache, capsys
):
    seen: list[tuple[int, str]] = []
    reached, release = threading.Event(), threading.Event()

    def progress(task: ProxyTask) -> None:
        seen.append((task.frames_done, task.state.value))
        if task.frames_done == 8 and not task.done:
            reached.set()
            release.wait(GUARD)

    def listed() -> dict | None:
        cache = str(media_cache.root)
        args = ["proxies", str(project_dir / "p.json"), "list", "--json", "--cache-dir", cache]
        assert reelgraph(args) == 0
        (source,) = json.loads(capsys.readouterr().out)["sources"]
        return source["building"]

    session = open_for_editing(project_dir / "p.json", media_cache=media_cache, progress=progress)
    try:
        assert reached.wait(GUARD)
        building = listed()
        assert building is not None
        assert (building["frames_done"], building["frames_total"]) == (8, FRAMES)
        assert building["pid"] == os.getpid()
    finally:
        release.set()
    (task,) = session.engine.world.resource(ProxyUpkeep).tasks
    assert task.wait(GUARD) and task.state is TaskState.DONE, task.error
    session.close()
    assert [done for done, _ in seen[:FRAMES]] == list(range(1, FRAMES + 1))
    assert seen[-1] == (FRAMES, "done")
    assert listed() is None
