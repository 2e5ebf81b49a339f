"""``reelgraph edit PROJECT EDIT...``: apply edits to a project file and save it.

Each EDIT is an edit's JSON (``{"kind": "trim", "clip": "a", "side": "end", "delta": -5}``)
or ``@FILE`` holding one edit or a list of them. The edits apply in order as one step; a
refused edit changes nothing and exits with its code. The result is written atomically
to ``-o`` (default: the project file itself).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from reelgraph.cli.report import emit
from reelgraph.engine.editing import open_for_editing
from reelgraph.errors import EditFormatError
from reelgraph.project.load import load_project
from reelgraph.project.save import save_project
from reelgraph.timeline.edits import Edit, Group, edit_from_data

__all__ = ["COMMANDS", "add_parser", "run"]

COMMANDS = ("edit",)


def add_parser(sub: Any) -> None:
    """Declare ``reelgraph edit``."""
    parser = sub.add_parser("edit", help="apply edits (JSON) to a project file and save it")
    parser.add_argument("project")
    parser.add_argument("edits", nargs="+", metavar="EDIT", help="an edit's JSON, or @FILE")
    parser.add_argument("-o", "--output", help="write here instead of over the project")
    parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    parser.add_argument("--json", action="store_true", help="machine-readable result")


def _read(argument: str, number: int) -> list[Edit]:
    where = f"edits[{number}]"
    text = argument
    if argument.startswith("@"):
        try:
            text = Path(argument[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise EditFormatError(
                f"{where}: cannot read {argument[1:]}: {exc.strerror}", path=where
            ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EditFormatError(f"{where}: not JSON ({exc.msg})", path=where) from None
    if isinstance(data, list):
        return [edit_from_data(item, f"{where}[{n}]") for n, item in enumerate(data)]
    return [edit_from_data(data, where)]


def run(args: argparse.Namespace) -> int:
    """Run ``reelgraph edit``."""
    edits = [edit for n, text in enumerate(args.edits) for edit in _read(text, n)]
    output = Path(args.output or args.project)
    if args.dry_run or args.output:
        result = Group(tuple(edits)).apply(load_project(args.project))
        if not args.dry_run:
            save_project(result.document, output)
    else:
        # In place: through the project's store, so the edit is logged durably before the
        # file is replaced (and the previous file kept as .bak). One-shot: no proxy work.
        with open_for_editing(args.project, proxies=False) as session:
            for notice in session.notices:
                sys.stderr.write(notice + "\n")
            result = session.engine.apply(Group(tuple(edits)))
    dirty = [[r.start, r.end_time_exclusive] for r in result.dirty]
    spans = ", ".join(f"{a}-{b}" for a, b in dirty) or "nothing"
    written = "checked (not written)" if args.dry_run else f"wrote {output}"
    emit(
        {
            "ok": True,
            "edits": len(edits),
            "dirty": dirty,
            "output": None if args.dry_run else str(output),
        },
        f"{len(edits)} edit(s) applied, {written}; dirty frames: {spans}",
        args.json,
    )
    return 0
