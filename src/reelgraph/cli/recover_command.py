"""``reelgraph recover PROJECT``: what a project's edit log holds; list and restore snapshots.

Without options it shows the log's state (the last edit the project file holds, edits
newer than it, where recovery would start) and the snapshots; ``--list`` shows only the
snapshots; ``--restore ID`` makes snapshot ``ID`` the project file (the previous file is
kept as ``NAME.bak``, and the restore is logged so reopening does not replay what it
undid). Nothing is created for a project that has no log.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

from reelgraph.cli.report import emit
from reelgraph.errors import ReelgraphError
from reelgraph.i18n import translate
from reelgraph.project.load import load_project_data, read_project_json
from reelgraph.project.recovery import recover
from reelgraph.project.store import ProjectStore, SnapshotInfo, log_folder, marker_of

__all__ = ["COMMANDS", "add_parser", "run"]

COMMANDS = ("recover",)


def add_parser(sub: Any) -> None:
    """Declare ``reelgraph recover``."""
    parser = sub.add_parser("recover", help="list or restore the snapshots of a project's log")
    parser.add_argument("project")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="list the snapshots only")
    what.add_argument("--restore", type=int, metavar="ID", help="make snapshot ID the project file")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _when(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S")


def _snapshot_line(info: SnapshotInfo) -> str:
    return (
        f"snapshot  {info.id:<4d} after edit {info.seq:<6d} {_when(info.created)}  "
        f"{info.reason} ({info.size} bytes)"
    )


def _file_state(store: ProjectStore, project: Path) -> str:
    try:
        marker = marker_of(read_project_json(project))
    except ReelgraphError as exc:
        return f"unusable ({exc.message})"
    if marker is None or marker[0] != store.log_id:
        return "not saved through this log"
    return f"holds the edits up to {marker[1]}"


def _text(lang: str, key: str, **params: Any) -> str:
    return translate(key, lang, params) or key


def run(args: argparse.Namespace) -> int:
    """Run ``reelgraph recover``."""
    lang = getattr(args, "lang", "en")
    project = Path(args.project)
    if not (log_folder(project) / "store.sqlite3").is_file():
        message = _text(lang, "notice.no_log", path=project)
        emit({"ok": True, "log": None, "snapshots": []}, message, args.json)
        return 0
    with ProjectStore(project, create=False) as store:
        if args.restore is not None:
            return _restore(store, args.restore, lang, args.json)
        snapshots = store.list_snapshots()
        data: dict[str, Any] = {
            "ok": True,
            "log": str(store.path),
            "head_seq": store.head_seq,
            "saved_seq": store.saved_seq,
            "snapshots": [s.to_dict() for s in snapshots],
        }
        lines = [_snapshot_line(s) for s in snapshots]
        if not args.list:
            recovery = recover(store)
            data["recovery"] = recovery.to_dict()
            lines = [
                f"log       {store.path} ({store.journal_mode}): newest record {store.head_seq}",
                f"project   {project}: {_file_state(store, project)}",
                f"recovery  from the {recovery.source} at edit {recovery.base_seq}, "
                f"{len(recovery.edits)} edit(s) to replay",
                *recovery.notices(lang),
                *lines,
            ]
        emit(data, "\n".join(lines), args.json)
    return 0


def _restore(store: ProjectStore, snapshot_id: int, lang: str, as_json: bool) -> int:
    info, document = store.snapshot_data(snapshot_id)
    # Refuse a snapshot that no longer loads before anything is written.
    load_project_data(document, store.project_path.resolve().parent)
    result = store.restore(info.id)
    lines = [_text(lang, "notice.restored", snapshot=info.id, seq=info.seq, path=result.path)]
    if result.backup is not None:
        lines.append(_text(lang, "notice.backup", path=result.backup))
    data = {
        "ok": True,
        "restored": info.to_dict(),
        "path": str(result.path),
        "seq": result.seq,
        "backup": None if result.backup is None else str(result.backup),
    }
    emit(data, "\n".join(lines), as_json)
    return 0
