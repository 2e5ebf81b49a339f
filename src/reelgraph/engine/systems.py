"""The engine's systems, one per step of a tick, and the schedule that orders them.

Ingest → Decode → GraphEval → Composite → Output → Persist. Each system is a verb phrase
reading and writing World resources; later capabilities add theirs into the same sets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import numpy as np

from reelgraph.audio.mix import AudioContext, mix_sequence
from reelgraph.cache import FrameCache
from reelgraph.ecs import Schedule, Stage, World
from reelgraph.ecs.criteria import (
    all_of,
    any_events,
    any_of,
    not_,
    resource_exists,
    resource_matches,
)
from reelgraph.engine.edit_systems import apply_pending_edits, edits_pending
from reelgraph.engine.media_pool import MediaPool
from reelgraph.engine.proxy_upkeep import add_upkeep_systems
from reelgraph.engine.read_ahead import ReadAhead, UpcomingFrame, decode_pictures
from reelgraph.engine.resources import (
    CompositedFrame,
    DecodedFrames,
    FrameStatus,
    MixedAudio,
    RenderBackend,
    RenderTarget,
    TimelineChanged,
)
from reelgraph.engine.sinks import OutputSinks
from reelgraph.graph.build import GraphContext, build_frame_graph
from reelgraph.graph.keys import graph_keys
from reelgraph.graph.nodes import SourceNode
from reelgraph.graph.passthrough import shown_as_is
from reelgraph.graph.render_graph import RenderGraph
from reelgraph.graph.watchdog import Watchdog
from reelgraph.jobs.cancel import CancelToken
from reelgraph.plugins.host import PluginHost
from reelgraph.project.document import Format
from reelgraph.project.persist import EditJournal, persist_project
from reelgraph.proxies.quality import PreviewQuality
from reelgraph.render.color import to_working
from reelgraph.time import sample_at_frame
from reelgraph.timeline.components import Playhead
from reelgraph.timeline.index import TimelineIndex
from reelgraph.timeline.spawn import index_from_world
from reelgraph.trace.tracer import Tracer

__all__ = ["AudioSpan", "build_schedule", "playhead"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class AudioSpan:
    """Resource: the samples ``[start, end)`` that belong to this tick's output frame.

    Set by the driver when output frames are not the timeline's frames (another output
    rate); without it a tick mixes exactly the samples of the playhead's frame.
    """

    start: int
    end: int


def playhead(world: World) -> Playhead:
    """The world's playhead (the one entity with a Playhead component)."""
    for _, head in world.query(Playhead):
        return head
    raise LookupError("the world has no playhead")


def index_timeline(world: World) -> None:
    """Ingest: rebuild the timeline index after the timeline changed."""
    world.insert_resource(index_from_world(world))


def decode_demanded_frames(world: World) -> None:
    """Decode: build and key the frame's graph; decode its sources unless the cache has it.

    With a :class:`FrameCache` and sinks present, the finished pixels of a frame are
    looked up by the output node's key first: a hit skips decoding and compositing. A
    frame that shows one 8-bit source picture as it is, for 8-bit sinks, is its decoded
    pixels: compositing and both colour conversions are skipped (same bytes, see
    :mod:`reelgraph.graph.passthrough`).
    """
    head = playhead(world)
    graph = _graph_for(world, head)
    world.insert_resource(graph)
    cached = _cached_pixels(world, graph)
    if cached is not None:
        world.insert_resource(FrameStatus(head.frame, cached))
        return
    pool = world.resource(MediaPool)
    tracer = world.get_resource(Tracer)
    read_ahead = world.get_resource(ReadAhead)
    as_is = _shown_as_is(world, graph)
    decoded = DecodedFrames()

    def decode() -> dict[Any, Any]:
        display = as_is is not None
        if read_ahead is None:
            return decode_pictures(pool, graph.sources(), display)
        return read_ahead.decode(head.frame, pool, graph.sources(), display)

    if tracer is None:
        decoded.frames = _watched(world, head.frame, decode)
    else:
        with tracer.span("decode", "decode", frame=head.frame):
            decoded.frames = _watched(world, head.frame, decode)
    if as_is is not None:
        pixels = decoded.frames[as_is.request]
        if pixels.dtype == np.uint8 and pixels.shape[2] == 3:
            world.insert_resource(FrameStatus(head.frame, pixels, shown_as_is=True))
            return
        decoded.frames = {key: to_working(p) for key, p in decoded.frames.items()}
    world.insert_resource(FrameStatus(head.frame))
    world.insert_resource(decoded)


def _shown_as_is(world: World, graph: RenderGraph) -> SourceNode | None:
    """The source this frame shows as it is when 8-bit sinks want it (else None)."""
    sinks = world.get_resource(OutputSinks)
    if sinks is None or sinks.bit_depth != 8:
        return None
    target = world.resource(RenderTarget)
    return shown_as_is(graph, target.width, target.height)


