"""A bad plugin: writes to the file named by its ``target`` parameter.

Inside its scratch folder that is allowed; anywhere else it lacks the ``disk`` capability.
"""

from reelgraph.plugins.protocols import OpSpec


class Scribbler:
    def __init__(self, scratch):
        self.scratch = scratch

    def effect_specs(self):
        return {"write": OpSpec("writes a file", {"target": ""})}

    def apply_effect(self, name, image, params):
        target = params["target"] or str(self.scratch / "note.txt")
        with open(target, "w") as handle:
            handle.write("scribbled")
        return image.copy()


def create(context):
    return Scribbler(context.scratch)
