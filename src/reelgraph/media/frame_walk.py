"""Every frame of a video file in order, with its time: the input of proxy building.

:class:`FrameWalk` decodes forward from the first frame without seeking and yields each
frame's time (ticks of the stream's time base from the first frame) with its display RGB,
converted exactly as :class:`~reelgraph.media.video_reader.VideoReader` converts it, so a
proxy holds the very frames a reader would return, one for one and at the same times.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from fractions import Fraction
from types import TracebackType

import av
import numpy as np

from reelgraph.errors import DecodeError, MediaNotFoundError, NoStreamError
from reelgraph.media._decode_cursor import DecodeCursor
from reelgraph.media._funnel import reading
from reelgraph.media._to_rgb import RgbConverter
from reelgraph.media.probe import VideoStreamInfo, best_video_stream, describe, open_input

__all__ = ["FrameWalk"]


class FrameWalk:
    """Walks the video stream of ``path`` from its first frame to its last.

    Args:
        path: The media file.
        start: Skip frames before this index (resume a walk; they are still decoded).

    Raises:
        MediaNotFoundError: the file does not exist.
        DecodeError: the file cannot be read.
        NoStreamError: it has no video stream.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = os.fspath(path)
        if not os.path.exists(self._path):
            raise MediaNotFoundError(f"media file not found: {self._path}", path=self._path)
        with reading(self._path):
            container = open_input(self._path)
            try:
                media = describe(container, self._path)
                stream = best_video_stream(container)
                if media.video is None or stream is None:
                    raise NoStreamError(f"{self._path} has no video stream", path=self._path)
                self.info: VideoStreamInfo = media.video
                """The probed video stream."""
                self.time_base = Fraction(stream.time_base or Fraction(1, 1))
                """Unit of the times yielded."""
                self._step = max(1, round(1 / (self.info.rate * self.time_base)))
                self._convert = RgbConverter(self.info)
                self._cursor = DecodeCursor(self._path, container, stream.index)
            except BaseException:
                container.close()
                raise
        self._start: int | None = None
        self._last: int | None = None
        self.index = 0
        """Frames yielded so far."""

    def __iter__(self) -> Iterator[tuple[int, np.ndarray]]:
        return self

    def __next__(self) -> tuple[int, np.ndarray]:
        """The next frame: ``(ticks from the first frame, (H, W, C) uint8|uint16)``.

        Raises:
            StopIteration: after the last frame.
            DecodeError: the data is corrupt (``params`` hold the path and frame).
        """
        with reading(self._path, frame=self.index):
            frame = self._cursor.take()
            if frame is None:
                if self.index == 0:
                    raise DecodeError(f"{self._path} has no decodable video frame", path=self._path)
                raise StopIteration
            pts = self._pts_of(frame)
            if self._start is None:
                self._start = pts
            ticks = pts - self._start
            if self._last is not None and ticks <= self._last:
                ticks = self._last + self._step  # non-monotonic stamps: keep frames ordered
            self._last = ticks
            rgb = self._convert(frame)
        self.index += 1
        return ticks, rgb

    def _pts_of(self, frame: av.VideoFrame) -> int:
        for value in (frame.pts, frame.dts):
            if value is not None:
                return int(value)
        return (self._last or 0) + self._step + (self._start or 0)

    def close(self) -> None:
        """Close the file."""
        self._cursor.close()

    def __enter__(self) -> FrameWalk:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
