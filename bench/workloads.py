"""The workloads W0, W1, W2, W3, W5 and W6: run reelgraph and the anchors, make rows.

Every workload returns table rows and never raises for a missing capability or anchor:
a reelgraph feature that does not exist yet gives ``n/a (missing: ...)``, an anchor that
is not installed gives ``skipped``, and a command that fails gives ``failed`` with its
error line in the note.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import anchor_work, projects
from bench.anchors import Anchors
from bench.measure import Timed, percentile, run_timed, sha256_file
from bench.projects import Canvas, Edit
from bench.sources import Sources
from bench.table import Ratio, Row, na_row

__all__ = ["WORKLOADS", "Context"]


@dataclass
class Context:
    """Everything a workload needs, and what earlier workloads measured."""

    repo: Path
    work: Path
    sources: Sources
    canvas: Canvas
    anchors: Anchors
    font: str | None
    quick: bool
    log: Callable[[str], None] = print
    floor: float | None = None  # ffmpeg's W0 seconds: what W1 is divided by
    w1_edit: Edit | None = None  # the W1 variant reelgraph can run
    w1_missing: str = ""
    timeout: float = 3600.0
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Each plugins/<name> folder holds one plugin package (found one level down), so
        # the working copies serve even where they are not pip-installed.
        folder = self.repo / "plugins"
        plugins = sorted(str(p) for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
        path = os.environ.get("REELGRAPH_PLUGIN_PATH", "")
        self.env = {
            **os.environ,
            "REELGRAPH_PLUGIN_PATH": os.pathsep.join(filter(None, [*plugins, path])),
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(self.repo), os.environ.get("PYTHONPATH", "")])
            ),
        }

    def path(self, name: str) -> Path:
        """A file in this run's output folder."""
        folder = self.work / "out"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def project(self, name: str, body: dict[str, Any]) -> Path:
        """Write a project beside the outputs (media paths are absolute)."""
        return projects.write_project(self.work / "projects" / name, body)

    def reelgraph(self, *args: str | Path) -> Timed:
        """Run the ``reelgraph`` command."""
        return run_timed(
            [sys.executable, "-m", "reelgraph", *map(str, args)],
            env=self.env,
            cwd=self.repo,
            timeout=self.timeout,
        )

    def driver(self, *args: str | Path) -> tuple[Timed, dict[str, Any]]:
        """Run one of :mod:`bench.drivers`; its timing and JSON."""
        timed = run_timed(
            [sys.executable, "-m", "bench.drivers", *map(str, args)],
            env=self.env,
            cwd=self.repo,
            timeout=self.timeout,
        )
        data = json.loads(timed.stdout.strip().splitlines()[-1]) if timed.ok else {}
        return timed, data

    def render(self, project: Path, out: Path, *extra: str) -> Timed:
        """``reelgraph render`` with the benchmark's output settings and no disk cache."""
        return self.reelgraph(
            "render",
            project,
            "-o",
            out,
            "--no-cache",
            "--no-progress",
            "--crf",
            "20",
            "--encoder-preset",
            "veryfast",
            "--pix-fmt",
            "yuv420p",
            "--threads",
            "2",
            "--audio-bitrate",
            "192000",
            *extra,
        )

    def probe(self, project: Path) -> str:
        """Why reelgraph cannot render ``project`` (empty when it can): one tiny frame."""
        timed = self.reelgraph(
            "frame", project, "--at", "0", "-o", self.path("probe.png"), "--size", "64x36"
        )
        return "" if timed.ok else _missing(timed.failure())


def _missing(failure: str) -> str:
    text = failure.split("]: ", 1)[-1]
    for name in ("lut", "text"):
        if f"plugin named '{name}'" in text or f"'{name}." in text:
            return f"plugin '{name}' (plugins/{name})"
    return text


def _seconds(timed: Timed) -> str:
    return f"{timed.seconds:.2f}" if timed.ok else "failed"


def _ratio(label: str, top: float | None, bottom: float | None, goal: str = "",
           test: Callable[[float], bool] | None = None) -> Ratio:  # fmt: skip
    if top is None or bottom is None or bottom == 0:
        return Ratio(label, None, goal)
    value = top / bottom
    return Ratio(label, value, goal, None if test is None else test(value))


