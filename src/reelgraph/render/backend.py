"""The render backend contract: what every backend (CPU reference, GPU) must do.

A backend owns its images. To callers an image is an opaque, immutable handle: it is made
by :meth:`Backend.from_array` or :meth:`Backend.solid`, passed back into the backend's
methods, and read with :meth:`Backend.to_array`. No method modifies an image it is given;
each returns a new handle (or, where nothing changes, possibly the same one).

Every image holds premultiplied, scene-linear ``float32`` RGBA with Rec.709 primaries.
The CPU backend is the reference the others are tested against, within a tolerance.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from reelgraph.render.affine import Affine, clip_transform
from reelgraph.render.modes import BlendMode, WipeDirection

# The value types a caller needs next to the protocol are re-exported from here.
__all__ = ["Affine", "Backend", "BlendMode", "ImageT", "WipeDirection", "clip_transform"]

ImageT = TypeVar("ImageT")
"""A backend's image handle type (the CPU backend's is a read-only ndarray)."""


@runtime_checkable
class Backend(Protocol[ImageT]):
    """Pixel operations on images that live in one backend.

    Images of one call must come from the same backend. Where a call combines two
    images they must have the same size (``ValueError`` otherwise). Results must not
    depend on anything but the arguments: same inputs, same output, on every run.
    """

    name: str
    """Short identifier, e.g. ``"cpu"``."""

    def from_array(self, rgba: NDArray[Any]) -> ImageT:
        """Make an image from pixels.

        Args:
            rgba: ``(H, W, 4)`` float array, premultiplied scene-linear RGBA; copied (or
                taken as is when already a read-only C-contiguous ``float32`` array).

        Raises:
            ValueError: wrong shape, an empty image, or not a float array.
        """
        ...

    def to_array(self, image: ImageT) -> NDArray[np.float32]:
        """The pixels of an image.

        Returns:
            ``(H, W, 4)`` C-contiguous ``float32``, premultiplied scene-linear RGBA. It
            may share memory with the image and be read-only: copy it before writing.
        """
        ...

    def size(self, image: ImageT) -> tuple[int, int]:
        """``(width, height)`` in pixels."""
        ...

    def solid(self, width: int, height: int, rgba: tuple[float, float, float, float]) -> ImageT:
        """An image of one colour.

        Args:
            width: width in pixels, >= 1.
            height: height in pixels, >= 1.
            rgba: premultiplied scene-linear colour (see
                :func:`reelgraph.render.color.parse_color`).
        """
        ...

    def transform(
        self,
        image: ImageT,
        affine: Affine,
        width: int,
        height: int,
        *,
        crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0),
    ) -> ImageT:
        """Resample an image onto a new transparent canvas through an affine map.

        Output pixel centres are mapped back through ``affine.inverse()`` and the source
        is sampled bilinearly there, with source pixel centres at ``(col + .5, row + .5)``.
        Outside the source is transparent, so edges fade out over one source pixel
        (anti-aliased) instead of smearing. Where the map shrinks an axis by more than 2x,
        the source is first box-reduced along it by the integer factor ``floor(1/scale)``
        so minification does not alias. A singular map gives a transparent canvas. An
        identity map onto the source size is exact (and may return ``image`` itself); a
        translation by whole pixels is an exact copy.

        Args:
            image: the source.
            affine: maps source pixel coordinates to output pixel coordinates.
            width: output width in pixels, >= 1.
            height: output height in pixels, >= 1.
            crop: ``(left, top, right, bottom)``: how many source pixels (fractions
                allowed, then the edge pixel is partly covered) to hide at each edge.
                Cropping hides pixels; it does not move the rest: ``affine`` still maps
                the uncropped source's coordinates.

        Raises:
            ValueError: a negative crop, or a size < 1.
        """
        ...

    def blend(self, base: ImageT, layer: ImageT, mode: BlendMode, opacity: float) -> ImageT:
        """Composite ``layer`` over ``base`` with a blend mode.

        With premultiplied colours ``Cs`` (layer, after opacity) and ``Cb`` (base) and
        alphas ``as``, ``ab``, every mode gives ``ao = as + ab - as*ab`` and
        ``Co = Cs*(1 - ab) + Cb*(1 - as) + as*ab*B(Cb/ab, Cs/as)`` (W3C compositing,
        written without divisions: ``as*ab*B`` expands to a polynomial in ``Cs``, ``Cb``,
        ``as``, ``ab``):

        * NORMAL: ``Co = Cs + Cb*(1 - as)``
        * ADD: ``Co = Cs + Cb`` (linear dodge; not clipped, linear light may exceed 1)
        * MULTIPLY: ``Co = Cs*(1 - ab) + Cb*(1 - as) + Cs*Cb``
        * SCREEN: ``Co = Cs + Cb - Cs*Cb``
        * OVERLAY: ``Co = Cs*(1 - ab) + Cb*(1 - as) + X`` with ``X = 2*Cs*Cb`` where
          ``2*Cb <= ab`` and ``X = as*ab - 2*(ab - Cb)*(as - Cs)`` elsewhere.

        Args:
            base: the lower image.
            layer: the upper image, same size.
            mode: the blend mode.
            opacity: multiplies all four channels of ``layer`` first; clamped to [0, 1].
        """
        ...

    def dissolve(self, a: ImageT, b: ImageT, t: float) -> ImageT:
        """Cross-fade: ``a*(1 - t) + b*t`` on premultiplied values, ``t`` clamped to [0, 1].

        ``t = 0`` gives exactly ``a`` and ``t = 1`` exactly ``b``.
        """
        ...

    def wipe(
        self,
        a: ImageT,
        b: ImageT,
        t: float,
        direction: WipeDirection,
        softness: float = 0.0,
    ) -> ImageT:
        """Reveal ``b`` over ``a`` as ``t`` goes from 0 to 1.

        Each pixel gets ``a*(1 - m) + b*m`` for a mask ``m`` built on a coordinate ``s``
        that runs 0 -> 1 across the frame in the wipe direction (pixel centres; for RADIAL
        distance from the centre over the distance to a corner, for CLOCK the clockwise
        angle from 12 o'clock over a full turn). With ``softness = 0`` the edge sits at
        ``s = t`` and ``m`` is the pixel's coverage by the revealed side (anti-aliased:
        linear wipes give exact area coverage). With ``softness > 0`` the edge is a
        smoothstep ramp of that width (a fraction of the frame, in ``s`` units) that runs
        from ``s = t*(1 + softness) - softness`` to ``s = t*(1 + softness)``. ``t <= 0``
        gives exactly ``a``, ``t >= 1`` exactly ``b``; at ``t = 0.5`` linear wipes cover
        half the frame.

        Raises:
            ValueError: negative softness, or images of different sizes.
        """
        ...

    def opacity(self, image: ImageT, factor: float) -> ImageT:
        """Scale all four channels by ``factor`` clamped to [0, 1] (``1`` may return ``image``)."""
        ...

    def apply_effect(self, image: ImageT, kind: str, params: Mapping[str, float]) -> ImageT:
        """Apply one effect of :data:`reelgraph.render.effects.EFFECT_KINDS`.

        Args:
            image: the input.
            kind: the effect name.
            params: any of the effect's parameters; the rest take their defaults (see
                :data:`reelgraph.render.effects.EFFECTS`).

        Raises:
            ValueError: unknown kind or parameter, or a bad value; the message lists what
                is accepted.
        """
        ...
