"""A frame that shows one opaque 8-bit source picture as it is skips compositing and both
colour conversions, and its bytes are exactly those of the full path.

Each test renders the same frames twice: as the engine does, and with the shortcut
turned off (``_shown_as_is`` answering None), and compares the display pixels.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reelgraph.cache import FrameCache
from reelgraph.engine import systems
from reelgraph.engine.engine import Engine
from reelgraph.engine.resources import FrameStatus
from reelgraph.engine.sinks import CollectSink, OutputSinks
from reelgraph.export.job import export_project
from reelgraph.export.presets import ExportSettings
from reelgraph.project.load import load_project, load_project_data
from reelgraph.testing import clip, media, project, track, transform
from reelgraph.testing.generated_media import write_solid_png


def _frames(document, frames, *, bit_depth=8, cache=None, upcoming=True):
    """Display pixels of ``frames`` and, per frame, whether it was shown as it is."""
    collect = CollectSink()
    shown = []
    with Engine(document, with_audio=False, cache=cache) as engine:
        engine.world.insert_resource(OutputSinks([collect], bit_depth=bit_depth))
        for position, frame in enumerate(frames):
            following = frames[position + 1] if upcoming and position + 1 < len(frames) else None
            engine.tick(frame, upcoming=following)
            shown.append(engine.world.resource(FrameStatus).shown_as_is)
    return collect.frames, shown


def _without_shortcut(monkeypatch, document, frames, **options):
    with monkeypatch.context() as patch:
        patch.setattr(systems, "_shown_as_is", lambda world, graph: None)
        return _frames(document, frames, **options)


def _document(media_dir: Path, *, width=64, height=48, **clip_fields):
    body = project(
        [track("V1", "video", [clip("a", 0, 40, media("numbered.mp4"), **clip_fields)])],
        width=width,
        height=height,
    )
    return load_project_data(body, media_dir)


FRAMES = [0, 1, 2, 3, 17, 5, 39, 38, 20, 21]


def test_a_plain_clip_is_shown_as_decoded_with_the_same_bytes(media_dir, monkeypatch):
    document = _document(media_dir)
    fast, shown = _frames(document, FRAMES)
    slow, shown_slow = _without_shortcut(monkeypatch, document, FRAMES)
    assert all(shown) and not any(shown_slow)
    assert len(fast) == len(slow) == len(FRAMES)
    for a, b in zip(fast, slow, strict=True):
        assert a.dtype == b.dtype == np.uint8 and a.shape == b.shape
        assert np.array_equal(a, b)


@pytest.mark.parametrize(
    "case",
    ["moved", "canvas of another size", "16-bit output", "transparent still", "faded"],
)
def test_frames_that_are_not_the_picture_as_it_is_take_the_full_path(media_dir, monkeypatch, case):
    bit_depth = 16 if case == "16-bit output" else 8
    if case == "moved":
        document = _document(media_dir, transform=transform(position=[3, 0]))
    elif case == "canvas of another size":
        document = _document(media_dir, width=32, height=24)
    elif case == "transparent still":
        write_solid_png(media_dir / "half-green.png", (0, 255, 0, 128))
        body = project(
            [track("V1", "video", [clip("s", 0, 40, media("half-green.png"))])], width=4, height=4
        )
        document = load_project_data(body, media_dir)
    elif case == "faded":
        document = _document(media_dir, opacity=0.5)
    else:
        document = _document(media_dir)
    fast, shown = _frames(document, FRAMES[:4], bit_depth=bit_depth)
    slow, _ = _without_shortcut(monkeypatch, document, FRAMES[:4], bit_depth=bit_depth)
    assert not any(shown)
    for a, b in zip(fast, slow, strict=True):
        assert np.array_equal(a, b)


def test_frames_shown_as_they_are_fill_the_frame_cache(media_dir):
    document = _document(media_dir)
    cache = FrameCache(memory_bytes=64 << 20)
    first, shown = _frames(document, FRAMES, cache=cache)
    assert all(shown)
    again, shown_again = _frames(document, FRAMES, cache=cache)
    assert not any(shown_again)  # cache hits: nothing decoded at all
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a, b)


def test_render_frame_still_gives_the_working_picture(media_dir):
    document = _document(media_dir)
    with Engine(document, with_audio=False) as engine:
        plain = engine.render_frame(7)
        engine.world.insert_resource(OutputSinks([CollectSink()]))
        as_is = engine.render_frame(7)
    assert as_is.dtype == np.float32 and as_is.shape == (48, 64, 4)
    assert np.array_equal(as_is, plain)


def test_an_export_is_byte_identical_with_and_without_the_shortcut(
    media_dir, tmp_path, monkeypatch
):
    clips = [clip("a", 0, 30, media(str(media_dir / "numbered.mp4")))]
    body = project([track("V1", "video", clips)])
    file = tmp_path / "p.json"
    file.write_text(json.dumps(body))
    document = load_project(file)
    settings = ExportSettings(video_codec="h264", audio_codec="none")
    fast = export_project(document, tmp_path / "fast.mp4", settings)
    with monkeypatch.context() as patch:
        patch.setattr(systems, "_shown_as_is", lambda world, graph: None)
        slow = export_project(document, tmp_path / "slow.mp4", settings)
    assert fast.frame_hashes == slow.frame_hashes
    assert (tmp_path / "fast.mp4").read_bytes() == (tmp_path / "slow.mp4").read_bytes()


def test_a_half_size_viewer_shows_the_half_proxy_as_it_is(media_dir, tmp_path, monkeypatch):
    from reelgraph.cli.main import main as reelgraph
    from reelgraph.proxies import MediaCache, Quality

    clips = [clip("a", 0, 40, media(str(media_dir / "numbered.mp4")))]
    file = tmp_path / "p.json"
    file.write_text(json.dumps(project([track("V1", "video", clips)], width=64, height=48)))
    cache = tmp_path / "media-cache"
    assert (
        reelgraph(["proxies", str(file), "build", "--cache-dir", str(cache), "--no-progress"]) == 0
    )
    document = load_project(file)

    def frames(shortcut: bool) -> tuple[list[np.ndarray], list[bool]]:
        collect, shown = CollectSink(), []
        options = {"width": 32, "height": 24, "quality": Quality.HALF}
        with monkeypatch.context() as patch:
            if not shortcut:
                patch.setattr(systems, "_shown_as_is", lambda world, graph: None)
            with Engine(document, with_audio=False, media_cache=MediaCache(cache), **options) as e:
                e.world.insert_resource(OutputSinks([collect]))
                for frame in FRAMES:
                    e.tick(frame)
                    shown.append(e.world.resource(FrameStatus).shown_as_is)
                assert e.media.proxies.served
        return collect.frames, shown

    fast, shown = frames(True)
    slow, _ = frames(False)
    assert all(shown)
    for a, b in zip(fast, slow, strict=True):
        assert a.shape == (24, 32, 3) and np.array_equal(a, b)
