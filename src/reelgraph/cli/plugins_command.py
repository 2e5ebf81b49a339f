"""``reelgraph plugins list|check|lock``: the plugins found, verified, and locked.

* ``list``: every plugin found (entry points, ``--plugin-path``, ``REELGRAPH_PLUGIN_PATH``)
  with its manifest and its state against the lock file; runs no plugin code.
* ``check``: registers every plugin (risky ones in their sandbox) and reports what was
  verified or why a plugin was refused; exit status 10 if any is refused or differs from
  the lock.
* ``lock``: the same verification, written to the lock file (atomically; a file that is
  not a generated lock is never overwritten).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reelgraph.cli.report import emit, log_text
from reelgraph.errors import EXIT_CODES, PluginError
from reelgraph.plugins.discovery import PATH_VARIABLE, PluginCandidate, discover
from reelgraph.plugins.host import ENV_INCIDENTS, ENV_ON_ERROR, ENV_TIMEOUT, ErrorPolicy
from reelgraph.plugins.lock import (
    LOCK_NAME,
    PluginCheck,
    compare_with_lock,
    read_lock,
    verify_candidates,
    write_lock,
)

__all__ = ["COMMANDS", "add_parser", "add_plugin_options", "plugin_session", "run"]

COMMANDS = ("plugins",)


def add_parser(sub: Any) -> None:
    """Declare ``reelgraph plugins`` and its three actions."""
    parser = sub.add_parser("plugins", help="list, verify and lock the plugins")
    actions = parser.add_subparsers(dest="plugins_action", parser_class=type(parser))
    for name, text in (
        ("list", "the plugins found and their lock state (runs no plugin code)"),
        ("check", "verify every plugin and compare with the lock file"),
        ("lock", "verify every plugin and write the lock file"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument(
            "--plugin-path",
            action="append",
            default=[],
            metavar="DIR",
            help="a folder of plugins (repeatable; REELGRAPH_PLUGIN_PATH is read too)",
        )
        action.add_argument(
            "--no-entry-points", action="store_true", help="ignore installed plugin packages"
        )
        action.add_argument("--lock", default=LOCK_NAME, help=f"the lock file ({LOCK_NAME})")
        action.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
    """Run ``reelgraph plugins <action>``."""
    action = getattr(args, "plugins_action", None) or "list"
    plugin_path = getattr(args, "plugin_path", [])
    entry_points = not getattr(args, "no_entry_points", False)
    lock_path = Path(getattr(args, "lock", LOCK_NAME))
    as_json = bool(getattr(args, "json", False))
    candidates = discover(plugin_path, entry_points=entry_points)
    if action == "list":
        return _list(candidates, lock_path, as_json)
    checks = verify_candidates(candidates)
    if action == "lock":
        document = write_lock(lock_path, checks)
        refused = [c for c in checks if not c.ok]
        emit(
            {"ok": not refused, "lock": str(lock_path), "document": document},
            f"wrote {lock_path}: {len(checks) - len(refused)} verified, {len(refused)} refused"
            + "".join(f"\n  refused {c.name}: [{_code(c)}] {_message(c)}" for c in refused),
            as_json,
        )
        return 0 if not refused else EXIT_CODES[PluginError]
    return _check(candidates, checks, lock_path, as_json)


def _code(check: PluginCheck) -> str:
    return check.error.code if check.error is not None else ""


def _message(check: PluginCheck) -> str:
    return check.error.message if check.error is not None else ""


def _list(candidates: list[PluginCandidate], lock_path: Path, as_json: bool) -> int:
    states = compare_with_lock(read_lock(lock_path), candidates)
    rows = [
        {
            **candidate.manifest.to_dict(),
            "folder": str(candidate.folder),
            "origin": candidate.origin,
            "lock": states.get(candidate.name, "unlocked"),
        }
        for candidate in candidates
    ]
    lines = [
        f"{row['name']:12s} {row['version']:9s} {'risky' if row['risky'] else 'trusted':7s} "
        f"{','.join(row['features']) or '-':20s} caps {','.join(row['capabilities']) or '-':12s} "
        f"{row['lock']:8s} {row['folder']}"
        for row in rows
    ]
    emit({"plugins": rows}, "\n".join(lines) or "no plugins found", as_json)
    return 0


def _check(
    candidates: list[PluginCandidate], checks: list[PluginCheck], lock_path: Path, as_json: bool
) -> int:
    states = compare_with_lock(read_lock(lock_path), candidates)
    rows: list[dict[str, Any]] = []
    lines: list[str] = []
    for check in checks:
        row = {**check.to_dict(), "lock": states.get(check.name, "unlocked")}
        rows.append(row)
        if check.ok and check.record is not None:
            verified = check.record["verified"]
            ops = [
                f"{check.name}.{op}"
                for table in ("effects", "generators", "transitions")
                for op in verified[table]
            ]
            lines.append(
                f"ok       {check.name}: {', '.join(verified['features'])} "
                f"({', '.join(ops) or 'no operations'}); {check.record['mode']}, "
                f"network {check.record['enforcement']['network']}, "
                f"files {check.record['enforcement']['filesystem']}; lock {row['lock']}"
            )
        else:
            lines.append(f"REFUSED  {check.name}: [{_code(check)}] {_message(check)}")
    bad = [r for r in rows if r["status"] != "verified" or r["lock"] == "changed"]
    missing = [name for name, state in states.items() if state == "missing"]
    lines += [f"missing  {name}: in the lock but not installed" for name in missing]
    emit(
        {"ok": not bad, "plugins": rows, "missing": missing},
        "\n".join(lines) or "no plugins found",
        as_json,
    )
    return 0 if not bad else EXIT_CODES[PluginError]


def add_plugin_options(parser: argparse.ArgumentParser) -> None:
    """The plugin options of a rendering command (``frame``, ``render``)."""
    group = parser.add_argument_group("plugins")
    group.add_argument(
        "--plugin-path",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of plugins (repeatable; REELGRAPH_PLUGIN_PATH is read too)",
    )
    group.add_argument(
        "--on-error",
        choices=[p.value for p in ErrorPolicy],
        default=None,
        help="what a failing plugin node becomes: bypass (its input), placeholder "
        "(a checkerboard) or fail (stop with its error; the default)",
    )
    group.add_argument(
        "--plugin-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time limit of one sandboxed plugin call (default 30)",
    )


@contextmanager
def plugin_session(args: argparse.Namespace) -> Iterator[None]:
    """Run a command with its plugin options in force, then report the incidents.

    The options travel as environment variables so that every engine of the command,
    worker processes of a parallel export included, finds the same plugins and applies
    the same policy; incidents come back through a JSON-lines file and are summed up on
    stderr.
    """
    if not hasattr(args, "on_error"):
        yield
        return
    saved = {
        k: os.environ.get(k) for k in (PATH_VARIABLE, ENV_ON_ERROR, ENV_TIMEOUT, ENV_INCIDENTS)
    }
    handle, incidents = tempfile.mkstemp(prefix="reelgraph-incidents-", suffix=".jsonl")
    os.close(handle)
    try:
        folders = [str(Path(p).resolve()) for p in args.plugin_path]
        earlier = saved[PATH_VARIABLE]
        if earlier:
            folders.append(earlier)
        if folders:
            os.environ[PATH_VARIABLE] = os.pathsep.join(folders)
        if args.on_error:
            os.environ[ENV_ON_ERROR] = args.on_error
        if args.plugin_timeout:
            os.environ[ENV_TIMEOUT] = str(args.plugin_timeout)
        os.environ[ENV_INCIDENTS] = incidents
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        _report_incidents(Path(incidents))
        Path(incidents).unlink(missing_ok=True)


def _report_incidents(path: Path) -> None:
    try:
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    except (OSError, ValueError):
        return
    if not lines:
        return
    # Watchdog incidents of other nodes come through the same file, with their traces.
    traces = [item.pop("trace", "") for item in lines]
    sys.stderr.write(f"{len(lines)} incident(s); the render went on:\n")
    for item in lines[:20]:
        sys.stderr.write(
            f"  frame {item['frame']}: {item['kind']} [{item['code']}] -> {item['action']}: "
            f"{item['message']}\n"
        )
    if len(lines) > 20:
        sys.stderr.write(f"  ... and {len(lines) - 20} more\n")
    if any(traces):
        where = log_text("".join(trace for trace in traces if trace))
        if where is not None:
            sys.stderr.write(f"details: {where}\n")
