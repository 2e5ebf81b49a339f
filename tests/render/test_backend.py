"""The CPU backend as a Backend: handles, immutability, validation, exported names."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

import reelgraph.render as render
from reelgraph.render import Backend, BlendMode, CpuBackend, WipeDirection


def test_the_cpu_backend_satisfies_the_protocol(cpu: CpuBackend) -> None:
    assert isinstance(cpu, Backend)
    assert cpu.name == "cpu"


def test_from_array_copies_and_hands_out_read_only_images(cpu: CpuBackend) -> None:
    pixels = np.zeros((3, 5, 4), dtype=np.float64)
    image = cpu.from_array(pixels)
    pixels[...] = 1.0
    out = cpu.to_array(image)
    assert out.dtype == np.float32 and out.flags.c_contiguous and not out.flags.writeable
    assert not out.any()
    assert cpu.size(image) == (5, 3)


def test_operations_never_modify_their_inputs(cpu: CpuBackend) -> None:
    a = cpu.solid(4, 4, (0.25, 0.25, 0.25, 0.5))
    b = cpu.solid(4, 4, (0.5, 0.0, 0.0, 1.0))
    before = cpu.to_array(a).copy()
    results = [
        cpu.blend(a, b, BlendMode.NORMAL, 0.5),
        cpu.dissolve(a, b, 0.3),
        cpu.wipe(a, b, 0.3, WipeDirection.CLOCK),
        cpu.opacity(a, 0.5),
        cpu.apply_effect(a, "exposure", {"stops": 1.0}),
    ]
    np.testing.assert_array_equal(cpu.to_array(a), before)
    assert all(not cpu.to_array(r).flags.writeable for r in results)


def test_opacity_scales_all_channels(cpu: CpuBackend) -> None:
    out = cpu.to_array(cpu.opacity(cpu.solid(1, 1, (0.5, 0.25, 1.0, 1.0)), 0.5))
    np.testing.assert_array_equal(out[0, 0], np.float32([0.25, 0.125, 0.5, 0.5]))


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((2, 2, 3), np.float32),
        np.zeros((0, 2, 4), np.float32),
        np.zeros((2, 2, 4), np.uint8),
    ],
)
def test_from_array_rejects_what_is_not_working_pixels(cpu: CpuBackend, bad: NDArray[Any]) -> None:
    with pytest.raises(ValueError):
        cpu.from_array(bad)


def test_solid_rejects_empty_sizes(cpu: CpuBackend) -> None:
    with pytest.raises(ValueError, match="at least 1x1"):
        cpu.solid(0, 4, (0.0, 0.0, 0.0, 1.0))


def test_the_package_exports_exactly_its_public_names() -> None:
    expected = {
        "EFFECTS",
        "EFFECT_KINDS",
        "Affine",
        "Backend",
        "BlendMode",
        "CpuBackend",
        "EffectSpec",
        "WipeDirection",
        "clip_transform",
        "effect_params",
        "from_working",
        "linear_to_srgb",
        "parse_color",
        "srgb_to_linear",
        "to_working",
    }
    assert set(render.__all__) == expected
    assert all(hasattr(render, name) for name in expected)


def test_importing_render_loads_neither_av_nor_wgpu() -> None:
    code = (
        "import sys, reelgraph.render, reelgraph.render.cpu; "
        "bad = [m for m in ('av', 'wgpu') if m in sys.modules]; "
        "print(*bad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
