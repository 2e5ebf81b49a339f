"""reelgraph: a headless-first, deterministic, crash-tolerant video engine.

The curated API: load a project, render frames or export it.

    >>> from reelgraph import load_project, export_project, resolve_settings

Names are imported on first use, so ``import reelgraph.timeline`` (the core) never
pulls in PyAV or the GPU stack.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "PRESETS": "reelgraph.export.presets",
    "Engine": "reelgraph.engine.engine",
    "ExportResult": "reelgraph.export.job",
    "ExportSettings": "reelgraph.export.presets",
    "Format": "reelgraph.project.document",
    "ProjectDocument": "reelgraph.project.document",
    "ProjectStore": "reelgraph.project.store",
    "ReelgraphError": "reelgraph.errors",
    "export_project": "reelgraph.export.job",
    "load_project": "reelgraph.project.load",
    "load_project_data": "reelgraph.project.load",
    "localize": "reelgraph.i18n",
    "open_project": "reelgraph.project.recovery",
    "project_json_schema": "reelgraph.project.json_schema",
    "render_to_memory": "reelgraph.export.job",
    "resolve_settings": "reelgraph.export.presets",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reelgraph' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return __all__
