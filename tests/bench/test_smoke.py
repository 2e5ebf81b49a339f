"""The benchmark harness cannot rot: its quick mode runs every workload in seconds.

The harness runs as a child process, as people run it (``python -m bench``), with a PATH
that has no ffmpeg or melt, so the anchors are skipped and say why; nothing is installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # about 15 s: a dozen reelgraph processes


@pytest.fixture(scope="module")
def quick_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], dict]:
    work = tmp_path_factory.mktemp("bench")
    bare = work / "bin"  # a PATH without the anchors' binaries
    bare.mkdir()
    env = {**os.environ, "PATH": str(bare), "XDG_CACHE_HOME": str(work / "cache")}
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--work", str(work), "--json",
         str(work / "results.json")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    data = json.loads((work / "results.json").read_text()) if result.returncode == 0 else {}
    return result, data


def test_the_quick_harness_runs_every_workload_without_a_harness_error(quick_run):
    result, data = quick_run
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    ids = {row["id"].rstrip("*") for row in data["rows"]}
    assert {"W0", "W1", "W2", "W3", "W5", "W6"} <= ids
    assert [row for row in data["rows"] if row["measure"] == "harness error"] == []
    assert data["mode"] == "quick"
    assert "results (quick" in result.stdout


def test_the_quick_harness_measures_a_plain_reelgraph_render(quick_run):
    _, data = quick_run
    floor = next(row for row in data["rows"] if row["id"] == "W0")
    assert float(floor["values"]["reelgraph"]) > 0


def test_rows_reelgraph_cannot_run_yet_say_what_is_missing(quick_run):
    _, data = quick_run
    missing = [row for row in data["rows"] if row["values"]["reelgraph"].startswith("n/a")]
    assert missing, "proxies, the GPU backend and the distributed engine are still to come"
    assert all("missing: " in row["values"]["reelgraph"] for row in missing)


def test_absent_anchors_are_skipped_with_the_reason_printed(quick_run):
    result, data = quick_run
    assert "ffmpeg: skipped: ffmpeg not found on PATH" in result.stdout
    assert "melt: skipped: melt not found on PATH" in result.stdout
    assert data["anchors"]["moviepy"].startswith("skipped:")
    w0 = next(row for row in data["rows"] if row["id"] == "W0")
    assert w0["values"]["ffmpeg"] == "skipped"
