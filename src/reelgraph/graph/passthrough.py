"""Frames that are one source picture shown as it is: their display pixels need no maths.

A frame whose (optimised) graph is an opaque source picture at the canvas size, unmoved
and uncropped, shows exactly that picture: the working format round-trips every 8-bit
code (``from_working(to_working(x)) == x``, see :func:`reelgraph.render.color.from_working`),
so the decoded 8-bit RGB pixels *are* the 8-bit output. The engine then skips both
conversions (a decode, pass-through, encode floor: W0, plain stretches of an edit, the
cold scrub of W3); any other output depth or source format takes the normal path.
"""

from __future__ import annotations

from reelgraph.graph.nodes import SourceNode, TransformNode
from reelgraph.graph.render_graph import RenderGraph

__all__ = ["shown_as_is"]


def shown_as_is(graph: RenderGraph, width: int, height: int) -> SourceNode | None:
    """The source node a ``width x height`` frame shows unchanged, or None.

    The output must be that source itself or reached only through transforms that map
    the picture onto itself (identity, no crop, same size), and the source must be opaque
    at exactly ``width x height`` (:attr:`SourceNode.opaque_size`).
    """
    if not graph.nodes:
        return None
    index = graph.output
    node = graph.nodes[index]
    while isinstance(node, TransformNode):
        if (
            any(node.crop)
            or not node.affine.is_identity
            or (node.width, node.height)
            != (
                width,
                height,
            )
        ):
            return None
        index = graph.inputs[index][0]
        node = graph.nodes[index]
    if isinstance(node, SourceNode) and node.opaque_size == (width, height):
        return node
    return None
