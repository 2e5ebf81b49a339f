"""How many threads the compiled kernels use in this process.

Pixels never depend on it (rows are independent); it only matters when several processes
share a machine, as parallel export workers do: each then takes its share of the cores
instead of every process starting a thread per core.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import numba

__all__ = ["available_cores", "kernel_threads", "share_of_cores"]


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def share_of_cores(processes: int) -> int:
    """Threads per process when ``processes`` processes split the available cores."""
    return max(1, available_cores() // max(1, processes))


@contextlib.contextmanager
def kernel_threads(count: int) -> Iterator[None]:
    """Run the kernels of this thread with at most ``count`` threads inside the block."""
    previous = numba.get_num_threads()
    most: int = numba.config.NUMBA_NUM_THREADS  # type: ignore[attr-defined]
    numba.set_num_threads(max(1, min(count, most)))
    try:
        yield
    finally:
        numba.set_num_threads(previous)
