"""2-D affine maps between pixel spaces, and the clip placement that builds one.

Coordinates are continuous pixel coordinates, x to the right and y down: the top-left
corner of an image is ``(0, 0)``, pixel ``(col, row)`` covers ``[col, col + 1) x
[row, row + 1)`` and its centre is ``(col + 0.5, row + 0.5)``. An :class:`Affine` given to
a backend maps SOURCE coordinates to OUTPUT coordinates; backends sample through its
inverse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Affine", "clip_transform"]


@dataclass(frozen=True, slots=True)
class Affine:
    """The map ``x' = a*x + b*y + c``, ``y' = d*x + e*y + f``.

    As a matrix, ``[[a, b, c], [d, e, f], [0, 0, 1]]`` acting on column vectors
    ``(x, y, 1)``. ``p @ q`` (or ``p.compose(q)``) applies ``q`` first, then ``p``, like
    matrix products: ``Affine.translate(10, 0) @ Affine.scale(2)`` scales, then moves.
    """

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 0.0
    e: float = 1.0
    f: float = 0.0

    @classmethod
    def identity(cls) -> Affine:
        """The map that leaves every point where it is."""
        return cls()

    @classmethod
    def translate(cls, x: float, y: float) -> Affine:
        """Move every point by ``(x, y)`` pixels."""
        return cls(c=float(x), f=float(y))

    @classmethod
    def scale(cls, sx: float, sy: float | None = None) -> Affine:
        """Scale about the origin by ``sx`` horizontally and ``sy`` (default ``sx``) vertically."""
        return cls(a=float(sx), e=float(sx if sy is None else sy))

    @classmethod
    def rotate(cls, degrees: float) -> Affine:
        """Rotate about the origin; positive is clockwise on screen (y points down).

        Multiples of 90 degrees give exact 0/1/-1 entries, so quarter turns stay exact.
        """
        quarter = float(degrees) / 90.0
        if quarter.is_integer():
            cos, sin = ((1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0))[int(quarter) % 4]
        else:
            radians = math.radians(degrees)
            cos, sin = math.cos(radians), math.sin(radians)
        return cls(a=cos, b=-sin, d=sin, e=cos)

    def compose(self, other: Affine) -> Affine:
        """The map that applies ``other`` first, then ``self`` (same as ``self @ other``)."""
        return Affine(
            a=self.a * other.a + self.b * other.d,
            b=self.a * other.b + self.b * other.e,
            c=self.a * other.c + self.b * other.f + self.c,
            d=self.d * other.a + self.e * other.d,
            e=self.d * other.b + self.e * other.e,
            f=self.d * other.c + self.e * other.f + self.f,
        )

    def __matmul__(self, other: Affine) -> Affine:
        return self.compose(other)

    @property
    def determinant(self) -> float:
        """``a*e - b*d``: the factor by which the map scales areas (negative if it mirrors)."""
        return self.a * self.e - self.b * self.d

    def inverse(self) -> Affine:
        """The map that undoes this one.

        Raises:
            ValueError: the map is singular (collapses the plane onto a line or point).
        """
        det = self.determinant
        if det == 0.0 or not math.isfinite(det):
            raise ValueError(f"affine map is not invertible (determinant {det!r})")
        a, b, d, e = self.e / det, -self.b / det, -self.d / det, self.a / det
        c, f = -(a * self.c + b * self.f), -(d * self.c + e * self.f)
        return Affine(a=a, b=b, c=c, d=d, e=e, f=f)

    def apply(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Map points, vectorised.

        Args:
            x: x coordinates, any shape.
            y: y coordinates, broadcastable with ``x``.

        Returns:
            ``(x', y')`` as ``float64`` arrays of the broadcast shape.
        """
        xs = np.asarray(x, dtype=np.float64)
        ys = np.asarray(y, dtype=np.float64)
        return self.a * xs + self.b * ys + self.c, self.d * xs + self.e * ys + self.f

    def to_matrix(self) -> NDArray[np.float64]:
        """The ``(3, 3)`` homogeneous matrix ``[[a, b, c], [d, e, f], [0, 0, 1]]``."""
        return np.array([[self.a, self.b, self.c], [self.d, self.e, self.f], [0.0, 0.0, 1.0]])

    @property
    def is_identity(self) -> bool:
        """Whether the map is exactly the identity."""
        return self == Affine()

    @property
    def is_axis_aligned(self) -> bool:
        """Whether the map only scales (possibly mirroring) and translates each axis."""
        return self.b == 0.0 and self.d == 0.0

    @property
    def integer_offset(self) -> tuple[int, int] | None:
        """``(dx, dy)`` if the map is a translation by whole pixels, else ``None``."""
        if (self.a, self.b, self.d, self.e) != (1.0, 0.0, 0.0, 1.0):
            return None
        if not (float(self.c).is_integer() and float(self.f).is_integer()):
            return None
        return int(self.c), int(self.f)


def clip_transform(
    src_w: int,
    src_h: int,
    canvas_w: int,
    canvas_h: int,
    *,
    position: tuple[float, float] | None = None,
    scale: tuple[float, float] = (1.0, 1.0),
    rotation_deg: float = 0.0,
    anchor: tuple[float, float] = (0.5, 0.5),
) -> Affine:
    """Place a source image on a canvas the way an editor's clip transform does.

    The anchor point, given as a fraction of the source size (``(0.5, 0.5)`` is its centre,
    ``(0, 0)`` its top-left corner), lands on ``position``; the source is scaled and then
    rotated (positive = clockwise on screen) about that point. With the defaults the
    source is centred on the canvas at its own size.

    Args:
        src_w: source width in pixels.
        src_h: source height in pixels.
        canvas_w: canvas width in pixels.
        canvas_h: canvas height in pixels.
        position: canvas point, in pixels, where the anchor goes; default the canvas centre.
        scale: ``(sx, sy)`` factors along the source's own axes; negative mirrors.
        rotation_deg: rotation in degrees, clockwise on screen.
        anchor: ``(ax, ay)`` fractions of the source width and height.

    Returns:
        The map from source pixel coordinates to canvas pixel coordinates:
        ``translate(position) @ rotate(rotation_deg) @ scale(sx, sy) @
        translate(-ax * src_w, -ay * src_h)``.
    """
    px, py = (canvas_w / 2.0, canvas_h / 2.0) if position is None else position
    return (
        Affine.translate(px, py)
        @ Affine.rotate(rotation_deg)
        @ Affine.scale(scale[0], scale[1])
        @ Affine.translate(-anchor[0] * src_w, -anchor[1] * src_h)
    )
