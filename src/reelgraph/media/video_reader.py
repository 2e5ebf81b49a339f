"""Frame-accurate random and sequential access to the video stream of a file.

Time zero is the presentation time of the file's first video frame. ``frame_at(t)``
returns the frame *displayed* at ``t``: the last frame whose ``pts <= start + t``, found
with exact Fractions from ``pts * time_base`` (``t`` is rounded to the nearest tick of the
time base first, since containers store rounded timestamps). Sequential requests keep the decoder
running forward; a backward jump, or a forward jump past the next keyframe, seeks to the
keyframe before the target and decodes forward. Rolling forward to a target more than two
frames away (after a seek, or a jump within the GOP) skips the frames nothing refers to,
and only the requested frame is converted. A small LRU of converted frames makes
repeated requests and reverse playback cheap.
"""

from __future__ import annotations

import math
import os
from bisect import bisect_right, insort
from collections import deque
from fractions import Fraction
from types import TracebackType

import av
import numpy as np
from av.container import InputContainer

from reelgraph.errors import DecodeError, MediaNotFoundError, NoStreamError
from reelgraph.media._decode_cursor import DecodeCursor
from reelgraph.media._frame_cache import FrameCache
from reelgraph.media._funnel import reading
from reelgraph.media._to_rgb import RgbConverter
from reelgraph.media.decode_device import DEVICE_LAYOUTS, DecodeDevice, open_decoding
from reelgraph.media.probe import (
    MediaInfo,
    VideoStreamInfo,
    best_video_stream,
    describe,
    open_input,
)

__all__ = ["VideoReader"]

# Without a keyframe index, a forward jump longer than this (or than the longest GOP
# seen so far) seeks instead of decoding through.
_SEEK_AHEAD_SECONDS = Fraction(2)
# Most frames a decoder may hold back for reordering (H.264 and HEVC allow 16).
_MAX_REORDER_FRAMES = 16
# A seek that lands after the target (B-frame reordering, sparse index) is retried this
# many times from ever earlier offsets before rewinding to the start.
_SEEK_ATTEMPTS = 8


