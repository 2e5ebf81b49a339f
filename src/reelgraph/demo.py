"""The bundled demo's media, generated on first run instead of committed.

``reelgraph demo-media examples/media`` writes two test-pattern clips with tones, a
logo with alpha, a short image sequence, a music bed and ``grade.cube`` (a 33-point 3D
LUT, written by the ``lut`` example plugin when it is installed). Files that already exist are
kept, so running it twice is harmless. Every file is deterministic.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from reelgraph.media import AudioEncodeSettings, MediaWriter, VideoEncodeSettings, write_png

__all__ = ["generate_demo_media"]

WIDTH, HEIGHT, RATE, SAMPLE_RATE = 640, 360, Fraction(30), 48000


def _bars(index: int) -> np.ndarray:
    colours = np.array(
        [
            [192, 192, 192],
            [192, 192, 0],
            [0, 192, 192],
            [0, 192, 0],
            [192, 0, 192],
            [192, 0, 0],
            [0, 0, 192],
        ],
        dtype=np.uint8,
    )
    columns = np.arange(WIDTH) * len(colours) // WIDTH
    frame = np.repeat(colours[columns][None, :, :], HEIGHT, axis=0)
    x = (index * 6) % (WIDTH - 60)
    frame[150:210, x : x + 60] = 255
    for bit in range(8):  # the frame number in binary, so any frame can be identified
        value = 255 if (index >> bit) & 1 else 16
        frame[300:330, 40 + bit * 40 : 70 + bit * 40] = value
    return frame


def _rings(index: int) -> np.ndarray:
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    radius = np.hypot(x - WIDTH / 2, y - HEIGHT / 2)
    phase = radius / 18.0 - index * 0.25
    red = 0.5 + 0.5 * np.sin(phase)
    green = 0.5 + 0.5 * np.sin(phase + 2.1)
    blue = 0.5 + 0.5 * np.sin(phase + 4.2)
    return (np.stack([red, green, blue], axis=-1) * 235 + 10).astype(np.uint8)


def _tone(frequency: float, seconds: float, clicks: bool) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    wave = 0.25 * np.sin(2 * np.pi * frequency * t)
    if clicks:
        for second in range(int(seconds)):
            wave[second * SAMPLE_RATE : second * SAMPLE_RATE + 240] = 0.9
    return np.stack([wave, wave]).astype(np.float32)


def _write_clip(path: Path, pattern: object, frames: int, frequency: float, clicks: bool) -> None:
    video = VideoEncodeSettings(codec="h264", width=WIDTH, height=HEIGHT, rate=RATE, crf=18, gop=30)
    audio = AudioEncodeSettings(codec="aac", sample_rate=SAMPLE_RATE)
    writer = MediaWriter(str(path), video, audio, container_format="mp4")
    try:
        for index in range(frames):
            writer.write_video(pattern(index))  # type: ignore[operator]
        writer.write_audio(_tone(frequency, frames / float(RATE), clicks))
        writer.close()
    except BaseException:
        writer.abort()
        path.unlink(missing_ok=True)
        raise


def _logo() -> np.ndarray:
    size = 200
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    radius = np.hypot(x - size / 2 + 0.5, y - size / 2 + 0.5)
    alpha = np.clip(96 - radius, 0, 1) * 255
    ring = np.abs(radius - 70) < 12
    rgba = np.zeros((size, size, 4), dtype=np.uint8)
    rgba[..., 0] = np.where(ring, 255, 40)
    rgba[..., 1] = np.where(ring, 200, 120)
    rgba[..., 2] = np.where(ring, 40, 220)
    rgba[..., 3] = alpha.astype(np.uint8)
    return rgba


def _spinner(index: int) -> np.ndarray:
    size = 160
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) - size / 2 + 0.5
    angle = index * np.pi / 12
    along = x * np.cos(angle) + y * np.sin(angle)
    across = -x * np.sin(angle) + y * np.cos(angle)
    bar = (np.abs(across) < 10) & (np.abs(along) < 70)
    image = np.full((size, size, 3), 30, dtype=np.uint8)
    image[bar] = (255, 220, 60)
    return image


def _bed() -> np.ndarray:
    t = np.arange(8 * SAMPLE_RATE) / SAMPLE_RATE
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.18, 329.63)) / 3
    wave = 0.3 * chord * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t))
    return np.stack([wave, wave * 0.8]).astype(np.float32)


def generate_demo_media(folder: Path) -> list[Path]:
    """Write the demo's media into ``folder`` (created if needed); returns new files."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def want(path: Path) -> bool:
        needed = not path.exists()
        if needed:
            written.append(path)
        return needed

    if want(folder / "a.mp4"):
        _write_clip(folder / "a.mp4", _bars, 180, 440.0, clicks=True)
    if want(folder / "b.mp4"):
        _write_clip(folder / "b.mp4", _rings, 180, 660.0, clicks=False)
    if want(folder / "logo.png"):
        write_png(folder / "logo.png", _logo())
    sequence = folder / "spinner"
    sequence.mkdir(exist_ok=True)
    for index in range(24):
        if want(sequence / f"f_{index + 1:04d}.png"):
            write_png(sequence / f"f_{index + 1:04d}.png", _spinner(index))
    if want(folder / "bed.wav"):
        writer = MediaWriter(
            str(folder / "bed.wav"),
            None,
            AudioEncodeSettings(codec="pcm_s16le", sample_rate=SAMPLE_RATE, bitrate=None),
            container_format="wav",
        )
        writer.write_audio(_bed())
        writer.close()
    if want(folder / "grade.cube"):
        _write_grade(folder / "grade.cube")
    return written


def _write_grade(path: Path) -> None:
    """The demo's LUT (a teal-and-orange look), made by the ``lut`` example plugin."""
    try:
        from reelgraph_lut.cube import write_cube
        from reelgraph_lut.samples import teal_orange
    except ImportError:  # the plugin is not installed: the demo will say so when it renders
        return
    write_cube(path, teal_orange(33), title="reelgraph demo grade")
