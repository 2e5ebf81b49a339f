"""The subcommands of ``reelgraph``: each reads its arguments and calls the engine's API."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from reelgraph.cache import default_cache_dir
from reelgraph.cli.progress import ProgressBar
from reelgraph.cli.proxies_command import derived_media
from reelgraph.cli.report import emit
from reelgraph.engine.engine import Engine
from reelgraph.errors import TimeRangeError, UsageError, output_error_for
from reelgraph.export.job import export_project
from reelgraph.export.presets import PRESETS, resolve_settings
from reelgraph.jobs.cancel import CancelToken
from reelgraph.jobs.interrupt import cancel_on_interrupt
from reelgraph.media import write_png
from reelgraph.project.document import ProjectDocument
from reelgraph.project.json_schema import project_json_schema
from reelgraph.project.load import load_project
from reelgraph.render.color import from_working
from reelgraph.time import format_timecode, parse_rate, parse_time, parse_time_range
from reelgraph.timeline.components import MediaSource
from reelgraph.trace.instruments import Instruments
from reelgraph.trace.tracer import Tracer

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Dispatch to the command named by ``args.command``."""
    handler = {
        "info": info,
        "frame": frame,
        "render": render,
        "presets": presets,
        "schema": schema,
        "demo-media": demo_media,
    }[args.command]
    return handler(args)


def _size(text: str | None) -> tuple[int | None, int | None]:
    if text is None:
        return None, None
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size must look like 1920x1080, got {text!r}") from None
    if width < 2 or height < 2 or width % 2 or height % 2:
        raise UsageError(f"--size must be even and at least 2x2, got {text!r}")
    return width, height


def info(args: argparse.Namespace) -> int:
    """``reelgraph info``: what a project holds and whether its media is usable."""
    document = load_project(args.project)
    with Engine(document) as engine:
        data = _describe(document, engine)
    lines = [
        f"project   {data['name'] or Path(args.project).name}",
        f"format    {data['width']}x{data['height']} @ {data['rate']} fps, "
        f"{data['sample_rate']} Hz x{data['channels']}",
        f"duration  {data['duration_frames']} frames, {data['duration_timecode']} "
        f"({data['duration_seconds']:.3f} s)",
    ]
    for track in data["tracks"]:
        flag = "" if track["enabled"] else " (disabled)"
        lines.append(
            f"track     {track['id']} [{track['kind']}] in {track['sequence']}: "
            f"{len(track['clips'])} clip(s){flag}"
        )
        for clip in track["clips"]:
            lines.append(
                f"  clip    {clip['id']}: {clip['start']}-{clip['end']} {clip['source']}"
                f"{'' if clip['speed'] == '1' else ' speed ' + clip['speed']}"
            )
    for status in data["media"]:
        mark = "ok " if status["ok"] else "ERR"
        lines.append(f"media     {mark} {status['path']}: {status['detail']}")
    emit(data, "\n".join(lines), args.json)
    return 0 if all(m["ok"] for m in data["media"]) else 5


def _describe(document: ProjectDocument, engine: Engine) -> dict[str, Any]:
    fmt = document.format
    duration = engine.duration()
    tracks = []
    for sequence in document.sequences:
        for track in engine.index.sequence_tracks(sequence.id):
            clips = [
                {
                    "id": c.id,
                    "start": c.start,
                    "end": c.end,
                    "speed": str(c.speed),
                    "source": _source_text(c.source),
                }
                for c in engine.index.track_clips(track.id)
            ]
            tracks.append(
                {
                    "id": track.id,
                    "sequence": sequence.id,
                    "kind": track.kind.value,
                    "enabled": track.enabled,
                    "clips": clips,
                }
            )
    media = [dataclasses.asdict(s) for s in engine.media.statuses()]
    for status in media:
        status["path"] = status.pop("source")
        # Cached proxies, filmstrip and peaks of the content ('reelgraph proxies' makes them).
        fingerprint = (
            engine.media.fingerprint(MediaSource(status["path"])) if status["ok"] else None
        )
        status.update(derived_media(engine.media.media_cache, fingerprint))
    return {
        "name": document.name,
        "main": document.main,
        "width": fmt.width,
        "height": fmt.height,
        "rate": str(fmt.rate),
        "sample_rate": fmt.sample_rate,
        "channels": fmt.channels,
        "duration_frames": duration,
        "duration_timecode": format_timecode(duration, fmt.rate),
        "duration_seconds": float(Fraction(duration) / fmt.rate),
        "sequences": [s.id for s in document.sequences],
        "tracks": tracks,
        "media": media,
    }


def _source_text(source: object) -> str:
    if isinstance(source, MediaSource):
        return source.path
    name = type(source).__name__
    detail = (
        getattr(source, "pattern", None)
        or getattr(source, "sequence", None)
        or getattr(source, "generator", None)
    )
    return f"{name}({detail})" if detail else name


def frame(args: argparse.Namespace) -> int:
    """``reelgraph frame``: set the playhead and render one frame to a PNG."""
    document = load_project(args.project)
    width, height = _size(args.size)
    with Engine(
        document,
        width=width,
        height=height,
        with_audio=False,
        decode_device=args.decode_device,
    ) as engine:
        at = frame_at(engine, args.at)
        engine.check_media()
        pixels = from_working(engine.render_frame(at), bit_depth=args.bit_depth)
    _write_png_atomic(Path(args.output), pixels)
    emit(
        {"ok": True, "frame": at, "output": args.output},
        f"wrote frame {at} to {args.output}",
        args.json,
    )
    return 0


