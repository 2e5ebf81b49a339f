"""Tracing and render metrics: Chrome trace-event JSON and the ``--metrics`` report.

Off unless asked for: a render gets a :class:`Tracer` only with ``--trace`` or
``--metrics``; code that traces takes its untraced path when there is none.
"""

from __future__ import annotations

from reelgraph.trace.backend import TracedBackend
from reelgraph.trace.chrome import chrome_trace_document, validate_chrome_trace, write_chrome_trace
from reelgraph.trace.instruments import Instruments
from reelgraph.trace.report import RenderReport, TimedName
from reelgraph.trace.sink import TracedSink, traced_sink
from reelgraph.trace.tracer import NULL_TRACER, NullTracer, Span, SpanStats, Tracer

__all__ = [
    "NULL_TRACER",
    "Instruments",
    "NullTracer",
    "RenderReport",
    "Span",
    "SpanStats",
    "TimedName",
    "TracedBackend",
    "TracedSink",
    "Tracer",
    "chrome_trace_document",
    "traced_sink",
    "validate_chrome_trace",
    "write_chrome_trace",
]
