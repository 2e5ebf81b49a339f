"""Preview quality: what resolution a frame request needs, and which proxies satisfy it.

A request carries a :class:`Quality` (or a zoom factor, turned into one by
:meth:`Quality.from_zoom`). The engine serves the smallest proxy whose resolution is at
least what the quality asks for, and the original while none is ready. ``ORIGINAL``
never uses proxies: exports run with it unless told otherwise.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["PreviewQuality", "ProxyLevel", "Quality", "proxy_size"]


class ProxyLevel(enum.Enum):
    """A proxy's resolution: the original's divided by :attr:`scale` (8 bits per channel)."""

    FULL = "full"
    HALF = "half"
    QUARTER = "quarter"

    @property
    def scale(self) -> int:
        """The divisor of the original's width and height (1, 2 or 4)."""
        return {"full": 1, "half": 2, "quarter": 4}[self.value]


def proxy_size(width: int, height: int, level: ProxyLevel) -> tuple[int, int]:
    """A proxy's size: each side divided by the level's scale, rounded up."""
    scale = level.scale
    return (-(-width // scale), -(-height // scale))


class Quality(enum.Enum):
    """The resolution a frame request needs, as a fraction of the original's."""

    ORIGINAL = "original"
    """The original media only: full resolution, full bit depth (exports)."""
    FULL = "full"
    """Full resolution; an 8-bit, intra-frame full-size proxy may stand in."""
    HALF = "half"
    """Half the original's width and height is enough."""
    QUARTER = "quarter"
    """A quarter of the original's width and height is enough."""

    @classmethod
    def from_zoom(cls, zoom: float) -> Quality:
        """The quality a viewer showing the picture at ``zoom`` x its size needs."""
        if zoom > 0.5:
            return cls.FULL
        if zoom > 0.25:
            return cls.HALF
        return cls.QUARTER

    @property
    def candidates(self) -> tuple[ProxyLevel, ...]:
        """The proxy levels that satisfy this quality, smallest (fastest) first."""
        return {
            "original": (),
            "full": (ProxyLevel.FULL,),
            "half": (ProxyLevel.HALF, ProxyLevel.FULL),
            "quarter": (ProxyLevel.QUARTER, ProxyLevel.HALF, ProxyLevel.FULL),
        }[self.value]


@dataclass(frozen=True, slots=True)
class PreviewQuality:
    """World resource: the quality frame requests are served at (absent: originals)."""

    quality: Quality = Quality.FULL
