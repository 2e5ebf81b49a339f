"""What a render keeps in memory: open readers, their frame caches, the export's frame cache.

A long timeline must not hold more the longer it is: readers of files no longer shown are
closed, and an export's caches hold a few frames, not hundreds of megabytes. None of it
may change a picture or a sample.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelgraph.engine.engine import Engine
from reelgraph.engine.media_pool import MediaPool
from reelgraph.engine.sinks import CollectSink, OutputSinks
from reelgraph.export.budgets import (
    EXPORT_FRAME_CACHE_BYTES,
    EXPORT_READER_CACHE_FRAMES,
    export_frame_cache,
    export_frame_cache_bytes,
)
from reelgraph.export.job import render_to_memory
from reelgraph.project.load import load_project_data
from reelgraph.testing import clip, media, project, track, transform
from reelgraph.testing.generated_media import write_numbered_clip

FILES = 5
CLIP_FRAMES = 6


@pytest.fixture(scope="module")
def many_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``f0.mov`` … ``f4.mov``: numbered frames and a different tone in each."""
    folder = tmp_path_factory.mktemp("many-files")
    rng = np.random.default_rng(5)
    for index in range(FILES):
        audio = (rng.standard_normal((2, 48000 // 2)) * 0.1).astype(np.float32)
        write_numbered_clip(folder / f"f{index}.mov", 15, audio=audio)
    return folder


def many_files_project() -> dict:
    """Each file in turn on V1 and A1; V2 shows the next file small meanwhile."""
    files = [f"f{index}.mov" for index in range(FILES)]
    return project(
        [
            track(
                "V1",
                "video",
                [
                    clip(f"v{i}", i * CLIP_FRAMES, CLIP_FRAMES, media(name), source_in=i)
                    for i, name in enumerate(files)
                ],
            ),
            track(
                "V2",
                "video",
                [
                    clip(
                        f"p{i}",
                        i * CLIP_FRAMES,
                        CLIP_FRAMES,
                        media(files[(i + 1) % FILES]),
                        transform=transform(scale=0.5),
                    )
                    for i in range(FILES)
                ],
            ),
            track(
                "A1",
                "audio",
                [
                    clip(f"a{i}", i * CLIP_FRAMES, CLIP_FRAMES, media(name))
                    for i, name in enumerate(files)
                ],
            ),
        ]
    )


def test_a_timeline_of_many_files_keeps_few_readers_open_and_renders_the_same(
    many_files: Path,
) -> None:
    document = load_project_data(many_files_project(), many_files)
    collect = CollectSink()
    most = {"video": 0, "audio": 0}
    with Engine(document) as engine:
        pool = MediaPool(document, max_open_readers=2)
        engine.world.insert_resource(pool)
        engine.check_media()
        engine.world.insert_resource(OutputSinks([collect]))
        frames = engine.duration()
        for frame in range(frames):
            engine.tick(frame, upcoming=frame + 1 if frame + 1 < frames else None)
            for kind, count in pool.open_readers.items():
                most[kind] = max(most[kind], count)
        opened = pool.readers_opened
    assert most == {"video": 2, "audio": 2}
    assert opened > 2 * 2  # readers were closed and opened again as the files changed
    with_room = render_to_memory(document)
    assert len(collect.frames) == len(with_room.frames) == FILES * CLIP_FRAMES
    for ours, theirs in zip(collect.frames, with_room.frames, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(
        np.concatenate(collect.audio, axis=1), np.concatenate(with_room.audio, axis=1)
    )


def test_export_readers_keep_a_few_frames_except_for_sources_played_in_reverse(
    many_files: Path,
) -> None:
    data = project(
        [
            track(
                "V1",
                "video",
                [
                    clip("fwd", 0, 6, media("f0.mov")),
                    clip("back", 6, 6, media("f1.mov"), source_in=3, speed=-1),
                ],
            )
        ]
    )
    document = load_project_data(data, many_files)
    export = MediaPool(document, reader_cache_frames=EXPORT_READER_CACHE_FRAMES)
    viewer = MediaPool(document)
    forward, backward = (c.source for c in document.clips)
    assert export.reader_cache_frames(forward) == EXPORT_READER_CACHE_FRAMES
    assert export.reader_cache_frames(backward) is None
    assert viewer.reader_cache_frames(forward) is None
    with_default_caches = render_to_memory(document).frames
    collect = CollectSink()
    with Engine(document, reader_cache_frames=1) as engine:
        engine.check_media()
        engine.world.insert_resource(OutputSinks([collect]))
        for frame in range(12):
            engine.tick(frame, upcoming=frame + 1 if frame + 1 < 12 else None)
    assert len(collect.frames) == 12
    for ours, theirs in zip(collect.frames, with_default_caches, strict=True):
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize(
    ("width", "height", "bit_depth", "frames"),
    [(1920, 1080, 8, 10), (3840, 2160, 8, 2), (3840, 2160, 16, 2), (64, 48, 8, 7281)],
)
def test_an_exports_frame_cache_holds_a_few_frames_of_its_size(
    width: int, height: int, bit_depth: int, frames: int
) -> None:
    frame = width * height * 3 * (2 if bit_depth == 16 else 1)
    budget = export_frame_cache_bytes(width, height, bit_depth)
    assert budget // frame == frames
    assert budget == max(EXPORT_FRAME_CACHE_BYTES, 2 * frame)
    cache = export_frame_cache((width, height), bit_depth)
    assert cache.memory.max_bytes == budget
    assert cache.disk is None


def test_an_exports_frame_cache_never_holds_more_than_its_budget() -> None:
    cache = export_frame_cache((1920, 1080))
    pixels = np.zeros((1080, 1920, 3), dtype=np.uint8)
    for index in range(20):
        cache.put(f"frame-{index}", pixels)
        assert cache.memory.size_bytes <= cache.memory.max_bytes
    assert len(cache.memory) == EXPORT_FRAME_CACHE_BYTES // pixels.nbytes


def test_a_file_shown_twice_at_once_decodes_forward_with_a_decoder_per_use(tmp_path: Path) -> None:
    write_numbered_clip(tmp_path / "f.mov", 90)
    data = project(
        [
            track("V1", "video", [clip("base", 0, 30, media("f.mov"))]),
            track(
                "V2",
                "video",
                [clip("pip", 0, 30, media("f.mov"), source_in=45, transform=transform(scale=0.5))],
            ),
        ]
    )
    document = load_project_data(data, tmp_path)
    with Engine(document, reader_cache_frames=EXPORT_READER_CACHE_FRAMES) as engine:
        for frame in range(30):
            engine.tick(frame)
        pool = engine.world.resource(MediaPool)
        # One seek at most, for the picture-in-picture's start; sharing one decoder would
        # seek back and forth on every frame.
        assert pool.decoder_seeks <= 2
        assert pool.open_readers["video"] == 2
