"""Build progress notes: written next to the proxies, read by any process, gone with the build."""

from __future__ import annotations

import os
import subprocess
import sys

from reelgraph.cli.main import main as reelgraph
from reelgraph.proxies import ProxyLevel
from reelgraph.proxies.build import ProxyBuild
from reelgraph.proxies.progress import BuildProgress, read_progress, write_progress

from .conftest import FRAMES


def test_a_live_builds_note_is_read_back(tmp_path):
    note = BuildProgress(os.getpid(), ("half", "quarter"), 8, 24)
    write_progress(tmp_path, note)
    assert read_progress(tmp_path) == note
    assert note.describe() == "building half, quarter: 8/24 frames"


def test_the_note_of_a_process_that_is_gone_is_ignored(tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    write_progress(tmp_path, BuildProgress(int(gone.stdout), ("full",), 3, None))
    assert read_progress(tmp_path) is None
    assert read_progress(tmp_path / "missing") is None


def test_a_build_keeps_its_note_while_it_runs_and_removes_it_at_the_end(
    media_cache, numbered_source
):
    fingerprint = media_cache.index.identify(numbered_source)
    build = ProxyBuild(media_cache.proxies, numbered_source, fingerprint, (ProxyLevel.HALF,))
    folder = media_cache.proxies.folder(fingerprint)
    seen = []
    while build.step():
        note = read_progress(folder)
        seen.append(None if note is None else note.frames_done)
    assert seen[:9] == [0] * 7 + [8, 8]  # written at the start and every eight frames
    assert (note.levels, note.frames_total) == (("half",), FRAMES)
    assert read_progress(folder) is None
    assert [p.name for p in folder.iterdir()] == ["half.rgproxy"]


def test_proxies_list_shows_a_build_in_progress(project_dir, media_cache, capsys):
    fingerprint = media_cache.index.identify(project_dir / "clip.mp4")
    media_cache.save()
    note = BuildProgress(os.getpid(), ("full", "half"), 16, FRAMES)
    write_progress(media_cache.proxies.folder(fingerprint), note)
    args = ["proxies", str(project_dir / "p.json"), "list", "--cache-dir", str(media_cache.root)]
    assert reelgraph(args) == 0
    assert (
        f"clip.mp4 [building full, half: 16/{FRAMES} frames]: no proxies" in capsys.readouterr().out
    )
