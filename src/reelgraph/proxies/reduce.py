"""Proxy pictures from original ones: 8-bit reduction and exact box downscaling.

A proxy pixel at scale ``s`` is the rounded mean of the ``s x s`` original pixels it
covers (edges are extended by replication when a side is not a multiple of ``s``), so
a proxy frame is a decimated original frame: the same picture, smaller. Deep (``uint16``)
frames are averaged at full precision and only then rounded to 8 bits.
"""

from __future__ import annotations

import numpy as np

from reelgraph.render.kernels.box_mean import box_mean_into

__all__ = ["reduce_picture", "reduce_picture_reference", "to_8bit"]


def to_8bit(picture: np.ndarray) -> np.ndarray:
    """``uint16`` (full 16-bit scale) to ``uint8`` by rounding; ``uint8`` is returned as is."""
    if picture.dtype == np.uint8:
        return picture
    wide = picture.astype(np.uint32)
    return ((wide * 255 + 32767) // 65535).astype(np.uint8)


def reduce_picture(picture: np.ndarray, scale: int) -> np.ndarray:
    """The ``(ceil(H/scale), ceil(W/scale), C)`` ``uint8`` box reduction of ``picture``.

    One compiled pass (:func:`~reelgraph.render.kernels.box_mean.box_mean_into`), exactly
    :func:`reduce_picture_reference`.

    Args:
        picture: ``(H, W, C)`` ``uint8``, or ``uint16`` on the full 16-bit scale.
        scale: 1, 2 or 4 (1: only the 8-bit reduction).
    """
    if scale == 1:
        return np.ascontiguousarray(to_8bit(picture))
    height, width, channels = picture.shape
    out = np.empty((-(-height // scale), -(-width // scale), channels), dtype=np.uint8)
    box_mean_into(picture, scale, picture.dtype == np.uint16, out)
    return out


def reduce_picture_reference(picture: np.ndarray, scale: int) -> np.ndarray:
    """The numpy formulation of :func:`reduce_picture` (the tests compare the two)."""
    if scale == 1:
        return np.ascontiguousarray(to_8bit(picture))
    height, width, channels = picture.shape
    pad_h, pad_w = -height % scale, -width % scale
    if pad_h or pad_w:
        picture = np.pad(picture, ((0, pad_h), (0, pad_w), (0, 0)), mode="edge")
    rows, cols = picture.shape[0] // scale, picture.shape[1] // scale
    wide = np.uint32 if picture.dtype == np.uint16 else np.uint16
    blocks = picture.reshape(rows, scale, cols, scale, channels)
    total = blocks.sum(axis=(1, 3), dtype=wide)
    count = scale * scale
    result: np.ndarray
    if picture.dtype == np.uint16:
        total = total.astype(np.uint64)
        result = ((total * 255 + count * 65535 // 2) // (count * 65535)).astype(np.uint8)
    else:
        result = ((total + count // 2) // count).astype(np.uint8)
    return result
