"""Render graphs as DOT (Graphviz) and JSON, with each node's cache status."""

from __future__ import annotations

from typing import Any

from reelgraph.graph.optimize import OptimizeReport
from reelgraph.graph.render_graph import RenderGraph

__all__ = ["graph_to_dot", "graph_to_json"]


def graph_to_json(
    graph: RenderGraph, statuses: list[str], report: OptimizeReport | None = None
) -> dict[str, Any]:
    """The graph's nodes, inputs, keys and cache statuses as JSON-ready data."""
    data = graph.to_dict()
    for node, status in zip(data["nodes"], statuses, strict=True):
        node["cache"] = status
        if graph.keys:
            node["key"] = graph.keys[node["id"]]
    if report is not None:
        data["optimised"] = {
            "original_nodes": report.original,
            "skipped": report.skipped,
            "folded": report.folded,
            "absorbed": report.absorbed,
            "fused": report.fused,
            "dropped": report.dropped,
        }
    return data


_COLORS = {"hit": "palegreen", "miss": "lightsalmon", "compute": "lightyellow"}


def graph_to_dot(graph: RenderGraph, statuses: list[str]) -> str:
    """A Graphviz digraph: one box per node (kind, short key, status), edges input → node."""
    lines = [
        f'digraph "frame {graph.frame}" {{',
        "  rankdir=LR;",
        "  node [shape=box, style=filled];",
    ]
    for index, node in enumerate(graph.nodes):
        key = graph.keys[index][:10] if graph.keys else ""
        label = f"{index}: {type(node).__name__}\\n{key}\\n{statuses[index]}"
        fill = _COLORS.get(statuses[index].split()[0], "white")
        peripheries = 2 if index == graph.output else 1
        lines.append(f'  n{index} [label="{label}", fillcolor={fill}, peripheries={peripheries}];')
    for index, inputs in enumerate(graph.inputs):
        for slot, source in enumerate(inputs):
            lines.append(f'  n{source} -> n{index} [label="{slot}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
