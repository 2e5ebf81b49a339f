"""Render a project (or a range of it) to a file, a folder of images or memory.

The export loop: resolve the settings, check every source, then tick the engine once
per output frame and hand the result to the sinks; the output file appears at its path
only when the render finished. Output frame ``i`` shows timeline time
``start / rate + i / output_rate``; its samples are the ones between that time and the
next frame's, so audio stays sample-locked to video at any output rate.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from reelgraph.cache import FrameCache
from reelgraph.engine.engine import Engine
from reelgraph.engine.sinks import CollectSink, FrameHashSink, OutputSinks
from reelgraph.errors import TimeRangeError
from reelgraph.export.budgets import EXPORT_READER_CACHE_FRAMES, export_frame_cache
from reelgraph.export.clock import OutputClock
from reelgraph.export.destination import Destination
from reelgraph.export.encoder_sinks import PngSequenceSink
from reelgraph.export.presets import ExportSettings
from reelgraph.export.segment_store import SegmentStore
from reelgraph.export.segmented import export_segments
from reelgraph.media.decode_device import DecodeDevice
from reelgraph.project.atomic import write_text_atomic
from reelgraph.project.document import ProjectDocument
from reelgraph.proxies.quality import Quality
from reelgraph.trace.instruments import Instruments
from reelgraph.trace.sink import traced_sink
from reelgraph.trace.tracer import Tracer

__all__ = ["ExportResult", "Progress", "export_project", "render_to_memory"]

#: Called after every frame with (frames done, frames in all).
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote."""

    path: str
    frames: int
    width: int
    height: int
    rate: Fraction
    frame_hashes: tuple[str, ...]
    stats: dict[str, float] = field(default_factory=dict)


def _check_range(engine: Engine, start: int, end: int | None) -> tuple[int, int]:
    duration = engine.duration()
    stop = duration if end is None else end
    if duration == 0:
        raise TimeRangeError("the main sequence is empty: nothing to render", start=start, end=stop)
    if start < 0 or stop > duration or stop <= start:
        raise TimeRangeError(
            f"range {start}-{stop} is outside the timeline (0-{duration})",
            start=start,
            end=stop,
            duration=duration,
        )
    return start, stop


def _run(engine: Engine, sinks: OutputSinks, clock: OutputClock, progress: Progress | None) -> int:
    """Tick once per output frame; the Output set hands each frame to ``sinks``."""
    engine.world.insert_resource(sinks)
    total = clock.frame_count
    for index in range(total):
        upcoming = clock.timeline_frame(index + 1) if index + 1 < total else None
        engine.tick(clock.timeline_frame(index), clock.sample_span(index, index + 1), upcoming)
        if progress is not None:
            progress(index + 1, total)
    return total


def _caches(
    cache_dir: Path | None, size: tuple[int, int], bit_depth: int
) -> tuple[FrameCache, SegmentStore]:
    if cache_dir is None:
        return export_frame_cache(size, bit_depth), SegmentStore(None)
    frames = export_frame_cache(size, bit_depth, Path(cache_dir) / "frames")
    return frames, SegmentStore(Path(cache_dir) / "segments")


