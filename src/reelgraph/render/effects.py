"""The effects every backend implements: names, parameters, defaults and validation.

The table here is the backend-neutral contract; each backend keeps its own registry of
implementations keyed by the same names (the CPU one is
:data:`reelgraph.render.cpu.effects.CPU_EFFECTS`). All parameters are floats; effects act
on premultiplied scene-linear RGBA and leave alpha alone unless said otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["EFFECTS", "EFFECT_KINDS", "EffectSpec", "effect_params"]


@dataclass(frozen=True, slots=True)
class EffectSpec:
    """What one effect kind accepts.

    Attributes:
        summary: one line saying what the effect does and what its parameters mean.
        defaults: every parameter name with the value used when it is not given; they
            leave the image unchanged, except for ``invert`` (full inversion).
        ranges: ``(low, high)`` inclusive bounds of the parameters that have them.
    """

    summary: str
    defaults: Mapping[str, float]
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=lambda: MappingProxyType({}))


EFFECTS: Mapping[str, EffectSpec] = MappingProxyType(
    {
        "exposure": EffectSpec(
            "Multiply colour by 2**stops.",
            MappingProxyType({"stops": 0.0}),
            MappingProxyType({"stops": (-64.0, 64.0)}),
        ),
        "saturation": EffectSpec(
            "Scale colour away from Rec.709 luma (0.2126, 0.7152, 0.0722); 1 is identity, "
            "0 is grey.",
            MappingProxyType({"amount": 1.0}),
        ),
        "brightness_contrast": EffectSpec(
            "Straight colour c -> (c + brightness - pivot) * contrast + pivot, applied "
            "premultiplied (so transparent stays transparent); linear, not clipped.",
            MappingProxyType({"brightness": 0.0, "contrast": 1.0, "pivot": 0.18}),
        ),
        "invert": EffectSpec(
            "Mix straight colour c towards 1 - c by amount (in linear light, not clipped).",
            MappingProxyType({"amount": 1.0}),
        ),
        "color_balance": EffectSpec(
            "Multiply the red, green and blue channels by their gains.",
            MappingProxyType({"red": 1.0, "green": 1.0, "blue": 1.0}),
        ),
        "gaussian_blur": EffectSpec(
            "Gaussian blur of all four channels; radius is the standard deviation in "
            "pixels (kernel cut at 3 radii). Outside the frame is transparent, or the edge "
            "pixels repeated when repeat_edges >= 0.5.",
            MappingProxyType({"radius": 0.0, "repeat_edges": 0.0}),
            MappingProxyType({"radius": (0.0, 500.0), "repeat_edges": (0.0, 1.0)}),
        ),
    }
)
"""Effect kind -> its :class:`EffectSpec`."""

EFFECT_KINDS: tuple[str, ...] = tuple(EFFECTS)
"""The names of every effect, in table order."""


def effect_params(kind: str, params: Mapping[str, float]) -> dict[str, float]:
    """Check an effect's parameters and fill in the defaults.

    Args:
        kind: one of :data:`EFFECT_KINDS`.
        params: the parameters given; any subset of the kind's names.

    Returns:
        Every parameter of the kind, as floats.

    Raises:
        ValueError: the kind or a parameter name is unknown, or a value is not a finite
            number or is out of range; the message lists what is accepted.
    """
    spec = EFFECTS.get(kind)
    if spec is None:
        known = ", ".join(EFFECT_KINDS)
        raise ValueError(f"unknown effect {kind!r}; known effects: {known}")
    unknown = sorted(set(params) - set(spec.defaults))
    if unknown:
        accepted = ", ".join(spec.defaults)
        raise ValueError(f"effect {kind!r} has no parameter {unknown[0]!r}; it takes {accepted}")
    resolved = dict(spec.defaults)
    for name, value in params.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"effect {kind!r}: {name} must be a number, got {value!r}")
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"effect {kind!r}: {name} must be finite, got {value!r}")
        low, high = spec.ranges.get(name, (-math.inf, math.inf))
        if not low <= number <= high:
            raise ValueError(f"effect {kind!r}: {name} must be in [{low}, {high}], got {value!r}")
        resolved[name] = number
    return resolved
