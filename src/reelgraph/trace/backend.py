"""A render backend wrapper that records one span per render-graph node.

Every node of a render graph is evaluated by exactly one backend call, so wrapping the
backend traces each node without touching the graph: ``source`` (a decoded picture
entering the backend), ``solid``, ``transform``, ``opacity``, ``dissolve``, ``wipe``,
``blend:<mode>``, ``effect:<kind>``, and ``to_array`` (reading the result back).
Calls the wrapper does not know (a plugin's extra methods) pass through, traced under
their method name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reelgraph.render.backend import Affine, Backend, BlendMode, WipeDirection
from reelgraph.trace.tracer import Tracer

__all__ = ["NODE", "TracedBackend"]

#: The trace category of node spans.
NODE = "node"


class TracedBackend:
    """``backend`` with a span (category :data:`NODE`) around every pixel operation.

    Args:
        backend: The backend doing the work; its images pass through untouched.
        tracer: Where the spans go.
    """

    def __init__(self, backend: Backend[Any], tracer: Tracer) -> None:
        self.inner = backend
        self.tracer = tracer
        self.name = backend.name

    def from_array(self, rgba: Any) -> Any:
        """See :meth:`Backend.from_array` (span ``source``)."""
        with self.tracer.span("source", NODE):
            return self.inner.from_array(rgba)

    def to_array(self, image: Any) -> Any:
        """See :meth:`Backend.to_array` (span ``to_array``)."""
        with self.tracer.span("to_array", NODE):
            return self.inner.to_array(image)

    def size(self, image: Any) -> tuple[int, int]:
        """See :meth:`Backend.size` (not traced: no pixel work)."""
        return self.inner.size(image)

    def solid(self, width: int, height: int, rgba: tuple[float, float, float, float]) -> Any:
        """See :meth:`Backend.solid`."""
        with self.tracer.span("solid", NODE):
            return self.inner.solid(width, height, rgba)

    def transform(
        self,
        image: Any,
        affine: Affine,
        width: int,
        height: int,
        *,
        crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0),
    ) -> Any:
        """See :meth:`Backend.transform`."""
        with self.tracer.span("transform", NODE):
            return self.inner.transform(image, affine, width, height, crop=crop)

    def blend(self, base: Any, layer: Any, mode: BlendMode, opacity: float) -> Any:
        """See :meth:`Backend.blend` (span ``blend:<mode>``)."""
        with self.tracer.span(f"blend:{getattr(mode, 'value', mode)}", NODE):
            return self.inner.blend(base, layer, mode, opacity)

    def dissolve(self, a: Any, b: Any, t: float) -> Any:
        """See :meth:`Backend.dissolve`."""
        with self.tracer.span("dissolve", NODE):
            return self.inner.dissolve(a, b, t)

    def wipe(
        self, a: Any, b: Any, t: float, direction: WipeDirection, softness: float = 0.0
    ) -> Any:
        """See :meth:`Backend.wipe`."""
        with self.tracer.span("wipe", NODE):
            return self.inner.wipe(a, b, t, direction, softness)

    def opacity(self, image: Any, factor: float) -> Any:
        """See :meth:`Backend.opacity`."""
        with self.tracer.span("opacity", NODE):
            return self.inner.opacity(image, factor)

    def apply_effect(self, image: Any, kind: str, params: Mapping[str, float]) -> Any:
        """See :meth:`Backend.apply_effect` (span ``effect:<kind>``)."""
        with self.tracer.span(f"effect:{kind}", NODE):
            return self.inner.apply_effect(image, kind, params)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if not callable(attribute) or name.startswith("_"):
            return attribute
        tracer = self.tracer

        def traced(*args: Any, **kwargs: Any) -> Any:
            with tracer.span(name, NODE):
                return attribute(*args, **kwargs)

        return _named(traced, name)


def _named(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    fn.__name__ = name
    return fn
