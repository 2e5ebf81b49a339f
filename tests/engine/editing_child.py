"""Child process for the crash test: applies trims, printing each acknowledged edit."""

import sys

from reelgraph.engine.editing import open_for_editing
from reelgraph.timeline.edits import edit_from_data

session = open_for_editing(sys.argv[1], autosave_interval=1e9)
for step in range(1000):
    session.engine.apply(edit_from_data({"kind": "trim", "clip": "a", "side": "end", "delta": 1}))
    print(f"ack {step + 1}", flush=True)
