"""``reelgraph graph PROJECT --at TIME``: dump a frame's render graph with cache status."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from reelgraph.cache import FrameCache, default_cache_dir
from reelgraph.cli.commands import frame_at
from reelgraph.engine.engine import Engine
from reelgraph.engine.media_pool import MediaPool
from reelgraph.engine.systems import pixel_key
from reelgraph.graph.build import GraphContext, build_frame_graph
from reelgraph.graph.dump import graph_to_dot, graph_to_json
from reelgraph.graph.keys import graph_keys
from reelgraph.graph.optimize import optimize
from reelgraph.project.atomic import write_text_atomic
from reelgraph.project.load import load_project

__all__ = ["COMMANDS", "add_parser", "run"]

COMMANDS = ("graph",)


def add_parser(sub: Any) -> None:
    """Declare ``reelgraph graph``."""
    parser = sub.add_parser("graph", help="dump the render graph of one frame (DOT and JSON)")
    parser.add_argument("project")
    parser.add_argument("--at", required=True, help="time: frames, seconds or timecode")
    parser.add_argument("--format", choices=("dot", "json"), default="json")
    parser.add_argument("-o", "--output", help="write here instead of standard output")
    parser.add_argument("--cache-dir", help="cache to report on (default: the user cache)")
    parser.add_argument("--bit-depth", type=int, choices=(8, 16), default=8)
    parser.add_argument("--json", action="store_true", help="same as --format json")


def run(args: argparse.Namespace) -> int:
    """Build the frame's graph, key it, look its output up in the cache, print it."""
    document = load_project(args.project)
    cache_root = Path(args.cache_dir) if args.cache_dir else default_cache_dir()
    cache = FrameCache(disk_root=cache_root / "frames")
    with Engine(document, with_audio=False) as engine:
        at = frame_at(engine, args.at)
        pool = engine.world.resource(MediaPool)
        fmt = document.format
        context = GraphContext(engine.index, fmt, fmt.width, fmt.height, pool.size, optimize=False)
        graph, report = optimize(build_frame_graph(context, document.main, at))
        graph.keys = graph_keys(graph, pool.identity)
    hit = cache.get(pixel_key(graph.keys[graph.output], args.bit_depth)) is not None
    statuses = [
        ("hit" if hit else "miss")
        if i == graph.output
        else ("skipped (output cached)" if hit else "compute")
        for i in range(len(graph.nodes))
    ]
    if args.format == "dot" and not args.json:
        text = graph_to_dot(graph, statuses)
    else:
        text = json.dumps(graph_to_json(graph, statuses, report), indent=1) + "\n"
    if args.output:
        write_text_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0
