"""Where finished frames go: encoders, image sequences, hash manifests, collectors.

:class:`OutputSinks` is the World resource the Output set writes to. It converts the
working-format picture to display-referred pixels once per tick, and every sink gets
the same pixels, so a frame hash always describes exactly what was encoded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from reelgraph.engine.resources import CompositedFrame, MixedAudio
from reelgraph.render.color import from_working

__all__ = ["CollectSink", "FrameHashSink", "FrameSink", "OutputSinks"]


class FrameSink(Protocol):
    """A consumer of finished frames and their audio."""

    def write(self, index: int, pixels: np.ndarray, audio: np.ndarray | None) -> None:
        """Take output frame ``index``: ``(H, W, 3)`` display pixels and its samples."""

    def close(self) -> None:
        """Finish: flush and make the result visible."""

    def abort(self) -> None:
        """Give up: release resources and leave nothing half-written behind."""


@dataclass
class OutputSinks:
    """The sinks of an export, fed in order; ``bit_depth`` of the display pixels."""

    sinks: list[FrameSink]
    bit_depth: int = 8
    delivered: int = 0

    def deliver(self, picture: CompositedFrame, audio: MixedAudio | None) -> np.ndarray:
        """Convert once and hand the frame to every sink; returns the display pixels."""
        pixels = from_working(picture.image, bit_depth=self.bit_depth)
        self.deliver_pixels(pixels, None if audio is None else audio.samples)
        return pixels

    def deliver_pixels(self, pixels: np.ndarray, samples: np.ndarray | None) -> None:
        """Hand display pixels (already converted, e.g. from the cache) to every sink."""
        for sink in self.sinks:
            sink.write(self.delivered, pixels, samples)
        self.delivered += 1

    def close(self) -> None:
        """Close every sink, in order."""
        for sink in self.sinks:
            sink.close()

    def abort(self) -> None:
        """Abort every sink; never raises."""
        for sink in self.sinks:
            try:
                sink.abort()
            except Exception:
                pass


@dataclass
class FrameHashSink:
    """Collects the SHA-256 of each frame's display pixels (shape and dtype included)."""

    hashes: list[str] = field(default_factory=list)

    def write(self, index: int, pixels: np.ndarray, audio: np.ndarray | None) -> None:
        digest = hashlib.sha256(f"{pixels.shape}{pixels.dtype.str}".encode())
        digest.update(np.ascontiguousarray(pixels).tobytes())
        self.hashes.append(digest.hexdigest())

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


@dataclass
class CollectSink:
    """Keeps every frame's pixels and audio in memory (tests and the Python API)."""

    frames: list[np.ndarray] = field(default_factory=list)
    audio: list[np.ndarray] = field(default_factory=list)

    def write(self, index: int, pixels: np.ndarray, audio: np.ndarray | None) -> None:
        self.frames.append(pixels)
        if audio is not None:
            self.audio.append(audio)

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass
