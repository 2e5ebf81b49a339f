"""Exports to every container and codec, atomically, deterministically, in sync."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelgraph.errors import TimeRangeError, UnsupportedCodecError
from reelgraph.export.job import export_project
from reelgraph.export.presets import resolve_settings
from reelgraph.project.load import load_project


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export(project_file: Path, out: Path, **overrides):
    document = load_project(project_file)
    preset = overrides.pop("preset", None)
    settings = resolve_settings(str(out), preset, document.export, overrides)
    return export_project(document, out, settings)


@pytest.mark.parametrize(
    ("name", "preset", "codec", "audio_codec"),
    [
        ("out.mp4", None, "h264", "aac"),
        ("out.mp4", "h265", "hevc", "aac"),
        ("out.mov", "prores", "prores", "pcm_s24le"),
        ("out.mkv", "ffv1", "ffv1", "flac"),
    ],
)
def test_each_preset_writes_a_playable_file_of_the_right_codecs(
    project_file, tmp_path, name, preset, codec, audio_codec
):
    out = tmp_path / name
    result = export(project_file, out, preset=preset)
    assert result.frames == 50
    with av.open(str(out)) as container:
        video = container.streams.video[0]
        assert video.codec_context.name == codec
        assert (video.width, video.height) == (64, 48)
        assert container.streams.audio[0].codec_context.name == audio_codec
        assert sum(1 for _ in container.decode(video=0)) == 50


def test_png_sequences_write_one_numbered_image_per_frame(project_file, tmp_path):
    out = tmp_path / "frames"
    export(project_file, Path(str(out) + "/"), preset="png")
    files = sorted(os.listdir(out))
    assert len(files) == 50 and files[0] == "000000.png"


def test_the_same_export_twice_gives_the_same_bytes(project_file, tmp_path):
    export(project_file, tmp_path / "one.mp4")
    export(project_file, tmp_path / "two.mp4")
    assert sha256(tmp_path / "one.mp4") == sha256(tmp_path / "two.mp4")


def test_the_bytes_do_not_depend_on_the_machines_thread_settings(project_file, tmp_path):
    digests = []
    for threads in ("1", "4"):
        out = tmp_path / f"threads-{threads}.mp4"
        env = dict(
            os.environ,
            OMP_NUM_THREADS=threads,
            OPENBLAS_NUM_THREADS=threads,
            MKL_NUM_THREADS=threads,
            NUMBA_NUM_THREADS=threads,
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "reelgraph",
                "render",
                str(project_file),
                "-o",
                str(out),
                "--no-progress",
                "--no-cache",
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        digests.append(sha256(out))
    assert digests[0] == digests[1]


def test_frame_hashes_describe_pixels_independent_of_the_codec(project_file, tmp_path):
    document = load_project(project_file)
    hashes = []
    for name, preset in (("a.mp4", "h264"), ("b.mp4", "h265")):
        settings = resolve_settings(name, preset, {}, {})
        export_project(document, tmp_path / name, settings, frame_hashes=tmp_path / f"{name}.json")
        hashes.append(json.loads((tmp_path / f"{name}.json").read_text())["frames"])
    assert hashes[0] == hashes[1] and len(hashes[0]) == 50


def test_a_range_exports_only_its_frames(project_file, tmp_path):
    document = load_project(project_file)
    settings = resolve_settings("r.mp4", None, {}, {})
    result = export_project(document, tmp_path / "r.mp4", settings, start=10, end=20)
    assert result.frames == 10


def test_a_range_outside_the_timeline_is_refused(project_file, tmp_path):
    document = load_project(project_file)
    with pytest.raises(TimeRangeError):
        export_project(
            document, tmp_path / "r.mp4", resolve_settings("r.mp4", None, {}, {}), start=40, end=90
        )
    assert not (tmp_path / "r.mp4").exists()


def test_another_output_rate_resamples_time(project_file, tmp_path):
    document = load_project(project_file)
    settings = resolve_settings("r.mp4", None, {}, {"rate": Fraction(15)})
    result = export_project(document, tmp_path / "r.mp4", settings)
    assert result.frames == 25
    with av.open(str(tmp_path / "r.mp4")) as container:
        assert container.streams.video[0].average_rate == 15


def test_a_failed_export_leaves_the_existing_output_untouched(project_file, tmp_path):
    out = tmp_path / "keep.mp4"
    out.write_bytes(b"previous render")
    document = load_project(project_file)
    settings = resolve_settings(str(out), None, {}, {})

    def interrupt(done, total):
        if done == 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_project(document, out, settings, progress=interrupt)
    assert out.read_bytes() == b"previous render"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.mp4"]


def test_prores_in_mp4_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(UnsupportedCodecError):
        resolve_settings(str(tmp_path / "x.mp4"), "prores", {}, {})


def decoded_audio(path: Path) -> np.ndarray:
    """The first channel of the file's audio as floats in [-1, 1]."""
    chunks = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            data = frame.to_ndarray()
            if frame.format.is_packed:
                data = data.reshape(-1, len(frame.layout.channels)).T
            scale = float(np.iinfo(data.dtype).max) if data.dtype.kind == "i" else 1.0
            chunks.append(data[0].astype(np.float64) / scale)
    return np.concatenate(chunks)


def test_a_click_lands_on_the_exact_sample_of_its_frame(project_file, tmp_path):
    # The click is at source frame 15; the clip starts at timeline frame 10 at source 5.
    out = tmp_path / "sync.mov"
    export(project_file, out, preset="prores")
    samples = decoded_audio(out)
    first = int(np.argmax(np.abs(samples) > 0.5))
    assert first == 20 * 48000 // 30


def test_aac_keeps_the_click_within_a_few_samples(project_file, tmp_path):
    out = tmp_path / "sync.mp4"
    export(project_file, out)
    samples = decoded_audio(out)
    first = int(np.argmax(np.abs(samples) > 0.3))
    assert abs(first - 20 * 48000 // 30) <= 48
