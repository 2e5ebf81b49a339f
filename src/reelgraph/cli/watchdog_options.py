"""The watchdog options of the rendering commands: ``--node-timeout``, ``--operation-timeout``.

``--on-error`` (the policy) is declared with the plugin options and shared: it governs
every node, plugin or not. The limits travel as environment variables, like the plugin
settings, so every engine of a command (worker processes of a parallel export too) runs
under the same ones (:meth:`reelgraph.graph.watchdog.Watchdog.from_environment`).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager

from reelgraph.graph.watchdog import ENV_NODE_TIMEOUT, ENV_OPERATION_TIMEOUT

__all__ = ["add_watchdog_options", "watchdog_session"]


def add_watchdog_options(parser: argparse.ArgumentParser) -> None:
    """Declare the watchdog's limits on a rendering command (``frame``, ``render``)."""
    group = parser.add_argument_group("watchdog")
    group.add_argument(
        "--node-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time limit of one render-graph node; a late node is isolated as --on-error "
        "says (default: no limit)",
    )
    group.add_argument(
        "--operation-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time limit of decoding one frame's sources; a late decode stops the render "
        "(default: no limit)",
    )


@contextmanager
def watchdog_session(args: argparse.Namespace) -> Iterator[None]:
    """Run a command with its watchdog limits in the environment (restored afterwards)."""
    limits = {
        ENV_NODE_TIMEOUT: getattr(args, "node_timeout", None),
        ENV_OPERATION_TIMEOUT: getattr(args, "operation_timeout", None),
    }
    saved = {name: os.environ.get(name) for name in limits}
    try:
        for name, value in limits.items():
            if value is not None:
                os.environ[name] = repr(float(value))
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old
