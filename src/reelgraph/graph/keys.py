"""Content keys of render-graph nodes: what a node computes, not where or when.

``key(node) = sha256(code version, node kind, parameters evaluated at the frame, keys of
its inputs)``; a source node's key names the source's identity (path, size, modification
time) and the time it shows. Two frames whose output keys are equal are the same picture,
whatever their position on the timeline, so the cache and the segment store can reuse
work across frames, edits and runs. Parameters are written canonically (floats by
``repr``, Fractions exactly, enums by value), never by ``hash()``, which varies per run.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from reelgraph.graph.nodes import Node, SourceNode
from reelgraph.graph.render_graph import RenderGraph
from reelgraph.timeline.components import ImageSequenceSource, MediaSource

__all__ = ["CODE_VERSION", "SourceIdentity", "canonical", "graph_keys"]

#: Bump when any node's pixels change for the same parameters (a new resampler, say).
CODE_VERSION = "reelgraph-0.1.0/nodes-1"

#: Returns a string that changes whenever the source's content may have changed.
SourceIdentity = Callable[[MediaSource | ImageSequenceSource], str]


def canonical(value: Any) -> str:
    """A stable text form of a parameter value."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bool, int, str)) or value is None:
        return repr(value)
    if isinstance(value, Fraction):
        return f"F({value.numerator}/{value.denominator})"
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.value}"
    if isinstance(value, (tuple, list)):
        return "(" + ",".join(canonical(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{canonical(v)}" for k, v in sorted(value.items())) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ",".join(
            f"{f.name}={canonical(getattr(value, f.name))}" for f in dataclasses.fields(value)
        )
        return f"{type(value).__name__}({fields})"
    raise TypeError(f"no canonical form for {type(value).__name__}")


def _node_text(node: Node, identity: SourceIdentity) -> str:
    if isinstance(node, SourceNode):
        proxy = f",proxy={node.proxy}/{node.scale}" if node.proxy else ""
        return f"SourceNode({identity(node.source)},{canonical(node.seconds)}{proxy})"
    return canonical(node)


def graph_keys(graph: RenderGraph, identity: SourceIdentity) -> list[str]:
    """The key of every node of ``graph``, in node order."""
    keys: list[str] = []
    for node, inputs in zip(graph.nodes, graph.inputs, strict=True):
        digest = hashlib.sha256(CODE_VERSION.encode())
        digest.update(_node_text(node, identity).encode())
        for index in inputs:
            digest.update(keys[index].encode())
        keys.append(digest.hexdigest())
    return keys
