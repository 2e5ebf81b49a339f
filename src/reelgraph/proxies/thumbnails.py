"""Filmstrip thumbnails of a video source, cached by content under the cache folder.

A filmstrip is ``count`` thumbnails side by side in one PNG, taken at the centres of
``count`` equal spans of the source (``t_i = duration * (2i + 1) / (2 * count)``), each
``width`` pixels wide with the source's aspect ratio. The file is named by the source's
content fingerprint, so it follows renames and is never reused for changed media. Frames
come from a proxy when one is given (no long-GOP seeking), else from the original.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image

from reelgraph.media import VideoReader
from reelgraph.media.probe import VideoStreamInfo
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.media_index.index import atomic_write_bytes
from reelgraph.proxies.reduce import to_8bit
from reelgraph.proxies.store import ProxyFile
from reelgraph.proxies.switch import frame_index

__all__ = ["Filmstrip", "cached_filmstrip", "filmstrip_times", "make_filmstrip"]


@dataclass(frozen=True, slots=True)
class Filmstrip:
    """A cached filmstrip: ``count`` thumbnails of ``width x height`` in one PNG at ``path``.

    Attributes:
        path: The PNG (``count * width`` by ``height`` pixels).
        count: Thumbnails in the strip.
        width: Width of one thumbnail.
        height: Height of one thumbnail.
        times: The source time of each thumbnail, in seconds (exact, as ``"num/den"``).
    """

    path: Path
    count: int
    width: int
    height: int
    times: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "path": str(self.path),
            "count": self.count,
            "width": self.width,
            "height": self.height,
            "times": list(self.times),
        }


def filmstrip_times(duration: Fraction, count: int) -> list[Fraction]:
    """The source times of a strip's thumbnails: the centres of ``count`` equal spans."""
    return [duration * (2 * i + 1) / (2 * count) for i in range(count)]


def _paths(folder: Path, fingerprint: Fingerprint, count: int, width: int) -> tuple[Path, Path]:
    stem = folder / f"{fingerprint.short}-strip{count}x{width}"
    return stem.with_suffix(".png"), stem.with_suffix(".json")


def cached_filmstrip(
    folder: Path, fingerprint: Fingerprint, *, count: int = 8, width: int = 160
) -> Filmstrip | None:
    """The filmstrip made before for this content, or None."""
    png, sidecar = _paths(folder, fingerprint, count, width)
    try:
        data = json.loads(sidecar.read_text("utf-8"))
        if not png.is_file():
            return None
        return Filmstrip(png, data["count"], data["width"], data["height"], tuple(data["times"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def make_filmstrip(
    folder: Path,
    fingerprint: Fingerprint,
    path: Path,
    info: VideoStreamInfo,
    *,
    count: int = 8,
    width: int = 160,
    proxy: ProxyFile | None = None,
) -> Filmstrip:
    """Make (or reuse) the filmstrip of the video at ``path``.

    Args:
        folder: The thumbnails folder.
        fingerprint: The source's content fingerprint.
        path: The source file.
        info: Its video stream (size and duration).
        count: Thumbnails in the strip.
        width: Width of each thumbnail in pixels.
        proxy: A proxy of the source to take frames from (faster than the original).

    Raises:
        MediaError: the source cannot be decoded.
        OSError: the folder cannot be written.
    """
    found = cached_filmstrip(folder, fingerprint, count=count, width=width)
    if found is not None:
        return found
    height = max(1, round(width * info.height / info.width))
    times = filmstrip_times(info.duration, count)
    strip = np.zeros((height, width * count, 3), dtype=np.uint8)
    reader = None if proxy is not None else VideoReader(path, cache_frames=1)
    try:
        for i, seconds in enumerate(times):
            if proxy is not None:
                picture = proxy.frame(frame_index(proxy, seconds))
            else:
                assert reader is not None
                picture = reader.frame_at(seconds)
            image = Image.fromarray(np.ascontiguousarray(to_8bit(picture)[..., :3]), "RGB")
            thumb = image.resize((width, height), Image.Resampling.BOX)
            strip[:, i * width : (i + 1) * width] = np.asarray(thumb)
    finally:
        if reader is not None:
            reader.close()
    png, sidecar = _paths(folder, fingerprint, count, width)
    buffer = io.BytesIO()
    Image.fromarray(strip, "RGB").save(buffer, "PNG")
    atomic_write_bytes(png, buffer.getvalue())
    texts = tuple(f"{t.numerator}/{t.denominator}" for t in times)
    body = {"count": count, "width": width, "height": height, "times": list(texts)}
    atomic_write_bytes(sidecar, json.dumps(body).encode())
    return Filmstrip(png, count, width, height, texts)
