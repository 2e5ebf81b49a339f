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
from reelgraph.engine.engine import Engine
from reelgraph.engine.sinks import FrameHashSink, OutputSinks
from reelgraph.export.clock import OutputClock
from reelgraph.export.encoder_sinks import EncoderSink, audio_settings, video_settings
from reelgraph.export.presets import ExportSettings
from reelgraph.export.segment_store import SegmentEntry, SegmentStore
from reelgraph.graph.keys import canonical
from reelgraph.media import VideoEncodeSettings
from reelgraph.media.segments import SegmentJoiner, segment_container

__all__ = ["SegmentPlan", "export_segments", "plan_segments"]

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
    sink = EncoderSink(str(staged), video, None, segment_container(video.codec))
    sinks = OutputSinks([sink, hashes], bit_depth=settings.bit_depth)
    engine.world.insert_resource(sinks)
    try:
        for index in range(plan.first, plan.first + plan.count):
            engine.tick(clock.timeline_frame(index))
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
) -> list[str]:
    """Write ``output`` through the segment store; returns every frame's pixel hash."""
    fmt = engine.document.format
    video = video_settings(settings, size[0], size[1], clock.output_rate)
    plans = plan_segments(engine, clock, video, settings)
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, clock.frame_count)

    entries = []
    for plan in plans:
        entry = store.get(plan.key)
        if entry is None:
            entry = _encode_segment(engine, clock, plan, video, settings, store, advance)
        else:
            store.reused += 1
            for _ in range(plan.count):
                advance()
        entries.append(entry)
    _join(engine, clock, settings, output, plans, entries, fmt.channels)
    return [h for entry in entries for h in entry.frame_hashes]


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
