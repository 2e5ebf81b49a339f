"""Encode missing segments in several worker processes on one machine.

Segments are independent encoder runs keyed by content, so who encodes which one changes
nothing in the bytes: the parent keeps the first share of the work for itself, hands the
other shares (contiguous runs, so each worker decodes its sources forward) to worker
processes started with ``spawn`` (no inherited threads or open decoders), and every
result lands in the same segment store that the join reads.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from reelgraph.engine.engine import Engine
from reelgraph.export.budgets import EXPORT_READER_CACHE_FRAMES, export_frame_cache
from reelgraph.export.clock import OutputClock
from reelgraph.export.presets import ExportSettings
from reelgraph.media.decode_device import DecodeDevice
from reelgraph.project.document import ProjectDocument
from reelgraph.render.kernels.threads import kernel_threads, share_of_cores

__all__ = ["split_work"]


def split_work(counts: list[int], shares: int) -> list[list[int]]:
    """Indices of ``counts`` cut into at most ``shares`` contiguous runs of similar totals."""
    total = sum(counts)
    runs: list[list[int]] = [[]]
    done = 0
    for index, count in enumerate(counts):
        boundary = total * len(runs) / shares
        if runs[-1] and done >= boundary and len(runs) < shares:
            runs.append([])
        runs[-1].append(index)
        done += count
    return [run for run in runs if run]


def encode_in_worker(
    document: ProjectDocument,
    settings: ExportSettings,
    size: tuple[int, int],
    clock: OutputClock,
    plans: list[object],
    store_root: Path,
    frame_cache: Path | None,
    decode_device: DecodeDevice = "cpu",
    workers: int = 1,
) -> int:
    """Worker entry: encode ``plans`` into the store at ``store_root``; returns frames done."""
    from reelgraph.export.segment_store import SegmentStore
    from reelgraph.export.segmented import encode_missing

    cache = export_frame_cache(size, settings.bit_depth, frame_cache)
    store = SegmentStore(store_root, temporary=False)
    engine = Engine(
        document,
        width=size[0],
        height=size[1],
        cache=cache,
        with_audio=False,
        reader_cache_frames=EXPORT_READER_CACHE_FRAMES,
        decode_device=decode_device,
    )
    with engine, kernel_threads(share_of_cores(workers)):
        return encode_missing(engine, clock, settings, size, plans, store, lambda: None)  # type: ignore[arg-type]


def run_shares(
    workers: int,
    shares: list[list[object]],
    local: Callable[[list[object]], None],
    remote: Callable[[list[object]], tuple[object, ...]],
    on_remote_done: Callable[[int], None],
) -> None:
    """Run ``shares[0]`` here and the others in ``workers - 1`` processes; wait for all.

    Each process's compiled kernels get an equal share of the cores.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, workers - 1), mp_context=context) as pool:
        futures: list[Future[int]] = [
            pool.submit(encode_in_worker, *remote(share), workers) for share in shares[1:]
        ]
        try:
            with kernel_threads(share_of_cores(workers)):
                local(shares[0])
            for future in futures:
                on_remote_done(future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise
