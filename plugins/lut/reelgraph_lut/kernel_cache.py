"""Numba's on-disk cache for the kernel, readable where it may not be written.

``numba.njit(cache=True)`` keeps compiled code in the package's ``__pycache__``, but only
where it may write there: each of numba's cache locations is first tested by creating a
file, and with none writable the decorator raises. The engine runs this plugin under its
capability guard (``reelgraph.plugins.guard``), which refuses writes outside the
plugin's scratch folder, so there the decorator would fail and the kernel compile (some
seconds) in every process.

:func:`cache_in_package` gives a compiled function the same cache, in the same place
(``__pycache__`` beside its source, same files, same invalidation when the source
changes), that loads without writing anything; compiled code is saved only where it may
be, and otherwise kept in memory for the process. ``scripts/setup.sh`` compiles the
kernel once, so processes under the guard find it there.

It builds on ``numba.core.caching``, whose classes used here have kept their names and
roles since numba 0.4x.
"""

from __future__ import annotations

import os
from typing import Any

from numba.core import caching

__all__ = ["cache_in_package"]


class _PackageLocator(caching._SourceFileBackedLocatorMixin, caching._CacheLocator):
    """The ``__pycache__`` beside the function's source, whether or not it is writable."""

    def __init__(self, py_func: Any, py_file: str) -> None:
        self._py_file = py_file
        self._lineno = py_func.__code__.co_firstlineno
        self._cache_path = os.path.join(os.path.dirname(py_file), "__pycache__")

    def get_cache_path(self) -> str:
        return self._cache_path

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> _PackageLocator:
        # numba's locators test-write here; loading needs no write, saving tries its own.
        return cls(py_func, py_file)


class _PackageCacheImpl(caching.CompileResultCacheImpl):
    _locator_classes = [_PackageLocator]  # noqa: RUF012 (numba's attribute, a list)


class _PackageCache(caching.FunctionCache):
    """numba's function cache in the package's ``__pycache__``; saving is best effort."""

    _impl_class = _PackageCacheImpl

    def save_overload(self, sig: Any, data: Any) -> None:
        try:
            super().save_overload(sig, data)  # type: ignore[no-untyped-call]
        except OSError:
            pass  # read-only here (a system install, the plugin guard): kept in memory


def cache_in_package(dispatcher: Any) -> Any:
    """Give a ``numba.njit`` function (compiled without ``cache=True``) the package cache.

    Returns:
        ``dispatcher``, which now loads compiled code from ``__pycache__`` beside its
        source and saves it there where it may.
    """
    dispatcher._cache = _PackageCache(dispatcher.py_func)  # type: ignore[no-untyped-call]
    return dispatcher
