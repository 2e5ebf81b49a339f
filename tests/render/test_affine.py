"""Affine maps and the clip placement helper."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from reelgraph.render import Affine, clip_transform


def test_composition_applies_the_right_hand_map_first() -> None:
    moved_then_scaled = Affine.scale(2.0) @ Affine.translate(1.0, 0.0)
    scaled_then_moved = Affine.translate(1.0, 0.0).compose(Affine.scale(2.0))
    assert moved_then_scaled.apply(1.0, 1.0) == (4.0, 2.0)
    assert scaled_then_moved.apply(1.0, 1.0) == (3.0, 2.0)


def test_positive_rotation_turns_clockwise_on_a_y_down_screen() -> None:
    x, y = Affine.rotate(90).apply(1.0, 0.0)
    assert (float(x), float(y)) == (0.0, 1.0)  # right -> down is clockwise when y points down


def test_quarter_turns_have_exact_entries() -> None:
    assert Affine.rotate(-90) == Affine(a=0.0, b=1.0, d=-1.0, e=0.0)
    assert Affine.rotate(180) == Affine(a=-1.0, b=-0.0, d=0.0, e=-1.0)
    assert Affine.rotate(450) == Affine.rotate(90)


def test_inverse_undoes_the_map() -> None:
    affine = Affine.translate(3.0, -2.0) @ Affine.rotate(33.0) @ Affine.scale(1.5, 0.5)
    product = (affine @ affine.inverse()).to_matrix()
    np.testing.assert_allclose(product, np.eye(3), atol=1e-12)


def test_inverse_of_a_singular_map_raises() -> None:
    with pytest.raises(ValueError, match="not invertible"):
        Affine.scale(0.0, 1.0).inverse()


def test_integer_offset_is_reported_only_for_whole_pixel_translations() -> None:
    assert Affine.translate(3, -4).integer_offset == (3, -4)
    assert Affine.translate(3.5, 0).integer_offset is None
    assert Affine.scale(2.0).integer_offset is None
    assert Affine.identity().is_identity


def test_affines_are_frozen_values() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Affine().a = 2.0  # type: ignore[misc]
    assert Affine.translate(1, 2) == Affine.translate(1.0, 2.0)


def test_clip_transform_centres_the_source_by_default() -> None:
    assert clip_transform(64, 48, 64, 48).is_identity
    assert clip_transform(32, 24, 64, 48) == Affine.translate(16.0, 12.0)


@pytest.mark.parametrize("anchor", [(0.0, 0.0), (0.5, 0.5), (1.0, 0.25)])
def test_clip_transform_puts_the_anchor_on_the_position(anchor: tuple[float, float]) -> None:
    affine = clip_transform(
        40, 30, 64, 48, position=(10.0, 7.0), scale=(2.0, 0.5), rotation_deg=37.0, anchor=anchor
    )
    x, y = affine.apply(anchor[0] * 40, anchor[1] * 30)
    assert (float(x), float(y)) == pytest.approx((10.0, 7.0))


def test_clip_transform_scales_and_rotates_about_the_anchor() -> None:
    affine = clip_transform(
        40, 30, 100, 100, position=(50, 50), scale=(2.0, 1.0), rotation_deg=90.0, anchor=(0.0, 0.0)
    )
    # One source pixel right of the anchor: doubled to 2 pixels, then turned to point down.
    x, y = affine.apply(1.0, 0.0)
    assert (float(x), float(y)) == pytest.approx((50.0, 52.0))
