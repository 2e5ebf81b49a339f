"""``reelgraph proxies PROJECT [build|list|clean]``: the proxy pyramid of a project's media.

``build`` makes the missing (or damaged) proxies of every video source of the project in
background jobs, with a progress bar (Ctrl-C cancels cleanly: no partial proxy is left),
then the full content hashes, filmstrips and audio peaks. ``list`` shows what exists,
and how far builds running elsewhere (an editing session, another ``build``) are;
``clean`` deletes this project's proxies (``--all``: every proxy in the cache).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reelgraph.cli.progress import ProgressBar
from reelgraph.cli.report import emit
from reelgraph.engine.media_pool import MediaPool
from reelgraph.errors import JobCancelledError, MediaError, UsageError
from reelgraph.jobs import JobSystem, JobSystemConfig, PoolKind, cancel_on_interrupt
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.project.load import load_project
from reelgraph.proxies.media_cache import MediaCache
from reelgraph.proxies.progress import BuildProgress, read_progress
from reelgraph.proxies.quality import ProxyLevel
from reelgraph.proxies.scheduler import ProxyScheduler, ProxyTask, TaskState
from reelgraph.proxies.thumbnails import cached_filmstrip, make_filmstrip
from reelgraph.proxies.waveform import cached_peaks, make_peaks
from reelgraph.timeline.components import MediaSource

__all__ = ["COMMANDS", "add_parser", "derived_media", "run"]

COMMANDS = ("proxies",)


def add_parser(sub: Any) -> None:
    """Declare ``reelgraph proxies``."""
    parser = sub.add_parser("proxies", help="build, list or clean the proxies of a project's media")
    parser.add_argument("project")
    parser.add_argument("action", nargs="?", default="list", choices=("build", "list", "clean"))
    parser.add_argument(
        "--levels", default="full,half,quarter", help="levels to build (default: all three)"
    )
    parser.add_argument("--verify", action="store_true", help="check every frame's checksum")
    parser.add_argument("--all", action="store_true", help="clean: every proxy in the cache")
    parser.add_argument("--cache-dir", help="cache folder (default: $XDG_CACHE_HOME/reelgraph)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


@dataclass
class _Source:
    source: str
    path: Path
    fingerprint: Fingerprint | None
    kind: str = ""
    error: str = ""
    built: list[str] = field(default_factory=list)
    state: str = ""


def _levels(text: str) -> list[ProxyLevel]:
    try:
        return [ProxyLevel(name.strip()) for name in text.split(",") if name.strip()]
    except ValueError:
        raise UsageError(f"--levels takes full, half and quarter, got {text!r}") from None


def _sources(pool: MediaPool, paths: list[str]) -> list[_Source]:
    found = []
    for path in paths:
        source = MediaSource(path)
        entry = _Source(path, pool.path_of(source), None)
        try:
            entry.kind = pool.info(source).kind
            entry.fingerprint = pool.fingerprint(source)
        except MediaError as exc:
            entry.error = exc.message
        found.append(entry)
    return found


def run(args: argparse.Namespace) -> int:
    """Run ``reelgraph proxies``."""
    document = load_project(args.project)
    cache = MediaCache(args.cache_dir)
    pool = MediaPool(document, cache=cache)
    paths = sorted({c.source.path for c in document.clips if isinstance(c.source, MediaSource)})
    try:
        sources = _sources(pool, paths)
        if args.action == "build":
            return _build(args, cache, pool, sources)
        if args.action == "clean":
            return _clean(args, cache, sources)
        return _list(args, cache, sources)
    finally:
        pool.close()
        cache.close()


def _needed(
    cache: MediaCache, fingerprint: Fingerprint, levels: list[ProxyLevel], verify: bool
) -> list[ProxyLevel]:
    needed = []
    for level in levels:
        proxy = cache.proxies.get(fingerprint, level)
        if proxy is not None and verify:
            try:
                proxy.verify()
            except MediaError:
                cache.proxies.discard(proxy.path)
                proxy = None
        if proxy is None:
            needed.append(level)
    return needed


def _build(
    args: argparse.Namespace, cache: MediaCache, pool: MediaPool, sources: list[_Source]
) -> int:
    levels = _levels(args.levels)
    config = JobSystemConfig(workers={PoolKind.BACKGROUND: 1, PoolKind.FRAME: 1})
    bar = ProgressBar(sys.stderr, force=False) if not args.no_progress else None
    with JobSystem(config) as jobs, cancel_on_interrupt(jobs.root):
        scheduler = ProxyScheduler(jobs, cache.proxies)
        tasks: list[tuple[_Source, ProxyTask]] = []
        for entry in sources:
            if entry.kind != "video" or entry.fingerprint is None:
                entry.state = "skipped" if not entry.error else "error"
                continue
            needed = _needed(cache, entry.fingerprint, levels, args.verify)
            entry.state = "up to date"
            if needed:
                task = scheduler.build(entry.path, entry.fingerprint, needed)
                tasks.append((entry, task))
                entry.built = [level.value for level in needed]
        for entry in sources:
            if entry.fingerprint is not None and cache.index.full_hash(entry.fingerprint) is None:
                scheduler.hash_file(cache.index, entry.path, entry.fingerprint)
        _wait(tasks, bar)
        if not jobs.root.cancelled:
            jobs.join(background=True)  # the full hashes
        if jobs.root.cancelled:
            raise JobCancelledError("proxy build cancelled (interrupted)", reason="interrupted")
    for entry, task in tasks:
        entry.state = task.state.value
        if task.state is TaskState.FAILED:
            entry.error = getattr(task.error, "message", None) or str(task.error)
    for entry in sources:
        if entry.fingerprint is not None and not entry.error:
            _derive(cache, pool, entry)
    return _report(args, cache, sources, failed=any(e.error for e in sources))


def _wait(tasks: list[tuple[_Source, ProxyTask]], bar: ProgressBar | None) -> None:
    for _, task in tasks:
        # Polling here only redraws the bar; completion is the task's event.
        while not task.wait(0.1):
            if bar is not None:
                done = sum(t.frames_done for _, t in tasks)
                total = sum(t.frames_total or t.frames_done for _, t in tasks)
                bar(done, max(total, done))
    if bar is not None and tasks:
        done = sum(t.frames_done for _, t in tasks)
        bar(done, done)


def _derive(cache: MediaCache, pool: MediaPool, entry: _Source) -> None:
    """Filmstrip and peaks (cached by content); a failure here is reported, not fatal."""
    assert entry.fingerprint is not None
    info = pool.info(MediaSource(entry.source))
    try:
        if info.video is not None and info.kind == "video":
            proxy = cache.proxies.get(entry.fingerprint, ProxyLevel.QUARTER)
            make_filmstrip(cache.thumbnails, entry.fingerprint, entry.path, info.video, proxy=proxy)
        if info.audio is not None:
            make_peaks(cache.waveforms, entry.fingerprint, entry.path, info.audio)
    except MediaError as exc:
        entry.error = exc.message


def derived_media(cache: MediaCache, fingerprint: Fingerprint | None) -> dict[str, Any]:
    """What is cached for one content: proxy levels, filmstrip, peaks, full hash."""
    if fingerprint is None:
        return {"fingerprint": None, "proxies": [], "thumbnails": None, "peaks": None}
    strip = cached_filmstrip(cache.thumbnails, fingerprint)
    peaks = cached_peaks(cache.waveforms, fingerprint)
    return {
        "fingerprint": fingerprint.text,
        "sha256": cache.index.full_hash(fingerprint),
        "proxies": [level.value for level in cache.proxies.levels(fingerprint)],
        "thumbnails": None if strip is None else strip.to_dict(),
        "peaks": None if peaks is None else peaks.to_dict(),
    }


def _describe(cache: MediaCache, entry: _Source) -> dict[str, Any]:
    levels = {}
    building = None
    if entry.fingerprint is not None:
        progress = read_progress(cache.proxies.folder(entry.fingerprint))
        building = None if progress is None else asdict(progress)
        for level in ProxyLevel:
            proxy = cache.proxies.get(entry.fingerprint, level)
            if proxy is not None:
                m = proxy.meta
                levels[level.value] = {
                    "path": str(proxy.path),
                    "bytes": proxy.path.stat().st_size,
                    "frames": len(proxy),
                    "size": [m.width, m.height],
                    "codec": m.codec,
                }
    return {
        "source": entry.source,
        "path": str(entry.path),
        "kind": entry.kind,
        "state": entry.state,
        "built": entry.built,
        "error": entry.error,
        "levels": levels,
        "building": building,
        **derived_media(cache, entry.fingerprint),
    }


def _report(
    args: argparse.Namespace, cache: MediaCache, sources: list[_Source], *, failed: bool = False
) -> int:
    data = {
        "project": args.project,
        "action": args.action,
        "sources": [_describe(cache, e) for e in sources],
    }
    lines = []
    for item in data["sources"]:
        if item["kind"] != "video":
            lines.append(
                f"{item['source']}: {item['error'] or 'no proxies (' + item['kind'] + ')'}"
            )
            continue
        levels = ", ".join(
            f"{name} {v['size'][0]}x{v['size'][1]} {v['frames']} frames {v['bytes'] / 1e6:.1f} MB"
            for name, v in item["levels"].items()
        )
        state = f" [{item['state']}]" if item["state"] else ""
        if item["building"] is not None and not state:
            state = f" [{BuildProgress(**item['building']).describe()}]"
        lines.append(f"{item['source']}{state}: {levels or 'no proxies'}")
        if item["error"]:
            lines.append(f"  error: {item['error']}")
    emit(data, "\n".join(lines), args.json)
    return 5 if failed else 0


def _list(args: argparse.Namespace, cache: MediaCache, sources: list[_Source]) -> int:
    return _report(args, cache, sources)


def _clean(args: argparse.Namespace, cache: MediaCache, sources: list[_Source]) -> int:
    removed: list[Path] = []
    if args.all:
        removed = cache.proxies.clean(keep=())
    else:
        for entry in sources:
            if entry.fingerprint is not None:
                removed += cache.proxies.remove(entry.fingerprint)
    data = {"project": args.project, "action": "clean", "removed": [str(p) for p in removed]}
    emit(data, f"removed {len(removed)} proxy file(s)", args.json)
    return 0
