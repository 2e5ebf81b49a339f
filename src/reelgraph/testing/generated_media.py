"""Generated media for tests: clips whose frames say their own index, clicks, stills.

A *numbered* clip encodes each frame's index as eight black/white blocks (bit 0 on the
left), big enough to survive lossy compression, so a test can read back which source
frame the engine picked (:func:`read_frame_number`).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from reelgraph.media import AudioEncodeSettings, MediaWriter, VideoEncodeSettings, write_png

__all__ = [
    "numbered_frame",
    "read_frame_number",
    "write_click_clip",
    "write_numbered_clip",
    "write_solid_png",
]


def numbered_frame(index: int, width: int = 64, height: int = 48) -> np.ndarray:
    """``(H, W, 3)`` uint8: eight blocks across, white where ``index`` has a 1 bit."""
    frame = np.zeros((height, width, 3), dtype=np.uint8)
    block = width // 8
    for bit in range(8):
        if (index >> bit) & 1:
            frame[:, bit * block : (bit + 1) * block] = 255
    return frame


def read_frame_number(pixels: np.ndarray) -> int:
    """The index drawn by :func:`numbered_frame` (pixels of the same size, any bit depth)."""
    height, width = pixels.shape[:2]
    block = width // 8
    scale = 65535.0 if pixels.dtype == np.uint16 else 255.0
    value = 0
    for bit in range(8):
        centre = pixels[height // 4 : 3 * height // 4, bit * block + 2 : (bit + 1) * block - 2, :3]
        if centre.mean() / scale > 0.5:
            value |= 1 << bit
    return value


def write_numbered_clip(
    path: Path,
    frames: int,
    *,
    rate: Fraction = Fraction(30),
    width: int = 64,
    height: int = 48,
    codec: str = "h264",
    audio: np.ndarray | None = None,
    sample_rate: int = 48000,
) -> Path:
    """A clip of ``frames`` numbered frames (and optional ``(2, n)`` audio)."""
    video = VideoEncodeSettings(
        codec=codec,
        width=width,
        height=height,
        rate=rate,
        crf=12,
        gop=12,
        pix_fmt="yuv420p"
        if codec in ("h264", "h265")
        else "yuv444p10le"
        if codec == "ffv1"
        else "yuv422p10le",
    )
    audio_settings = None
    if audio is not None:
        audio_settings = AudioEncodeSettings(
            codec="pcm_s16le", sample_rate=sample_rate, bitrate=None
        )
    container = "mov" if audio is not None or codec == "prores" else None
    writer = MediaWriter(str(path), video, audio_settings, container_format=container)
    for index in range(frames):
        writer.write_video(numbered_frame(index, width, height))
    if audio is not None:
        writer.write_audio(audio)
    writer.close()
    return path


def write_click_clip(
    path: Path, seconds: float, click_sample: int, *, sample_rate: int = 48000
) -> Path:
    """An audio-only WAV of silence with one full-scale click at ``click_sample``."""
    samples = np.zeros((2, int(seconds * sample_rate)), dtype=np.float32)
    samples[:, click_sample : click_sample + 8] = 0.9
    settings = AudioEncodeSettings(codec="pcm_s16le", sample_rate=sample_rate, bitrate=None)
    writer = MediaWriter(str(path), None, settings, container_format="wav")
    writer.write_audio(samples)
    writer.close()
    return path


def write_solid_png(
    path: Path, rgba: tuple[int, int, int, int], width: int = 16, height: int = 16
) -> Path:
    """A PNG of one colour (straight alpha)."""
    pixels = np.zeros((height, width, 4), dtype=np.uint8)
    pixels[...] = rgba
    write_png(path, pixels)
    return path
