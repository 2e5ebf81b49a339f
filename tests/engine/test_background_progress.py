"""Preview engines confirm their sources' content in the background and report progress
as World events.

Shared job systems run on a manual clock and start only when a test says so; a build is
held mid-way by its own progress callback waiting for an event or for its token, so no
test sleeps to synchronise (timeouts are failure guards only).
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from reelgraph.ecs import EventReader, World
from reelgraph.engine.background_progress import (
    BackgroundProgress,
    FullHashProgressed,
    ProxyBuildProgressed,
    publish_background_progress,
)
from reelgraph.engine.engine import Engine
from reelgraph.engine.preview import open_for_preview
from reelgraph.engine.proxy_upkeep import ProxyUpkeep
from reelgraph.media_index import Fingerprint, full_sha256
from reelgraph.project.load import load_project
from reelgraph.proxies import MediaCache, ProxyLevel, Quality
from reelgraph.proxies.build import ProxyBuild
from reelgraph.proxies.tasks import Progress, ProxyTask, TaskState
from reelgraph.testing.builders import clip, media, project, track
from reelgraph.testing.generated_media import (
    write_click_clip,
    write_numbered_clip,
    write_solid_png,
)
from reelgraph.timeline.components import Clip, MediaSource
from reelgraph.timeline.edits import InsertClip

GUARD = 60.0  # seconds; only reached when a test is broken
WIDTH, HEIGHT, FRAMES = 64, 36, 6


@pytest.fixture(scope="session")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny numbered clip, a click WAV and a still (written once)."""
    folder = tmp_path_factory.mktemp("background-media")
    write_numbered_clip(folder / "clip.mp4", FRAMES, width=WIDTH, height=HEIGHT)
    write_click_clip(folder / "click.wav", 0.5, 100)
    write_solid_png(folder / "still.png", (255, 0, 0, 255))
    return folder


def _write_project(folder: Path, clips: dict[str, list[dict]]) -> Path:
    tracks = [
        track(name, "audio" if name.startswith("A") else "video", c) for name, c in clips.items()
    ]
    path = folder / "p.json"
    path.write_text(json.dumps(project(tracks, width=WIDTH, height=HEIGHT)))
    return path


@pytest.fixture
def project_dir(tmp_path: Path, sources: Path) -> Path:
    """Two clips of ``clip.mp4``, one of a byte-identical copy, a still and a sound."""
    folder = tmp_path / "project"
    folder.mkdir()
    for name in ("clip.mp4", "click.wav", "still.png"):
        shutil.copy(sources / name, folder / name)
    shutil.copy(sources / "clip.mp4", folder / "copy.mp4")
    _write_project(
        folder,
        {
            "V1": [clip("a", 0, 3, media("clip.mp4")), clip("b", 3, 3, media("copy.mp4"))],
            "V2": [clip("s", 0, 2, media("still.png"))],
            "A1": [clip("c", 0, FRAMES, media("click.wav"))],
        },
    )
    return folder


@pytest.fixture
def document(project_dir: Path):  # type: ignore[no-untyped-def]
    return load_project(project_dir / "p.json")


@pytest.fixture
def media_cache(tmp_path: Path) -> MediaCache:
    """A private cache folder (index, proxies, thumbnails, waveforms)."""
    return MediaCache(tmp_path / "cache")


def _hashed(engine: Engine) -> list[str]:
    return [task.path.name for task in engine.world.resource(ProxyUpkeep).hashes]


def _wait_for_everything(upkeep: ProxyUpkeep) -> None:
    for task in [*upkeep.tasks, *upkeep.hashes]:
        assert task.wait(GUARD), task.path
        assert task.state is TaskState.DONE, task.error


def _held_at(frame: int) -> tuple[threading.Event, threading.Event, Progress]:
    """A progress callback that holds its build after ``frame`` until released; the
    events it sets when reached and waits for."""
    reached, release = threading.Event(), threading.Event()

    def progress(task: ProxyTask) -> None:
        if task.frames_done == frame and not task.done:
            reached.set()
            release.wait(GUARD)

    return reached, release, progress


def test_opening_for_preview_queues_one_full_hash_per_video_and_audio_content(
    document, media_cache, jobs
):
    with open_for_preview(document, media_cache=media_cache, jobs=jobs) as engine:
        upkeep = engine.world.resource(ProxyUpkeep)
        # Path order; clip.mp4 and copy.mp4 are one content; the still is not hashed.
        assert _hashed(engine) == ["click.wav", "clip.mp4"]
        assert all(task.state is TaskState.QUEUED for task in upkeep.hashes)
        assert upkeep.queue_full_hashes(engine.media, engine.document) == []
        jobs.start()
        _wait_for_everything(upkeep)
        assert upkeep.queue_full_hashes(engine.media, engine.document) == []
    for task in upkeep.hashes:
        assert task.sha256 == full_sha256(task.path)
        assert media_cache.index.full_hash(task.fingerprint) == task.sha256
    again = MediaCache(media_cache.root)  # what the next session reads
    with open_for_preview(document, media_cache=again, jobs=jobs) as engine:
        assert _hashed(engine) == []


def test_closing_the_engine_cancels_pending_hashes_and_leaves_no_thread(document, media_cache):
    before = set(threading.enumerate())
    reached = threading.Event()

    def hold_mid_way(task: ProxyTask) -> None:
        if task.frames_done == 2 and not task.done:
            reached.set()
            task.token.wait(GUARD)  # released by the close below

    engine = open_for_preview(document, media_cache=media_cache, progress=hold_mid_way)
    upkeep = engine.world.resource(ProxyUpkeep)
    assert reached.wait(GUARD)  # the one background worker is busy: the hashes wait
    engine.close()
    for task in upkeep.hashes:
        assert task.wait(GUARD) and task.state is TaskState.CANCELLED
        assert task.sha256 is None
        assert media_cache.index.full_hash(task.fingerprint) is None
    assert len(upkeep.hashes) == 2
    assert set(threading.enumerate()) <= before


def test_build_and_hash_progress_arrive_as_world_events_after_a_tick(document, media_cache, jobs):
    reached, release, progress = _held_at(3)
    builds, hashes = EventReader(ProxyBuildProgressed), EventReader(FullHashProgressed)
    with open_for_preview(document, media_cache=media_cache, jobs=jobs, progress=progress) as e:
        upkeep = e.world.resource(ProxyUpkeep)
        e.tick(0)
        queued = builds.read(e.world)
        assert [(r.state, r.frames_done, r.levels) for r in queued] == [
            (TaskState.QUEUED, 0, tuple(ProxyLevel))
        ]
        assert [(r.path.name, r.state) for r in hashes.read(e.world)] == [
            ("click.wav", TaskState.QUEUED),
            ("clip.mp4", TaskState.QUEUED),
        ]
        jobs.start()
        try:
            assert reached.wait(GUARD)
            e.tick(1)
            mid_way = builds.read(e.world)
        finally:
            release.set()
        _wait_for_everything(upkeep)
        e.tick(2)
        ended = builds.read(e.world)
        hashed = hashes.read(e.world)
    reports = [*queued, *mid_way, *ended]
    assert [(r.state, r.frames_done) for r in reports] == [
        (TaskState.QUEUED, 0),
        (TaskState.RUNNING, 3),  # frames 1 to 3, reported before the tick, as one
        (TaskState.RUNNING, FRAMES),
        (TaskState.DONE, FRAMES),
    ]
    assert reports[-1].frames_total == FRAMES
    assert {r.fingerprint for r in reports} == {upkeep.tasks[0].fingerprint.text}
    assert [(r.path.name, r.state) for r in hashed] == [
        ("click.wav", TaskState.RUNNING),
        ("click.wav", TaskState.DONE),
        ("clip.mp4", TaskState.RUNNING),
        ("clip.mp4", TaskState.DONE),
    ]
    for report, task in zip(hashed[1::2], upkeep.hashes, strict=True):
        assert report.sha256 == task.sha256 and not report.contradicted
        assert report.bytes_done == report.bytes_total == task.path.stat().st_size


def test_the_progress_callback_still_gets_every_frame(document, media_cache, jobs):
    seen: list[tuple[int, str]] = []
    reader = EventReader(ProxyBuildProgressed)
    progress = lambda task: seen.append((task.frames_done, task.state.value))  # noqa: E731
    with open_for_preview(document, media_cache=media_cache, jobs=jobs, progress=progress) as e:
        jobs.start()
        _wait_for_everything(e.world.resource(ProxyUpkeep))
        e.tick(0)
        reports = reader.read(e.world)
    assert seen == [*((n, "running") for n in range(1, FRAMES + 1)), (FRAMES, "done")]
    assert [(r.state, r.frames_done) for r in reports] == [
        (TaskState.QUEUED, 0),
        (TaskState.RUNNING, FRAMES),
        (TaskState.DONE, FRAMES),
    ]


def test_an_export_engine_queues_no_hash_and_sends_no_progress_events(document, media_cache):
    before = set(threading.enumerate())
    with Engine(document, media_cache=media_cache) as engine:
        engine.tick(1)
        engine.tick(2)
        assert engine.world.get_resource(ProxyUpkeep) is None
        assert engine.world.get_resource(BackgroundProgress) is None
        assert len(engine.world.events(ProxyBuildProgressed)) == 0
        assert len(engine.world.events(FullHashProgressed)) == 0
        fingerprint = engine.media.fingerprint(MediaSource("clip.mp4"))
    assert fingerprint is not None and media_cache.index.full_hash(fingerprint) is None
    assert set(threading.enumerate()) <= before