def _anchor_run(
    ctx: Context, row: Row, name: str, command: list[str], note: str = ""
) -> float | None:
    anchor = getattr(ctx.anchors, name)
    if not anchor.available:
        row.values[name] = "skipped"
        ctx.log(f"  {name}: skipped ({anchor.reason})")
        return None
    ctx.log(f"  {name} ...")
    timed = run_timed(command, cwd=ctx.work, env=None, timeout=ctx.timeout)
    row.values[name] = _seconds(timed)
    if note:
        row.note = "; ".join(filter(None, [row.note, f"{name}: {note}"]))
    if not timed.ok:
        row.note = "; ".join(filter(None, [row.note, f"{name} failed: {timed.failure()}"]))
        return None
    return timed.seconds


def w0(ctx: Context) -> list[Row]:
    """W0 floor: decode A, encode it again."""
    row = Row("W0", "wall s (decode A + encode)")
    s = ctx.sources
    project = ctx.project("w0.json", projects.w0_project(ctx.canvas, str(s.a), s.spec_a.seconds))
    ctx.log("  reelgraph ...")
    timed = ctx.render(project, ctx.path("w0-reelgraph.mp4"))
    row.values["reelgraph"] = _seconds(timed)
    mine = timed.seconds if timed.ok else None
    if not timed.ok:
        row.note = f"reelgraph failed: {timed.failure()}"
    ff = ctx.anchors.ffmpeg
    floor = _anchor_run(
        ctx,
        row,
        "ffmpeg",
        anchor_work.ffmpeg_w0(
            ff.command[0] if ff.command else "ffmpeg", s.a, ctx.path("w0-ffmpeg.mp4")
        ),
    )
    ctx.floor = floor
    row.raw = {"reelgraph_s": mine, "ffmpeg_s": floor}
    row.ratios.append(_ratio("rg/ffmpeg", mine, floor))
    return [row]


_FALLBACKS = (Edit(grade=True, title=False), Edit(grade=False, title=True), Edit(False, False))


def _w1_file(ctx: Context, edit: Edit, repeats: int = 1) -> Path:
    s = ctx.sources
    body = projects.w1_project(ctx.canvas, str(s.a), str(s.b), str(s.cube), edit, repeats)
    name = "w1" if repeats == 1 else f"w1x{repeats}"
    return ctx.project(f"{name}-{edit.label.replace(' ', '-')}.json", body)


def _fallback_w1(ctx: Context) -> Edit | None:
    """The largest W1 variant reelgraph can render (``ctx.w1_missing`` says why not all)."""
    for edit in _FALLBACKS:
        if not ctx.probe(_w1_file(ctx, edit)):
            return edit
    return None


def _choose_w1(ctx: Context) -> Edit | None:
    if ctx.w1_edit is None and not ctx.w1_missing:
        ctx.w1_missing = ctx.probe(_w1_file(ctx, Edit()))
        ctx.w1_edit = Edit() if not ctx.w1_missing else _fallback_w1(ctx)
    return ctx.w1_edit


def w1(ctx: Context) -> list[Row]:
    """W1 edit against ffmpeg, melt and MoviePy (and the W0 floor)."""
    rows: list[Row] = []
    edit: Edit | None = Edit()
    ctx.log(f"  reelgraph ({Edit().label}) ...")
    out = ctx.path("w1-reelgraph.mp4")
    timed = ctx.render(_w1_file(ctx, Edit()), out)
    if not timed.ok:
        ctx.w1_missing = _missing(timed.failure())
        edit = _fallback_w1(ctx)
        rows.append(na_row("W1", "wall s (full edit)", ctx.w1_missing))
        if edit is None:
            return rows
        ctx.log(f"  reelgraph ({edit.label}) ...")
        timed = ctx.render(_w1_file(ctx, edit), out)
    ctx.w1_edit = edit
    row = Row(
        "W1" if edit == Edit() else "W1*",
        "wall s (edit" + ("" if edit == Edit() else f", {edit.label}") + ")",
    )
    s, canvas = ctx.sources, ctx.canvas
    row.values["reelgraph"] = _seconds(timed)
    mine = timed.seconds if timed.ok else None
    if not timed.ok:
        row.note = f"reelgraph failed: {timed.failure()}"
    a = ctx.anchors
    ff_cmd, ff_note = anchor_work.ffmpeg_w1(
        a.ffmpeg.command[0] if a.ffmpeg.command else "ffmpeg",
        canvas,
        s.a,
        s.b,
        s.cube,
        ctx.font,
        edit,
        ctx.path("w1-ffmpeg.mp4"),
    )
    ff = _anchor_run(ctx, row, "ffmpeg", ff_cmd, ff_note)
    melt_cmd, melt_note = anchor_work.melt_w1(
        a.melt.command[0] if a.melt.command else "melt",
        canvas,
        s.a,
        s.b,
        s.cube,
        edit,
        ctx.path("w1-melt.mp4"),
        ctx.work,
    )
    melt = _anchor_run(ctx, row, "melt", melt_cmd, melt_note)
    mp_cmd, mp_note = anchor_work.moviepy_w1(
        a.moviepy.command[0] if a.moviepy.command else "python",
        canvas,
        s.a,
        s.b,
        s.cube,
        ctx.font,
        edit,
        ctx.path("w1-moviepy.mp4"),
    )
    mp = _anchor_run(ctx, row, "moviepy", mp_cmd, mp_note)
    row.raw = {
        "reelgraph_s": mine,
        "ffmpeg_s": ff,
        "melt_s": melt,
        "moviepy_s": mp,
        "w0_floor_s": ctx.floor,
    }
    row.ratios += [
        _ratio("rg/ffmpeg", mine, ff, "<= 0.6", lambda v: v <= 0.6),
        _ratio("rg/W0", mine, ctx.floor, "<= 1.4", lambda v: v <= 1.4),
        _ratio("moviepy/rg", mp, mine, ">= 15", lambda v: v >= 15),
        _ratio("rg/melt", mine, melt),
    ]
    rows.append(row)
    return rows


