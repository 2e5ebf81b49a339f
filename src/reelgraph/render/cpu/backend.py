"""The CPU reference backend: every render operation deterministic, in numpy and compiled kernels.

Images are read-only ``(H, W, 4)`` C-contiguous ``float32`` ndarrays (premultiplied
scene-linear RGBA). The GPU backend is tested against this one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from reelgraph.render.affine import Affine
from reelgraph.render.buffer_pool import POOL
from reelgraph.render.cpu import blend as _blend
from reelgraph.render.cpu import effects as _effects
from reelgraph.render.cpu import transform as _transform
from reelgraph.render.cpu import transitions as _transitions
from reelgraph.render.cpu.pixels import Pixels, check_image, freeze
from reelgraph.render.effects import effect_params
from reelgraph.render.modes import BlendMode, WipeDirection

__all__ = ["CpuBackend"]


class CpuBackend:
    """Numpy implementation of :class:`reelgraph.render.backend.Backend`.

    The docstrings of the protocol are the contract; this class adds nothing to it.
    """

    name = "cpu"

    def __init__(self) -> None:
        self._solids: dict[tuple[int, int, tuple[float, ...]], Pixels] = {}

    def from_array(self, rgba: NDArray[Any]) -> Pixels:
        """Make an image from ``(H, W, 4)`` float premultiplied pixels (copied unless frozen)."""
        if not isinstance(rgba, np.ndarray) or rgba.ndim != 3 or rgba.shape[2] != 4:
            shape = getattr(rgba, "shape", None)
            raise ValueError(f"expected an (H, W, 4) array, got shape {shape}")
        if rgba.shape[0] < 1 or rgba.shape[1] < 1:
            raise ValueError(f"an image needs at least one pixel, got shape {rgba.shape}")
        if not np.issubdtype(rgba.dtype, np.floating):
            raise ValueError(f"expected float pixels (to_working reads integers), got {rgba.dtype}")
        if rgba.dtype == np.float32 and rgba.flags.c_contiguous and not rgba.flags.writeable:
            return rgba
        return freeze(np.array(rgba, dtype=np.float32, order="C", copy=True))

    def to_array(self, image: Pixels) -> NDArray[np.float32]:
        """The image's pixels: the read-only array itself."""
        return check_image(image)

    def size(self, image: Pixels) -> tuple[int, int]:
        """``(width, height)``."""
        height, width = check_image(image).shape[:2]
        return width, height

    def solid(self, width: int, height: int, rgba: tuple[float, float, float, float]) -> Pixels:
        """An image filled with one premultiplied linear colour."""
        _check_size(width, height)
        if len(rgba) != 4 or not all(math.isfinite(float(c)) for c in rgba):
            raise ValueError(f"expected four finite floats, got {rgba!r}")
        key = (width, height, tuple(float(c) for c in rgba))
        cached = self._solids.get(key)
        if cached is not None:
            return cached
        out = np.empty((height, width, 4), dtype=np.float32)
        out[...] = np.asarray(rgba, dtype=np.float32)
        frozen = freeze(out)
        # Images are read-only, so one solid can be shared; keep the last few (backgrounds
        # and mattes repeat every frame).
        if len(self._solids) >= 8:
            self._solids.pop(next(iter(self._solids)))
        self._solids[key] = frozen
        return frozen

    def transform(
        self,
        image: Pixels,
        affine: Affine,
        width: int,
        height: int,
        *,
        crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0),
    ) -> Pixels:
        """Bilinear affine resample onto a transparent canvas (see the protocol)."""
        _check_size(width, height)
        return freeze(_transform.warp(check_image(image), affine, width, height, crop))

    def blend(self, base: Pixels, layer: Pixels, mode: BlendMode, opacity: float) -> Pixels:
        """Composite ``layer`` over ``base`` (see the protocol for the formulas)."""
        mode = BlendMode(mode)
        return freeze(_blend.blend(check_image(base), check_image(layer), mode, opacity))

    def dissolve(self, a: Pixels, b: Pixels, t: float) -> Pixels:
        """Cross-fade from ``a`` to ``b``."""
        return freeze(_transitions.dissolve(check_image(a), check_image(b), t))

    def wipe(
        self,
        a: Pixels,
        b: Pixels,
        t: float,
        direction: WipeDirection,
        softness: float = 0.0,
    ) -> Pixels:
        """Reveal ``b`` over ``a`` in ``direction``."""
        direction = WipeDirection(direction)
        image_a, image_b = check_image(a), check_image(b)
        return freeze(_transitions.wipe(image_a, image_b, t, direction, softness))

    def opacity(self, image: Pixels, factor: float) -> Pixels:
        """Scale all channels by ``factor`` clamped to [0, 1]."""
        pixels = check_image(image)
        factor = _unit_factor(factor)
        if factor == 1.0:
            return pixels
        return freeze(_effects.run_colour_steps(pixels, [_effects.opacity_step(factor)]))

    def apply_effect(self, image: Pixels, kind: str, params: Mapping[str, float]) -> Pixels:
        """Run one effect kernel after validating its parameters."""
        return freeze(_effects.apply_effect(check_image(image), kind, params))

    def recycle(self, image: Pixels) -> None:
        """The caller drops its one reference to ``image`` right after: reuse the buffer if
        nobody else holds one (see :mod:`reelgraph.render.buffer_pool`)."""
        POOL.give_back(image, owners=2)

    def apply_fused(self, image: Pixels, steps: Sequence[Any]) -> Pixels:
        """Run a chain of per-pixel steps (the graph's fused colour effects and opacities).

        One compiled pass gives exactly the pixels of :meth:`apply_effect` and
        :meth:`opacity` called step by step.

        Args:
            image: the input.
            steps: ``EffectOpNode`` (a colour effect) and ``OpacityNode`` values of
                :mod:`reelgraph.graph.nodes`, in order.
        """
        program = []
        for step in steps:
            factor = getattr(step, "factor", None)
            if factor is None:
                params = effect_params(step.kind, dict(step.params))
                program.append(_effects.colour_step(step.kind, params))
                continue
            factor = _unit_factor(factor)
            if factor != 1.0:
                program.append(_effects.opacity_step(factor))
        pixels = check_image(image)
        return freeze(_effects.run_colour_steps(pixels, program)) if program else pixels


def _unit_factor(factor: float) -> float:
    factor = float(factor)
    if not math.isfinite(factor):
        raise ValueError(f"opacity must be finite, got {factor!r}")
    return min(max(factor, 0.0), 1.0)


def _check_size(width: int, height: int) -> None:
    if isinstance(width, bool) or isinstance(height, bool) or width < 1 or height < 1:
        raise ValueError(f"size must be at least 1x1, got {width}x{height}")
