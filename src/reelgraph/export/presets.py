"""Export settings and the named presets they start from.

A preset fixes the container, codecs, pixel format and encoder options; the project's
``export`` block and the command line override single fields. Encoder threads are part of
the settings (x264's bytes depend on its thread count), never derived from the machine.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from reelgraph.errors import UnknownReferenceError, UnsupportedCodecError

__all__ = ["PRESETS", "ExportSettings", "preset_for_path", "resolve_settings"]


@dataclass(frozen=True, slots=True)
class ExportSettings:
    """Everything that decides the bytes of an export (besides the project itself)."""

    preset: str = "h264"
    container: str = "mp4"
    video_codec: str = "h264"
    pix_fmt: str = "yuv420p"
    crf: int | None = 20
    encoder_preset: str = "veryfast"
    threads: int = 2
    gop: int | None = None
    bit_depth: int = 8
    audio_codec: str = "aac"
    audio_bitrate: int | None = 192000
    width: int | None = None
    height: int | None = None
    rate: Fraction | None = None
    segment_frames: int | None = None

    def replaced(self, **changes: Any) -> ExportSettings:
        """A copy with the given fields changed; ``None`` values leave a field alone."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


PRESETS: dict[str, ExportSettings] = {
    "h264": ExportSettings(),
    "h264-hq": ExportSettings(preset="h264-hq", crf=16, encoder_preset="slow"),
    "h265": ExportSettings(
        preset="h265", video_codec="h265", crf=24, encoder_preset="fast", pix_fmt="yuv420p"
    ),
    "h265-10bit": ExportSettings(
        preset="h265-10bit",
        video_codec="h265",
        crf=22,
        encoder_preset="fast",
        pix_fmt="yuv420p10le",
        bit_depth=16,
    ),
    "prores": ExportSettings(
        preset="prores",
        container="mov",
        video_codec="prores",
        pix_fmt="yuv422p10le",
        crf=None,
        bit_depth=16,
        audio_codec="pcm_s24le",
        audio_bitrate=None,
    ),
    "ffv1": ExportSettings(
        preset="ffv1",
        container="matroska",
        video_codec="ffv1",
        pix_fmt="yuv444p10le",
        crf=None,
        bit_depth=16,
        audio_codec="flac",
        audio_bitrate=None,
    ),
    "png": ExportSettings(
        preset="png",
        container="image2",
        video_codec="png",
        pix_fmt="rgb24",
        crf=None,
        audio_codec="none",
        audio_bitrate=None,
    ),
    "png16": ExportSettings(
        preset="png16",
        container="image2",
        video_codec="png",
        pix_fmt="rgb48be",
        crf=None,
        bit_depth=16,
        audio_codec="none",
        audio_bitrate=None,
    ),
}

_CONTAINER_BY_SUFFIX = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska"}
_PRESET_BY_SUFFIX = {".mp4": "h264", ".m4v": "h264", ".mov": "prores", ".mkv": "ffv1"}


def preset_for_path(path: str) -> str:
    """The preset an output path implies: ``.mp4`` → h264, ``.mov`` → prores,
    ``.mkv`` → ffv1, a folder or a ``%d`` pattern → png."""
    lowered = path.lower()
    if "%" in path or path.endswith("/") or lowered.endswith(".png"):
        return "png"
    for suffix, preset in _PRESET_BY_SUFFIX.items():
        if lowered.endswith(suffix):
            return preset
    return "h264"


def resolve_settings(
    path: str, preset: str | None, project_block: dict[str, Any], overrides: dict[str, Any]
) -> ExportSettings:
    """Settings for one export: preset (named, or implied by the project or the path),
    then the project's ``export`` fields, then command-line overrides.

    Raises:
        UnknownReferenceError: the preset name is unknown.
        UnsupportedCodecError: the container cannot hold the chosen codec.
    """
    name = preset or project_block.get("preset") or preset_for_path(path)
    if name not in PRESETS:
        raise UnknownReferenceError(
            f"unknown export preset {name!r}; known: {', '.join(sorted(PRESETS))}", preset=name
        )
    settings = PRESETS[name]
    fields = {k: v for k, v in project_block.items() if k not in ("schema", "preset", "metadata")}
    settings = settings.replaced(**fields).replaced(**overrides)
    lowered = path.lower()
    for suffix, container in _CONTAINER_BY_SUFFIX.items():
        if lowered.endswith(suffix) and settings.video_codec != "png":
            settings = settings.replaced(container=container)
    _check_container(settings)
    return settings


def _check_container(settings: ExportSettings) -> None:
    if settings.video_codec == "png" and settings.container != "image2":
        raise UnsupportedCodecError(
            "PNG output writes an image sequence: give a folder or a %05d.png pattern",
            codec="png",
            container=settings.container,
        )
    if settings.container == "mp4" and settings.video_codec in ("prores", "ffv1"):
        raise UnsupportedCodecError(
            f"{settings.video_codec} does not go in MP4; use .mov or .mkv",
            codec=settings.video_codec,
            container="mp4",
        )
    if settings.container == "mp4" and settings.audio_codec.startswith("pcm"):
        raise UnsupportedCodecError(
            "PCM audio does not go in MP4; use aac, or a .mov/.mkv output",
            codec=settings.audio_codec,
            container="mp4",
        )
