"""W4 (BENCHMARKS.md): trim one clip by 1 s in a 60 s timeline and export again.

Measures the re-export time against the full export time (goal ≤ 0.15 when ≤ 5 % of the
frames change) and checks the re-export is byte-identical to a fresh export of the edited
project. Usage::

    python -m bench.w4_incremental [--quick | --size WxH] [--workdir DIR]

``--quick`` uses 320x180 sources (the ratio, not the absolute time, is the figure).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import shutil
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

from reelgraph.export.job import export_project
from reelgraph.export.presets import resolve_settings
from reelgraph.media import AudioEncodeSettings, MediaWriter, VideoEncodeSettings
from reelgraph.project.load import load_project
from reelgraph.testing import clip, media, project, track, transform

RATE = 30


def _pattern(kind: str, index: int, width: int, height: int) -> np.ndarray:
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    if kind == "A":
        value = (x / width * 255 + index * 4) % 256
        frame = np.stack([value, (y / height) * 255, 255 - value], axis=-1)
    else:
        radius = np.hypot(x - width / 2, y - height / 2)
        value = 127.5 + 127.5 * np.sin(radius / 12 - index * 0.3)
        frame = np.stack([value, 255 - value, (x / width) * 255], axis=-1)
    return frame.astype(np.uint8)


def make_source(path: Path, kind: str, width: int, height: int, seconds: int = 10) -> None:
    """Source A or B: a moving pattern, H.264 GOP 60 crf 18 yuv420p, a sine tone in AAC."""
    if path.exists():
        return
    video = VideoEncodeSettings(
        codec="h264", width=width, height=height, rate=Fraction(RATE), crf=18, gop=60
    )
    audio = AudioEncodeSettings(codec="aac", sample_rate=48000)
    writer = MediaWriter(str(path), video, audio, container_format="mp4")
    for index in range(seconds * RATE):
        writer.write_video(_pattern(kind, index, width, height))
    t = np.arange(seconds * 48000) / 48000
    tone = 0.3 * np.sin(2 * np.pi * (440 if kind == "A" else 660) * t)
    writer.write_audio(np.stack([tone, tone]).astype(np.float32))
    writer.close()


def timeline(width: int, height: int) -> dict:
    """60 s: A and B alternating on V1, B as a picture-in-picture on V2, audio on A1."""
    main = [
        clip(f"c{i}", i * 300, 300, media("A.mp4" if i % 2 == 0 else "B.mp4")) for i in range(6)
    ]
    pip = [
        clip(
            "pip",
            0,
            1800,
            media("B.mp4"),
            speed="1/6",
            transform=transform(scale=1 / 3, position=[width * 0.8, height * 0.2]),
            opacity=0.8,
        )
    ]
    sound = [
        clip(f"s{i}", i * 300, 300, media("A.mp4" if i % 2 == 0 else "B.mp4")) for i in range(6)
    ]
    return project(
        [track("V1", "video", main), track("V2", "video", pip), track("A1", "audio", sound)],
        width=width,
        height=height,
        rate=RATE,
    )


def _export(folder: Path, data: dict, out: Path, cache: Path) -> float:
    path = folder / "w4.json"
    path.write_text(json.dumps(data))
    document = load_project(path)
    settings = resolve_settings(str(out), None, {}, {"crf": 20, "encoder_preset": "veryfast"})
    began = time.perf_counter()
    export_project(document, out, settings, cache_dir=cache)
    return time.perf_counter() - began


def run(
    workdir: Path, quick: bool, size: tuple[int, int] | None = None
) -> dict[str, float | bool | str]:
    """Full export, trim, re-export, fresh export; returns the figures."""
    width, height = size or ((320, 180) if quick else (1920, 1080))
    workdir.mkdir(parents=True, exist_ok=True)
    for kind in ("A", "B"):
        make_source(workdir / f"{kind}.mp4", kind, width, height)
    original = timeline(width, height)
    edited = copy.deepcopy(original)
    edited["sequences"][0]["tracks"][0]["clips"][3]["duration"] -= RATE  # trim 1 s, no ripple
    cache = workdir / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    full = _export(workdir, original, workdir / "full.mp4", cache)
    again = _export(workdir, edited, workdir / "again.mp4", cache)
    fresh = _export(workdir, edited, workdir / "fresh.mp4", workdir / "fresh-cache")
    shutil.rmtree(workdir / "fresh-cache", ignore_errors=True)

    def digest(name: str) -> str:
        return hashlib.sha256((workdir / name).read_bytes()).hexdigest()

    return {
        "size": f"{width}x{height}",
        "full_export_s": round(full, 3),
        "re_export_s": round(again, 3),
        "fresh_export_s": round(fresh, 3),
        "ratio": round(again / full, 4),
        "goal": 0.15,
        "byte_identical": digest("again.mp4") == digest("fresh.mp4"),
        "changed_frames_percent": round(100 * RATE / 1800, 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Run W4 and print its row."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--size", help="WxH of the sources and the timeline, e.g. 640x360")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="reelgraph-w4-"))
    size = tuple(int(v) for v in args.size.split("x")) if args.size else None
    result = run(workdir, args.quick, size)  # type: ignore[arg-type]
    print(json.dumps(result, indent=1))
    return 0 if result["byte_identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
