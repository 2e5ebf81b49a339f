"""A bad plugin: claims ``transition`` but implements only ``effect``."""

from reelgraph.plugins.protocols import OpSpec


class Liar:
    def effect_specs(self):
        return {"noop": OpSpec("passes the picture through", {})}

    def apply_effect(self, name, image, params):
        return image.copy()


def create(context):
    return Liar()