def _watched(world: World, frame: int, decode: Callable[[], T]) -> T:
    """Decoding under the watchdog's operation limit, when there is a watchdog."""
    watchdog = world.get_resource(Watchdog)
    if watchdog is None or watchdog.operation_timeout is None:
        return decode()
    return watchdog.call(f"decoding frame {frame}", decode, frame=frame)


def prefetch_upcoming_frame(world: World) -> None:
    """Decode: start decoding the announced next frame's sources in the background."""
    upcoming = world.resource(UpcomingFrame)
    head = playhead(world)
    if upcoming.frame == head.frame:
        return
    graph = _graph_for(world, Playhead(head.sequence, upcoming.frame))
    if _cached_pixels(world, graph) is not None:
        return
    display = _shown_as_is(world, graph) is not None
    pool = world.resource(MediaPool)
    world.resource(ReadAhead).prefetch(upcoming.frame, pool, graph.sources(), display)


def _cached_pixels(world: World, graph: RenderGraph) -> Any:
    cache = world.get_resource(FrameCache)
    sinks = world.get_resource(OutputSinks)
    if cache is None or sinks is None:
        return None
    if not graph.keys:
        graph.keys = graph_keys(graph, world.resource(MediaPool).identity)
    return cache.get(pixel_key(graph.keys[graph.output], sinks.bit_depth))


def frame_output_key(world: World, head: Playhead) -> str:
    """The content key of the picture ``head`` points at (nothing is decoded)."""
    if world.get_resource(TimelineIndex) is None:
        index_timeline(world)
    graph = _graph_for(world, head)
    if not graph.keys:
        graph.keys = graph_keys(graph, world.resource(MediaPool).identity)
    return graph.keys[graph.output]


def pixel_key(output_key: str, bit_depth: int) -> str:
    """The cache key of a frame's display pixels at ``bit_depth``."""
    return hashlib.sha256(f"{output_key}/pixels{bit_depth}".encode()).hexdigest()


class GraphMemo:
    """Resource: the last few frame graphs with what they were built from.

    The read-ahead builds the next frame's graph (and keys) one tick early; the next
    tick's Decode and GraphEval then reuse it instead of building it again. An entry is
    used only while the timeline index (rebuilt on every edit), target, format, plugins
    and the media pool's generation (bumped when it forgets its files) are unchanged;
    with proxies in play (their readiness changes between ticks) nothing is
    reused.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, int], tuple[tuple[object, ...], RenderGraph]] = {}

    def get(self, head: Playhead, inputs: tuple[object, ...]) -> RenderGraph | None:
        found = self._entries.get((head.sequence, head.frame))
        return found[1] if found is not None and found[0] == inputs else None

    def put(self, head: Playhead, inputs: tuple[object, ...], graph: RenderGraph) -> None:
        if len(self._entries) >= 4:
            self._entries.pop(next(iter(self._entries)))
        self._entries[(head.sequence, head.frame)] = (inputs, graph)


def _graph_for(world: World, head: Playhead) -> RenderGraph:
    fmt = world.resource(Format)
    target = world.resource(RenderTarget)
    pool = world.resource(MediaPool)
    plugins = world.get_resource(PluginHost)
    quality = world.get_resource(PreviewQuality)
    memo = world.get_resource(GraphMemo)
    if memo is None:
        memo = GraphMemo()
        world.insert_resource(memo)
    inputs = (world.resource(TimelineIndex), fmt, target, pool, pool.generation, plugins)
    if quality is None:
        reused = memo.get(head, inputs)
        if reused is not None:
            return reused
    context = GraphContext(
        world.resource(TimelineIndex),
        fmt,
        target.width,
        target.height,
        pool.size,
        plugin_revision=plugins.revision if plugins is not None else None,
        plugin_keeps_alpha=plugins.keeps_alpha if plugins is not None else None,
        source_proxy=None if quality is None else partial(pool.proxy_for, quality=quality.quality),
        source_opaque=pool.is_opaque,
    )
    graph = build_frame_graph(context, head.sequence, head.frame)
    if quality is None:
        memo.put(head, inputs, graph)
    return graph


def refresh_render_graph(world: World) -> None:
    """GraphEval: make sure the render graph is the playhead's (built at Decode)."""
    head = playhead(world)
    graph = world.get_resource(RenderGraph)
    if graph is None or graph.frame != head.frame:
        world.insert_resource(_graph_for(world, head))


