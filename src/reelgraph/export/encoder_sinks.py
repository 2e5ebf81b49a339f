"""Sinks that write files: an encoder/muxer, and a PNG image sequence."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from reelgraph.export.presets import ExportSettings
from reelgraph.media import AudioEncodeSettings, MediaWriter, VideoEncodeSettings, write_png

__all__ = ["EncoderSink", "PngSequenceSink", "audio_settings", "video_settings"]


def video_settings(
    settings: ExportSettings, width: int, height: int, rate: Fraction
) -> VideoEncodeSettings:
    """The encoder's video settings for an export."""
    return VideoEncodeSettings(
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


def audio_settings(
    settings: ExportSettings, sample_rate: int, channels: int
) -> AudioEncodeSettings | None:
    """The encoder's audio settings for an export, or None for a silent one."""
    if settings.audio_codec == "none":
        return None
    return AudioEncodeSettings(
        codec=settings.audio_codec,
        sample_rate=sample_rate,
        channels=channels,
        bitrate=settings.audio_bitrate,
    )


class EncoderSink:
    """Encodes pictures (and audio, when given settings) into one container."""

    def __init__(
        self,
        path: str,
        video: VideoEncodeSettings,
        audio: AudioEncodeSettings | None,
        container: str,
    ) -> None:
        self.has_audio = audio is not None
        self._writer = MediaWriter(path, video, audio, container_format=container)

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