def w2(ctx: Context) -> list[Row]:
    """W2 grade: decode + LUT + exposure + saturation, frames per second, no encode."""
    s = ctx.sources
    spec = s.spec_uhd
    canvas = Canvas(spec.width, spec.height)
    size = f"{spec.width}x{spec.height}"

    def project(grade: bool) -> Path:
        body = projects.w2_project(canvas, str(s.uhd), str(s.cube), spec.seconds, grade=grade)
        return ctx.project(f"w2-{'lut' if grade else 'nolut'}.json", body)

    rows: list[Row] = []
    ctx.log("  reelgraph ...")
    grade = True
    timed, data = ctx.driver("grade", project(True), str(spec.frames))
    if not timed.ok:
        rows.append(na_row("W2", f"fps (grade {size}, CPU)", _missing(timed.failure())))
        grade = False
        ctx.log("  reelgraph (without LUT) ...")
        timed, data = ctx.driver("grade", project(False), str(spec.frames))
    row = Row("W2" if grade else "W2*", f"fps (grade {size}, CPU{'' if grade else ', no LUT'})")
    mine = spec.frames / timed.seconds if timed.ok else None
    row.values["reelgraph"] = f"{mine:.2f}" if mine else "failed"
    if not timed.ok:
        row.note = f"reelgraph failed: {timed.failure()}"
    ff = ctx.anchors.ffmpeg
    command = anchor_work.ffmpeg_w2(
        ff.command[0] if ff.command else "ffmpeg", s.uhd, s.cube, grade=grade
    )
    seconds = _anchor_run(ctx, row, "ffmpeg", command)
    theirs = spec.frames / seconds if seconds else None
    if theirs:
        row.values["ffmpeg"] = f"{theirs:.2f}"
    row.raw = {
        "frames": spec.frames,
        "reelgraph_fps": mine,
        "ffmpeg_fps": theirs,
        "reelgraph_detail": data,
    }
    row.ratios.append(_ratio("rg/ffmpeg", mine, theirs, ">= 2", lambda v: v >= 2))
    row.note = "; ".join(filter(None, [row.note, "fps = frames / wall time of the whole process"]))
    rows.append(row)
    rows.append(na_row("W2", "fps (grade, GPU)", "GPU backend (render/gpu/, device machine)"))
    return rows


