"""Read-ahead decoding and background encoding change timing, never pixels or order."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from reelgraph.engine.background_sink import BackgroundSink
from reelgraph.engine.engine import Engine
from reelgraph.engine.read_ahead import ReadAhead
from reelgraph.project.load import load_project_data
from reelgraph.testing import clip, media, project, track, transform


def scene():
    return project(
        [
            track("V1", "video", [clip("v", 0, 30, media("numbered.mp4"), source_in=3)]),
            track(
                "V2",
                "video",
                [clip("w", 0, 30, media("numbered.mp4"), speed=-1, transform=transform(scale=0.5))],
            ),
        ]
    )


def test_frames_rendered_with_read_ahead_equal_frames_rendered_without(media_dir):
    document = load_project_data(scene(), media_dir)
    with Engine(document) as ahead:
        with_ahead = [ahead.tick(f, upcoming=f + 1).image for f in range(12)]
        read_ahead = ahead.world.resource(ReadAhead)
        assert read_ahead.prefetch_hits >= 10
    with Engine(document) as plain:
        plain.world.remove_resource(ReadAhead)
        without = [plain.tick(f).image for f in range(12)]
    assert all(np.array_equal(a, b) for a, b in zip(with_ahead, without, strict=True))


def test_a_wrong_guess_of_the_next_frame_still_renders_the_right_frame(media_dir):
    document = load_project_data(scene(), media_dir)
    with Engine(document) as engine:
        engine.tick(0, upcoming=20)
        guessed_wrong = engine.tick(5, upcoming=6).image
        expected = engine.render_frame(5)
    assert np.array_equal(guessed_wrong, expected)


class Recorder:
    def __init__(self, fail_at: int | None = None) -> None:
        self.seen: list[int] = []
        self.threads: set[str] = set()
        self.fail_at = fail_at
        self.closed = self.aborted = False

    def write(self, index, pixels, audio):
        if index == self.fail_at:
            raise OSError("disk full")
        self.seen.append(index)
        self.threads.add(threading.current_thread().name)

    def close(self):
        self.closed = True

    def abort(self):
        self.aborted = True


def test_the_background_sink_keeps_frame_order_on_its_own_thread():
    inner = Recorder()
    sink = BackgroundSink(inner, depth=2)
    for index in range(50):
        sink.write(index, np.zeros((2, 2, 3), np.uint8), None)
    sink.close()
    assert inner.seen == list(range(50)) and inner.closed
    assert inner.threads == {"reelgraph-encode"}


def test_an_encoder_error_reaches_the_producer():
    sink = BackgroundSink(Recorder(fail_at=3), depth=1)
    with pytest.raises(OSError, match="disk full"):
        for index in range(50):
            sink.write(index, np.zeros((2, 2, 3), np.uint8), None)
        sink.close()
    sink.abort()