def composite_frame(world: World) -> None:
    """Composite: evaluate the render graph with the backend (skipped on a cache hit)."""
    backend = world.resource(RenderBackend).backend
    # The last tick's picture has been delivered: let it go (or reuse its buffer) before
    # this one's exists.
    previous = world.remove_resource(CompositedFrame)
    if previous is not None:
        last = {previous.frame: previous.image}
        del previous
        _give_back(backend, last)
    graph = world.resource(RenderGraph)
    frames = world.resource(DecodedFrames).frames

    def fetch(source: object, seconds: object, proxy: str = "") -> object:
        return frames[(source, seconds, proxy) if proxy else (source, seconds)]

    plugins = world.get_resource(PluginHost)
    incidents = len(plugins.incidents) if plugins is not None else 0
    watchdog = world.get_resource(Watchdog)
    isolated = len(watchdog.incidents) if watchdog is not None else 0
    image = backend.to_array(graph.evaluate(backend, fetch, plugins, watchdog))
    if (plugins is not None and len(plugins.incidents) > incidents) or (
        watchdog is not None and len(watchdog.incidents) > isolated
    ):
        # A frame rendered past a failing node is not the picture its key names.
        graph.keys = []
    world.insert_resource(CompositedFrame(graph.frame, image))
    _give_back(backend, frames)


def _give_back(backend: Any, pictures: dict[Any, Any]) -> None:
    """Empty ``pictures``, letting the backend reuse the buffers nobody else holds."""
    recycle = getattr(backend, "recycle", None)
    while pictures:
        _, picture = pictures.popitem()
        if recycle is not None:
            recycle(picture)
        del picture


def _frame_needs_compositing(status: FrameStatus) -> bool:
    return status.pixels is None


def mix_frame_audio(world: World) -> None:
    """Output: mix exactly the samples that belong to the playhead's frame."""
    head = playhead(world)
    fmt = world.resource(Format)
    span = world.get_resource(AudioSpan)
    if span is not None:
        start, end = span.start, span.end
    else:
        start = sample_at_frame(head.frame, fmt.rate, fmt.sample_rate)
        end = sample_at_frame(head.frame + 1, fmt.rate, fmt.sample_rate)
    pool = world.resource(MediaPool)
    context = AudioContext(world.resource(TimelineIndex), fmt, pool.audio)
    world.insert_resource(
        MixedAudio(head.frame, mix_sequence(context, head.sequence, start, end - start))
    )


def deliver_outputs(world: World) -> None:
    """Output: hand the tick's pixels and samples to every sink; fill the frame cache."""
    sinks = world.resource(OutputSinks)
    audio = world.get_resource(MixedAudio)
    samples = None if audio is None else audio.samples
    status = world.resource(FrameStatus)
    if status.pixels is not None:
        pixels = status.pixels
        sinks.deliver_pixels(pixels, samples)
        if not status.shown_as_is:
            return  # a cache hit: the cache has them
    else:
        pixels = sinks.deliver(world.resource(CompositedFrame), audio)
    cache = world.get_resource(FrameCache)
    graph = world.resource(RenderGraph)
    if cache is not None and graph.keys:
        cache.put(pixel_key(graph.keys[graph.output], sinks.bit_depth), pixels)


def stop_if_cancelled(world: World) -> None:
    """Ingest: stop the render between frames once its token is cancelled (Ctrl-C)."""
    world.resource(CancelToken).check()


def build_schedule(*, with_audio: bool = True) -> Schedule:
    """The engine's schedule; validated when built, before the first tick."""
    schedule = Schedule()
    schedule.add_system(stop_if_cancelled, Stage.INGEST, run_if=resource_exists(CancelToken))
    schedule.add_system(
        apply_pending_edits,
        Stage.INGEST,
        after=("stop_if_cancelled",),
        before=("index_timeline",),
        run_if=edits_pending,
    )
    schedule.add_system(
        index_timeline,
        Stage.INGEST,
        run_if=any_of(not_(resource_exists(TimelineIndex)), any_events(TimelineChanged)),
    )
    schedule.add_system(decode_demanded_frames, Stage.DECODE)
    schedule.add_system(refresh_render_graph, Stage.GRAPH_EVAL)
    schedule.add_system(
        prefetch_upcoming_frame,
        Stage.DECODE,
        after=("decode_demanded_frames",),
        run_if=all_of(resource_exists(UpcomingFrame), resource_exists(ReadAhead)),
    )
    schedule.add_system(
        composite_frame,
        Stage.COMPOSITE,
        run_if=resource_matches(FrameStatus, _frame_needs_compositing),
    )
    if with_audio:
        schedule.add_system(mix_frame_audio, Stage.OUTPUT)
    schedule.add_system(
        deliver_outputs,
        Stage.OUTPUT,
        after=("mix_frame_audio",) if with_audio else (),
        run_if=resource_exists(OutputSinks),
    )
    schedule.add_system(persist_project, Stage.PERSIST, run_if=resource_exists(EditJournal))
    add_upkeep_systems(schedule)  # background proxies and hashes of preview engines only
    schedule.build()
    return schedule
