"""Upgrade-on-read: objects of older schema versions become current before validation.

Every persisted object is labelled ``"Name.N"``. A migration is a function dict → dict
registered for one label version: it takes an object labelled ``Name.N`` and returns it
labelled ``Name.N+1`` (a new dict; the input is never changed). :func:`upgrade_document`
walks a parsed file top-down, so an upgraded object's new children are upgraded too, and
applies migrations until each label is current. Unknown names and newer versions are left
alone: :func:`reelgraph.project.labels.check_labels` refuses them (newer ones with
:class:`~reelgraph.errors.SchemaTooNewError`) before and after this step.

The registered migrations document the layouts they read:

``Project.0`` → ``Project.1`` (the layout before sequences): the canvas and clock were
top-level fields and the file held one timeline::

    {"schema": "Project.0", "name": "n", "width": 640, "height": 360, "fps": 25,
     "sample_rate": 48000, "channels": 2, "background": "#000000",
     "export": {...}, "tracks": [Track.1, ...]}

becomes ``{"schema": "Project.1", "name": "n", "format": {"schema": "Format.1", "width":
640, "height": 360, "rate": 25, ...}, "export": {...}, "main": "main", "sequences":
[{"schema": "Sequence.1", "id": "main", "tracks": [...]}]}``.

``Clip.0`` → ``Clip.1``: a clip's place was written as ``"in"``/``"out"`` timeline frames
(out exclusive) instead of ``"start"``/``"duration"``.

A migration must not raise anything but :class:`~reelgraph.errors.MigrationError` for
malformed old objects; fields it does not understand are carried over for the schema to
name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reelgraph.errors import MigrationError
from reelgraph.project.json_schema import CURRENT_VERSIONS
from reelgraph.project.labels import format_path, split_label

__all__ = ["MIGRATIONS", "Migration", "upgrade_document", "upgrade_object"]

Json = dict[str, Any]
Path_ = tuple[str | int, ...]

#: Upgrades an object of one label version to the next; ``path`` is for error messages.
Migration = Callable[[Json, Path_], Json]

_FORMAT_FIELDS = ("width", "height", "sample_rate", "channels", "background")


def _project_0(old: Json, path: Path_) -> Json:
    new: Json = {"schema": "Project.1"}
    fmt: Json = {"schema": "Format.1"}
    for key, value in old.items():
        if key in _FORMAT_FIELDS:
            fmt[key] = value
        elif key == "fps":
            fmt["rate"] = value
        elif key == "tracks":
            new["sequences"] = [{"schema": "Sequence.1", "id": "main", "tracks": value}]
        elif key != "schema":
            new[key] = value
    new["format"] = fmt
    new.setdefault("sequences", [{"schema": "Sequence.1", "id": "main", "tracks": []}])
    new.setdefault("main", "main")
    return new


def _frame(value: Any, field: str, path: Path_) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        where = format_path((*path, field))
        raise MigrationError(
            f"{where}: cannot upgrade Clip.0: {field!r} must be an integer frame",
            path=where,
            schema="Clip.0",
            detail=f"{field!r} must be an integer frame, got {value!r}",
        )
    return value


def _clip_0(old: Json, path: Path_) -> Json:
    start = _frame(old.get("in"), "in", path)
    end = _frame(old.get("out"), "out", path)
    new: Json = {"schema": "Clip.1", "start": start, "duration": end - start}
    for key, value in old.items():
        if key not in ("schema", "in", "out"):
            new[key] = value
    return new


#: Label → the migration that upgrades it by one version.
MIGRATIONS: dict[str, Migration] = {
    "Project.0": _project_0,
    "Clip.0": _clip_0,
}


def upgrade_object(value: Json, path: Path_ = ()) -> Json:
    """``value`` (one labelled object, not its children) upgraded to its current version.

    Objects that are current, newer, unknown or unlabelled come back unchanged.

    Raises:
        MigrationError: the old object is too malformed to upgrade.
    """
    while True:
        label = value.get("schema")
        parsed = split_label(label)
        if parsed is None or parsed[0] not in CURRENT_VERSIONS:
            return value
        migration = MIGRATIONS.get(str(label))
        if migration is None or parsed[1] >= CURRENT_VERSIONS[parsed[0]]:
            return value
        value = migration(value, path)


def upgrade_document(data: Any, path: Path_ = ()) -> Any:
    """A parsed project file with every older object upgraded (a new tree; ``data`` is kept).

    Raises:
        MigrationError: an old object is too malformed to upgrade.
    """
    if isinstance(data, list):
        return [upgrade_document(item, (*path, index)) for index, item in enumerate(data)]
    if not isinstance(data, dict):
        return data
    upgraded = upgrade_object(data, path) if "schema" in data else data
    return {
        key: value if key == "metadata" else upgrade_document(value, (*path, key))
        for key, value in upgraded.items()
    }
