"""The curated exports of reelgraph.ecs and its import hygiene."""

from __future__ import annotations

import subprocess
import sys

import reelgraph.ecs


def test_the_package_exports_exactly_the_curated_names() -> None:
    assert sorted(reelgraph.ecs.__all__) == [
        "Condition",
        "EventReader",
        "Events",
        "RunCondition",
        "Schedule",
        "Stage",
        "System",
        "SystemSpec",
        "World",
        "all_of",
        "any_events",
        "any_of",
        "condition",
        "not_",
        "resource_equals",
        "resource_exists",
        "resource_matches",
    ]
    for name in reelgraph.ecs.__all__:
        assert getattr(reelgraph.ecs, name) is not None


def test_importing_the_ecs_pulls_in_neither_av_nor_wgpu_nor_numpy() -> None:
    code = (
        "import sys, reelgraph.ecs\n"
        "heavy = sorted(m for m in ('av', 'wgpu', 'numpy') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
