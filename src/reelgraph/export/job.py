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
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from reelgraph.engine.engine import Engine
from reelgraph.engine.sinks import CollectSink, FrameHashSink, FrameSink, OutputSinks
from reelgraph.errors import TimeRangeError
from reelgraph.export.destination import Destination
from reelgraph.export.encoder_sinks import EncoderSink, PngSequenceSink
from reelgraph.export.presets import ExportSettings
from reelgraph.project.atomic import write_text_atomic
from reelgraph.project.document import ProjectDocument
from reelgraph.time import seconds_to_frame

__all__ = ["ExportResult", "Progress", "export_project", "output_frame_count", "render_to_memory"]

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


def output_frame_count(start: int, end: int, rate: Fraction, output_rate: Fraction) -> int:
    """How many output frames cover timeline frames ``[start, end)``."""
    seconds = Fraction(end - start) / rate
    return max(1, int((seconds * output_rate).__ceil__()))


def _run(
    engine: Engine,
    sinks: OutputSinks,
    start: int,
    end: int,
    output_rate: Fraction,
    progress: Progress | None,
) -> int:
    """Tick once per output frame; the Output set hands each frame to ``sinks``."""
    engine.world.insert_resource(sinks)
    fmt = engine.document.format
    base = Fraction(start) / fmt.rate
    total = output_frame_count(start, end, fmt.rate, output_rate)
    for index in range(total):
        here = base + Fraction(index) / output_rate
        after = base + Fraction(index + 1) / output_rate
        frame = min(seconds_to_frame(here, fmt.rate), end - 1)
        span = (
            seconds_to_frame(here, Fraction(fmt.sample_rate)),
            seconds_to_frame(after, Fraction(fmt.sample_rate)),
        )
        engine.tick(frame, span)
        if progress is not None:
            progress(index + 1, total)
    return total


def export_project(
    document: ProjectDocument,
    output: str | Path,
    settings: ExportSettings,
    *,
    start: int = 0,
    end: int | None = None,
    progress: Progress | None = None,
    frame_hashes: str | Path | None = None,
) -> ExportResult:
    """Render ``[start, end)`` of the main sequence to ``output``.

    Raises:
        ReelgraphError: coded errors for bad media, ranges, settings or output folders;
            the final path is left untouched unless the render finished.
    """
    fmt = document.format
    width, height = settings.width or fmt.width, settings.height or fmt.height
    output_rate = settings.rate or fmt.rate
    with Engine(
        document, width=width, height=height, with_audio=settings.audio_codec != "none"
    ) as engine:
        first, stop = _check_range(engine, start, end)
        engine.check_media()
        is_sequence = settings.video_codec == "png"
        destination = Destination(output, is_sequence=is_sequence)
        hashes = FrameHashSink()
        sink: FrameSink
        try:
            if is_sequence:
                sink = PngSequenceSink(destination.sequence_pattern())
            else:
                sink = EncoderSink(
                    str(destination.temporary),
                    settings,
                    width,
                    height,
                    output_rate,
                    fmt.sample_rate,
                    fmt.channels,
                )
            sinks = OutputSinks([sink, hashes], bit_depth=settings.bit_depth)
            try:
                frames = _run(engine, sinks, first, stop, output_rate, progress)
                sinks.close()
            except BaseException:
                sinks.abort()
                raise
            if frame_hashes is not None:
                write_frame_hashes(frame_hashes, hashes.hashes, output_rate)
            destination.commit()
        except BaseException:
            destination.discard()
            raise
    return ExportResult(str(output), frames, width, height, output_rate, tuple(hashes.hashes))


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
        sinks = OutputSinks([collect], bit_depth=bit_depth)
        _run(engine, sinks, first, stop, document.format.rate, None)
    return collect
