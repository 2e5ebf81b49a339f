"""Compiled per-pixel kernels (numba) behind the CPU backend and the colour edges.

Each kernel does in one pass, split over rows on all cores, what the numpy formulation did
in several passes over whole frames. The rules that keep output byte-identical whatever the
thread count or machine:

* pixels are independent: a row's result never depends on how rows are split;
* no ``fastmath`` and no fused multiply-add: every ``float32`` operation rounds as numpy's
  does, in the same order, so each kernel matches its numpy formulation bit for bit (the
  tests compare them);
* literals are ``float32`` where the data is, so nothing silently widens to ``float64``;
* no transcendental functions (``pow``, ``exp``): libm differs between machines; curves
  come from tables built once in numpy.

Kernels write into an ``out`` array the caller allocates, compile on first use and are
cached on disk by numba (``cache=True``), so later processes load them in milliseconds.
"""

import numba

# Kernels are launched from several threads at once (the decode read-ahead converts while
# the main thread composites), which numba's fallback "workqueue" pool cannot do: require a
# thread-safe pool (TBB, or OpenMP from libgomp, which setup installs).
numba.config.THREADING_LAYER = "threadsafe"  # type: ignore[attr-defined]