class VideoReader:
    """Reads display-referred frames from a video file (or a still image) by time.

    Frames are ``(H, W, 3)`` RGB, or ``(H, W, 4)`` RGBA with straight alpha when the
    source has alpha; ``uint8`` for 8-bit sources and ``uint16`` (full 16-bit scale) for
    deeper ones. The YUV matrix and range are those probed (see :attr:`info`); swscale
    converts each frame once. Returned arrays are read-only and may be shared with the
    cache: copy before modifying.

    Args:
        path: The media file.
        cache_frames: Most converted frames kept for repeated and reverse access.
        cache_bytes: Most bytes of converted frames kept.
        decode_device: ``cpu`` (default), ``cuda`` (NVDEC) or ``auto`` (NVDEC where a CUDA
            device opens): see :mod:`~reelgraph.media.decode_device`. Same pixels on each.

    Raises:
        MediaNotFoundError: the file does not exist.
        DecodeError: the file cannot be read or has no decodable frame.
        NoStreamError: the file has no video stream.
        DecodeDeviceError: ``decode_device`` is ``cuda`` and no CUDA device opens.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        cache_frames: int = 48,
        cache_bytes: int = 256 * 1024 * 1024,
        decode_device: DecodeDevice = "cpu",
    ) -> None:
        self._path = os.fspath(path)
        if not os.path.exists(self._path):
            raise MediaNotFoundError(f"media file not found: {self._path}", path=self._path)
        with reading(self._path):
            container, self._on_gpu = open_decoding(self._path, decode_device)
        self._device: DecodeDevice = decode_device
        try:
            with reading(self._path):
                media = self._describe(container)
                stream = best_video_stream(container)
                if media.video is None or stream is None:
                    raise NoStreamError(f"{self._path} has no video stream", path=self._path)
                self.info: VideoStreamInfo = media.video
                """The probed video stream."""
                self._cursor = self._start(container, stream)
                self._convert = RgbConverter(self.info)
        except BaseException:
            container.close()
            raise
        self._cache = FrameCache(cache_frames, cache_bytes)
        self._cache_frames = cache_frames
        self._closed = False
        self._last_target: int | None = None

    def _describe(self, container: InputContainer) -> MediaInfo:
        """Probe the file; from a plain opening when NVDEC decodes it (a decoder set up
        for the GPU reports the device's surface format, not the stream's)."""
        if not self._on_gpu:
            return describe(container, self._path)
        with open_input(self._path) as plain:
            return describe(plain, self._path)

    def _start(self, container: InputContainer, stream: av.VideoStream) -> DecodeCursor:
        """Learn the stream's clock and index, and decode the first frame (time zero)."""
        self._tb = Fraction(stream.time_base or Fraction(1, 1))
        self._frame_step = max(1, round(1 / (self.info.rate * self._tb)))
        # Until the index says better (see _learn_reorder): PyAV reports has_b_frames as a
        # bool, so this guesses a one-frame delay for any stream with B-frames.
        self._reorder = int(stream.codec_context.has_b_frames or 0) * self._frame_step
        self._index_size = len(stream.index_entries)
        self._keyframes = sorted(e.timestamp for e in stream.index_entries if e.is_keyframe)
        self._max_key_gap = math.ceil(_SEEK_AHEAD_SECONDS / self._tb)
        cursor = DecodeCursor(self._path, container, stream.index, self._device)
        first = cursor.take()
        if first is None:
            raise DecodeError(f"{self._path} has no decodable video frame", path=self._path)
        self._start_pts = self._pts_of(first, 0)
        self._first_format = first.format.name
        self._learn_reorder()
        self._current: av.VideoFrame = first
        self._current_pts = self._start_pts
        self._last_key_pts = self._start_pts
        # Every pts seen, sorted, and which pts follows each in a continuous decode run
        # (None: the end) - enough to answer a repeated time from the cache alone.
        self._known: list[int] = [self._start_pts]
        self._succ: dict[int, int | None] = {}
        return cursor

    @property
    def start_time(self) -> Fraction:
        """Presentation time of the first frame on the file's own clock (time zero)."""
        return self._start_pts * self._tb

    @property
    def decoder(self) -> str:
        """``cuda`` when NVDEC decodes this file, else ``cpu`` (diagnostics).

        A stream the video engine lacks (4:2:2 H.264...) falls back to software inside
        FFmpeg: its frames then come in the stream's own format, not a device layout.
        """
        return "cuda" if self._on_gpu and self._first_format in DEVICE_LAYOUTS else "cpu"

    @property
    def seek_count(self) -> int:
        """Seeks made so far (diagnostics; sequential reads leave it unchanged)."""
        return self._cursor.seek_count

    @property
    def decoded_count(self) -> int:
        """Frames decoded so far (diagnostics)."""
        return self._cursor.decoded_count

    def frame_at(self, seconds: Fraction | int) -> np.ndarray:
        """The frame displayed ``seconds`` after the first frame.

        Before zero gives the first frame, past the end the last one.

        Args:
            seconds: Exact time from the first frame.

        Returns:
            A read-only ``(H, W, 3|4)`` ``uint8`` or ``uint16`` array (see the class).

        Raises:
            DecodeError: the data at that time is corrupt; ``params`` hold path and time.
        """
        if self._closed:
            raise ValueError(f"VideoReader for {self._path} is closed")
        target = self._target_pts(Fraction(seconds))
        previous, self._last_target = self._last_target, target
        resolved = self._resolve(target)
        if resolved is not None:
            cached = self._cache.get(resolved)
            if cached is not None:
                return cached
        with reading(self._path, time=f"{float(seconds):.3f}"):
            return self._decode_to(target, previous)

    def _target_pts(self, seconds: Fraction) -> int:
        # Containers round timestamps to their time base (Matroska: to the millisecond),
        # so a time less than half a tick before a frame's pts already shows that frame.
        ticks = math.floor(seconds / self._tb + Fraction(1, 2))
        return max(self._start_pts, self._start_pts + ticks)

    def _pts_of(self, frame: av.VideoFrame, fallback: int) -> int:
        if frame.pts is not None:
            return int(frame.pts)
        if frame.dts is not None:
            return int(frame.dts)
        return fallback

    def _resolve(self, target: int) -> int | None:
        """The pts displayed at ``target`` if the frames around it are already known."""
        index = bisect_right(self._known, target) - 1
        if index < 0:
            return None
        pts = self._known[index]
        return pts if pts in self._succ else None

    def _link(self, pts: int, following: int | None) -> None:
        """Record that ``following`` (None: the end) comes right after ``pts``."""
        if following is not None and following <= pts:
            return  # non-monotonic timestamps: never trust them for resolution
        self._succ[pts] = following
        for value in (pts, following):
            if value is not None:
                index = bisect_right(self._known, value)
                if index == 0 or self._known[index - 1] != value:
                    insort(self._known, value)

    def _decode_to(self, target: int, previous: int | None = None) -> np.ndarray:
        backward = target < self._current_pts
        recent: deque[tuple[int, av.VideoFrame]] | None = None
        seeked = backward or self._far_ahead(target)
        if seeked:
            self._seek_to(target)
            stepping_back = previous is not None and 0 < previous - target <= 2 * self._frame_step
            if backward and stepping_back:
                # Reverse playback will want the frames just before this one next; a random
                # jump (scrubbing) would only pay for converting frames nobody asks for.
                recent = deque(maxlen=max(0, self._cache_frames - 1))
        if recent is None and (seeked or self._jumps_ahead(target)):
            self._advance_skipping(target)
        else:
            self._advance_to(target, recent)
        for pts, frame in recent or ():
            if pts not in self._cache:
                self._cache.put(pts, self._convert(frame))
        rgb = self._cache.get(self._current_pts)
        if rgb is None:
            rgb = self._convert(self._current)
            self._cache.put(self._current_pts, rgb)
        return rgb

    def _jumps_ahead(self, target: int) -> bool:
        """Whether ``target`` lies more than two frames past the next decoded frame.

        Such a jump within the GOP (scrubbing forward) decodes on from here, but may skip
        what nothing refers to, as after a seek; sequential steps never skip.
        """
        upcoming = self._cursor.peek()
        if upcoming is None:
            return False
        upcoming_pts = self._pts_of(upcoming, self._current_pts + self._frame_step)
        return target - upcoming_pts > 2 * self._frame_step

    def _advance_skipping(self, target: int) -> None:
        """Decode forward to ``target``, skipping non-reference frames early on.

        Used after a seek and for forward jumps within a GOP.

        Only frames stamped before ``target - 2 frames`` may be skipped, and no successor
        link is recorded among them (a skipped frame would be missing in between). Should
        the frame shown at ``target`` itself lie in that span (a variable-rate gap), the
        stretch is decoded again without skipping.
        """
        limit = target - 2 * self._frame_step
        self._cursor.skip_before = limit
        try:
            self._advance_to(target, None, unlinked_before=limit)
        finally:
            self._cursor.skip_before = None
        if self._current_pts < limit:
            self._seek_to(target)
            self._advance_to(target, None)

    def _advance_to(
        self,
        target: int,
        recent: deque[tuple[int, av.VideoFrame]] | None,
        unlinked_before: int | None = None,
    ) -> None:
        while True:
            upcoming = self._cursor.peek()
            if upcoming is None:
                self._link(self._current_pts, None)
                return
            pts = self._pts_of(upcoming, self._current_pts + self._frame_step)
            if unlinked_before is None or self._current_pts >= unlinked_before:
                self._link(self._current_pts, pts)
            if pts > target:
                return
            if recent is not None:
                recent.append((self._current_pts, self._current))
            self._cursor.take()
            self._current, self._current_pts = upcoming, pts
            if upcoming.key_frame:
                self._max_key_gap = max(self._max_key_gap, pts - self._last_key_pts)
                self._last_key_pts = pts

    def _far_ahead(self, target: int) -> bool:
        """Whether a keyframe lies between the next decoded frame and ``target``."""
        upcoming = self._cursor.peek()
        if upcoming is None:
            return False
        upcoming_pts = self._pts_of(upcoming, self._current_pts + self._frame_step)
        if upcoming_pts >= target:
            return False
        if self._keyframes:
            index = bisect_right(self._keyframes, target - self._reorder) - 1
            return index >= 0 and self._keyframes[index] + self._reorder > upcoming_pts
        return target - upcoming_pts > self._max_key_gap

    def _learn_reorder(self) -> None:
        """How much later than its index time a keyframe is shown (decoder delay, ticks).

        MP4 indexes decode times: the first keyframe is indexed ``delay`` frames before
        it shows at time zero; Matroska indexes presentation times (no gap). It only
        steers the choice between seeking and decoding on; both give the same frame.
        """
        if self._keyframes and self._keyframes[0] <= self._start_pts:
            # An edit list that starts later than the first keyframe is no delay: cap it
            # at the deepest reordering codecs allow (16 frames).
            delay = self._start_pts - self._keyframes[0]
            self._reorder = min(delay, _MAX_REORDER_FRAMES * self._frame_step)

    def _refresh_keyframes(self) -> None:
        # Some demuxers (Matroska) load their index on the first seek.
        entries = self._cursor.stream.index_entries
        if len(entries) != self._index_size:
            self._index_size = len(entries)
            self._keyframes = sorted(e.timestamp for e in entries if e.is_keyframe)
            self._learn_reorder()

    def _seek_to(self, target: int) -> None:
        """Position the decoder on a frame at or before ``target``."""
        offset, step = target, max(1, math.ceil(1 / self._tb))
        for _ in range(_SEEK_ATTEMPTS):
            if offset <= self._start_pts:
                break
            self._cursor.seek(offset)
            self._refresh_keyframes()
            first = self._cursor.peek()
            first_pts = None if first is None else self._pts_of(first, offset)
            if first is not None and first_pts is not None and first_pts <= target:
                self._cursor.take()
                self._current, self._current_pts = first, first_pts
                return
            # Landed after the target: the keyframe's pts follows its index time.
            offset = min(offset, first_pts if first_pts is not None else offset) - step
            step *= 2
        self._cursor.rewind()
        first = self._cursor.take()
        if first is None:
            raise DecodeError(f"{self._path} has no decodable video frame", path=self._path)
        self._current, self._current_pts = first, self._pts_of(first, self._start_pts)

    def close(self) -> None:
        """Close the file and drop cached frames; further reads raise ``ValueError``."""
        if not self._closed:
            self._closed = True
            self._cache.clear()
            self._cursor.close()

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