def frame_at(engine: Engine, text: str) -> int:
    """The timeline frame named by ``--at TEXT``, which must lie inside the timeline.

    Raises:
        TimeFormatError: not a time.
        TimeRangeError: outside the main sequence.
    """
    at = parse_time(text, engine.document.format.rate)
    duration = engine.duration()
    if not 0 <= at < duration:
        raise TimeRangeError(
            f"--at {text} is frame {at}, outside 0-{duration - 1}", frame=at, duration=duration
        )
    return at


def _write_png_atomic(path: Path, pixels: Any) -> None:
    temporary = path.with_name(f".{path.name}.partial-{os.getpid()}.png")
    try:
        write_png(temporary, pixels)
        try:
            os.replace(temporary, path)
        except OSError as exc:
            raise output_error_for(str(path), exc) from exc
    finally:
        # On a read-only disk even removing a file that is not there fails (EROFS).
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    width, height = _size(args.size)
    return {
        "width": width,
        "height": height,
        "rate": parse_rate(args.rate) if args.rate else None,
        "crf": args.crf,
        "encoder_preset": args.encoder_preset,
        "pix_fmt": args.pix_fmt,
        "bit_depth": args.bit_depth,
        "threads": args.threads,
        "gop": args.gop,
        "video_codec": args.video_codec,
        "audio_codec": args.audio_codec,
        "audio_bitrate": args.audio_bitrate,
    }


def render(args: argparse.Namespace) -> int:
    """``reelgraph render``: export the project, or a range of it."""
    document = load_project(args.project)
    settings = resolve_settings(args.output, args.preset, document.export, _overrides(args))
    start, end = 0, None
    if args.range:
        start, end = parse_time_range(args.range, document.format.rate)
    show = not (args.no_progress or args.json)
    bar = ProgressBar(force=False) if show else None
    cache_dir = None if args.no_cache else Path(args.cache_dir or default_cache_dir())
    instruments = _instruments(args)
    try:
        with cancel_on_interrupt(instruments.token or CancelToken("render")):
            result = export_project(
                document,
                args.output,
                settings,
                start=start,
                end=end,
                progress=bar,
                frame_hashes=args.frame_hashes,
                cache_dir=cache_dir,
                workers=max(1, args.workers),
                instruments=instruments,
                decode_device=args.decode_device,
            )
    finally:
        if args.trace and instruments.tracer is not None:
            instruments.tracer.write(args.trace, project=str(args.project))
    data = {
        "ok": True,
        "output": result.path,
        "frames": result.frames,
        "width": result.width,
        "height": result.height,
        "rate": str(result.rate),
        "preset": settings.preset,
        "frame_hashes": args.frame_hashes,
        "cache": result.stats,
        "trace": args.trace,
    }
    report = instruments.report.format() if args.metrics and instruments.report else ""
    if args.metrics and instruments.report is not None:
        data["metrics"] = instruments.report.to_dict()
    stats = result.stats
    emit(
        data,
        f"wrote {result.frames} frames ({result.width}x{result.height} @ {result.rate} "
        f"fps, {settings.preset}) to {result.path}\n"
        f"cache: {stats.get('memory_hits', 0) + stats.get('disk_hits', 0):.0f} frame hits, "
        f"{stats.get('memory_misses', 0):.0f} lookups, "
        f"{stats.get('memory_evictions', 0) + stats.get('disk_evictions', 0):.0f} evictions; "
        f"segments: {stats.get('segments_reused', 0):.0f} reused, "
        f"{stats.get('segments_encoded', 0):.0f} encoded" + (f"\n{report}" if report else ""),
        args.json,
    )
    return 0


def _instruments(args: argparse.Namespace) -> Instruments:
    """A tracer only for ``--trace``/``--metrics``; always a root token for Ctrl-C."""
    wanted = bool(args.trace or args.metrics)
    tracer = Tracer(keep_events=bool(args.trace)) if wanted else None
    return Instruments(tracer=tracer, metrics=bool(args.metrics), token=CancelToken("render"))


def presets(args: argparse.Namespace) -> int:
    """``reelgraph presets``: the export presets and what they fix."""
    data = {
        name: {
            k: (str(v) if isinstance(v, Fraction) else v)
            for k, v in dataclasses.asdict(p).items()
            if v is not None
        }
        for name, p in PRESETS.items()
    }
    lines = [
        f"{name:12s} {p['container']:9s} {p['video_codec']:7s} {p['pix_fmt']:12s} "
        f"audio {p['audio_codec']}"
        for name, p in data.items()
    ]
    emit({"presets": data}, "\n".join(lines), args.json)
    return 0


def schema(args: argparse.Namespace) -> int:
    """``reelgraph schema``: the project file's JSON Schema."""
    sys.stdout.write(json.dumps(project_json_schema(), indent=1) + "\n")
    return 0


def demo_media(args: argparse.Namespace) -> int:
    """``reelgraph demo-media``: generate the bundled demo's media (skips existing files)."""
    from reelgraph.demo import generate_demo_media

    written = generate_demo_media(Path(args.folder))
    print(f"demo media in {args.folder}: {len(written)} file(s) generated")
    return 0
