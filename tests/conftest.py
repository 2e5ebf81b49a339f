"""Shared test switches and fixtures: ``--update-golden`` rewrites golden frames instead of
comparing; ``jobs`` is a job system on a manual clock for background-work tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelgraph.jobs import JobSystem, JobSystemConfig, ManualClock, PoolKind

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.png from the current renders",
    )


class GoldenFrames:
    """Compares a rendered frame with ``tests/golden/NAME.png`` within a tolerance."""

    def __init__(self, update: bool, scratch: Path) -> None:
        self.update = update
        self.scratch = scratch

    def check(self, name: str, pixels: np.ndarray, tolerance: int = 2) -> None:
        from reelgraph.media import read_image, write_png

        path = GOLDEN / f"{name}.png"
        if self.update or not path.exists():
            if not self.update:
                pytest.fail(f"no golden frame {path.name}; run pytest --update-golden")
            write_png(path, pixels)
            return
        expected = read_image(path)
        assert expected.shape == pixels.shape, f"{name}: shape {pixels.shape} != {expected.shape}"
        diff = np.abs(expected.astype(np.int32) - pixels.astype(np.int32))
        if diff.max() > tolerance:
            write_png(self.scratch / f"{name}-actual.png", pixels)
            write_png(
                self.scratch / f"{name}-diff.png", np.clip(diff * 16, 0, 255).astype(np.uint8)
            )
            pytest.fail(
                f"{name}: max difference {diff.max()} > {tolerance} "
                f"(actual and diff images in {self.scratch})"
            )


@pytest.fixture
def golden(request: pytest.FixtureRequest, tmp_path: Path) -> GoldenFrames:
    return GoldenFrames(bool(request.config.getoption("--update-golden")), tmp_path)


@pytest.fixture(autouse=True)
def _private_cache_and_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test's caches and logs out of the user's folders."""
    root = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "xdg-cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(root / "xdg-state"))


@pytest.fixture
def jobs():
    """A shared job system on a manual clock, one worker per pool, not started."""
    config = JobSystemConfig(workers={kind: 1 for kind in PoolKind}, watchdog_interval=None)
    system = JobSystem(config, clock=ManualClock(), start=False)
    yield system
    system.close(cancel_queued=True)
