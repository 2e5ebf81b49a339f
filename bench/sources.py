"""The benchmark's inputs, generated (never downloaded) and kept between runs.

A = lavfi ``testsrc2`` + 440 Hz sine, B = lavfi ``mandelbrot`` + 660 Hz sine, both H.264
(GOP 60, crf 18, yuv420p) + AAC 48 kHz stereo; a 4K ``testsrc2`` clip for W2; and
``grade.cube``, a 33-point 3D LUT. Pictures come from FFmpeg's own lavfi sources through
PyAV's filter graph, so they match what ``ffmpeg -f lavfi`` would make. A file is made
once per parameter set (its name says them) and reused by later runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.filter
import numpy as np

__all__ = ["SourceSpec", "Sources", "make_sources", "write_cube"]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One generated clip: a lavfi picture source and a sine tone."""

    pattern: str  # "testsrc2" or "mandelbrot"
    width: int
    height: int
    seconds: float
    tone_hz: float
    rate: int = 30
    gop: int = 60
    crf: int = 18
    preset: str = "medium"

    @property
    def frames(self) -> int:
        """Pictures in the clip."""
        return round(self.seconds * self.rate)

    def file_name(self, label: str) -> str:
        """A name that changes whenever a parameter does."""
        return (
            f"{label}-{self.pattern}-{self.width}x{self.height}-{self.rate}fps-"
            f"{self.seconds:g}s-{self.tone_hz:g}hz-g{self.gop}-crf{self.crf}-{self.preset}-v2.mp4"
        )


@dataclass(frozen=True, slots=True)
class Sources:
    """Paths of the generated inputs and the specs they were made from."""

    a: Path
    b: Path
    uhd: Path
    cube: Path
    spec_a: SourceSpec
    spec_b: SourceSpec
    spec_uhd: SourceSpec


def _pictures(spec: SourceSpec) -> av.filter.Graph:
    graph = av.filter.Graph()
    args = f"size={spec.width}x{spec.height}:rate={spec.rate}"
    source = graph.add(spec.pattern, args)
    sink = graph.add("buffersink")
    if spec.pattern == "mandelbrot":
        # mandelbrot renders rgb0; convert once here, as `ffmpeg -f lavfi` would for x264.
        convert = graph.add("format", "pix_fmts=yuv420p")
        source.link_to(convert)
        convert.link_to(sink)
    else:
        source.link_to(sink)
    graph.configure()
    return graph


def _tone(spec: SourceSpec, sample_rate: int = 48000) -> np.ndarray:
    count = round(spec.seconds * sample_rate)
    t = np.arange(count, dtype=np.float64) / sample_rate
    mono = (0.5 * np.sin(2 * math.pi * spec.tone_hz * t)).astype(np.float32)
    return np.stack([mono, mono])


def write_clip(path: Path, spec: SourceSpec) -> Path:
    """Encode ``spec`` to ``path`` (H.264 + AAC in MP4), atomically."""
    partial = path.with_name(f".{path.name}.partial")
    container = av.open(str(partial), "w", format="mp4")
    video = container.add_stream("libx264", rate=spec.rate)
    video.width, video.height, video.pix_fmt = spec.width, spec.height, "yuv420p"
    video.time_base = Fraction(1, spec.rate)
    video.options = {
        "crf": str(spec.crf),
        "preset": spec.preset,
        "g": str(spec.gop),
        "keyint_min": str(spec.gop),
        "sc_threshold": "0",
        "threads": "2",
    }
    audio = container.add_stream("aac", rate=48000, layout="stereo")
    audio.bit_rate = 192_000
    graph = _pictures(spec)
    for index in range(spec.frames):
        frame = graph.pull()
        frame = frame.reformat(format="yuv420p") if frame.format.name != "yuv420p" else frame
        frame.pts, frame.time_base = index, Fraction(1, spec.rate)
        # lavfi marks every picture as an I-frame, and libx264 obeys a frame's picture type
        # (every frame became an IDR); `ffmpeg` clears it before encoding, and so do we.
        frame.pict_type = av.video.frame.PictureType.NONE
        container.mux(video.encode(frame))
    container.mux(video.encode(None))
    samples = _tone(spec)
    step = 1024
    for start in range(0, samples.shape[1], step):
        chunk = np.ascontiguousarray(samples[:, start : start + step])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
        frame.sample_rate, frame.pts = 48000, start
        container.mux(audio.encode(frame))
    container.mux(audio.encode(None))
    container.close()
    partial.replace(path)
    return path


def write_cube(path: Path, size: int = 33) -> Path:
    """A warm, gently contrasty 3D LUT in the ``.cube`` format (red varies fastest)."""
    axis = np.linspace(0.0, 1.0, size)
    b, g, r = np.meshgrid(axis, axis, axis, indexing="ij")
    rgb = np.stack([r, g, b], axis=-1).reshape(-1, 3)
    curve = rgb + 0.08 * np.sin(2 * math.pi * rgb) * (1 - rgb)  # soft S-curve
    luma = curve @ np.array([0.2126, 0.7152, 0.0722])
    graded = luma[:, None] + 0.9 * (curve - luma[:, None])  # a little desaturated
    graded *= np.array([1.04, 1.0, 0.94])  # warm
    graded = np.clip(graded, 0.0, 1.0)
    lines = [
        'TITLE "reelgraph bench grade"',
        f"LUT_3D_SIZE {size}",
        "DOMAIN_MIN 0 0 0",
        "DOMAIN_MAX 1 1 1",
    ]
    lines += [f"{x:.6f} {y:.6f} {z:.6f}" for x, y, z in graded]
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text("\n".join(lines) + "\n")
    partial.replace(path)
    return path


def make_sources(folder: Path, *, quick: bool, log: callable = print) -> Sources:  # type: ignore[valid-type]
    """Make (or reuse) every input in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if quick:
        spec_a = SourceSpec("testsrc2", 320, 180, 1.0, 440, preset="ultrafast")
        spec_b = SourceSpec("mandelbrot", 320, 180, 1.0, 660, preset="ultrafast")
        spec_uhd = SourceSpec("testsrc2", 640, 360, 0.5, 440, preset="ultrafast")
    else:
        spec_a = SourceSpec("testsrc2", 1920, 1080, 10.0, 440)
        spec_b = SourceSpec("mandelbrot", 1920, 1080, 10.0, 660)
        spec_uhd = SourceSpec("testsrc2", 3840, 2160, 4.0, 440, preset="veryfast")
    paths = []
    for label, spec in (("A", spec_a), ("B", spec_b), ("UHD", spec_uhd)):
        path = folder / spec.file_name(label)
        if not path.exists():
            log(f"  generating {path.name} ...")
            write_clip(path, spec)
        paths.append(path)
    cube = folder / "grade.cube"
    if not cube.exists():
        write_cube(cube)
    return Sources(paths[0], paths[1], paths[2], cube, spec_a, spec_b, spec_uhd)
