"""Running risky plugins out of process: a confined worker, frames in shared memory, a watchdog.

* :mod:`~reelgraph.plugins.sandbox.client`: the engine's side (start, call, kill, restart);
* :mod:`~reelgraph.plugins.sandbox.worker`: the worker process (``python -m``);
* :mod:`~reelgraph.plugins.sandbox.enforce`: the OS layer the worker applies to itself;
* :mod:`~reelgraph.plugins.sandbox.frames`: the shared-memory frame block.
"""
