"""A bad plugin: connects to ``127.0.0.1:port`` without the ``network`` capability."""

import socket

from reelgraph.plugins.protocols import OpSpec


class NetGrab:
    def effect_specs(self):
        return {"phone_home": OpSpec("sends the frame size home", {"port": 0.0})}

    def apply_effect(self, name, image, params):
        with socket.create_connection(("127.0.0.1", int(params["port"])), timeout=2) as sock:
            sock.sendall(b"%d" % image.size)
        return image.copy()


def create(context):
    return NetGrab()
