"""A scripted editing session for the crash torture test; it runs until it is killed.

    python crash_child.py PROJECT SEED

It opens the project through recovery (replaying what the log holds), then edits forever:
each edit is appended to the log and, once ``append`` returned (acknowledged), printed as
``ack SEQ N``. It snapshots when due and saves at random, so kills land in appends,
snapshots, saves and recoveries alike. The document counts the edits applied to it in
``metadata.count``; an edit that does not follow the count exits with status 3.
"""

from __future__ import annotations

import random
import sys
from typing import Any

from reelgraph.project.recovery import recover
from reelgraph.project.store import ProjectStore


def apply(document: dict[str, Any], edit: dict[str, Any]) -> dict[str, Any]:
    """The edit of this session: count one more, in order."""
    count = document["metadata"]["count"]
    if edit["n"] != count + 1:
        print(f"gap: the document counts {count}, the edit is {edit['n']}", flush=True)
        sys.exit(3)
    return {**document, "metadata": {**document["metadata"], "count": count + 1}}


def main() -> None:
    path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    store = ProjectStore(path, snapshot_every=rng.randint(2, 9), keep_snapshots=3)
    recovery = recover(store)
    document = recovery.data
    for logged in recovery.edits:
        document = apply(document, logged.data)
    if recovery.changed:
        store.save(document)
    number = document["metadata"]["count"]
    while True:
        number += 1
        edit = {"kind": "count", "n": number, "pad": "x" * rng.randint(0, 3000)}
        seq = store.append(edit)
        document = apply(document, edit)
        print(f"ack {seq} {number}", flush=True)
        if store.snapshot_due:
            store.snapshot(document)
        if rng.random() < 0.25:
            store.save(document)


if __name__ == "__main__":
    main()