def w3(ctx: Context) -> list[Row]:
    """W3 scrub: random frame requests on a long-GOP timeline, cold and cached."""
    s = ctx.sources
    count = 20 if ctx.quick else 200
    repeats = 6
    project = ctx.project(
        "w3.json", projects.w3_project(ctx.canvas, str(s.a), s.spec_a.seconds, repeats)
    )
    ctx.log("  reelgraph ...")
    timed, data = ctx.driver("scrub", project, str(count), "7")
    ctx.log("  reelgraph, decoding on NVDEC where a CUDA device opens ...")
    gpu_timed, gpu = ctx.driver("scrub", project, str(count), "7", "auto")
    ctx.log("  reelgraph with proxies (built first) ...")
    proxy_cache = ctx.work / "proxy-cache"
    proxied_timed, proxied = ctx.driver("scrub-proxies", project, str(count), "7", proxy_cache)
    ctx.log("  naive PyAV ...")
    pyav_timed, pyav = ctx.driver(
        "pyav-scrub", s.a, str(s.spec_a.frames), str(s.spec_a.frames * repeats), str(count), "7"
    )
    ctx.log("  reelgraph's VideoReader alone ...")
    _, alone = ctx.driver(
        "reader-scrub", s.a, str(s.spec_a.frames), str(s.spec_a.frames * repeats), str(count), "7"
    )
    rows = []
    naive = pyav.get("pyav")
    for mode, goal in (("cold", 150.0), ("proxies", 30.0), ("cached", 5.0)):
        measure = f"ms p50/p95 ({count} requests, {mode})"
        if mode == "proxies":
            rows.append(_w3_proxies_row(measure, proxied_timed, proxied, goal))
            continue
        row = Row("W3", measure)
        latencies = data.get(mode)
        if not latencies:
            row.values["reelgraph"] = "failed"
            row.note = timed.failure()
            rows.append(row)
            continue
        p50, p95 = percentile(latencies, 0.5) * 1e3, percentile(latencies, 0.95) * 1e3
        row.values["reelgraph"] = f"{p50:.1f}/{p95:.1f}"
        row.raw = {"reelgraph_ms": [x * 1e3 for x in latencies]}
        row.ratios.append(Ratio("rg p95 ms", p95, f"<= {goal:g}", p95 <= goal))
        if mode == "cold" and naive:
            n50, n95 = percentile(naive, 0.5) * 1e3, percentile(naive, 0.95) * 1e3
            row.note = f"naive PyAV seek+decode: {n50:.1f}/{n95:.1f} ms"
            row.raw["pyav_ms"] = [x * 1e3 for x in naive]
            if alone.get("reader"):
                r50 = percentile(alone["reader"], 0.5) * 1e3
                r95 = percentile(alone["reader"], 0.95) * 1e3
                row.note += f"; VideoReader alone (no compositing): {r50:.1f}/{r95:.1f} ms"
                row.raw["reader_ms"] = [x * 1e3 for x in alone["reader"]]
            row.ratios.append(_ratio("rg/pyav p95", p95, n95))
        elif mode == "cold" and not pyav_timed.ok:
            row.note = f"naive PyAV failed: {pyav_timed.failure()}"
        rows.append(row)
        if mode == "cold":
            rows.append(
                _w3_nvdec_row(f"ms p50/p95 ({count} requests, cold, NVDEC)", gpu_timed, gpu)
            )
    return rows


def _w3_nvdec_row(measure: str, timed: Timed, data: dict[str, Any]) -> Row:
    """W3 cold with ``--decode-device auto``: n/a where no CUDA device opens."""
    latencies, decoders = data.get("cold"), data.get("decoders") or {}
    if not latencies:
        row = Row("W3", measure, {"reelgraph": "failed"})
        row.note = timed.failure()
        return row
    if not decoders.get("cuda"):
        reason = data.get("cuda_unavailable") or "no reader decoded on the GPU"
        return na_row("W3", measure, f"a CUDA device ({reason})")
    row = Row("W3", measure)
    p50, p95 = percentile(latencies, 0.5) * 1e3, percentile(latencies, 0.95) * 1e3
    row.values["reelgraph"] = f"{p50:.1f}/{p95:.1f}"
    row.raw = {"reelgraph_ms": [x * 1e3 for x in latencies], "decoders": decoders}
    row.ratios.append(Ratio("rg p95 ms", p95, "<= 150", p95 <= 150))
    row.note = "same frames as the CPU (NVDEC is bit-exact; tests/media/test_decode_device.py)"
    return row


def _w3_proxies_row(measure: str, timed: Timed, data: dict[str, Any], goal: float) -> Row:
    """W3 with proxies: a half-size viewer on half proxies; the full-size figure in the note."""
    row = Row("W3", measure.replace("proxies)", "proxies, half-size viewer)"))
    half, full = data.get("half"), data.get("full")
    if not half:
        row.values["reelgraph"] = "failed"
        row.note = timed.failure()
        return row
    p50, p95 = percentile(half, 0.5) * 1e3, percentile(half, 0.95) * 1e3
    row.values["reelgraph"] = f"{p50:.1f}/{p95:.1f}"
    row.raw = {"reelgraph_ms": [x * 1e3 for x in half], "build_s": data.get("build_s")}
    row.ratios.append(Ratio("rg p95 ms", p95, f"<= {goal:g}", p95 <= goal))
    notes = [f"proxies built in {data.get('build_s', 0):.1f} s (untimed here)"]
    if full:
        f50, f95 = percentile(full, 0.5) * 1e3, percentile(full, 0.95) * 1e3
        notes.append(f"full-size viewer on full JPEG proxies: {f50:.1f}/{f95:.1f} ms")
        row.raw["full_ms"] = [x * 1e3 for x in full]
    row.note = "; ".join(notes)
    return row


