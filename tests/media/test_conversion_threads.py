"""swscale's threads change the speed of a conversion, never its pixels.

The display conversion (decoded YUV to RGB) and the encoder's (RGB to YUV) run on several
threads; each must equal the single-threaded result exactly, at sizes that are no
multiple of a slice (slices then end mid-block), for 8- and 16-bit inputs and every layout.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelgraph.media import MediaWriter, VideoEncodeSettings, VideoReader, probe
from reelgraph.media._to_rgb import RgbConverter, conversion_threads
from reelgraph.media._video_track import VideoTrack

SIZES = [(96, 54), (70, 38), (258, 146)]  # even: subsampled exports need it


def _picture(width: int, height: int, seed: int, dtype: type = np.uint8) -> np.ndarray:
    rng = np.random.default_rng(seed)
    top = np.iinfo(dtype).max
    return rng.integers(0, top, size=(height, width, 3), dtype=dtype, endpoint=True)


def _visible(frame: av.VideoFrame) -> list[bytes]:
    """Each plane's pixels without the row padding (whose bytes are undefined)."""
    planes = []
    for plane in frame.planes:
        rows = np.frombuffer(bytes(plane), np.uint8).reshape(plane.height, plane.line_size)
        depth = 2 if frame.format.components[0].bits > 8 else 1
        planes.append(rows[:, : plane.width * depth * _packed(frame)].tobytes())
    return planes


def _packed(frame: av.VideoFrame) -> int:
    return 1 if frame.format.is_planar else len(frame.format.components)


def test_there_is_at_least_one_thread_and_at_most_four():
    assert 1 <= conversion_threads() <= 4


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("pix_fmt", ["yuv420p", "yuv422p10le", "yuv444p10le"])
def test_the_display_conversion_is_the_same_on_any_number_of_threads(
    tmp_path: Path, width: int, height: int, pix_fmt: str
):
    codec = "h264" if pix_fmt == "yuv420p" else "prores" if pix_fmt == "yuv422p10le" else "ffv1"
    suffix = {"h264": ".mp4", "prores": ".mov", "ffv1": ".mkv"}[codec]
    path = tmp_path / f"clip{suffix}"
    settings = VideoEncodeSettings(
        codec=codec, width=width, height=height, rate=Fraction(24), pix_fmt=pix_fmt
    )
    writer = MediaWriter(str(path), settings, None)
    for index in range(3):
        writer.write_video(_picture(width, height, index))
    writer.close()
    info = probe(path).video
    assert info is not None
    one, several = RgbConverter(info, threads=1), RgbConverter(info, threads=3)
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            assert np.array_equal(one(frame), several(frame))
    with VideoReader(path) as reader:  # and the reader's own converter agrees
        assert np.array_equal(reader.frame_at(Fraction(1, 24)), one(_second_frame(path)))


def _second_frame(path: Path) -> av.VideoFrame:
    with av.open(str(path)) as container:
        frames = list(container.decode(video=0))
    return frames[1]


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("pix_fmt", ["yuv420p", "yuv422p10le", "yuv444p10le", "gbrp10le"])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_the_encoder_conversion_is_the_same_on_any_number_of_threads(
    tmp_path: Path, width: int, height: int, pix_fmt: str, dtype: type
):
    codec = "h264" if pix_fmt == "yuv420p" else "ffv1"
    settings = VideoEncodeSettings(
        codec=codec, width=width, height=height, rate=Fraction(24), pix_fmt=pix_fmt
    )
    picture = _picture(width, height, 7, dtype)
    converted = []
    for threads in (1, 3):
        with av.open(str(tmp_path / f"x{threads}.mkv"), "w") as container:
            track = VideoTrack(container, settings)
            track.conversion_threads = threads
            converted.append(_visible(track._convert(track._to_frame(picture))))
    assert converted[0] == converted[1]


def test_the_reader_uses_several_threads_where_there_are_cores(tmp_path: Path):
    path = tmp_path / "c.mp4"
    settings = VideoEncodeSettings(codec="h264", width=64, height=48, rate=Fraction(24))
    writer = MediaWriter(str(path), settings, None)
    writer.write_video(_picture(64, 48, 1))
    writer.close()
    info = probe(path).video
    assert info is not None
    assert RgbConverter(info)._threads == conversion_threads()
