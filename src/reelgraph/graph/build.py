"""Build the render graph of one frame of a sequence from the timeline.

Video tracks stack bottom to top; each track contributes the clip it shows (or the two
clips of a transition). A clip's picture runs source → effects → transform onto the
canvas → fades/opacity, and is blended over what lies below it. Nested sequences expand
inline into a subgraph on a transparent canvas, so a nested timeline is exactly the same
picture as when it is rendered alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from reelgraph.graph.nodes import (
    BlendNode,
    DissolveNode,
    EffectOpNode,
    GeneratorNode,
    OpacityNode,
    PluginEffectNode,
    SolidNode,
    SourceNode,
    TransformNode,
    WipeNode,
)
from reelgraph.graph.optimize import optimize
from reelgraph.graph.render_graph import RenderGraph
from reelgraph.project.document import Format
from reelgraph.proxies.quality import ProxyLevel, proxy_size
from reelgraph.render.backend import Affine, BlendMode, WipeDirection, clip_transform
from reelgraph.render.effects import EFFECTS
from reelgraph.time import seconds_to_frame
from reelgraph.timeline.components import (
    Clip,
    ColorSource,
    GeneratorSource,
    ImageSequenceSource,
    MediaSource,
    SequenceSource,
    TrackKind,
    TransitionKind,
)
from reelgraph.timeline.index import ActiveClip, ActiveTransition, TimelineIndex
from reelgraph.timeline.keyframes import Param, Value, evaluate, evaluate_pair, evaluate_scalar

__all__ = ["GraphContext", "build_frame_graph", "video_fade"]

TRANSPARENT = (0.0, 0.0, 0.0, 0.0)
SourceSize = Callable[[MediaSource | ImageSequenceSource], tuple[int, int]]
#: ``source -> (proxy level name, scale)`` serving a source; ``("", 1)``: the original.
SourceProxy = Callable[[MediaSource | ImageSequenceSource], tuple[str, int]]
#: ``(kind, evaluated params) -> revision`` of a plugin node (the plugin host's ``revision``).
PluginRevision = Callable[[str, tuple[tuple[str, "Value | str"], ...]], str]


@dataclass(frozen=True, slots=True)
class GraphContext:
    """What graph building needs besides the frame: timeline, format, canvas, media sizes."""

    index: TimelineIndex
    format: Format
    width: int
    height: int
    source_size: SourceSize
    optimize: bool = True
    plugin_revision: PluginRevision | None = None
    """What a plugin node's output depends on besides its parameters (the plugin's content
    hash, the files it reads), carried by the node into its cache key."""
    plugin_keeps_alpha: Callable[[str], bool] | None = None
    """Whether a plugin effect kind declares that it never changes alpha."""
    source_proxy: SourceProxy | None = None
    """Which proxy serves each media source (None: originals only)."""
    source_opaque: Callable[[MediaSource | ImageSequenceSource], bool] | None = None
    """Whether a source's pictures are opaque everywhere (None: assume they may not be)."""


def build_frame_graph(context: GraphContext, sequence: str, frame: int) -> RenderGraph:
    """The graph whose output is ``frame`` of ``sequence`` on an opaque background."""
    graph = RenderGraph(frame=frame)
    background = graph.add(SolidNode(context.width, context.height, context.format.background))
    graph.output = _composite(context, graph, sequence, frame, background)
    return optimize(graph)[0] if context.optimize else graph


def _composite(
    context: GraphContext, graph: RenderGraph, sequence: str, frame: int, base: int
) -> int:
    for track in context.index.sequence_tracks(sequence, TrackKind.VIDEO):
        if not track.enabled:
            continue
        active = context.index.active_at(track.id, frame)
        if isinstance(active, ActiveClip):
            layer = _clip_layer(context, graph, active.clip, frame)
            mode = BlendMode(active.clip.blend)
        elif isinstance(active, ActiveTransition):
            layer = _transition_layer(context, graph, active, frame)
            mode = BlendMode(active.incoming.blend)
        else:
            continue
        if layer is not None:
            base = graph.add(BlendNode(mode, 1.0), base, layer)
    return base


def _transition_layer(
    context: GraphContext, graph: RenderGraph, active: ActiveTransition, frame: int
) -> int | None:
    outgoing = _clip_layer(context, graph, active.outgoing, frame)
    incoming = _clip_layer(context, graph, active.incoming, frame)
    blank = graph.add(SolidNode(context.width, context.height, TRANSPARENT))
    a = blank if outgoing is None else outgoing
    b = blank if incoming is None else incoming
    transition = active.transition
    if transition.kind is TransitionKind.WIPE:
        node = WipeNode(active.progress, WipeDirection(transition.direction), transition.softness)
        return graph.add(node, a, b)
    return graph.add(DissolveNode(active.progress), a, b)


def video_fade(clip: Clip, frame: int) -> float:
    """The fade-in/fade-out factor of a clip at a timeline frame (1 outside fades)."""
    offset = frame - clip.start
    factor = 1.0
    if clip.fade_in > 0 and offset < clip.fade_in:
        factor = (offset + 0.5) / clip.fade_in
    if clip.fade_out > 0 and clip.end - frame <= clip.fade_out:
        factor = min(factor, (clip.end - frame - 0.5) / clip.fade_out)
    return factor


