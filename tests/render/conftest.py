"""Fixtures for the render tests: floating-point errors raise, and one CPU backend."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from reelgraph.render import CpuBackend


@pytest.fixture(autouse=True)
def _float_errors_raise() -> Iterator[None]:
    """Overflow, underflow, invalid operations and division by zero fail the test."""
    with np.errstate(all="raise"):
        yield


@pytest.fixture
def cpu() -> CpuBackend:
    return CpuBackend()


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240607)
