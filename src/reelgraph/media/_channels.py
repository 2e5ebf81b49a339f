"""FFmpeg's default channel layout for a channel count (1: mono, 2: stereo, 6: 5.1...)."""

from __future__ import annotations

import av

__all__ = ["default_layout"]


def default_layout(channels: int) -> av.AudioLayout:
    """FFmpeg's default layout for ``channels`` (``"Nc"`` lets FFmpeg choose it)."""
    return av.AudioLayout(f"{channels}c")
