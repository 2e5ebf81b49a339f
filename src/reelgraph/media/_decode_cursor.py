"""A forward-only decoding position in one video stream, moved only by explicit seeks.

The cursor demuxes and decodes frames in presentation order and lets its owner look one
frame ahead. It never seeks on its own; every :meth:`DecodeCursor.seek` and
:meth:`DecodeCursor.rewind` is counted, so tests can check that sequential reads do not
seek (a seam, instead of patching ``av``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

import av
from av.container import InputContainer

from reelgraph.media.decode_device import DecodeDevice, open_decoding

__all__ = ["DecodeCursor"]


class DecodeCursor:
    """Decodes one video stream forward; owns its container.

    FFmpeg errors propagate untranslated: the owner knows the time being asked for and
    translates them there.

    Args:
        path: The file (reopened by :meth:`rewind`).
        container: The file, already open; the cursor takes ownership.
        stream_index: Index of the video stream in the container.
        device: Where the container decodes (see :mod:`~reelgraph.media.decode_device`);
            :meth:`rewind` reopens the file for the same device.
    """

    def __init__(
        self,
        path: str,
        container: InputContainer,
        stream_index: int,
        device: DecodeDevice = "cpu",
    ) -> None:
        self._path = path
        self._index = stream_index
        self._device: DecodeDevice = device
        self.seek_count = 0
        """Seeks and rewinds made so far (diagnostics; a test seam)."""
        self.decoded_count = 0
        """Frames decoded so far (diagnostics; a test seam)."""
        self.skip_before: int | None = None
        """Packets stamped before this pts skip their non-reference frames (see :meth:`_fill`)."""
        self._skipping = False
        self._attach(container)

    def _attach(self, container: InputContainer) -> None:
        self._container = container
        self._stream = next(s for s in container.streams if s.index == self._index)
        # Decoding is deterministic whatever the thread count; threads only add speed.
        # NVDEC decodes on its own engine: frame threads there would only delay each
        # frame by the pipeline's depth (one frame per thread) after every seek.
        if not self._stream.codec_context.is_hwaccel:
            self._stream.thread_type = "AUTO"
        self._skipping = False
        self._restart_demux()

    def _restart_demux(self) -> None:
        self._packets: Iterator[av.Packet] = self._container.demux(self._stream)
        self._queue: deque[av.VideoFrame] = deque()
        self._drained = False

    @property
    def stream(self) -> av.VideoStream:
        """The video stream being decoded."""
        return self._stream  # type: ignore[return-value]

    def peek(self) -> av.VideoFrame | None:
        """The next frame in presentation order without consuming it; None at the end."""
        while not self._queue and not self._drained:
            self._fill()
        return self._queue[0] if self._queue else None

    def take(self) -> av.VideoFrame | None:
        """Consume and return the next frame; None at the end."""
        frame = self.peek()
        if frame is not None:
            self._queue.popleft()
        return frame

    def _fill(self) -> None:
        try:
            packet = next(self._packets)
        except StopIteration:
            self._drained = True
            self._decode(None)
            return
        # Rolling forward to a far target, frames no other frame refers to (most B-frames)
        # need not be decoded: nothing shows them and nothing is predicted from them. The
        # choice is per packet (frame threads copy it when the packet is submitted).
        skip = (
            self.skip_before is not None
            and packet.pts is not None
            and packet.pts < self.skip_before
        )
        if skip != self._skipping:
            self._stream.codec_context.skip_frame = "NONREF" if skip else "DEFAULT"
            self._skipping = skip
        self._decode(packet)

    def _decode(self, packet: av.Packet | None) -> None:
        try:
            frames = self._stream.codec_context.decode(packet)
        except av.error.EOFError:
            return  # already drained by the demuxer's final empty packet
        for frame in frames:
            self.decoded_count += 1
            self._queue.append(frame)  # type: ignore[arg-type]

    def seek(self, pts: int) -> None:
        """Move to the keyframe at or before ``pts`` (stream time base)."""
        self.seek_count += 1
        self._container.seek(pts, stream=self._stream, backward=True, any_frame=False)
        self._stream.codec_context.flush_buffers()
        self._restart_demux()

    def rewind(self) -> None:
        """Go back to the very first frame by reopening the file (always succeeds)."""
        self.seek_count += 1
        self._container.close()
        self._attach(open_decoding(self._path, self._device)[0])

    def close(self) -> None:
        """Close the container."""
        self._container.close()