def export_project(
    document: ProjectDocument,
    output: str | Path,
    settings: ExportSettings,
    *,
    start: int = 0,
    end: int | None = None,
    progress: Progress | None = None,
    frame_hashes: str | Path | None = None,
    cache_dir: str | Path | None = None,
    instruments: Instruments | None = None,
    workers: int = 1,
    proxies: bool = False,
    decode_device: DecodeDevice = "cpu",
) -> ExportResult:
    """Render ``[start, end)`` of the main sequence to ``output``.

    Exports read the original media; ``proxies=True`` lets full-size proxies stand in
    where they exist (a fast draft; its frames have their own cache keys and segments,
    and it runs in one process). ``decode_device`` ``auto`` or ``cuda`` decodes on NVDEC
    (same pixels; the CPU by default, so no export's bytes depend on a machine's GPU).

    ``instruments`` (optional) traces the render, collects its metrics report and holds
    the cancellation token that stops it (see :class:`~reelgraph.trace.Instruments`).

    Video files are written through content-keyed segments (reused from ``cache_dir``
    when given, so a re-export encodes only what changed); image sequences frame by frame.
    ``workers`` > 1 encodes missing segments in that many processes (same bytes).

    Raises:
        ReelgraphError: coded errors for bad media, ranges, settings or output folders;
            the final path is left untouched unless the render finished.
    """
    fmt = document.format
    size = (settings.width or fmt.width, settings.height or fmt.height)
    frames, store = _caches(
        None if cache_dir is None else Path(cache_dir), size, settings.bit_depth
    )
    workers = 1 if proxies else workers
    try:
        with Engine(
            document,
            width=size[0],
            height=size[1],
            cache=frames,
            instruments=instruments,
            quality=Quality.FULL if proxies else None,
            reader_cache_frames=EXPORT_READER_CACHE_FRAMES,
            decode_device=decode_device,
        ) as engine:
            first, stop = _check_range(engine, start, end)
            engine.check_media()
            clock = OutputClock(first, stop, fmt.rate, settings.rate or fmt.rate, fmt.sample_rate)
            hashes = _write(engine, clock, settings, size, Path(output), store, progress, workers)
            if instruments is not None:
                instruments.collect(engine)
    finally:
        store.close()
    if frame_hashes is not None:
        write_frame_hashes(frame_hashes, hashes, clock.output_rate)
    stats = {
        "segments_reused": store.reused,
        "segments_encoded": store.encoded,
        **frames.metrics.to_dict(),
    }
    return ExportResult(
        str(output), clock.frame_count, size[0], size[1], clock.output_rate, tuple(hashes), stats
    )


def _write(
    engine: Engine,
    clock: OutputClock,
    settings: ExportSettings,
    size: tuple[int, int],
    output: Path,
    store: SegmentStore,
    progress: Progress | None,
    workers: int = 1,
) -> list[str]:
    is_sequence = settings.video_codec == "png"
    destination = Destination(output, is_sequence=is_sequence)
    try:
        if is_sequence:
            hashes = FrameHashSink()
            sink = traced_sink(
                PngSequenceSink(destination.sequence_pattern()),
                engine.world.get_resource(Tracer),
                "png",
            )
            _run(engine, OutputSinks([sink, hashes], bit_depth=settings.bit_depth), clock, progress)
            result = hashes.hashes
        else:
            result = export_segments(
                engine,
                clock,
                settings,
                size,
                str(destination.temporary),
                store,
                progress,
                workers=workers,
            )
        destination.commit()
    except BaseException:
        destination.discard()
        raise
    return result


def write_frame_hashes(path: str | Path, hashes: list[str], rate: Fraction) -> None:
    """Write the per-frame SHA-256 manifest (JSON) atomically."""
    body = {
        "schema": "FrameHashes.1",
        "rate": str(rate),
        "algorithm": "sha256",
        "frames": hashes,
        "combined": hashlib.sha256("".join(hashes).encode()).hexdigest(),
    }
    write_text_atomic(Path(path), json.dumps(body, indent=1) + "\n")


def render_to_memory(
    document: ProjectDocument,
    *,
    start: int = 0,
    end: int | None = None,
    width: int | None = None,
    height: int | None = None,
    bit_depth: int = 8,
) -> CollectSink:
    """Render frames into memory: display pixels per frame and their samples."""
    collect = CollectSink()
    with Engine(document, width=width, height=height) as engine:
        first, stop = _check_range(engine, start, end)
        engine.check_media()
        fmt = document.format
        clock = OutputClock(first, stop, fmt.rate, fmt.rate, fmt.sample_rate)
        _run(engine, OutputSinks([collect], bit_depth=bit_depth), clock, None)
    return collect
