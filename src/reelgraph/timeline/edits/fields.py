"""Reading the JSON form of an edit: typed fields with coded errors that name the path.

An edit's JSON is ``{"schema": "Edit.1", "kind": "trim", ...fields}``. :class:`Fields`
reads the fields one by one (refusing wrong types with an
:class:`~reelgraph.errors.EditFormatError` naming ``path.field``) and, at the end, refuses
fields nobody read. Objects in project-file form (a ``Clip.1``, a ``Transition.1``) are
checked against the project's JSON Schema first (:meth:`Fields.fragment`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import jsonschema

from reelgraph.errors import EditFormatError, ProjectValidationError
from reelgraph.project.json_schema import project_json_schema

__all__ = ["MISSING", "Fields", "schema_validator"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: The default of a required field.
MISSING: Any = _Missing()


@functools.lru_cache(maxsize=32)
def schema_validator(label: str) -> jsonschema.Draft202012Validator:
    schema = project_json_schema()
    return jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{label}"})


def _where(path: str, error: jsonschema.ValidationError) -> str:
    where = path
    for part in error.absolute_path:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    return where


class Fields:
    """The fields of one JSON object, read with types checked."""

    def __init__(self, data: object, path: str) -> None:
        """Read ``data`` (must be a JSON object) found at ``path`` (e.g. ``steps[2]``)."""
        if not isinstance(data, Mapping):
            raise EditFormatError(f"{path}: an edit must be a JSON object", path=path)
        self.data = data
        self.path = path
        self._read: set[str] = {"schema", "kind"}

    def at(self, name: str) -> str:
        """The path of field ``name``."""
        return f"{self.path}.{name}"

    def error(self, name: str, message: str) -> EditFormatError:
        """An :class:`EditFormatError` about field ``name``."""
        return EditFormatError(f"{self.at(name)}: {message}", path=self.at(name))

    def raw(self, name: str, default: Any = MISSING) -> Any:
        """The field's JSON value as it is."""
        self._read.add(name)
        if name not in self.data:
            if default is MISSING:
                raise self.error(name, "missing field")
            return default
        return self.data[name]

    def text(self, name: str, default: Any = MISSING) -> Any:
        """A string field."""
        value = self.raw(name, default)
        if value is not default and not isinstance(value, str):
            raise self.error(name, f"expected a string, got {value!r}")
        return value

    def integer(self, name: str, default: Any = MISSING) -> Any:
        """An integer field (booleans and floats are refused)."""
        value = self.raw(name, default)
        if value is not default and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.error(name, f"expected an integer, got {value!r}")
        return value

    def number(self, name: str, default: Any = MISSING) -> Any:
        """A number field, as a float."""
        value = self.raw(name, default)
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(name, f"expected a number, got {value!r}")
        return float(value)

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean field."""
        value = self.raw(name, default)
        if not isinstance(value, bool):
            raise self.error(name, f"expected true or false, got {value!r}")
        return value

    def choice(self, name: str, options: Sequence[str], default: Any = MISSING) -> Any:
        """A string field that must be one of ``options``."""
        value = self.text(name, default)
        if value is not default and value not in options:
            raise self.error(name, f"expected one of {', '.join(options)}, got {value!r}")
        return value

    def items(self, name: str) -> list[Any]:
        """A list field."""
        value = self.raw(name)
        if not isinstance(value, list):
            raise self.error(name, f"expected a list, got {type(value).__name__}")
        return value

    def fragment(self, name: str, label: str, default: Any = MISSING) -> Any:
        """An object in project-file form, checked against the schema's ``label`` (``Clip.1``)."""
        value = self.raw(name, default)
        if value is default:
            return value
        if isinstance(value, dict) and "schema" not in value:
            value = {"schema": label, **value}
        errors = list(schema_validator(label).iter_errors(value))
        if errors:
            error = max(errors, key=lambda e: len(e.absolute_path))
            where = _where(self.at(name), error)
            raise EditFormatError(f"{where}: {error.message}", path=where)
        return value

    def parse_error(self, name: str, error: ProjectValidationError) -> EditFormatError:
        """A parse error inside field ``name`` (an object in file form), with its full path."""
        inner = str(error.params.get("path", ""))
        where = self.at(name) + ("" if inner in ("", "$") else f".{inner}")
        message = error.message.split(": ", 1)[-1]
        return EditFormatError(f"{where}: {message}", path=where)

    def done(self) -> None:
        """Refuse fields that were not read."""
        unknown = sorted(set(self.data) - self._read)
        if unknown:
            raise self.error(unknown[0], "unknown field")
