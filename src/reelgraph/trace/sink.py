"""A frame-sink wrapper that records encode spans (category ``encode``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from reelgraph.trace.tracer import Tracer

if TYPE_CHECKING:
    from reelgraph.engine.sinks import FrameSink

__all__ = ["ENCODE", "TracedSink", "traced_sink"]

#: The trace category of encode spans.
ENCODE = "encode"


class TracedSink:
    """``sink`` with a span around every ``write`` and ``close``.

    Args:
        sink: The sink doing the work.
        tracer: Where the spans go.
        name: The span name of a write (``"encode"``, ``"png"``).
    """

    def __init__(self, sink: FrameSink, tracer: Tracer, name: str = "encode") -> None:
        self.inner = sink
        self.tracer = tracer
        self.name = name

    def write(self, index: int, pixels: np.ndarray, audio: np.ndarray | None) -> None:
        """Hand one frame to the sink, timed."""
        with self.tracer.span(self.name, ENCODE, frame=index):
            self.inner.write(index, pixels, audio)

    def close(self) -> None:
        """Flush the sink, timed (an encoder's last frames come out here)."""
        with self.tracer.span(f"{self.name} flush", ENCODE):
            self.inner.close()

    def abort(self) -> None:
        """Give up (not timed)."""
        self.inner.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def traced_sink(sink: FrameSink, tracer: Tracer | None, name: str = "encode") -> FrameSink:
    """``sink`` wrapped in a :class:`TracedSink` when tracing is on, else ``sink`` itself."""
    if tracer is None or not tracer.enabled:
        return sink
    return TracedSink(sink, tracer, name)
