"""Compile the kernels ahead of the first frame, into numba's on-disk cache.

A kernel compiles on its first call with each new kind of argument (dtype, layout,
read-only or not), which takes seconds; setup runs :func:`compile_ahead` once so renders,
tests and worker processes only load the cache. It drives the public operations with tiny
images of the kinds the engine passes, so the signatures compiled are the ones used.
"""

from __future__ import annotations

import numpy as np

__all__ = ["compile_ahead"]


def compile_ahead() -> None:
    """Call every kernel once with each kind of argument the engine uses."""
    from reelgraph.proxies.reduce import reduce_picture
    from reelgraph.render.affine import Affine
    from reelgraph.render.color import from_working, to_working
    from reelgraph.render.cpu import CpuBackend
    from reelgraph.render.kernels.checks import count_non_finite
    from reelgraph.render.modes import BlendMode

    cpu = CpuBackend()
    images = []
    for dtype in (np.uint8, np.uint16):
        for channels in (3, 4):
            codes = np.full((4, 6, channels), 7, dtype=dtype)
            for pixels in (codes, codes[:, ::-1]):
                picture = to_working(pixels)
                images.append(picture)
                picture.flags.writeable = False
                images.append(picture)
    for image in images[:2]:
        for bit_depth in (8, 16):
            for alpha in (False, True):
                from_working(image, bit_depth=bit_depth, alpha=alpha)
    frozen, writable = cpu.from_array(images[0]), images[0].copy()
    for base in (frozen, writable):
        for layer in (frozen, writable):
            for mode in BlendMode:
                cpu.blend(base, layer, mode, 0.5)
                cpu.blend(base, layer, mode, 1.0)
            cpu.dissolve(base, layer, 0.5)
    for image in (frozen, writable):
        count_non_finite(image.reshape(-1))
        cpu.apply_effect(image, "exposure", {"stops": 1.0})
        cpu.transform(image, Affine.scale(0.3, 0.3), 4, 4)
        cpu.transform(image, Affine.translate(0.5, 0.25) @ Affine.scale(1.5, 1.5), 8, 8)
    for dtype in (np.uint8, np.uint16):
        for channels in (3, 4):
            picture = np.zeros((4, 6, channels), dtype=dtype)
            reduce_picture(picture, 2)
            picture.flags.writeable = False  # decoded frames are read-only
            reduce_picture(picture, 2)
