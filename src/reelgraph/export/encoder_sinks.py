"""Sinks that write files: an encoder/muxer, and a PNG image sequence."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from reelgraph.export.presets import ExportSettings
from reelgraph.media import AudioEncodeSettings, MediaWriter, VideoEncodeSettings, write_png

__all__ = ["EncoderSink", "PngSequenceSink"]


class EncoderSink:
    """Encodes pictures (and audio unless the codec is ``none``) into one container."""

    def __init__(
        self,
        path: str,
        settings: ExportSettings,
        width: int,
        height: int,
        rate: Fraction,
        sample_rate: int,
        channels: int,
    ) -> None:
        video = VideoEncodeSettings(
            codec=settings.video_codec,
            width=width,
            height=height,
            rate=rate,
            pix_fmt=settings.pix_fmt,
            crf=settings.crf,
            preset=settings.encoder_preset,
            threads=settings.threads,
            gop=settings.gop,
        )
        audio = None
        if settings.audio_codec != "none":
            audio = AudioEncodeSettings(
                codec=settings.audio_codec,
                sample_rate=sample_rate,
                channels=channels,
                bitrate=settings.audio_bitrate,
            )
        self.has_audio = audio is not None
        self._writer = MediaWriter(path, video, audio, container_format=settings.container)

    def write(self, index: int, pixels: np.ndarray, audio: np.ndarray | None) -> None:
        self._writer.write_video(pixels)
        if self.has_audio and audio is not None and audio.shape[1] > 0:
            self._writer.write_audio(audio)

    def close(self) -> None:
        self._writer.close()

    def abort(self) -> None:
        self._writer.abort()


class PngSequenceSink:
    """Writes each frame as a PNG named by a printf pattern (``%06d.png``), from 0."""

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern

    def write(self, index: int, pixels: np.ndarray, audio: np.ndarray | None) -> None:
        write_png(self._pattern % index, pixels)

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass
