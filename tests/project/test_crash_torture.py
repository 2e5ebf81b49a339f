"""Crash torture: a session killed with SIGKILL at random points loses no acknowledged edit.

Each series edits one project through :mod:`crash_child` again and again; every run is
killed at a random moment (after a random number of acknowledgements, plus a random
delay, so kills land inside appends, snapshots, atomic saves and recoveries). After each
kill the project must open through recovery and hold every edit that was acknowledged,
in order, with no gap and no repeat; the project file and its backup must be complete,
loadable files. 20 kills in a normal run, 200 with ``REELGRAPH_FULL_TESTS=1``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reelgraph.project.load import load_project
from reelgraph.project.recovery import recover
from reelgraph.project.store import ProjectStore, backup_path
from reelgraph.testing import clip, color, project, track

from .crash_child import apply

CHILD = Path(__file__).with_name("crash_child.py")
FULL = os.environ.get("REELGRAPH_FULL_TESTS") == "1"
SERIES = 4
KILLS_PER_SERIES = 50 if FULL else 5


def _kill_once(path: Path, rng: random.Random) -> list[tuple[int, int]]:
    """Run the session once, kill it with SIGKILL; returns the acknowledged (seq, n)."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(path), str(rng.randrange(2**32))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    acks: list[tuple[int, int]] = []
    target = rng.randint(0, 40)
    try:
        while len(acks) < target:
            line = child.stdout.readline()
            if not line:
                break
            if line.startswith("ack "):
                _, seq, number = line.split()
                acks.append((int(seq), int(number)))
        time.sleep(rng.uniform(0, 0.02))
    finally:
        child.send_signal(signal.SIGKILL)
        rest, errors = child.communicate(timeout=60)
    for line in rest.splitlines():
        if line.startswith("ack "):
            _, seq, number = line.split()
            acks.append((int(seq), int(number)))
    assert child.returncode == -signal.SIGKILL, f"the session ended by itself: {rest}{errors}"
    return acks


def _check(path: Path, acknowledged: list[tuple[int, int]]) -> int:
    """Open the project after a kill; every acknowledged edit must be there, in order."""
    load_project(path)  # the project file is whole and valid at every instant
    if backup_path(path).exists():
        json.loads(backup_path(path).read_text())
    with ProjectStore(path) as store:
        recovery = recover(store)
        logged = {edit.seq for edit in store.edits_after(0)}
    document = recovery.data
    for edit in recovery.edits:
        document = apply(document, edit.data)  # exits on a gap or a repeat
    count: int = document["metadata"]["count"]
    assert {seq for seq, _ in acknowledged} <= logged
    if acknowledged:
        assert count >= max(number for _, number in acknowledged)
    return count


def _series(folder: Path, seed: int) -> int:
    rng = random.Random(seed)
    path = folder / f"series-{seed}.json"
    data = project([track("V1", "video", [clip("a", 0, 10, color("#ff0000"))])])
    data["metadata"] = {"count": 0}
    path.write_text(json.dumps(data))
    acknowledged: list[tuple[int, int]] = []
    count = 0
    for _ in range(KILLS_PER_SERIES):
        acknowledged += _kill_once(path, rng)
        recovered = _check(path, acknowledged)
        assert recovered >= count, "an edit recovered before was lost by a later crash"
        count = recovered
    return count


@pytest.mark.slow
def test_a_session_killed_at_random_points_keeps_every_acknowledged_edit(tmp_path):
    with ThreadPoolExecutor(SERIES) as pool:
        counts = list(pool.map(lambda seed: _series(tmp_path, seed), range(SERIES)))
    assert all(count > 0 for count in counts)
