"""Audio peak data (waveforms) of a source, cached by content under the cache folder.

The peaks are the minimum and maximum sample of each bucket of ``1 / per_second``
seconds, per channel, at the source's own sample rate and channel count: a
``(channels, buckets, 2)`` ``float32`` array in a ``.npy`` file named by the content
fingerprint (loaded memory-mapped). A viewer draws any zoom level from them without
decoding audio again.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reelgraph.media import AudioReader
from reelgraph.media.probe import AudioStreamInfo
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.media_index.index import atomic_write_bytes

__all__ = ["Peaks", "cached_peaks", "make_peaks", "peaks_of"]


@dataclass(frozen=True, slots=True)
class Peaks:
    """Cached peak data of one source.

    Attributes:
        path: The ``.npy`` file.
        channels: Audio channels.
        buckets: Buckets per channel.
        per_second: Buckets per second of audio.
    """

    path: Path
    channels: int
    buckets: int
    per_second: int

    def load(self) -> np.ndarray:
        """The ``(channels, buckets, 2)`` float32 min/max pairs (read-only, memory-mapped)."""
        data: np.ndarray = np.load(self.path, mmap_mode="r")
        return data

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "path": str(self.path),
            "channels": self.channels,
            "buckets": self.buckets,
            "per_second": self.per_second,
        }


def peaks_of(samples: np.ndarray, bucket: int) -> np.ndarray:
    """Min and max of each ``bucket`` samples of ``(channels, n)`` audio.

    Returns:
        ``(channels, ceil(n / bucket), 2)`` float32; the last bucket may be shorter.
    """
    channels, count = samples.shape
    buckets = max(1, -(-count // bucket))
    padded = np.empty((channels, buckets * bucket), dtype=np.float32)
    padded[:, :count] = samples
    # Pad with the last sample so the short last bucket's extremes are its own.
    padded[:, count:] = samples[:, -1:] if count else 0.0
    blocks = padded.reshape(channels, buckets, bucket)
    return np.stack([blocks.min(axis=2), blocks.max(axis=2)], axis=2).astype(np.float32)


def _path(folder: Path, fingerprint: Fingerprint, per_second: int) -> Path:
    return folder / f"{fingerprint.short}-peaks{per_second}.npy"


def cached_peaks(folder: Path, fingerprint: Fingerprint, *, per_second: int = 100) -> Peaks | None:
    """The peaks computed before for this content, or None."""
    path = _path(folder, fingerprint, per_second)
    try:
        data = np.load(path, mmap_mode="r")
    except (OSError, ValueError):
        return None
    if data.ndim != 3 or data.shape[2] != 2:
        return None
    return Peaks(path, data.shape[0], data.shape[1], per_second)


def make_peaks(
    folder: Path,
    fingerprint: Fingerprint,
    path: Path,
    info: AudioStreamInfo,
    *,
    per_second: int = 100,
) -> Peaks:
    """Compute (or reuse) the peaks of the audio at ``path``.

    Raises:
        MediaError: the audio cannot be decoded.
        OSError: the folder cannot be written.
    """
    found = cached_peaks(folder, fingerprint, per_second=per_second)
    if found is not None:
        return found
    reader = AudioReader(path, info.sample_rate, info.channels)
    try:
        total = round(info.duration * info.sample_rate)
        samples = reader.read(0, max(total, 1))
    finally:
        reader.close()
    peaks = peaks_of(samples, max(1, info.sample_rate // per_second))
    buffer = io.BytesIO()
    np.save(buffer, peaks)
    target = _path(folder, fingerprint, per_second)
    atomic_write_bytes(target, buffer.getvalue())
    return Peaks(target, peaks.shape[0], peaks.shape[1], per_second)
