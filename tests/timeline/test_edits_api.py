"""The edit API's promises about itself: exports, value types, import hygiene."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import reelgraph.timeline.edits as edits
from reelgraph.timeline.edits import EDIT_KINDS


def test_every_exported_name_resolves():
    for name in edits.__all__:
        assert getattr(edits, name) is not None


def test_every_edit_kind_is_a_frozen_slotted_documented_dataclass_with_its_label():
    for kind, cls in EDIT_KINDS.items():
        assert cls.kind == kind
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
        assert "__slots__" in cls.__dict__ and cls.__doc__


def test_the_editing_modules_import_neither_pyav_nor_wgpu():
    code = (
        "import sys, reelgraph.timeline.edits, reelgraph.timeline.history, "
        "reelgraph.timeline.edit_log, reelgraph.timeline.dirty, reelgraph.project.save, "
        "reelgraph.macro.format;"
        "print(sorted(m for m in ('av', 'wgpu') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
