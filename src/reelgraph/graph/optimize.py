"""Rewrite a frame's render graph into less work with the very same pixels.

Four passes, in one walk over the nodes in evaluation order:

* **identity nodes skipped**: opacity 1, effects at their identity values, a transition at
  its ends, an identity transform of a full solid, a blend of a fully transparent solid —
  each passes its input through
  (these are exact: the backend would return the same floats);
* **constant subgraphs folded**: a per-pixel node whose inputs are all full solids becomes
  one solid, computed on a single pixel by the reference CPU backend (elementwise float32
  math gives the same value for one pixel as for every pixel of the frame);
* **opacity absorbed by a blend**: a blend at opacity 1 whose layer is an opacity node
  ``0 < f < 1`` blends the opacity's input at opacity ``f`` instead (the blend scales the
  layer by the same float32 factor first, so one full-frame pass goes away, exactly);
* **per-pixel chains fused**: runs of single-input per-pixel nodes (effects, opacity) that
  nothing else reads become one :class:`FusedNode`, which a backend may evaluate in one
  pass (the CPU backend runs the steps in order).

Nodes that the output no longer needs are dropped. :class:`OptimizeReport` says what
happened, for graph dumps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from reelgraph.graph.nodes import (
    BlendNode,
    DissolveNode,
    EffectOpNode,
    FusedNode,
    Node,
    OpacityNode,
    PluginEffectNode,
    SolidNode,
    SourceNode,
    TransformNode,
    WipeNode,
)
from reelgraph.graph.render_graph import RenderGraph
from reelgraph.render.backend import BlendMode
from reelgraph.render.effects import EFFECTS

__all__ = ["OptimizeReport", "optimize"]

#: Effects whose output pixel depends on other pixels (never folded or fused).
SPATIAL_EFFECTS = frozenset({"gaussian_blur"})


@dataclass
class OptimizeReport:
    """Counts of what :func:`optimize` did, and the original node count."""

    original: int = 0
    skipped: int = 0
    folded: int = 0
    absorbed: int = 0
    fused: int = 0
    dropped: int = 0
    notes: list[str] = field(default_factory=list)


def _is_identity(node: Node, inputs: list[Node]) -> int | None:
    """The input index the node passes through unchanged, or None."""
    if isinstance(node, OpacityNode) and node.factor == 1.0:
        return 0
    if isinstance(node, EffectOpNode) and node.kind in EFFECTS and node.kind != "invert":
        defaults = EFFECTS[node.kind].defaults
        if all(defaults.get(name) == value for name, value in node.params):
            return 0
    if isinstance(node, (DissolveNode, WipeNode)) and node.progress in (0.0, 1.0):
        return 0 if node.progress == 0.0 else 1
    if isinstance(node, TransformNode) and isinstance(inputs[0], SolidNode):
        solid = inputs[0]
        same_size = (solid.width, solid.height) == (node.width, node.height)
        if same_size and node.affine.is_identity and not any(node.crop):
            return 0
    if isinstance(node, BlendNode) and isinstance(inputs[1], SolidNode):
        if inputs[1].rgba[3] == 0.0 and not any(inputs[1].rgba[:3]):
            return 0
    return None


def _covers_opaquely(node: Node, layer: int, graph: RenderGraph) -> bool:
    """A normal blend whose layer is an opaque source picture covering the canvas, unmoved
    (colour effects between them keep it opaque).

    ``layer + base * (1 - 1)`` is exactly ``layer`` for a finite base, so the base (often
    the background solid and everything below) need not be computed at all.
    """
    if not (isinstance(node, BlendNode) and node.mode is BlendMode.NORMAL and node.opacity == 1.0):
        return False
    transform = graph.nodes[layer]
    if not isinstance(transform, TransformNode) or any(transform.crop):
        return False
    if not transform.affine.is_identity:
        return False
    below = graph.inputs[layer][0]
    while _keeps_alpha(graph.nodes[below]):
        below = graph.inputs[below][0]
    source = graph.nodes[below]
    return isinstance(source, SourceNode) and source.opaque_size == (
        transform.width,
        transform.height,
    )


def _keeps_alpha(node: Node) -> bool:
    """A one-input node whose output alpha is its input's: colour effects (all of them
    scale colour only), fused chains of them, plugin effects that declare it."""
    if isinstance(node, EffectOpNode):
        return node.kind in EFFECTS and node.kind not in SPATIAL_EFFECTS
    if isinstance(node, FusedNode):
        return all(_keeps_alpha(step) for step in node.steps)
    return isinstance(node, PluginEffectNode) and node.keeps_alpha


def _absorb_opacity(
    node: Node, inputs: list[int], graph: RenderGraph
) -> tuple[BlendNode, list[int]] | None:
    """The blend that scales the layer itself, replacing an opacity node before it."""
    if not isinstance(node, BlendNode) or node.opacity != 1.0:
        return None
    layer = graph.nodes[inputs[1]]
    if not (isinstance(layer, OpacityNode) and 0.0 < layer.factor < 1.0):
        return None
    return BlendNode(node.mode, layer.factor), [inputs[0], graph.inputs[inputs[1]][0]]


def _per_pixel(node: Node) -> bool:
    if isinstance(node, EffectOpNode):
        return node.kind in EFFECTS and node.kind not in SPATIAL_EFFECTS
    return isinstance(node, (OpacityNode, BlendNode, DissolveNode))


def _fold(node: Node, inputs: list[SolidNode]) -> SolidNode | None:
    from reelgraph.render.cpu import CpuBackend  # the reference backend folds constants

    sizes = {(i.width, i.height) for i in inputs}
    if len(sizes) != 1 or not _per_pixel(node):
        return None
    backend = CpuBackend()
    pixels = [backend.solid(1, 1, i.rgba) for i in inputs]
    graph = RenderGraph()
    indices = [graph.add(SolidNode(1, 1, i.rgba)) for i in inputs]
    graph.output = graph.add(node, *indices)
    value = backend.to_array(graph.evaluate(backend, lambda *_: None))[0, 0]
    del pixels
    width, height = sizes.pop()
    r, g, b, a = (float(np.float32(v)) for v in value)
    return SolidNode(width, height, (r, g, b, a))


def optimize(graph: RenderGraph) -> tuple[RenderGraph, OptimizeReport]:
    """An equivalent graph with identity nodes skipped, constants folded, chains fused."""
    report = OptimizeReport(original=len(graph.nodes))
    out = RenderGraph(frame=graph.frame)
    mapping: list[int] = []
    for node, inputs in zip(graph.nodes, graph.inputs, strict=True):
        new_inputs = [mapping[i] for i in inputs]
        input_nodes = [out.nodes[i] for i in new_inputs]
        through = _is_identity(node, input_nodes) if new_inputs else None
        if through is None and new_inputs and _covers_opaquely(node, new_inputs[-1], out):
            through = 1
            report.notes.append("an opaque full-frame layer hides what lies below it")
        if through is not None:
            mapping.append(new_inputs[through])
            report.skipped += 1
            continue
        absorbed = _absorb_opacity(node, new_inputs, out)
        if absorbed is not None:
            node, new_inputs = absorbed
            input_nodes = [out.nodes[i] for i in new_inputs]
            report.absorbed += 1
        if new_inputs and all(isinstance(n, SolidNode) for n in input_nodes):
            folded = _fold(node, input_nodes)  # type: ignore[arg-type]
            if folded is not None:
                mapping.append(out.add(folded))
                report.folded += 1
                continue
        mapping.append(out.add(node, *new_inputs))
    out.output = mapping[graph.output]
    fused = _fuse(out, report)
    return _prune(fused, report), report


def _fusable(node: Node) -> bool:
    return isinstance(node, OpacityNode) or (
        isinstance(node, EffectOpNode) and node.kind in EFFECTS and node.kind not in SPATIAL_EFFECTS
    )


def _fuse(graph: RenderGraph, report: OptimizeReport) -> RenderGraph:
    readers = [0] * len(graph.nodes)
    for inputs in graph.inputs:
        for i in inputs:
            readers[i] += 1
    out = RenderGraph(frame=graph.frame)
    mapping: list[int] = []
    chains: dict[int, tuple[int, tuple[Node, ...]]] = {}
    for index, (node, inputs) in enumerate(zip(graph.nodes, graph.inputs, strict=True)):
        if _fusable(node) and len(inputs) == 1:
            source, steps = chains.get(inputs[0], (mapping[inputs[0]], ()))
            if inputs[0] in chains:
                report.fused += 1
            steps = (*steps, node)
            if readers[index] == 1 and index != graph.output:
                chains[index] = (source, steps)
                mapping.append(-1)
                continue
            mapping.append(_emit(out, source, steps))
            continue
        mapping.append(out.add(node, *(_resolve(out, mapping, chains, i) for i in inputs)))
    out.output = _resolve(out, mapping, chains, graph.output)
    return out


def _emit(out: RenderGraph, source: int, steps: tuple[Node, ...]) -> int:
    node = steps[0] if len(steps) == 1 else FusedNode(steps)
    return out.add(node, source)


def _resolve(
    out: RenderGraph,
    mapping: list[int],
    chains: dict[int, tuple[int, tuple[Node, ...]]],
    index: int,
) -> int:
    if mapping[index] >= 0:
        return mapping[index]
    source, steps = chains[index]
    mapping[index] = _emit(out, source, steps)
    return mapping[index]


def _prune(graph: RenderGraph, report: OptimizeReport) -> RenderGraph:
    needed = {graph.output}
    for index in range(len(graph.nodes) - 1, -1, -1):
        if index in needed:
            needed.update(graph.inputs[index])
    out = RenderGraph(frame=graph.frame)
    mapping: dict[int, int] = {}
    for index, (node, inputs) in enumerate(zip(graph.nodes, graph.inputs, strict=True)):
        if index in needed:
            mapping[index] = out.add(node, *(mapping[i] for i in inputs))
    out.output = mapping[graph.output]
    report.dropped = len(graph.nodes) - len(out.nodes)
    return out
