"""Probe results to and from JSON, for the media index's probe cache.

Fractions are written as ``"num/den"`` text so they come back exact. :data:`PROBE_VERSION`
names this prober (and the FFmpeg inside PyAV): a cached result from another version is
probed again rather than trusted.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import av

from reelgraph.media.probe import AudioStreamInfo, MediaInfo, VideoStreamInfo

__all__ = ["PROBE_VERSION", "info_from_json", "info_to_json"]

PROBE_VERSION = f"probe-1/pyav-{av.__version__}"
"""Changes whenever a probe of the same bytes could say something else."""


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def info_to_json(info: MediaInfo) -> dict[str, Any]:
    """A JSON-ready form of ``info`` (its ``path`` is left out: content only)."""
    video = None
    if info.video is not None:
        v = info.video
        video = {
            "width": v.width,
            "height": v.height,
            "rate": _fraction(v.rate),
            "frame_count": v.frame_count,
            "duration": _fraction(v.duration),
            "codec": v.codec,
            "pix_fmt": v.pix_fmt,
            "bit_depth": v.bit_depth,
            "colorspace": v.colorspace,
            "color_range": v.color_range,
            "colorspace_assumed": v.colorspace_assumed,
            "has_alpha": v.has_alpha,
        }
    audio = None
    if info.audio is not None:
        a = info.audio
        audio = {
            "sample_rate": a.sample_rate,
            "channels": a.channels,
            "codec": a.codec,
            "duration": _fraction(a.duration),
        }
    duration = None if info.duration is None else _fraction(info.duration)
    return {"kind": info.kind, "video": video, "audio": audio, "duration": duration}


def info_from_json(data: dict[str, Any], path: str) -> MediaInfo:
    """The :class:`MediaInfo` of :func:`info_to_json`'s output, for the file at ``path``.

    Raises:
        KeyError, TypeError, ValueError: the data is not such output.
    """
    video = None
    if data["video"] is not None:
        v = dict(data["video"])
        v["rate"], v["duration"] = Fraction(v["rate"]), Fraction(v["duration"])
        video = VideoStreamInfo(**v)
    audio = None
    if data["audio"] is not None:
        a = dict(data["audio"])
        a["duration"] = Fraction(a["duration"])
        audio = AudioStreamInfo(**a)
    duration = None if data["duration"] is None else Fraction(data["duration"])
    kind = data["kind"]
    if kind not in ("video", "image", "audio"):
        raise ValueError(f"unknown media kind {kind!r}")
    return MediaInfo(path, kind, video, audio, duration)
