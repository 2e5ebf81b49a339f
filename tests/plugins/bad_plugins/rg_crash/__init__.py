"""A bad plugin: the first call kills the worker process; later calls invert the picture.

It remembers the crash with a marker file in its scratch folder (writes there are allowed).
"""

import os
import signal

from reelgraph.plugins.protocols import OpSpec


class Crash:
    def __init__(self, scratch):
        self.marker = scratch / "crashed-once"

    def effect_specs(self):
        return {"once": OpSpec("crashes once, then inverts", {})}

    def apply_effect(self, name, image, params):
        if not self.marker.exists():
            self.marker.write_text("yes")
            os.kill(os.getpid(), signal.SIGSEGV)
        out = image.copy()
        out[..., :3] = image[..., 3:4] - image[..., :3]
        return out


def create(context):
    return Crash(context.scratch)