def test_a_source_added_by_an_edit_is_hashed_from_the_next_tick(
    tmp_path, sources, media_cache, jobs
):
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(sources / "clip.mp4", folder / "clip.mp4")
    shutil.copy(sources / "click.wav", folder / "click.wav")
    path = _write_project(folder, {"V1": [clip("a", 0, 3, media("clip.mp4"))], "A1": []})
    with open_for_preview(load_project(path), media_cache=media_cache, jobs=jobs) as engine:
        assert _hashed(engine) == ["clip.mp4"]
        engine.apply(InsertClip(Clip("c", "A1", 0, 3, MediaSource("click.wav"))))
        assert _hashed(engine) == ["clip.mp4"]
        engine.tick(0)
        assert _hashed(engine) == ["clip.mp4", "click.wav"]
        engine.tick(1)
        assert _hashed(engine) == ["clip.mp4", "click.wav"]


def _build_proxies_now(cache: MediaCache, path: Path) -> Fingerprint:
    fingerprint = cache.index.identify(path)
    build = ProxyBuild(cache.proxies, path, fingerprint, tuple(ProxyLevel))
    while build.step():
        pass
    return fingerprint


def test_a_full_hash_that_contradicts_the_recorded_one_stops_the_proxies_being_served(
    tmp_path, sources, media_cache, jobs
):
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(sources / "clip.mp4", folder / "clip.mp4")
    path = _write_project(folder, {"V1": [clip("a", 0, FRAMES, media("clip.mp4"))]})
    fingerprint = _build_proxies_now(media_cache, folder / "clip.mp4")
    hashes = EventReader(FullHashProgressed)
    document = load_project(path)
    with open_for_preview(
        document, media_cache=media_cache, jobs=jobs, quality=Quality.QUARTER
    ) as engine:
        assert engine.world.resource(ProxyUpkeep).tasks == []  # every level exists
        assert engine.media.proxy_for(MediaSource("clip.mp4"), Quality.QUARTER)[0] != ""
        # Another process recorded another content under the same fingerprint meanwhile.
        media_cache.index.record_full_hash(fingerprint, "0" * 64)
        jobs.start()
        _wait_for_everything(engine.world.resource(ProxyUpkeep))
        engine.tick(0)
        (*_, done) = hashes.read(engine.world)
        assert (done.state, done.contradicted) == (TaskState.DONE, True)
        assert media_cache.proxies.levels(fingerprint) == []
        assert engine.media.proxy_for(MediaSource("clip.mp4"), Quality.QUARTER) == ("", 1)


def test_reports_of_one_work_in_one_state_collapse_and_changes_of_state_keep_their_order():
    inbox = BackgroundProgress()
    path, levels = Path("a.mp4"), (ProxyLevel.HALF,)

    def build(frames: int, state: TaskState, name: str = "fp1:1:a") -> ProxyBuildProgressed:
        return ProxyBuildProgressed(name, path, levels, frames, 9, state)

    def full_hash(done: int, state: TaskState) -> FullHashProgressed:
        return FullHashProgressed("fp1:1:a", path, done, 9, state)

    for report in [
        build(0, TaskState.QUEUED),
        full_hash(0, TaskState.QUEUED),
        build(1, TaskState.RUNNING),
        build(2, TaskState.RUNNING),
        build(2, TaskState.RUNNING, name="fp1:1:b"),
        build(2, TaskState.PAUSED),
        build(3, TaskState.RUNNING),
        full_hash(4, TaskState.RUNNING),
        build(4, TaskState.RUNNING),
        full_hash(9, TaskState.RUNNING),
        build(9, TaskState.DONE),
    ]:
        inbox.report(report)
    world = World()
    world.insert_resource(inbox)
    publish_background_progress(world)
    assert len(inbox) == 0
    assert list(world.events(ProxyBuildProgressed)) == [
        build(0, TaskState.QUEUED),
        build(2, TaskState.RUNNING),
        build(2, TaskState.RUNNING, name="fp1:1:b"),
        build(2, TaskState.PAUSED),
        build(4, TaskState.RUNNING),
        build(9, TaskState.DONE),
    ]
    assert list(world.events(FullHashProgressed)) == [
        full_hash(0, TaskState.QUEUED),
        full_hash(9, TaskState.RUNNING),
    ]
    inbox.report(build(9, TaskState.DONE))  # after a drain, a report starts afresh
    assert inbox.drain() == [build(9, TaskState.DONE)]
