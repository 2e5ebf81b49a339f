"""x264 runs one named instruction-set level, chosen from the CPU, never AVX-512."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av

from reelgraph.media import MediaWriter, VideoEncodeSettings
from reelgraph.media._video_track import _encoder_options
from reelgraph.media.x264_level import pinned_x264_level, x264_level_for

HASWELL = {"sse", "sse2", "pni", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma"}
HASWELL |= {"bmi1", "bmi2", "abm"}


def test_the_level_is_the_highest_the_cpu_has_and_never_avx512():
    assert x264_level_for(HASWELL) == "AVX2"
    assert x264_level_for(HASWELL | {"avx512f", "avx512bw", "avx512vl"}) == "AVX2"
    assert x264_level_for(HASWELL - {"bmi2"}) == "AVX"  # AVX2 in x264 implies BMI2
    assert x264_level_for({"sse", "sse2", "pni", "ssse3", "sse4_1", "sse4_2"}) == "SSE4.2"
    assert x264_level_for({"sse", "sse2"}) == "SSE2"
    assert x264_level_for({"neon"}) is None


def test_h264_exports_name_the_level_and_other_codecs_do_not():
    settings = VideoEncodeSettings(codec="h264", width=64, height=48, rate=Fraction(24))
    level = pinned_x264_level()
    options = _encoder_options(settings)
    if level is None:
        assert "x264-params" not in options
    else:
        assert options["x264-params"] == f"asm={level}"
    prores = VideoEncodeSettings(
        codec="prores", width=64, height=48, rate=Fraction(24), pix_fmt="yuv422p10le"
    )
    assert "x264-params" not in _encoder_options(prores)


def test_a_pinned_encode_decodes_and_repeats_byte_for_byte(tmp_path: Path):
    import numpy as np

    rng = np.random.default_rng(2)
    frames = [rng.integers(0, 256, (48, 64, 3), dtype=np.uint8) for _ in range(8)]
    outputs = []
    for run in range(2):
        path = tmp_path / f"{run}.mp4"
        settings = VideoEncodeSettings(codec="h264", width=64, height=48, rate=Fraction(24))
        writer = MediaWriter(str(path), settings, None)
        for frame in frames:
            writer.write_video(frame)
        writer.close()
        outputs.append(path.read_bytes())
        with av.open(str(path)) as container:
            assert sum(1 for _ in container.decode(video=0)) == len(frames)
    assert outputs[0] == outputs[1]
