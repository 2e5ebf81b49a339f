"""reelgraph project files for the workloads, written next to the generated sources.

Sizes and positions are given for 1920x1080 and times for 10 s sources, and scaled to
the run's canvas, so ``--quick`` runs the same edits on tiny, short pictures. The plugin
parts (the ``grade.cube`` LUT and the title) are the two hooks below, written for
``plugins/lut`` (``lut.apply``) and ``plugins/text`` (``text.title``); a run where a
plugin cannot load reports the rows that need it as ``n/a (missing: ...)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelgraph.testing import clip, effect, media, project, track, transform, transition

__all__ = ["Canvas", "Edit", "lut_effect", "title_source", "write_project"]

Json = dict[str, Any]

#: plugins/lut's effect; it grades display-referred sRGB values, as ffmpeg's lut3d does.
LUT_KIND = "lut.apply"
#: plugins/text's title generator.
TITLE_GENERATOR = "text.title"


def lut_effect(cube: str) -> Json:
    """The grade: apply ``cube`` (tetrahedral, like ffmpeg's ``lut3d`` default)."""
    params = {"file": cube, "interpolation": "tetrahedral"}
    return {"schema": "Effect.1", "kind": LUT_KIND, "params": params}


def title_source(text: str, size_px: float, bottom_margin: float) -> Json:
    """A white bold title, bottom centre, ``bottom_margin`` (a fraction) above the edge."""
    return {
        "schema": "GeneratorSource.1",
        "generator": TITLE_GENERATOR,
        "params": {
            "text": text,
            "font": "sans-bold",
            "size": size_px,
            "color": "#ffffff",
            "anchor": "bottom_center",
            "position": [0.5, 1.0 - bottom_margin],
        },
    }


@dataclass(frozen=True, slots=True)
class Canvas:
    """The run's picture size, and 1080p measurements scaled to it."""

    width: int
    height: int
    rate: int = 30
    time_scale: float = 1.0  # source seconds / 10: W1's 6 s become 0.6 s on 1 s sources

    def px(self, value: float) -> float:
        """A 1080p pixel measurement at this size."""
        return value * self.width / 1920

    def t(self, seconds: float) -> float:
        """A time of the 10 s edit, in this run's seconds (a whole number of frames)."""
        return self.frames(seconds) / self.rate

    def frames(self, seconds: float) -> int:
        """A time of the 10 s edit as frames of this run."""
        return round(seconds * self.time_scale * self.rate)

    def count(self, seconds: float) -> int:
        """Real seconds (of a source) as frames."""
        return round(seconds * self.rate)


@dataclass(frozen=True, slots=True)
class Edit:
    """W1's parts: which of the plugin-made parts to include."""

    grade: bool = True
    title: bool = True

    @property
    def label(self) -> str:
        """How the table names this variant."""
        if self.grade and self.title:
            return "full"
        left = [name for name, on in (("LUT", not self.grade), ("title", not self.title)) if on]
        return "without " + " and ".join(left)


def _w1_clips(
    canvas: Canvas, a: str, b: str, cube: str, edit: Edit, offset: int, n: int
) -> dict[str, list[Json]]:
    f = canvas.frames
    a_clip = clip(f"a{n}", offset, f(6), media(a))
    if edit.grade:
        a_clip["effects"] = [lut_effect(cube)]
    pip_w, margin = canvas.px(640), canvas.px(40)
    pip = clip(
        f"pip{n}",
        offset + f(1),
        f(8),
        media(b),
        transform=transform(
            scale=1 / 3,
            position=[canvas.width - margin - pip_w / 2, margin + pip_w * 9 / 32],
        ),
        opacity=0.8,
    )
    parts = {
        "V1": [a_clip, clip(f"b{n}", offset + f(5), f(5), media(b))],
        "V1t": [transition(f"a{n}", f"b{n}")],
        "V2": [pip],
        "A1": [
            clip(f"aa{n}", offset, f(6), media(a)),
            clip(f"ba{n}", offset + f(5), f(5), media(b)),
        ],
        "A1t": [transition(f"aa{n}", f"ba{n}")],
        "V3": [],
    }
    if edit.title:
        parts["V3"] = [
            clip(f"title{n}", offset, f(3), title_source("reelgraph", canvas.px(96), 60 / 1080))
        ]
    return parts


def w1_project(canvas: Canvas, a: str, b: str, cube: str, edit: Edit, repeats: int = 1) -> Json:
    """W1 (``repeats`` > 1: the 10 s edit played back to back, W6's longer timeline)."""
    tracks: dict[str, list[Json]] = {k: [] for k in ("V1", "V1t", "V2", "V3", "A1", "A1t")}
    for n in range(repeats):
        for key, items in _w1_clips(canvas, a, b, cube, edit, n * canvas.frames(10), n).items():
            tracks[key].extend(items)
    layout = [
        track("V1", "video", tracks["V1"], tracks["V1t"]),
        track("V2", "video", tracks["V2"]),
    ]
    if tracks["V3"]:
        layout.append(track("V3", "video", tracks["V3"]))
    layout.append(track("A1", "audio", tracks["A1"], tracks["A1t"]))
    return _with_export(
        project(layout, width=canvas.width, height=canvas.height, rate=canvas.rate, name="W1")
    )


def w0_project(canvas: Canvas, a: str, seconds: float) -> Json:
    """W0 done by reelgraph: A in, A out, no compositing."""
    n = canvas.count(seconds)
    body = project(
        [
            track("V1", "video", [clip("a", 0, n, media(a))]),
            track("A1", "audio", [clip("aa", 0, n, media(a))]),
        ],
        width=canvas.width,
        height=canvas.height,
        rate=canvas.rate,
        name="W0",
    )
    return _with_export(body)


def w2_project(canvas: Canvas, uhd: str, cube: str, seconds: float, *, grade: bool) -> Json:
    """W2: the 4K source through the LUT, exposure and saturation (video only)."""
    effects = [lut_effect(cube)] if grade else []
    effects += [effect("exposure", stops=0.25), effect("saturation", amount=1.2)]
    body = project(
        [track("V1", "video", [clip("g", 0, canvas.count(seconds), media(uhd), effects=effects)])],
        width=canvas.width,
        height=canvas.height,
        rate=canvas.rate,
        name="W2",
    )
    return body


def w3_project(canvas: Canvas, a: str, source_seconds: float, repeats: int) -> Json:
    """W3: a long-GOP timeline, A played ``repeats`` times back to back (video only)."""
    n = canvas.count(source_seconds)
    clips = [clip(f"a{i}", i * n, n, media(a)) for i in range(repeats)]
    return project(
        [track("V1", "video", clips)],
        width=canvas.width,
        height=canvas.height,
        rate=canvas.rate,
        name="W3",
    )


def w5_project(
    canvas: Canvas, a: str, b: str, source_seconds: float, clips: int = 1000, tracks: int = 4
) -> Json:
    """W5: ``clips`` clips over ``tracks`` tracks (half video, half audio), gaps between.

    Each clip lasts 96 % of its source and is followed by a gap half as long, so the
    timeline is about ``clips / tracks * 1.44 * source_seconds`` long (an hour for 1,000
    clips on four tracks of 10 s sources).
    """
    per_track = clips // tracks
    source_frames = canvas.count(source_seconds)
    length = int(source_frames * 0.96)
    slot = length + length // 2
    layout = []
    for t in range(tracks):
        kind = "video" if t < tracks // 2 else "audio"
        items = []
        for i in range(per_track):
            source = a if (i + t) % 2 == 0 else b
            fields: Json = {"source_in": (i * 7) % (source_frames - length + 1)}
            if kind == "video" and t == 1:
                fields["transform"] = transform(
                    scale=0.33, position=[canvas.px(1560), canvas.px(220)]
                )
                fields["opacity"] = 0.8
            items.append(clip(f"t{t}c{i}", i * slot, length, media(source), **fields))
        layout.append(track(f"T{t}", kind, items))
    return _with_export(
        project(layout, width=canvas.width, height=canvas.height, rate=canvas.rate, name="W5")
    )


def _with_export(body: Json) -> Json:
    body["export"] = {
        "schema": "ExportSettings.1",
        "preset": "h264",
        "crf": 20,
        "encoder_preset": "veryfast",
        "pix_fmt": "yuv420p",
        "threads": 2,
    }
    return body


def write_project(path: Path, body: Json) -> Path:
    """Write a project file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, indent=1) + "\n")
    return path
