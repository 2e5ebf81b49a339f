"""The macro file: a project, variables and a list of steps, with ``${name}`` substitution.

::

    {"schema": "Macro.1",
     "project": "p.json",
     "variables": {"out": "renders", "cut": 30},
     "steps": [
       {"kind": "trim", "clip": "a", "side": "end", "delta": -5},
       {"kind": "save", "output": "${out}/p-edited.json"},
       {"kind": "render", "output": "${out}/a.mp4", "range": "0-${cut}", "preset": "h264"},
       {"kind": "undo"}
     ]}

A step is any edit (``Edit.1`` form, ``schema`` optional) or one of the commands
``undo``, ``redo``, ``save`` (``output`` optional: the project file itself), ``render``
(``output``; optional ``range``, ``preset``, ``frame_hashes``, ``settings``: export
setting overrides) and ``record`` (``output``: an edit log of the steps after it).
In every string, ``${name}`` is replaced by the variable's value (a string that is only
``${name}`` takes the value with its JSON type, so ``"delta": "${n}"`` gives a number);
``$$`` is a literal ``$``. ``macro_dir`` is always defined. Relative paths are relative
to the macro file's folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelgraph.errors import MacroError
from reelgraph.project.labels import split_label

__all__ = ["COMMAND_KINDS", "MACRO_SCHEMA", "Macro", "load_macro", "parse_macro", "substitute"]

#: The schema label of a macro file.
MACRO_SCHEMA = "Macro.1"
#: Step kinds that are commands rather than edits.
COMMAND_KINDS = ("undo", "redo", "save", "render", "record")

_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Macro:
    """A parsed macro: steps still hold ``${...}`` (substituted when each step runs)."""

    folder: Path
    project: str | None
    variables: Mapping[str, Any]
    steps: tuple[Mapping[str, Any], ...]


def _error(message: str, path: str, **params: Any) -> MacroError:
    return MacroError(f"{path}: {message}", path=path, **params)


def substitute(value: Any, variables: Mapping[str, Any], path: str) -> Any:
    """``value`` with ``${name}`` replaced in every string, recursively.

    Raises:
        MacroError: a variable is not defined; ``path`` names where.
    """
    if isinstance(value, list):
        return [substitute(v, variables, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: substitute(v, variables, f"{path}.{k}") for k, v in value.items()}
    if not isinstance(value, str):
        return value
    whole = _VARIABLE.fullmatch(value)
    if whole is not None and whole.group(1) is not None:
        return _lookup(whole.group(1), variables, path)

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return "$"
        found = _lookup(match.group(1), variables, path)
        return found if isinstance(found, str) else json.dumps(found)

    return _VARIABLE.sub(replace, value)


def _lookup(name: str, variables: Mapping[str, Any], path: str) -> Any:
    if name not in variables:
        known = ", ".join(sorted(variables)) or "none"
        raise _error(f"no variable {name!r} (defined: {known})", path, variable=name)
    return variables[name]


def parse_macro(data: Any, folder: Path, overrides: Mapping[str, Any] | None = None) -> Macro:
    """Check a macro's JSON and merge variable ``overrides`` (``--set``) into its variables.

    Raises:
        MacroError: a malformed macro; ``path`` names the field.
    """
    if not isinstance(data, dict):
        raise _error("a macro must be a JSON object", "$")
    label = split_label(data.get("schema"))
    if label is None or label[0] != "Macro" or label[1] != 1:
        raise _error(f"expected 'schema': {MACRO_SCHEMA!r}, got {data.get('schema')!r}", "schema")
    unknown = sorted(set(data) - {"schema", "project", "variables", "steps", "metadata"})
    if unknown:
        raise _error("unknown field", unknown[0])
    project = data.get("project")
    if project is not None and not isinstance(project, str):
        raise _error("expected a path", "project")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(_NAME.fullmatch(k) for k in variables):
        raise _error("expected an object of names (letters, digits, _) to values", "variables")
    steps = data.get("steps")
    if not isinstance(steps, list):
        raise _error("expected a list of steps", "steps")
    for number, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("kind"), str):
            raise _error("a step is an object with a 'kind'", f"steps[{number}]", step=number)
    merged = {"macro_dir": str(folder), **variables, **(overrides or {})}
    return Macro(folder, project, merged, tuple(steps))


def load_macro(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Macro:
    """Read and check a macro file.

    Raises:
        MacroError: the file is missing, not JSON, or malformed.
    """
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MacroError(f"no macro file at {file}", path=str(file)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MacroError(f"cannot read {file}: {exc}", path=str(file)) from None
    except json.JSONDecodeError as exc:
        raise MacroError(
            f"{file}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            path=str(file),
        ) from None
    try:
        return parse_macro(data, file.resolve().parent, overrides)
    except MacroError as exc:
        exc.with_context(file=str(file))
        raise


def parse_assignment(text: str) -> tuple[str, Any]:
    """``name=value`` from ``--set``; the value is JSON when it parses, else the text.

    Raises:
        MacroError: no ``=`` or a bad name.
    """
    name, sep, value = text.partition("=")
    if not sep or not _NAME.fullmatch(name):
        raise MacroError(f"--set expects name=value, got {text!r}", path="--set")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


__all__ += ["parse_assignment"]
