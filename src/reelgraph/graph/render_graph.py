"""The render graph of one frame: nodes in evaluation order, shared where equal.

:class:`RenderGraph` is a World resource refreshed at GraphEval for the playhead's frame
and evaluated at Composite. Adding a node equal to one already present (same node, same
inputs) returns the existing index, so repeated work (the same source under two layers,
a nested sequence used twice) is computed once. Nodes are appended after their inputs,
so index order is a valid evaluation order.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from reelgraph.errors import PluginNotFoundError
from reelgraph.graph.nodes import (
    BlendNode,
    DissolveNode,
    EffectOpNode,
    FusedNode,
    GeneratorNode,
    Node,
    OpacityNode,
    PluginEffectNode,
    SolidNode,
    SourceNode,
    TransformNode,
    WipeNode,
)
from reelgraph.render.backend import Backend
from reelgraph.timeline.components import ImageSequenceSource, MediaSource

if TYPE_CHECKING:
    from reelgraph.graph.watchdog import Watchdog

__all__ = ["FetchSource", "PluginEvaluator", "RenderGraph"]

#: Returns the working-format picture ``(H, W, 4)`` of a source at a time.
FetchSource = Callable[[MediaSource | ImageSequenceSource, Fraction], Any]


class PluginEvaluator(Protocol):
    """Runs plugin nodes on numpy pictures (the engine's ``plugins.host.PluginHost``)."""

    def run_effect(
        self, kind: str, image: Any, params: Mapping[str, Any], *, frame: int = -1
    ) -> Any:
        """The ``(H, W, 4)`` float32 result of a plugin effect on ``image``."""
        ...

    def run_generator(
        self, kind: str, width: int, height: int, params: Mapping[str, Any], *, frame: int = -1
    ) -> Any:
        """A ``(height, width, 4)`` float32 picture from a plugin generator."""
        ...


@dataclass
class RenderGraph:
    """Nodes with their input indices; ``output`` is the index of the final picture."""

    nodes: list[Node] = field(default_factory=list)
    inputs: list[tuple[int, ...]] = field(default_factory=list)
    output: int = -1
    frame: int = -1
    keys: list[str] = field(default_factory=list)
    _index: dict[tuple[Node, tuple[int, ...]], int] = field(default_factory=dict, repr=False)

    def add(self, node: Node, *inputs: int) -> int:
        """Append ``node`` fed by ``inputs`` (or find its equal); returns its index."""
        key = (node, inputs)
        found = self._index.get(key)
        if found is not None:
            return found
        self.nodes.append(node)
        self.inputs.append(inputs)
        self._index[key] = len(self.nodes) - 1
        return len(self.nodes) - 1

    def sources(self) -> list[SourceNode]:
        """The source pictures the graph needs, in node order."""
        return [n for n in self.nodes if isinstance(n, SourceNode)]

    def evaluate(
        self,
        backend: Backend,
        fetch: FetchSource,
        plugins: PluginEvaluator | None = None,
        watchdog: Watchdog | None = None,
    ) -> Any:
        """Compute every node in order with ``backend``; returns the output image handle.

        Plugin nodes run on the CPU through ``plugins``, the picture passed as numpy.
        With a ``watchdog``, each node runs under its time limit and checks, and a failing
        node is replaced as its policy says (:mod:`reelgraph.graph.watchdog`).
        """
        # A value is dropped once its last consumer has run, so only the pictures still
        # to be read stay alive (each is a full-canvas image: 33 MB in float32 at 1080p);
        # the backend may reuse its buffer for a later node (if nothing else holds it).
        last_use = {i: index for index, inputs in enumerate(self.inputs) for i in inputs}
        recycle = getattr(backend, "recycle", None)
        values: list[Any] = []
        for index, (node, inputs) in enumerate(zip(self.nodes, self.inputs, strict=True)):
            args = [values[i] for i in inputs]
            if watchdog is None:
                values.append(_run(node, args, backend, fetch, plugins, self.frame))
            else:
                run = functools.partial(_run, node, args, backend, fetch, plugins, self.frame)
                values.append(watchdog.run_node(index, node, args, run, backend, self.frame))
                del run
            del args
            for i in inputs:
                if last_use[i] == index and i != self.output:
                    dropped, values[i] = values[i], None
                    if recycle is not None and dropped is not None:
                        recycle(dropped)
                    del dropped
        return values[self.output]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (for dumps and debugging)."""
        return {
            "frame": self.frame,
            "output": self.output,
            "nodes": [
                {"id": i, "kind": type(n).__name__, "params": _describe(n), "inputs": list(inp)}
                for i, (n, inp) in enumerate(zip(self.nodes, self.inputs, strict=True))
            ],
        }


def _describe(node: Node) -> dict[str, Any]:
    fields = getattr(node, "__dataclass_fields__", {})
    return {name: str(getattr(node, name)) for name in fields}


def _run(
    node: Node,
    args: list[Any],
    backend: Backend,
    fetch: FetchSource,
    plugins: PluginEvaluator | None = None,
    frame: int = -1,
) -> Any:
    if isinstance(node, (PluginEffectNode, GeneratorNode)):
        return _run_plugin(node, args, backend, plugins, frame)
    if isinstance(node, SourceNode):
        if node.proxy:
            return backend.from_array(fetch(node.source, node.seconds, node.proxy))  # type: ignore[call-arg]
        return backend.from_array(fetch(node.source, node.seconds))
    if isinstance(node, SolidNode):
        return backend.solid(node.width, node.height, node.rgba)
    if isinstance(node, EffectOpNode):
        return backend.apply_effect(args[0], node.kind, dict(node.params))
    if isinstance(node, TransformNode):
        return backend.transform(args[0], node.affine, node.width, node.height, crop=node.crop)
    if isinstance(node, OpacityNode):
        return backend.opacity(args[0], node.factor)
    if isinstance(node, DissolveNode):
        return backend.dissolve(args[0], args[1], node.progress)
    if isinstance(node, WipeNode):
        return backend.wipe(args[0], args[1], node.progress, node.direction, node.softness)
    if isinstance(node, BlendNode):
        return backend.blend(args[0], args[1], node.mode, node.opacity)
    if isinstance(node, FusedNode):
        fused = getattr(backend, "apply_fused", None)
        if fused is not None:
            return fused(args[0], node.steps)
        image = args[0]
        for step in node.steps:
            image = _run(step, [image], backend, fetch)
        return image
    raise TypeError(f"no evaluation for node {type(node).__name__}")


def _run_plugin(
    node: PluginEffectNode | GeneratorNode,
    args: list[Any],
    backend: Backend,
    plugins: PluginEvaluator | None,
    frame: int,
) -> Any:
    if plugins is None:
        raise PluginNotFoundError(
            f"the frame uses the plugin node {node.kind!r} but no plugins are loaded",
            kind=node.kind,
        )
    params = dict(node.params)
    if isinstance(node, GeneratorNode):
        picture = plugins.run_generator(node.kind, node.width, node.height, params, frame=frame)
    else:
        picture = plugins.run_effect(node.kind, backend.to_array(args[0]), params, frame=frame)
    if _held_only_here(picture):
        # Nobody else can write it: read-only, the backend takes it without a copy.
        picture.flags.writeable = False
    return backend.from_array(picture)


def _held_only_here(picture: Any) -> bool:
    """Whether the caller's variable is the one reference to a plugin's fresh result.

    A plugin that keeps its output (to reuse or change it later) holds a reference too,
    and then the engine copies the picture rather than share it.
    """
    if not isinstance(picture, np.ndarray) or not picture.flags.writeable:
        return False
    # References: the caller's variable, this parameter, getrefcount's argument.
    if sys.getrefcount(picture) > 3:
        return False
    owner = picture.base
    # A reshaped view of a fresh array: the view alone may refer to that array (besides
    # ``owner`` here and getrefcount's argument).
    return owner is None or (
        isinstance(owner, np.ndarray) and owner.base is None and sys.getrefcount(owner) <= 3
    )
