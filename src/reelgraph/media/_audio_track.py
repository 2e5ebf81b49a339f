"""The audio stream of a :class:`~reelgraph.media.writer.MediaWriter`: samples in, packets out.

Chunks of any length are buffered and fed to the encoder in its own frame size (1024 for
AAC), with timestamps counted in samples; the remainder goes out as a short last frame.
Float samples become integers by numpy rounding and clipping, which is the same on every
machine.
"""

from __future__ import annotations

import av
import numpy as np
from av.container import OutputContainer

from reelgraph.errors import EncodeError
from reelgraph.media.encode_settings import AudioEncodeSettings

__all__ = ["AudioTrack"]

# The sample format each encoder is fed, and the integer scale of the packed formats.
_SAMPLE_FORMATS: dict[str, tuple[str, int]] = {
    "aac": ("fltp", 0),
    "flac": ("s16", 16),
    "pcm_s16le": ("s16", 16),
    "pcm_s24le": ("s32", 24),
}
# Frame size for encoders that take any (PCM): fixed, so the muxed sample tables are too.
_DEFAULT_FRAME_SIZE = 1024


def _layout(channels: int) -> av.AudioLayout:
    return av.AudioLayout(channels)


class AudioTrack:
    """Buffers, converts and encodes samples for one output audio stream.

    Args:
        container: The output container (the stream is added to it).
        settings: The encoding settings.
    """

    def __init__(self, container: OutputContainer, settings: AudioEncodeSettings) -> None:
        self.settings = settings
        stream = container.add_stream(
            settings.encoder, rate=settings.sample_rate, layout=_layout(settings.channels)
        )
        ctx = stream.codec_context
        ctx.format = _SAMPLE_FORMATS[settings.codec][0]
        ctx.time_base = ctx.time_base = av.time_base_of(settings.sample_rate) if False else None  # type: ignore[attr-defined]
        self.stream = stream
        self._pending: list[np.ndarray] = []
        self._pending_count = 0
        self._pts = 0
