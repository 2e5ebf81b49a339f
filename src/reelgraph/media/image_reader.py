"""Still images and numbered image sequences, read as display-referred pixels.

Images are decoded by FFmpeg (PNG, JPEG, TIFF, BMP, WebP) and converted by the same
swscale path as video, so a 16-bit PNG stays 16-bit and a JPEG's BT.601 full-range YUV is
converted by its declared matrix.
"""

from __future__ import annotations

import math
import os
from dataclasses import replace
from fractions import Fraction

import numpy as np

from reelgraph.errors import DecodeError, MediaNotFoundError, NoStreamError
from reelgraph.media._frame_cache import FrameCache
from reelgraph.media._funnel import reading
from reelgraph.media._to_rgb import RgbConverter
from reelgraph.media.probe import VideoStreamInfo, best_video_stream, describe, open_input

__all__ = ["ImageSequenceReader", "read_image"]


def _decode_image(path: str) -> tuple[VideoStreamInfo, np.ndarray]:
    if not os.path.exists(path):
        raise MediaNotFoundError(f"image not found: {path}", path=path)
    with reading(path), open_input(path) as container:
        media = describe(container, path)
        stream = best_video_stream(container)
        if media.video is None or stream is None:
            raise NoStreamError(f"{path} holds no picture", path=path)
        for frame in container.decode(stream):
            return media.video, RgbConverter(media.video)(frame)
    raise DecodeError(f"{path} holds no decodable picture", path=path)


def read_image(path: str | os.PathLike[str]) -> np.ndarray:
    """Read a still image (or the first frame of any video) as RGB(A) pixels.

    Args:
        path: A PNG, JPEG, TIFF, BMP or WebP file.

    Returns:
        A read-only ``(H, W, 3)`` array, or ``(H, W, 4)`` with straight alpha when the
        image has alpha; ``uint8`` for 8-bit images, ``uint16`` (full scale) for deeper.

    Raises:
        MediaNotFoundError: the file does not exist.
        DecodeError: the file is not a readable image.
    """
    return _decode_image(os.fspath(path))[1]


class ImageSequenceReader:
    """Numbered still images read as a clip at a given frame rate.

    Frame ``n`` of the clip is file ``pattern % (start_number + n)``; the sequence is the
    run of consecutive files that exist from ``start_number`` on.

    Args:
        pattern: A printf-style path such as ``"frames/img_%04d.png"``, relative to the
            working directory or absolute.
        start_number: The number of the first file.
        rate: Frames per second of the clip.

    Raises:
        MediaNotFoundError: the first file does not exist, or ``pattern`` has no number.
        DecodeError: the first file is not a readable image.
    """

    def __init__(self, pattern: str, start_number: int, rate: Fraction) -> None:
        self._pattern = os.fspath(pattern)
        self._start = start_number
        first = self._path_of(start_number)
        count = 0
        while os.path.exists(self._path_of(start_number + count)):
            count += 1
        if count == 0:
            raise MediaNotFoundError(
                f"image sequence not found: {first}", path=first, pattern=self._pattern
            )
        rate = Fraction(rate)
        probed, pixels = _decode_image(first)
        self.info: VideoStreamInfo = replace(
            probed, rate=rate, frame_count=count, duration=count / rate
        )
        """The first image's picture facts, at ``rate``, with ``frame_count`` files."""
        self._count = count
        self._shape, self._dtype = pixels.shape, pixels.dtype
        self._cache = FrameCache(8, 256 * 1024 * 1024)
        self._cache.put(start_number, pixels)
        self._closed = False

    def _path_of(self, number: int) -> str:
        try:
            return self._pattern % number
        except (TypeError, ValueError) as exc:
            raise MediaNotFoundError(
                f"not a numbered image pattern: {self._pattern}", path=self._pattern
            ) from exc

    def frame_at(self, seconds: Fraction | int) -> np.ndarray:
        """The image shown ``seconds`` after the first one (clamped to the sequence).

        Returns:
            A read-only array shaped and typed like the first image.

        Raises:
            MediaNotFoundError: the file vanished since the sequence was found.
            DecodeError: the file is unreadable or its size differs from the first.
        """
        if self._closed:
            raise ValueError(f"ImageSequenceReader for {self._pattern} is closed")
        offset = math.floor(Fraction(seconds) * self.info.rate)
        number = self._start + min(max(offset, 0), self._count - 1)
        cached = self._cache.get(number)
        if cached is not None:
            return cached
        path = self._path_of(number)
        _, pixels = _decode_image(path)
        if pixels.shape != self._shape or pixels.dtype != self._dtype:
            raise DecodeError(
                f"{path} holds {pixels.shape} {pixels.dtype} pixels, unlike the first image "
                f"of the sequence ({self._shape} {self._dtype})",
                path=path,
                frame=number - self._start,
            )
        self._cache.put(number, pixels)
        return pixels

    def close(self) -> None:
        """Drop cached images; further reads raise ``ValueError``."""
        self._closed = True
        self._cache.clear()
