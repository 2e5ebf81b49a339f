"""A killed export leaves nothing at its path; the restart reuses finished segments."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import small_project


def render(project: Path, out: Path, cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reelgraph",
            "render",
            str(project),
            "-o",
            str(out),
            "--cache-dir",
            str(cache),
            "--no-progress",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_killed_export_resumes_from_its_finished_segments_with_the_same_bytes(
    export_media, tmp_path
):
    data = small_project()
    data["export"] = {"schema": "ExportSettings.1", "segment_frames": 5}
    project = tmp_path / "p.json"
    project.write_text(
        json.dumps(data).replace('"numbered.mov"', json.dumps(str(export_media / "numbered.mov")))
    )
    out, cache = tmp_path / "out.mp4", tmp_path / "cache"
    child = render(project, out, cache)
    deadline = time.monotonic() + 60
    while len(list((cache / "segments").glob("*/*.json"))) < 3 and time.monotonic() < deadline:
        if child.poll() is not None:
            break
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert not out.exists()
    finished = len(list((cache / "segments").glob("*/*.json")))
    again = render(project, out, cache)
    stdout, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    result = json.loads(stdout)
    assert result["cache"]["segments_reused"] >= min(finished, 3)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.mp4")] == []
    fresh = render(project, tmp_path / "fresh.mp4", tmp_path / "other-cache")
    fresh.communicate(timeout=120)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (out, tmp_path / "fresh.mp4")]
    assert digest[0] == digest[1]
