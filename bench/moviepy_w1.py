"""W1 in MoviePy 2 (run by the harness inside MoviePy's own virtual environment).

Usage: moviepy_w1.py A B CUBE OUT WIDTH HEIGHT GRADE(0|1) FONT(or "") TIME_SCALE
"""

from __future__ import annotations

import sys

import numpy as np
from moviepy import (
    CompositeAudioClip,
    CompositeVideoClip,
    TextClip,
    VideoFileClip,
    afx,
    vfx,
)


def read_cube(path: str) -> np.ndarray:
    rows, size = [], 0
    for line in open(path):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if parts[0] == "LUT_3D_SIZE":
            size = int(parts[1])
        elif parts[0][0].isdigit() or parts[0][0] in "-.":
            rows.append([float(v) for v in parts])
    table = np.asarray(rows, dtype=np.float32).reshape(size, size, size, 3)  # [b][g][r]
    return (np.clip(table, 0, 1) * 255 + 0.5).astype(np.uint8)


def main() -> None:
    a_path, b_path, cube, out, width, height, grade, font, scale_text = sys.argv[1:10]
    w, h = int(width), int(height)
    px = w / 1920
    scale = float(scale_text)

    def t(seconds: float) -> float:
        return round(seconds * scale * 30) / 30

    a = VideoFileClip(a_path).subclipped(0, t(6))
    if grade == "1":
        table = read_cube(cube)
        step = (table.shape[0] - 1) / 255.0

        def apply(frame: np.ndarray) -> np.ndarray:
            idx = np.rint(frame * step).astype(np.intp)
            return table[idx[..., 2], idx[..., 1], idx[..., 0]]

        a = a.image_transform(apply)
    b = VideoFileClip(b_path).subclipped(0, t(5)).with_start(t(5))
    b = b.with_effects([vfx.CrossFadeIn(t(1))])
    pip_w, pip_h = round(640 * px), round(360 * px)
    pip = (
        VideoFileClip(b_path, audio=False)
        .subclipped(0, t(8))
        .resized((pip_w, pip_h))
        .with_opacity(0.8)
        .with_position((w - round(40 * px) - pip_w, round(40 * px)))
        .with_start(t(1))
    )
    layers = [a, b, pip]
    if font:
        title = TextClip(font=font, text="reelgraph", font_size=round(96 * px), color="white")
        title = title.with_duration(t(3)).with_position(
            ("center", h - round(60 * px) - title.size[1])
        )
        layers.append(title)
    video = CompositeVideoClip(layers, size=(w, h)).with_duration(t(10))
    audio = CompositeAudioClip(
        [
            a.audio.with_effects([afx.AudioFadeOut(t(1))]),
            b.audio.with_start(t(5)).with_effects([afx.AudioFadeIn(t(1))]),
        ]
    )
    video = video.with_audio(audio)
    video.write_videofile(
        out,
        fps=30,
        codec="libx264",
        preset="veryfast",
        audio_codec="aac",
        audio_bitrate="192k",
        threads=2,
        ffmpeg_params=["-crf", "20", "-pix_fmt", "yuv420p"],
        logger=None,
    )


if __name__ == "__main__":
    main()
