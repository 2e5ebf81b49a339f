"""The ``text`` plugin: two generators, ``text.title`` and ``text.lower_third``.

Both take the same parameters; they differ in their defaults (a centred title; a
left-aligned name strap on a translucent box near the bottom left):

* ``text``: the text; ``\\n`` starts a new line. Any Unicode, Japanese included.
* ``font``: ``auto`` (bold sans, or a CJK font for CJK text), an alias (``sans``,
  ``sans-bold``, ``serif``, ``mono``, ``cjk``, ``cjk-bold``), a font file name, or a path
  relative to the project (see :mod:`reelgraph_text.fonts`).
* ``size``: font size in pixels; ``color``: ``"#rrggbb"``/``"#rrggbbaa"`` (sRGB).
* ``outline_width`` (pixels, 0 = none) and ``outline_color``.
* ``shadow_color`` (transparent = none), ``shadow_offset`` ``[dx, dy]`` pixels and
  ``shadow_blur`` (Gaussian standard deviation, pixels).
* ``box_color`` (transparent = none) and ``box_padding``: a box behind the text.
* ``align``: ``left``, ``center`` or ``right`` (lines inside the block).
* ``anchor``: which point of the block sits at ``position`` (``top_left`` ...
  ``center`` ... ``bottom_right``).
* ``position`` ``[x, y]``: fractions of the frame (``[0.5, 0.5]`` is its centre).
* ``line_spacing``: multiple of the font's line height.
* ``opacity`` (0..1) and ``scale`` (multiplies every length, around the anchor).

``position``, ``opacity``, ``scale``, ``size`` and the other numbers may be keyframed in
the project (``Animated.1``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from reelgraph.plugins.protocols import OpSpec, PluginContext, PluginValue
from reelgraph.render.color import parse_color
from reelgraph_text.fonts import find_font
from reelgraph_text.render import ANCHORS, TextStyle, render_text

__all__ = ["TextPlugin", "create", "style_from_params"]

_COMMON: dict[str, PluginValue] = {
    "text": "Title",
    "font": "auto",
    "size": 96.0,
    "color": "#ffffff",
    "outline_color": "#000000",
    "outline_width": 0.0,
    "shadow_color": "#00000000",
    "shadow_offset": (4.0, 4.0),
    "shadow_blur": 0.0,
    "box_color": "#00000000",
    "box_padding": 24.0,
    "align": "center",
    "anchor": "center",
    "position": (0.5, 0.5),
    "line_spacing": 1.2,
    "opacity": 1.0,
    "scale": 1.0,
}
_RANGES = MappingProxyType(
    {
        "size": (0.0, 2000.0),
        "outline_width": (0.0, 200.0),
        "shadow_blur": (0.0, 200.0),
        "box_padding": (0.0, 2000.0),
        "line_spacing": (0.1, 10.0),
        "opacity": (0.0, 1.0),
        "scale": (0.0, 100.0),
    }
)
_CHOICES = MappingProxyType({"align": ("left", "center", "right"), "anchor": tuple(ANCHORS)})


def _spec(summary: str, **overrides: PluginValue) -> OpSpec:
    return OpSpec(
        summary=summary,
        defaults=MappingProxyType({**_COMMON, **overrides}),
        ranges=_RANGES,
        choices=_CHOICES,
        paths=("font",),
    )


_SPECS = MappingProxyType(
    {
        "title": _spec("A title: centred text, optionally outlined, shadowed or boxed."),
        "lower_third": _spec(
            "A lower third: left-aligned text on a translucent box near the bottom left.",
            text="Name\nRole",
            size=48.0,
            align="left",
            anchor="bottom_left",
            position=(0.06, 0.88),
            box_color="#000000a0",
            box_padding=20.0,
        ),
    }
)
_CACHED = 4  # pictures kept: a static title is drawn once for all its frames


def style_from_params(params: Mapping[str, Any]) -> TextStyle:
    """A :class:`TextStyle` from the generator's (complete, checked) parameters."""
    text = str(params["text"])
    return TextStyle(
        text=text,
        font=find_font(str(params["font"]), text),
        size=float(params["size"]),
        color=parse_color(params["color"]),
        position=(float(params["position"][0]), float(params["position"][1])),
        anchor=str(params["anchor"]),
        align=str(params["align"]),
        line_spacing=float(params["line_spacing"]),
        outline_color=parse_color(params["outline_color"]),
        outline_width=float(params["outline_width"]),
        shadow_color=parse_color(params["shadow_color"]),
        shadow_offset=(float(params["shadow_offset"][0]), float(params["shadow_offset"][1])),
        shadow_blur=float(params["shadow_blur"]),
        box_color=parse_color(params["box_color"]),
        box_padding=float(params["box_padding"]),
        opacity=float(params["opacity"]),
        scale=float(params["scale"]),
    )


class TextPlugin:
    """Implements the ``generator`` feature (``reelgraph.plugins.protocols.GeneratorPlugin``)."""

    def __init__(self, context: PluginContext | None = None) -> None:
        self.context = context
        self._pictures: OrderedDict[tuple[Any, ...], NDArray[np.float32]] = OrderedDict()

    def generator_specs(self) -> Mapping[str, OpSpec]:
        """``title`` and ``lower_third``."""
        return _SPECS

    def generate(
        self, name: str, width: int, height: int, params: Mapping[str, PluginValue]
    ) -> NDArray[np.float32]:
        """The text on a transparent ``(height, width, 4)`` premultiplied linear picture.

        The array returned is read-only and may be shared between calls.
        """
        if name not in _SPECS:
            raise ValueError(f"unknown generator {name!r}")
        key = (width, height, tuple(sorted(params.items())))
        picture = self._pictures.get(key)
        if picture is None:
            picture = render_text(width, height, style_from_params(params))
            picture.flags.writeable = False
            self._pictures[key] = picture
            while len(self._pictures) > _CACHED:
                self._pictures.popitem(last=False)
        else:
            self._pictures.move_to_end(key)
        return picture


def create(context: PluginContext) -> TextPlugin:
    """The entry point: the plugin object."""
    return TextPlugin(context)
