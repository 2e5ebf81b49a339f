"""The benchmark harness: generated sources, reelgraph against its anchors, one table.

Run ``python -m bench`` from the repository root (``--quick`` for the tiny CI smoke run,
``--help`` for the rest). See ``../shared/BENCHMARKS.md`` for the workloads and goals.
"""
