"""Open a project file: read, check labels, migrate, validate against the schema, build, check.

Each step turns its failure into a coded error that names the file and the field path;
a user never sees a traceback for a bad project.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from reelgraph.errors import (
    ProjectNotFoundError,
    ProjectSyntaxError,
    ProjectValidationError,
    ReelgraphError,
)
from reelgraph.project.document import ProjectDocument
from reelgraph.project.json_schema import project_json_schema
from reelgraph.project.labels import check_labels, format_path
from reelgraph.project.migrations import upgrade_document
from reelgraph.project.parse import parse_document
from reelgraph.timeline.validate import validate_timeline

__all__ = ["load_project", "load_project_data", "read_project_json"]


def _is_integer(checker: object, instance: object) -> bool:
    # JSON Schema counts 10.0 as an integer; frames, sizes and counts must be true ints.
    return isinstance(instance, int) and not isinstance(instance, bool)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine("integer", _is_integer)
    strict = jsonschema.validators.extend(base, type_checker=checker)
    return strict(project_json_schema())


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _non_finite(data: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """The path of the first NaN or infinite number in ``data``, if any."""
    if isinstance(data, float):
        return None if math.isfinite(data) else path
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        found = _non_finite(value, (*path, key))
        if found is not None:
            return found
    return None


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectNotFoundError(f"no project file at {path}", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ProjectSyntaxError(
            f"cannot read {path}: {reason}", path=str(path), detail=reason
        ) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):
            detail = f"invalid JSON: {exc}"
            raise ProjectSyntaxError(f"{path}: {detail}", path=str(path), detail=detail) from None
        detail = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise ProjectSyntaxError(
            f"{path}: {detail}",
            path=str(path),
            line=exc.lineno,
            column=exc.colno,
            detail=detail,
        ) from None
    except RecursionError:
        detail = "the JSON is nested too deeply"
        raise ProjectSyntaxError(f"{path}: {detail}", path=str(path), detail=detail) from None


def read_project_json(path: str | Path) -> Any:
    """The parsed JSON of a project file, unchecked (for recovery, which picks a base).

    Raises:
        ProjectNotFoundError: no file at ``path``.
        ProjectSyntaxError: unreadable, or not JSON.
    """
    return _read(Path(path))


def _schema_error(data: Any) -> ProjectValidationError | None:
    errors = list(_validator().iter_errors(data))
    if not errors:
        return None
    # The deepest error names the most precise field; ties go to document order.
    error = max(errors, key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path]))
    best = jsonschema.exceptions.best_match([error])
    where = format_path(list(best.absolute_path))
    detail = _describe(best)
    return ProjectValidationError(f"{where}: {detail}", path=where, detail=detail)


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"unknown field ({error.message})"
    if error.validator == "required":
        return f"missing field: {error.message}"
    return error.message


def load_project_data(data: Any, base_dir: Path) -> ProjectDocument:
    """Build and check a project from already-parsed JSON data.

    Older schema versions are upgraded first (:mod:`reelgraph.project.migrations`).

    Raises:
        UnknownSchemaError, MigrationError, ProjectValidationError, TimelineError: as for
            :func:`load_project`.
    """
    if not isinstance(data, dict):
        raise ProjectValidationError("$: a project must be a JSON object", path="$")
    try:
        where = _non_finite(data)
        if where is not None:
            at = format_path(where)
            raise ProjectValidationError(
                f"{at}: not a finite number", path=at, detail="not a finite number"
            )
        check_labels(data, older_ok=True)
        data = upgrade_document(data)
        check_labels(data)
        error = _schema_error(data)
    except RecursionError:
        raise ProjectValidationError("$: the project is nested too deeply", path="$") from None
    if error is not None:
        raise error
    document, paths = parse_document(data, base_dir)
    validate_timeline(document, paths)
    return document


def load_project(path: str | Path) -> ProjectDocument:
    """Open and check a project file; media paths resolve against its folder.

    Raises:
        ProjectNotFoundError: no file at ``path``.
        ProjectSyntaxError: not JSON.
        UnknownSchemaError: an unknown ``"Name.N"`` label; SchemaTooNewError (a subclass)
            for a version newer than this engine reads.
        MigrationError: an object of an older version too malformed to upgrade.
        ProjectValidationError: a field of the wrong type or value (``params['path']``).
        TimelineError: overlaps, zero-length clips, bad references, nesting loops.
    """
    file = Path(path)
    try:
        return load_project_data(_read(file), file.resolve().parent)
    except ReelgraphError as exc:
        exc.with_context(file=str(file))
        raise