def w5(ctx: Context) -> list[Row]:
    """W5 scale: open time of 1,000 clips on 4 tracks, and peak memory while exporting."""
    s = ctx.sources
    body = projects.w5_project(ctx.canvas, str(s.a), str(s.b), s.spec_a.seconds)
    project = ctx.project("w5.json", body)
    ctx.log("  open ...")
    timed, data = ctx.driver("open", project)
    minutes = data.get("frames", 0) / ctx.canvas.rate / 60
    row = Row("W5", f"open s ({data.get('clips', '?')} clips, {minutes:.0f} min)")
    rows = [row]
    if timed.ok:
        row.values["reelgraph"] = f"{data['open_s']:.3f}"
        row.raw = data
        row.ratios.append(Ratio("open s", data["open_s"], "< 1", data["open_s"] < 1.0))
        row.note = (
            f"load {data['load_s']:.3f}, engine {data['engine_s']:.3f}, index "
            f"{data['index_s']:.3f}, media check {data['check_media_s']:.3f} s"
        )
    else:
        row.values["reelgraph"] = "failed"
        row.note = timed.failure()
    spans = (15, 60) if ctx.quick else (90, 360)
    peaks = []
    for frames in spans:
        ctx.log(f"  export 0-{frames} ...")
        render = ctx.render(project, ctx.path(f"w5-{frames}.mp4"), "--range", f"0-{frames}")
        peaks.append(render.peak_rss / 1e6 if render.ok else None)
        if not render.ok:
            rows.append(
                Row("W5", "peak RSS MB (export)", {"reelgraph": "failed"}, note=render.failure())
            )
            return rows
    short, long = peaks
    assert short is not None and long is not None
    rss = Row(
        "W5",
        f"peak RSS MB (export {spans[0]} / {spans[1]} frames)",
        {"reelgraph": f"{short:.0f}/{long:.0f}"},
        {"peak_rss_mb": peaks},
    )
    rss.ratios += [
        Ratio("peak MB", long, "< 1500", long < 1500),
        Ratio("long/short", long / short, "~1 (flat)", long / short <= 1.15),
    ]
    rows.append(rss)
    return rows


def w6(ctx: Context, seconds: float) -> list[Row]:
    """W6 parallel: W1 stretched, 1 vs 2 worker processes, same bytes."""
    repeats = max(1, round(seconds / (10 * ctx.canvas.time_scale)))
    measure = f"wall s 1/2 workers (W1 x{repeats})"
    if not _has_workers():
        return [na_row("W6", measure, "parallel export (render --workers)")]
    edit = _choose_w1(ctx)
    if edit is None:
        return [na_row("W6", measure, ctx.w1_missing)]
    project = _w1_file(ctx, edit, repeats)
    results = []
    for workers in (1, 2):
        ctx.log(f"  {workers} worker(s) ...")
        out = ctx.path(f"w6-{workers}.mp4")
        results.append((ctx.render(project, out, "--workers", str(workers)), out))
    (one, out1), (two, out2) = results
    label = measure + ("" if edit == Edit() else f", {edit.label}")
    row = Row("W6" if edit == Edit() else "W6*", label)
    if not (one.ok and two.ok):
        row.values["reelgraph"] = "failed"
        row.note = (one if not one.ok else two).failure()
        return [row]
    same = sha256_file(out1) == sha256_file(out2)
    row.values["reelgraph"] = f"{one.seconds:.1f}/{two.seconds:.1f}"
    row.raw = {"one_s": one.seconds, "two_s": two.seconds, "identical": same}
    row.ratios += [
        _ratio("speed-up", one.seconds, two.seconds, ">= 1.8", lambda v: v >= 1.8),
        Ratio("same bytes", 1.0 if same else 0.0, "identical", same),
    ]
    return [row, na_row("W6", "distributed engine on loopback", "distributed engine")]


def _has_workers() -> bool:
    import inspect

    from reelgraph.export.job import export_project

    return "workers" in inspect.signature(export_project).parameters


WORKLOADS: dict[str, Callable[..., list[Row]]] = {
    "W0": w0,
    "W1": w1,
    "W2": w2,
    "W3": w3,
    "W5": w5,
    "W6": w6,
}
