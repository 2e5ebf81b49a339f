"""``reelgraph run MACRO``: run a macro file's edits, saves and renders, in order.

``--set name=value`` overrides a variable of the macro (the value is read as JSON when it
parses, else as text); ``--project`` runs the macro on another project file.
"""

from __future__ import annotations

import argparse
from typing import Any

from reelgraph.cli.report import emit
from reelgraph.macro import StepOutcome, load_macro, parse_assignment, run_macro

__all__ = ["COMMANDS", "add_parser", "run"]

COMMANDS = ("run",)


def add_parser(sub: Any) -> None:
    """Declare ``reelgraph run``."""
    parser = sub.add_parser("run", help="run a macro: batch edits, saves and renders")
    parser.add_argument("macro", help="the macro file (JSON, schema Macro.1)")
    parser.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a variable of the macro (repeatable)",
    )
    parser.add_argument("--project", help="run on this project instead of the macro's")
    parser.add_argument("--json", action="store_true", help="machine-readable result")


def _line(outcome: StepOutcome) -> str:
    detail = outcome.detail
    if "output" in detail:
        frames = f" ({detail['frames']} frames)" if "frames" in detail else ""
        return f"step {outcome.step:<3d} {outcome.kind:<16s} {detail['output']}{frames}"
    spans = ", ".join(f"{a}-{b}" for a, b in detail.get("dirty", ())) or "nothing"
    return f"step {outcome.step:<3d} {outcome.kind:<16s} dirty: {spans}"


def run(args: argparse.Namespace) -> int:
    """Run ``reelgraph run``."""
    overrides = dict(parse_assignment(text) for text in args.assignments)
    macro = load_macro(args.macro, overrides)
    result = run_macro(macro, project=args.project)
    data = {
        "ok": True,
        "steps": [{"step": o.step, "kind": o.kind, **dict(o.detail)} for o in result.steps],
    }
    emit(data, "\n".join(_line(o) for o in result.steps) or "no steps", args.json)
    return 0
