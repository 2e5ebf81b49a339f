"""Export settings: which encoder, pixel format and rate a render is written with.

The settings validate themselves when built, so a bad codec or codec/pixel-format pair is
refused before a render starts, with the allowed values in the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import av

from reelgraph.errors import EncodeError, UnsupportedCodecError

__all__ = [
    "AUDIO_ENCODERS",
    "VIDEO_ENCODERS",
    "VIDEO_PIX_FMTS",
    "AudioEncodeSettings",
    "VideoEncodeSettings",
]

VIDEO_ENCODERS: dict[str, str] = {
    "h264": "libx264",
    "h265": "libx265",
    "prores": "prores_ks",
    "ffv1": "ffv1",
}
"""Our video codec names and the FFmpeg encoders behind them."""

_YUV_8_10 = ("yuv420p", "yuv422p", "yuv444p", "yuv420p10le", "yuv422p10le", "yuv444p10le")

VIDEO_PIX_FMTS: dict[str, tuple[str, ...]] = {
    "h264": _YUV_8_10,
    "h265": (*_YUV_8_10, "yuv420p12le", "yuv422p12le", "yuv444p12le"),
    "prores": ("yuv422p10le", "yuv444p10le", "yuva444p10le"),
    "ffv1": (
        *_YUV_8_10,
        "yuv420p16le",
        "yuv444p16le",
        "yuva444p",
        "yuva444p10le",
        "yuva444p16le",
        "bgr0",
        "bgra",
        "gbrp10le",
        "gbrp12le",
        "gbrp16le",
        "gbrap10le",
        "gbrap16le",
    ),
}
"""Pixel formats each video codec is written in (ffv1's 8-bit RGB is ``bgr0``/``bgra``)."""

_PRORES_PROFILES = {
    "yuv422p10le": range(0, 4),
    "yuv444p10le": range(4, 6),
    "yuva444p10le": range(4, 6),
}

AUDIO_ENCODERS: dict[str, str] = {
    "aac": "aac",
    "flac": "flac",
    "pcm_s16le": "pcm_s16le",
    "pcm_s24le": "pcm_s24le",
}
"""Our audio codec names and the FFmpeg encoders behind them."""


def _allowed(values: object) -> str:
    return ", ".join(sorted(values))  # type: ignore[call-overload]


@dataclass(frozen=True, slots=True)
class VideoEncodeSettings:
    """How the video stream of a render is encoded.

    Attributes:
        codec: ``"h264"``, ``"h265"``, ``"prores"`` or ``"ffv1"``.
        width: Frame width in pixels.
        height: Frame height in pixels.
        rate: Frames per second, exact.
        pix_fmt: Encoded pixel format (see :data:`VIDEO_PIX_FMTS`).
        crf: Constant rate factor for h264/h265 (0-51); None for the encoder's default.
            Ignored by prores and ffv1.
        preset: x264/x265 speed preset.
        threads: Encoder threads, at least 1. Output depends on it, so it is fixed here
            and never left to the machine's core count.
        gop: Keyframe interval in frames; None for the encoder's default.
        prores_profile: 0 proxy, 1 LT, 2 standard, 3 HQ (4:2:2); 4 4444, 5 4444 XQ.

    Raises:
        UnsupportedCodecError: unknown codec, or a pixel format or profile the codec
            does not take.
        EncodeError: a size, rate, thread count or quality out of range.
    """

    codec: str
    width: int
    height: int
    rate: Fraction
    pix_fmt: str = "yuv420p"
    crf: int | None = 20
    preset: str = "veryfast"
    threads: int = 2
    gop: int | None = None
    prores_profile: int = 2

    def __post_init__(self) -> None:
        if self.codec not in VIDEO_ENCODERS:
            raise UnsupportedCodecError(
                f"unknown video codec {self.codec!r}; use one of {_allowed(VIDEO_ENCODERS)}",
                codec=self.codec,
                allowed=_allowed(VIDEO_ENCODERS),
            )
        allowed = VIDEO_PIX_FMTS[self.codec]
        if self.pix_fmt not in allowed:
            raise UnsupportedCodecError(
                f"{self.codec} cannot be written as {self.pix_fmt}; use one of {_allowed(allowed)}",
                codec=self.codec,
                pix_fmt=self.pix_fmt,
                allowed=_allowed(allowed),
            )
        if self.codec == "prores" and self.prores_profile not in _PRORES_PROFILES[self.pix_fmt]:
            profiles = _PRORES_PROFILES[self.pix_fmt]
            raise UnsupportedCodecError(
                f"prores profile {self.prores_profile} does not take {self.pix_fmt}; "
                f"use profile {profiles.start}-{profiles.stop - 1}",
                codec=self.codec,
                pix_fmt=self.pix_fmt,
                profile=self.prores_profile,
            )
        self._check_numbers()

    def _check_numbers(self) -> None:
        fmt = av.VideoFormat(self.pix_fmt)
        even_w = fmt.chroma_width(self.width * 2) < self.width * 2
        even_h = fmt.chroma_height(self.height * 2) < self.height * 2
        problems = [
            (self.width <= 0 or self.height <= 0, f"size {self.width}x{self.height}"),
            (even_w and self.width % 2 == 1, f"odd width {self.width} for {self.pix_fmt}"),
            (even_h and self.height % 2 == 1, f"odd height {self.height} for {self.pix_fmt}"),
            (Fraction(self.rate) <= 0, f"rate {self.rate}"),
            (self.threads < 1, f"threads {self.threads} (must be at least 1)"),
            (self.crf is not None and not 0 <= self.crf <= 51, f"crf {self.crf}"),
            (self.gop is not None and self.gop < 1, f"gop {self.gop}"),
        ]
        for bad, what in problems:
            if bad:
                raise EncodeError(f"bad video export setting: {what}", codec=self.codec)

    @property
    def encoder(self) -> str:
        """The FFmpeg encoder name (``"libx264"``)."""
        return VIDEO_ENCODERS[self.codec]


@dataclass(frozen=True, slots=True)
class AudioEncodeSettings:
    """How the audio stream of a render is encoded.

    Attributes:
        codec: ``"aac"``, ``"flac"``, ``"pcm_s16le"`` or ``"pcm_s24le"``.
        sample_rate: Samples per second.
        channels: Number of channels (1-8).
        bitrate: Bits per second for aac; ignored by the lossless codecs.

    Raises:
        UnsupportedCodecError: unknown codec.
        EncodeError: a rate, channel count or bitrate out of range.
    """

    codec: str
    sample_rate: int = 48000
    channels: int = 2
    bitrate: int | None = 192000

    def __post_init__(self) -> None:
        if self.codec not in AUDIO_ENCODERS:
            raise UnsupportedCodecError(
                f"unknown audio codec {self.codec!r}; use one of {_allowed(AUDIO_ENCODERS)}",
                codec=self.codec,
                allowed=_allowed(AUDIO_ENCODERS),
            )
        if self.sample_rate <= 0 or not 1 <= self.channels <= 8:
            raise EncodeError(
                f"bad audio export setting: {self.sample_rate} Hz, {self.channels} channels",
                codec=self.codec,
            )
        if self.bitrate is not None and self.bitrate <= 0:
            raise EncodeError(f"bad audio bitrate {self.bitrate}", codec=self.codec)

    @property
    def encoder(self) -> str:
        """The FFmpeg encoder name."""
        return AUDIO_ENCODERS[self.codec]
