"""Constants and small helpers shared by the media tests (fixtures live in conftest)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = [
    "CLICK_44K",
    "COUNT_FRAMES",
    "COUNT_GOP",
    "HEIGHT",
    "NTSC",
    "ORANGE",
    "WIDTH",
    "grey_of",
    "index_of",
]

NTSC = Fraction(30000, 1001)
COUNT_FRAMES = 75
COUNT_GOP = 25
WIDTH, HEIGHT = 64, 48
CLICK_44K = 10_000
ORANGE = (200, 60, 30)


def grey_of(index: int) -> int:
    """The grey level that frame ``index`` of the counting clip shows."""
    return 16 + 3 * index


def index_of(rgb: np.ndarray) -> int:
    """Which counting-clip frame an RGB array shows."""
    return round((float(rgb[..., :3].mean()) - 16) / 3)
