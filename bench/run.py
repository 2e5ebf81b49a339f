"""``python -m bench``: build the sources, run reelgraph and the anchors, print one table.

Usage::

    python -m bench                      # the real run (minutes); installs missing anchors
    python -m bench --quick              # tiny sizes, seconds; never installs anything
    python -m bench --only W1,W3 --anchors ffmpeg --json results.json

Every figure is measured in this run on this machine; ratios are what count (see
``shared/BENCHMARKS.md``). Rows reelgraph cannot run yet say ``n/a (missing: ...)``;
anchors that are absent are skipped with the reason printed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from bench.anchors import Anchor, Anchors, find_anchors, find_font
from bench.projects import Canvas
from bench.sources import make_sources
from bench.table import Row, format_table
from bench.workloads import WORKLOADS, Context

__all__ = ["main"]

REPO = Path(__file__).resolve().parent.parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes; the CI smoke run")
    parser.add_argument(
        "--work",
        type=Path,
        help="sources, outputs, results (default: $XDG_CACHE_HOME/reelgraph-bench)",
    )
    parser.add_argument("--no-install", action="store_true", help="never install anchors")
    parser.add_argument("--anchors", default="all", help="all, none, or e.g. ffmpeg,melt")
    parser.add_argument("--only", help="workloads to run, e.g. W0,W1 (default: all)")
    parser.add_argument("--w6-seconds", type=float, help="W6 timeline length (default 60)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="per command, seconds")
    parser.add_argument("--json", type=Path, help="also write the results here")
    return parser


def _machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = (
        os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 0
    )
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "?"
    import av

    from reelgraph import __version__

    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory_gb": round(memory / 2**30, 1),
        "python": platform.python_version(),
        "pyav": av.__version__,
        "reelgraph": __version__,
        "commit": commit,
    }


def _select(anchors: Anchors, wanted: str) -> Anchors:
    if wanted == "all":
        return anchors
    chosen = set() if wanted == "none" else {name.strip() for name in wanted.split(",")}

    def pick(anchor: Anchor) -> Anchor:
        if anchor.name in chosen:
            return anchor
        return Anchor(anchor.name, reason="not selected (--anchors)")

    return Anchors(pick(anchors.ffmpeg), pick(anchors.melt), pick(anchors.moviepy))


def main(argv: list[str] | None = None) -> int:
    """Run the harness; returns the exit status (0 even when goals are missed)."""
    args = _parser().parse_args(argv)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    root = args.work or cache / "reelgraph-bench"
    mode = "quick" if args.quick else "full"
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    work = root / mode / stamp
    work.mkdir(parents=True, exist_ok=True)
    machine = _machine()
    print(
        f"reelgraph bench ({mode}) on {machine['cores']} cores, {machine['cpu'] or 'cpu ?'}, "
        f"{machine['memory_gb']} GB; reelgraph {machine['reelgraph']} ({machine['commit']})"
    )
    print("sources:")
    sources = make_sources(root / "sources" / mode, quick=args.quick, log=print)
    print("anchors:")
    install = not (args.quick or args.no_install) and args.anchors != "none"
    if args.anchors == "none":
        found = Anchors(
            *(Anchor(n, reason="not selected (--anchors)") for n in ("ffmpeg", "melt", "moviepy"))
        )
    else:
        found = _select(find_anchors(root / "anchors", install=install, log=print), args.anchors)
    for anchor in found.all():
        state = anchor.version if anchor.available else f"skipped: {anchor.reason}"
        print(f"  {anchor.name}: {state}")
    spec = sources.spec_a
    ctx = Context(
        REPO,
        work,
        sources,
        Canvas(spec.width, spec.height, spec.rate, time_scale=spec.seconds / 10),
        found,
        find_font(),
        args.quick,
        timeout=args.timeout,
    )
    wanted = [w.strip().upper() for w in args.only.split(",")] if args.only else list(WORKLOADS)
    rows: list[Row] = []
    for name in wanted:
        print(f"{name}:", flush=True)
        began = time.perf_counter()
        try:
            if name == "W6":
                seconds = args.w6_seconds or (2 * spec.seconds if args.quick else 60.0)
                rows += WORKLOADS[name](ctx, seconds)
            else:
                rows += WORKLOADS[name](ctx)
        except Exception as exc:  # the harness reports; it never stops half-way
            traceback.print_exc()
            rows.append(Row(name, "harness error", {"reelgraph": "failed"}, note=repr(exc)[:200]))
        print(f"  ({time.perf_counter() - began:.1f} s)", flush=True)
    table = format_table(rows)
    print()
    print(f"results ({mode}; {machine['cores']} cores; one run, ratios are what count):")
    print(table)
    result = {
        "mode": mode,
        "machine": machine,
        "anchors": {a.name: a.version or f"skipped: {a.reason}" for a in found.all()},
        "rows": [row.to_dict() for row in rows],
        "table": table,
    }
    for path in filter(None, [work / "results.json", args.json]):
        path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"\nJSON: {work / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
