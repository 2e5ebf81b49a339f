"""Export through content-keyed segments, joined without re-encoding.

Every video export goes this way, so a fresh export, a re-export that reuses segments
and (later) a parallel export all write the same bytes: the output frames are cut into
fixed-length segments; a segment's key covers the encode settings and its frames'
content keys; a segment already in the store is reused (with its frame hashes), any
other is rendered and encoded on its own; then the segments' packets are joined into the
final file beside one audio stream mixed and encoded for the whole range.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from reelgraph.audio.mix import AudioContext, mix_sequence
from reelgraph.cache import FrameCache
from reelgraph.engine.background_sink import BackgroundSink
from reelgraph.engine.engine import Engine
from reelgraph.engine.sinks import FrameHashSink, OutputSinks
from reelgraph.errors import InternalError
from reelgraph.export.clock import OutputClock
from reelgraph.export.encoder_sinks import EncoderSink, audio_settings, video_settings
from reelgraph.export.parallel import run_shares, split_work
from reelgraph.export.presets import ExportSettings
from reelgraph.export.segment_store import SegmentEntry, SegmentStore
from reelgraph.graph.keys import canonical
from reelgraph.media import VideoEncodeSettings
from reelgraph.media.segments import SegmentJoiner, segment_container
from reelgraph.trace.sink import traced_sink
from reelgraph.trace.tracer import Tracer

__all__ = ["SegmentPlan", "encode_missing", "export_segments", "plan_segments"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class SegmentPlan:
    """Output frames ``[first, first + count)`` and the content key of their encoding."""

    first: int
    count: int
    key: str


def segment_length(settings: ExportSettings, clock: OutputClock) -> int:
    """Frames per segment: the setting, or two seconds of output."""
    if settings.segment_frames:
        return settings.segment_frames
    return max(1, int((2 * clock.output_rate).__ceil__()))


def plan_segments(
    engine: Engine, clock: OutputClock, video: VideoEncodeSettings, settings: ExportSettings
) -> list[SegmentPlan]:
    """Cut the output into segments and key each by settings and frame contents."""
    length = segment_length(settings, clock)
    header = f"{canonical(video)}|bits={settings.bit_depth}|segment-1"
    plans = []
    for first in range(0, clock.frame_count, length):
        count = min(length, clock.frame_count - first)
        digest = hashlib.sha256(header.encode())
        for index in range(first, first + count):
            digest.update(engine.frame_key(clock.timeline_frame(index)).encode())
        plans.append(SegmentPlan(first, count, digest.hexdigest()))
    return plans


def _encode_segment(
    engine: Engine,
    clock: OutputClock,
    plan: SegmentPlan,
    video: VideoEncodeSettings,
    settings: ExportSettings,
    store: SegmentStore,
    progress: Callable[[], None],
) -> SegmentEntry:
    staged = store.staging_path(plan.key)
    hashes = FrameHashSink()
    sink = BackgroundSink(
        traced_sink(
            EncoderSink(str(staged), video, None, segment_container(video.codec)),
            engine.world.get_resource(Tracer),
        )
    )
    sinks = OutputSinks([sink, hashes], bit_depth=settings.bit_depth)
    engine.world.insert_resource(sinks)
    try:
        last = plan.first + plan.count
        for index in range(plan.first, last):
            upcoming = clock.timeline_frame(index + 1) if index + 1 < last else None
            engine.tick(clock.timeline_frame(index), upcoming=upcoming)
            progress()
        sinks.close()
    except BaseException:
        sinks.abort()
        staged.unlink(missing_ok=True)
        raise
    store.encoded += 1
    return store.put(plan.key, staged, hashes.hashes)


def export_segments(
    engine: Engine,
    clock: OutputClock,
    settings: ExportSettings,
    size: tuple[int, int],
    output: str,
    store: SegmentStore,
    progress: Progress | None = None,
    workers: int = 1,
) -> list[str]:
    """Write ``output`` through the segment store; returns every frame's pixel hash."""
    fmt = engine.document.format
    plans = plan_segments(
        engine, clock, video_settings(settings, size[0], size[1], clock.output_rate), settings
    )
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, clock.frame_count)

    missing = [plan for plan in plans if store.get(plan.key) is None]
    for plan in plans:
        if plan not in missing:
            store.reused += 1
            for _ in range(plan.count):
                advance()
    if workers > 1 and len(missing) > 1:
        _encode_in_parallel(engine, clock, settings, size, missing, store, workers, advance)
    else:
        encode_missing(engine, clock, settings, size, missing, store, advance)
    entries = [store.get(plan.key) for plan in plans]
    if any(entry is None for entry in entries):
        raise InternalError("a segment vanished from the store between encode and join")
    found = [entry for entry in entries if entry is not None]
    tracer = engine.world.get_resource(Tracer)
    if tracer is None:
        _join(engine, clock, settings, output, plans, found, fmt.channels)
    else:
        with tracer.span("join segments + audio", "encode"):
            _join(engine, clock, settings, output, plans, found, fmt.channels)
    return [h for entry in found for h in entry.frame_hashes]


def encode_missing(
    engine: Engine,
    clock: OutputClock,
    settings: ExportSettings,
    size: tuple[int, int],
    plans: list[SegmentPlan],
    store: SegmentStore,
    advance: Callable[[], None],
) -> int:
    """Render and encode ``plans`` one after the other; returns the frames encoded."""
    video = video_settings(settings, size[0], size[1], clock.output_rate)
    for plan in plans:
        _encode_segment(engine, clock, plan, video, settings, store, advance)
    return sum(plan.count for plan in plans)


def _encode_in_parallel(
    engine: Engine,
    clock: OutputClock,
    settings: ExportSettings,
    size: tuple[int, int],
    missing: list[SegmentPlan],
    store: SegmentStore,
    workers: int,
    advance: Callable[[], None],
) -> None:
    shares = [[missing[i] for i in run] for run in split_work([p.count for p in missing], workers)]
    cache = engine.world.get_resource(FrameCache)
    disk = cache.disk.root if cache is not None and cache.disk is not None else None

    def remote(share: list[object]) -> tuple[object, ...]:
        decode_device = engine.media.decode_device
        return (engine.document, settings, size, clock, share, store.root, disk, decode_device)

    def remote_done(frames: int) -> None:
        for _ in range(frames):
            advance()

    run_shares(
        workers,
        shares,  # type: ignore[arg-type]
        lambda share: encode_missing(engine, clock, settings, size, share, store, advance),  # type: ignore[arg-type]
        remote,
        remote_done,
    )
    store.encoded = len(missing)


def _join(
    engine: Engine,
    clock: OutputClock,
    settings: ExportSettings,
    output: str,
    plans: list[SegmentPlan],
    entries: list[SegmentEntry],
    channels: int,
) -> None:
    fmt = engine.document.format
    audio = audio_settings(settings, fmt.sample_rate, channels)
    context = AudioContext(engine.index, fmt, engine.media.audio)
    joiner = SegmentJoiner(output, settings.container, clock.output_rate, audio)
    try:
        for plan, entry in zip(plans, entries, strict=True):
            joiner.add_segment(entry.path, plan.first)
            if audio is not None:
                start, stop = clock.sample_span(plan.first, plan.first + plan.count)
                joiner.write_audio(mix_sequence(context, engine.document.main, start, stop - start))
        joiner.close()
    except BaseException:
        joiner.abort()
        raise
