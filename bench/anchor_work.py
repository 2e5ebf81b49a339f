"""What each anchor runs: ffmpeg filter graphs, melt command lines, the MoviePy script.

Each builder returns one command doing the same work as the matching reelgraph project
(see :mod:`bench.projects`), scaled to the run's canvas. Where an anchor cannot do a part
(no font for the title), the part is dropped and the returned note says so.
"""

from __future__ import annotations

from pathlib import Path

from bench.projects import Canvas, Edit

__all__ = [
    "ENCODE_ARGS",
    "ffmpeg_w0",
    "ffmpeg_w1",
    "ffmpeg_w2",
    "melt_w1",
    "moviepy_w1",
]

#: The output of W0 and W1: 1080p30 x264 veryfast crf 20 yuv420p + AAC 192k.
ENCODE_ARGS = (
    "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
    "-threads", "2", "-c:a", "aac", "-b:a", "192k",
)  # fmt: skip


def ffmpeg_w0(ffmpeg: str, a: Path, out: Path) -> list[str]:
    """Decode A, encode it again: the floor."""
    return [ffmpeg, "-v", "error", "-y", "-i", str(a), *ENCODE_ARGS, str(out)]


def ffmpeg_w1(
    ffmpeg: str,
    canvas: Canvas,
    a: Path,
    b: Path,
    cube: Path,
    font: str | None,
    edit: Edit,
    out: Path,
) -> tuple[list[str], str]:
    """W1 as one filter graph; returns the command and a note."""
    px, t, note = canvas.px, canvas.t, ""
    grade = f",lut3d=file='{cube}'" if edit.grade else ""
    pip_w, pip_h = round(px(640)) // 2 * 2, round(px(360)) // 2 * 2
    graph = [
        f"[0:v]trim=0:{t(6)},setpts=PTS-STARTPTS{grade}[ga]",
        "[1:v]split[b1][b2]",
        f"[b1]trim=0:{t(5)},setpts=PTS-STARTPTS[bm]",
        f"[ga][bm]xfade=transition=fade:duration={t(1)}:offset={t(5)}[base]",
        f"[b2]trim=0:{t(8)},setpts=PTS-STARTPTS+{t(1)}/TB,scale={pip_w}:{pip_h},"
        "format=yuva420p,colorchannelmixer=aa=0.8[pip]",
        f"[base][pip]overlay=x=W-w-{px(40):.0f}:y={px(40):.0f}:eof_action=pass"
        + ("[v1]" if edit.title else "[v]"),
        f"[0:a]atrim=0:{t(6)},asetpts=PTS-STARTPTS[aa]",
        f"[1:a]atrim=0:{t(5)},asetpts=PTS-STARTPTS[ba]",
        f"[aa][ba]acrossfade=d={t(1)}:c1=qsin:c2=qsin[a]",
    ]
    if edit.title:
        if font is None:
            graph[5] = graph[5].replace("[v1]", "[v]")
            note = "no font: title left out"
        else:
            graph.append(
                f"[v1]drawtext=fontfile='{font}':text=reelgraph:fontsize={px(96):.0f}:"
                f"fontcolor=white:x=(w-text_w)/2:y=h-text_h-{px(60):.0f}:enable='lt(t,{t(3)})'[v]"
            )
    command = [
        ffmpeg, "-v", "error", "-y", "-i", str(a), "-i", str(b),
        "-filter_complex", ";".join(graph), "-map", "[v]", "-map", "[a]",
        *ENCODE_ARGS, str(out),
    ]  # fmt: skip
    return command, note


def ffmpeg_w2(ffmpeg: str, uhd: Path, cube: Path, *, grade: bool) -> list[str]:
    """W2: decode and grade only (LUT, then exposure and saturation by ``eq``), no encode."""
    chain = (f"lut3d=file='{cube}'," if grade else "") + "eq=brightness=0.05:saturation=1.2"
    return [ffmpeg, "-v", "error", "-y", "-i", str(uhd), "-an", "-vf", chain, "-f", "null", "-"]


def _profile(canvas: Canvas, folder: Path) -> Path:
    path = folder / f"mlt-profile-{canvas.width}x{canvas.height}-{canvas.rate}"
    path.write_text(
        "description=bench\n"
        f"frame_rate_num={canvas.rate}\nframe_rate_den=1\n"
        f"width={canvas.width}\nheight={canvas.height}\nprogressive=1\n"
        "sample_aspect_num=1\nsample_aspect_den=1\n"
        f"display_aspect_num={canvas.width}\ndisplay_aspect_den={canvas.height}\n"
        "colorspace=709\n"
    )
    return path


def melt_w1(
    melt: str, canvas: Canvas, a: Path, b: Path, cube: Path, edit: Edit, out: Path, folder: Path
) -> tuple[list[str], str]:
    """W1 as a melt command line: a playlist mix, a composited PiP track, a pango title."""
    f, px = canvas.frames, canvas.px
    pip_w, pip_h = round(px(640)), round(px(360))
    grade = ["-attach-cut", "avfilter.lut3d", f"av.file={cube}"] if edit.grade else []
    command = [
        melt, "-quiet", "-profile", str(_profile(canvas, folder)),
        str(a), "in=0", f"out={f(6) - 1}", *grade,
        str(b), "in=0", f"out={f(5) - 1}", "-mix", str(f(1)), "-mixer", "luma", "-mixer", "mix:-1",
        "-track", "-blank", str(f(1) - 1), str(b), "in=0", f"out={f(8) - 1}",
    ]  # fmt: skip
    if edit.title:
        command += [
            "-track", "pango:", "text=reelgraph", "fgcolour=0xffffffff", "family=DejaVu Sans",
            "weight=700", f"size={px(96):.0f}", f"out={f(3) - 1}",
        ]  # fmt: skip
    command += [
        "-transition", "composite", f"in={f(1)}", f"out={f(9) - 1}", "a_track=0", "b_track=1",
        f"geometry={canvas.width - px(40) - pip_w:.0f}/{px(40):.0f}:{pip_w}x{pip_h}:80",
    ]  # fmt: skip
    if edit.title:
        command += [
            "-transition", "composite", "in=0", f"out={f(3) - 1}", "a_track=0", "b_track=2",
            f"geometry=0/0:{canvas.width}x{canvas.height - px(60):.0f}:100",
            "halign=centre", "valign=bottom",
        ]  # fmt: skip
    command += [
        "-consumer", f"avformat:{out}", "vcodec=libx264", "preset=veryfast", "crf=20",
        "pix_fmt=yuv420p", "threads=2", "acodec=aac", "ab=192k", "real_time=-2",
    ]  # fmt: skip
    return command, ""


def moviepy_w1(
    python: str,
    canvas: Canvas,
    a: Path,
    b: Path,
    cube: Path,
    font: str | None,
    edit: Edit,
    out: Path,
) -> tuple[list[str], str]:
    """W1 through MoviePy (the script is :mod:`bench.moviepy_w1`, run in MoviePy's venv)."""
    script = Path(__file__).with_name("moviepy_w1.py")
    note = "LUT by nearest-point lookup in numpy" if edit.grade else ""
    if edit.title and font is None:
        note = "; ".join(filter(None, [note, "no font: title left out"]))
    command = [
        python, str(script), str(a), str(b), str(cube), str(out),
        str(canvas.width), str(canvas.height), "1" if edit.grade else "0",
        font if (edit.title and font) else "", str(canvas.time_scale),
    ]  # fmt: skip
    return command, note
