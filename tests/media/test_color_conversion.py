"""Display conversion: the probed matrix and range, deep sources at full scale, alpha."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelgraph.media import VideoReader, probe
from reelgraph.media._to_rgb import RgbConverter

from .helpers import ORANGE

TOLERANCE = 2  # 8-bit levels: YUV 4:4:4 rounding both ways


@pytest.mark.parametrize("matrix", ["bt601", "bt709"])
@pytest.mark.parametrize("color_range", ["limited", "full"])
def test_a_tagged_colour_decodes_back_to_the_original_rgb(
    colour_clip: Callable[[str, str], Path], matrix: str, color_range: str
) -> None:
    with VideoReader(colour_clip(matrix, color_range)) as reader:
        pixel = reader.frame_at(Fraction(0))[10, 10].astype(int)
    assert np.abs(pixel - ORANGE).max() <= TOLERANCE


def test_the_wrong_matrix_would_be_visibly_off(colour_clip: Callable[[str, str], Path]) -> None:
    # Guards the test above: BT.601 data read with BT.709 misses by far more than TOLERANCE.
    path = colour_clip("bt601", "limited")
    info = probe(path).video
    assert info is not None
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
    wrong = RgbConverter(replace(info, colorspace="bt709"))(frame)[10, 10].astype(int)
    assert np.abs(wrong - ORANGE).max() > 4 * TOLERANCE


def test_deep_sources_come_back_as_uint16_on_the_full_scale(deep_clip: Path) -> None:
    with VideoReader(deep_clip) as reader:
        frame = reader.frame_at(Fraction(0))
    assert frame.dtype == np.uint16
    assert frame.shape == (48, 64, 3)
    assert (frame[:, :28] >= 65535 - 64).all()  # white: within one 10-bit step of 0xFFFF
    assert (frame[:, 36:] <= 64).all()


def test_sources_with_alpha_come_back_as_straight_rgba(alpha_clip: Path) -> None:
    with VideoReader(alpha_clip) as reader:
        frame = reader.frame_at(Fraction(0))
    assert frame.shape == (48, 64, 4)
    assert frame[5, 5].tolist() == [*ORANGE, 128]