def _clip_layer(context: GraphContext, graph: RenderGraph, clip: Clip, frame: int) -> int | None:
    local = frame - clip.start
    picture, size = _clip_picture(context, graph, clip, frame)
    source_index = picture
    for effect in context.index.effects_of(clip.id):
        params = tuple((name, _evaluated(param, local)) for name, param in effect.params)
        if effect.kind in EFFECTS:
            picture = graph.add(EffectOpNode(effect.kind, params), picture)  # type: ignore[arg-type]
        else:
            revision = _revision(context, effect.kind, params)
            keeps_alpha = context.plugin_keeps_alpha is not None and context.plugin_keeps_alpha(
                effect.kind
            )
            node = PluginEffectNode(effect.kind, params, revision, keeps_alpha)
            picture = graph.add(node, picture)
    transform = clip.transform
    affine = _clip_affine(context, clip, size, local)
    crop_value = evaluate(transform.crop, local)
    crop = tuple(crop_value) if isinstance(crop_value, tuple) else (crop_value,) * 4
    crop4 = (float(crop[0]), float(crop[1]), float(crop[2]), float(crop[3]))
    source_node = graph.nodes[source_index]
    if isinstance(source_node, SourceNode) and source_node.scale != 1:
        affine, crop4 = _proxy_geometry(affine, crop4, size, source_node.scale)
    picture = graph.add(TransformNode(affine, context.width, context.height, crop4), picture)
    factor = evaluate_scalar(clip.opacity, local) * video_fade(clip, frame)
    factor = min(max(factor, 0.0), 1.0)
    if factor <= 0.0:
        return None
    if factor < 1.0:
        picture = graph.add(OpacityNode(factor), picture)
    return picture


def _clip_picture(
    context: GraphContext, graph: RenderGraph, clip: Clip, frame: int
) -> tuple[int, tuple[int, int]]:
    source = clip.source
    fmt = context.format
    if isinstance(source, ColorSource):
        return graph.add(SolidNode(fmt.width, fmt.height, source.color)), (fmt.width, fmt.height)
    if isinstance(source, GeneratorSource):
        local = frame - clip.start
        params = tuple((name, _evaluated(param, local)) for name, param in source.params)
        revision = _revision(context, source.generator, params)
        node = GeneratorNode(source.generator, fmt.width, fmt.height, params, revision)
        return graph.add(node), (fmt.width, fmt.height)
    seconds = clip.source_seconds(frame, fmt.rate)
    if isinstance(source, SequenceSource):
        nested = replace(context, width=fmt.width, height=fmt.height)
        blank = graph.add(SolidNode(fmt.width, fmt.height, TRANSPARENT))
        return _composite(
            nested, graph, source.sequence, seconds_to_frame(seconds, fmt.rate), blank
        ), (
            fmt.width,
            fmt.height,
        )
    proxy, scale = ("", 1) if context.source_proxy is None else context.source_proxy(source)
    size = context.source_size(source)
    opaque = context.source_opaque is not None and context.source_opaque(source)
    # A proxy of an opaque source is opaque too, at its own (reduced) size.
    picture = proxy_size(*size, ProxyLevel(proxy)) if proxy else size
    node = SourceNode(source, seconds, proxy, scale, picture if opaque else None)
    return graph.add(node), size


def _proxy_geometry(
    affine: Affine,
    crop: tuple[float, float, float, float],
    size: tuple[int, int],
    scale: int,
) -> tuple[Affine, tuple[float, float, float, float]]:
    """The transform and crop of a ``1/scale`` proxy picture placed like the original.

    A proxy pixel covers ``scale x scale`` original pixels; sides rounded up hold a part
    pixel past the original's edge, cropped off so the picture ends where it did.
    """
    extra_x, extra_y = (-size[0] % scale) / scale, (-size[1] % scale) / scale
    left, top, right, bottom = (value / scale for value in crop)
    return affine @ Affine.scale(scale, scale), (left, top, right + extra_x, bottom + extra_y)


def _fit_scale(fit: str, size: tuple[int, int], fmt: Format) -> tuple[float, float]:
    sx, sy = fmt.width / size[0], fmt.height / size[1]
    if fit == "contain":
        return (min(sx, sy),) * 2
    if fit == "cover":
        return (max(sx, sy),) * 2
    if fit == "stretch":
        return (sx, sy)
    return (1.0, 1.0)


def _clip_affine(context: GraphContext, clip: Clip, size: tuple[int, int], local: int) -> Affine:
    transform, fmt = clip.transform, context.format
    fit = _fit_scale(transform.fit, size, fmt)
    user = evaluate_pair(transform.scale, local)
    position = (
        (fmt.width / 2, fmt.height / 2)
        if transform.position is None
        else evaluate_pair(transform.position, local)
    )
    placed = clip_transform(
        size[0],
        size[1],
        fmt.width,
        fmt.height,
        position=position,
        scale=(fit[0] * user[0], fit[1] * user[1]),
        rotation_deg=evaluate_scalar(transform.rotation, local),
        anchor=transform.anchor,
    )
    if (context.width, context.height) == (fmt.width, fmt.height):
        return placed
    canvas = Affine.scale(context.width / fmt.width, context.height / fmt.height)
    return canvas @ placed


def _evaluated(param: Param | str, local: int) -> Value | str:
    """A parameter at a clip-local frame; strings (plugin parameters) are constant."""
    return param if isinstance(param, str) else evaluate(param, local)


def _revision(context: GraphContext, kind: str, params: tuple[tuple[str, Value | str], ...]) -> str:
    return "" if context.plugin_revision is None else context.plugin_revision(kind, params)
