"""A bad plugin: ``apply_effect(image, name, params)`` instead of ``(name, image, params)``."""

from reelgraph.plugins.protocols import OpSpec


class WrongSignature:
    def effect_specs(self):
        return {"noop": OpSpec("passes the picture through", {})}

    def apply_effect(self, image, name, params):
        return image.copy()


def create(context):
    return WrongSignature()
