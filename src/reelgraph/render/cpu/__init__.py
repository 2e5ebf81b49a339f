"""The CPU reference backend (numpy only)."""

from __future__ import annotations

from reelgraph.render.cpu.backend import CpuBackend

__all__ = ["CpuBackend"]
