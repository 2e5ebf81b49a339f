"""A bad plugin: never returns from ``apply_effect``."""

import time

from reelgraph.plugins.protocols import OpSpec


class Hang:
    def effect_specs(self):
        return {"forever": OpSpec("never finishes", {})}

    def apply_effect(self, name, image, params):
        while True:
            time.sleep(60)


def create(context):
    return Hang()
