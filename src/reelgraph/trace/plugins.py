"""Node spans for plugin nodes, which run through the plugin host, not the backend.

Plugin effects, transitions and generators (``lut.apply``, ``text.title``) are evaluated
by :class:`~reelgraph.plugins.host.PluginHost` on numpy pictures, beside the backend, so
:class:`~reelgraph.trace.backend.TracedBackend` never sees them. :func:`trace_plugin_host`
wraps one host's three entry points, on that instance only, with a span named after the
node's kind (category ``node``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from reelgraph.trace.backend import NODE
from reelgraph.trace.tracer import Tracer

__all__ = ["trace_plugin_host"]

_ENTRY_POINTS = ("run_effect", "run_transition", "run_generator")
_MARK = "_reelgraph_traced"


def trace_plugin_host(host: Any, tracer: Tracer) -> None:
    """Trace ``host``'s plugin calls into ``tracer`` (once; later calls do nothing)."""
    if getattr(host, _MARK, False):
        return
    for name in _ENTRY_POINTS:
        original = getattr(host, name, None)
        if callable(original):
            # An instance attribute shadows the method for this host only; the class and
            # every other engine's host stay untraced.
            setattr(host, name, _traced(original, tracer))
    setattr(host, _MARK, True)


def _traced(call: Callable[..., Any], tracer: Tracer) -> Callable[..., Any]:
    @functools.wraps(call)
    def traced(kind: str, *args: Any, **kwargs: Any) -> Any:
        with tracer.span(kind, NODE):
            return call(kind, *args, **kwargs)

    return traced
