"""The audio stream of a :class:`~reelgraph.media.writer.MediaWriter`: samples in, packets out.

Chunks of any length are buffered and fed to the encoder in its own frame size (1024 for
AAC), with timestamps counted in samples; the remainder goes out as a short last frame.
Float samples become integers by numpy rounding and clipping, which is the same on every
machine.
"""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
from av.container import OutputContainer

from reelgraph.errors import EncodeError
from reelgraph.media._channels import default_layout
from reelgraph.media._funnel import add_stream
from reelgraph.media.encode_settings import AudioEncodeSettings

__all__ = ["AudioTrack"]

# The sample format each encoder is fed, and the bits of the integer formats (0: float).
_SAMPLE_FORMATS: dict[str, tuple[str, int]] = {
    "aac": ("fltp", 0),
    "flac": ("s16", 16),
    "pcm_s16le": ("s16", 16),
    "pcm_s24le": ("s32", 24),
}
# Frame size for encoders that take any (PCM): fixed, so the muxed sample tables are too.
_DEFAULT_FRAME_SIZE = 1024


class AudioTrack:
    """Buffers, converts and encodes samples for one output audio stream.

    Args:
        container: The output container (the stream is added to it).
        settings: The encoding settings.

    Raises:
        av.error.FFmpegError: the encoder refused the settings (translated by the writer).
    """

    def __init__(self, container: OutputContainer, settings: AudioEncodeSettings) -> None:
        self.settings = settings
        self._layout = default_layout(settings.channels)
        self._format, self._bits = _SAMPLE_FORMATS[settings.codec]
        stream = add_stream(
            container,
            settings.encoder,
            settings.codec,
            rate=settings.sample_rate,
            layout=self._layout,
        )
        ctx = stream.codec_context
        ctx.format = self._format
        ctx.time_base = Fraction(1, settings.sample_rate)
        stream.time_base = Fraction(1, settings.sample_rate)
        if settings.codec == "aac" and settings.bitrate is not None:
            ctx.bit_rate = settings.bitrate
        ctx.options = {"flags": "+bitexact", "threads": "1"}
        # Opened now (not at the first mux) to learn the encoder's frame size.
        ctx.open()
        self._frame_size = ctx.frame_size or _DEFAULT_FRAME_SIZE
        self.stream = stream
        self._pending: list[np.ndarray] = []
        self._pending_count = 0
        self._pts = 0

    def encode(self, samples: np.ndarray) -> list[av.Packet]:
        """Buffer a chunk of samples; the packets of every whole frame now available.

        Args:
            samples: ``(channels, n)`` ``float32`` samples in [-1, 1], any ``n`` (other
                float types are converted).

        Raises:
            EncodeError: wrong shape or type.
        """
        channels = self.settings.channels
        shape_ok = samples.ndim == 2 and samples.shape[0] == channels
        if not shape_ok or not np.issubdtype(samples.dtype, np.floating):
            raise EncodeError(
                f"audio chunk is {samples.shape} {samples.dtype}; the export takes "
                f"({channels}, n) float32",
                sample=self._pts + self._pending_count,
            )
        self._pending.append(np.array(samples, dtype=np.float32))  # the caller may reuse it
        self._pending_count += samples.shape[1]
        packets: list[av.Packet] = []
        if self._pending_count < self._frame_size:
            return packets
        buffered = np.concatenate(self._pending, axis=1)
        whole = buffered.shape[1] - buffered.shape[1] % self._frame_size
        for start in range(0, whole, self._frame_size):
            packets += self._encode_frame(buffered[:, start : start + self._frame_size])
        rest = buffered[:, whole:]
        self._pending, self._pending_count = [rest], rest.shape[1]
        return packets

    def flush(self) -> list[av.Packet]:
        """Encode the buffered remainder as a short last frame and drain the encoder."""
        packets: list[av.Packet] = []
        if self._pending_count:
            packets += self._encode_frame(np.concatenate(self._pending, axis=1))
            self._pending, self._pending_count = [], 0
        return packets + list(self.stream.encode(None))

    def _encode_frame(self, chunk: np.ndarray) -> list[av.Packet]:
        frame = av.AudioFrame.from_ndarray(
            self._converted(chunk), format=self._format, layout=self._layout
        )
        frame.sample_rate = self.settings.sample_rate
        frame.pts = self._pts
        frame.time_base = Fraction(1, self.settings.sample_rate)
        self._pts += chunk.shape[1]
        return list(self.stream.encode(frame))

    def _converted(self, chunk: np.ndarray) -> np.ndarray:
        if self._bits == 0:
            return np.ascontiguousarray(chunk, dtype=np.float32)
        scale = float(1 << (self._bits - 1))
        ints = np.clip(np.rint(chunk.astype(np.float64) * scale), -scale, scale - 1)
        if self._format == "s16":
            packed = ints.astype(np.int16)
        else:
            # s32 carries 24-bit samples in its top bits.
            packed = ints.astype(np.int32) << (32 - self._bits)
        # Packed formats interleave channels: one plane of n * channels samples.
        return np.ascontiguousarray(packed.T).reshape(1, -1)
