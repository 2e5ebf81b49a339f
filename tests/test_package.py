"""The package's promises about itself: exports, import hygiene, pinned error codes, schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import reelgraph
from reelgraph import errors
from reelgraph.project.json_schema import project_json_schema

SCHEMA_COPY = Path(__file__).parent / "golden" / "project.schema.json"


def test_every_exported_name_resolves():
    for name in reelgraph.__all__:
        assert getattr(reelgraph, name) is not None


def test_the_core_imports_neither_pyav_nor_wgpu():
    code = (
        "import sys, reelgraph.ecs, reelgraph.timeline.index, reelgraph.timeline.spawn, "
        "reelgraph.time, reelgraph.project.load;"
        "print(sorted(m for m in ('av', 'wgpu') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_only_the_media_package_imports_pyav():
    root = Path(reelgraph.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "media" not in path.relative_to(root).parts
        and any(
            line.strip().startswith(("import av", "from av"))
            for line in path.read_text().splitlines()
        )
    ]
    assert offenders == []


PINNED_CODES = {
    "UsageError": "cli.usage",
    "TimeFormatError": "time.invalid",
    "ProjectNotFoundError": "project.not_found",
    "ProjectSyntaxError": "project.syntax",
    "ProjectValidationError": "project.invalid",
    "UnknownSchemaError": "project.unknown_schema",
    "ZeroLengthClipError": "timeline.zero_length",
    "OverlapError": "timeline.overlap",
    "TimeRangeError": "timeline.out_of_range",
    "UnknownReferenceError": "timeline.unknown_reference",
    "NestingCycleError": "timeline.nesting_cycle",
    "MediaNotFoundError": "media.not_found",
    "DecodeError": "media.decode",
    "UnsupportedCodecError": "media.unsupported_codec",
    "NoStreamError": "media.no_stream",
    "EncodeError": "media.encode",
    "ProxyCorruptError": "media.proxy_corrupt",
    "OutputWriteError": "output.write_failed",
    "InternalError": "internal.bug",
}


@pytest.mark.parametrize(("name", "code"), sorted(PINNED_CODES.items()))
def test_error_codes_are_pinned(name, code):
    assert getattr(errors, name).code == code


def test_every_error_class_has_a_docstring_a_code_and_is_exported():
    classes = [
        c
        for c in vars(errors).values()
        if isinstance(c, type) and issubclass(c, errors.ReelgraphError)
    ]
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes))
    for cls in classes:
        assert cls.__doc__ and cls.__name__ in errors.__all__


def test_not_found_errors_are_also_file_not_found_errors():
    assert issubclass(errors.MediaNotFoundError, FileNotFoundError)
    assert issubclass(errors.ProjectNotFoundError, FileNotFoundError)


def test_the_published_schema_has_not_drifted(request):
    current = json.dumps(project_json_schema(), indent=1, sort_keys=True) + "\n"
    if request.config.getoption("--update-golden"):
        SCHEMA_COPY.write_text(current)
    assert SCHEMA_COPY.read_text() == current, "schema changed: bump versions, then --update-golden"
