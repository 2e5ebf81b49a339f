"""Import a plugin's entry point and make the plugin object (in this process or a worker).

The plugin's package is imported from its own folder, by file location, not by searching
``sys.path``: two plugin folders that hold packages of the same name (two versions of a
plugin, say) each get their own code, and a plugin folder never shadows other modules.
A package of that name imported earlier from elsewhere is replaced in ``sys.modules``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from reelgraph.errors import PluginError, PluginLoadError
from reelgraph.plugins.protocols import PluginContext

__all__ = ["import_package", "instantiate", "load_factory"]


def _within(module: ModuleType, folder: Path) -> bool:
    file = getattr(module, "__file__", None)
    return file is not None and Path(file).resolve().is_relative_to(folder.resolve())


def import_package(folder: Path) -> ModuleType:
    """Import the package whose folder is ``folder`` (its name is the folder's name).

    Raises:
        ImportError: the folder has no ``__init__.py``, or it fails to import.
    """
    name = folder.name
    loaded = sys.modules.get(name)
    if loaded is not None and _within(loaded, folder):
        return loaded
    init = folder / "__init__.py"
    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None or not init.is_file():
        raise ImportError(f"{folder} is not a Python package (no __init__.py)")
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def load_factory(entry_point: str, folder: Path, plugin: str) -> Callable[..., Any]:
    """The callable that ``module:attribute`` names; ``module`` lies in the package ``folder``.

    Raises:
        PluginLoadError: the entry point is outside the plugin's package, the module does
            not import, or it has no such callable.
    """
    module_name, _, attribute = entry_point.partition(":")
    if module_name.split(".")[0] != folder.name:
        raise PluginLoadError(
            f"plugin {plugin!r}: entry point {entry_point} is not in its package {folder.name!r}",
            plugin=plugin,
            entry_point=entry_point,
        )
    try:
        import_package(folder)
        target: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            target = getattr(target, part)
    except PluginError:
        raise
    except Exception as exc:
        raise PluginLoadError(
            f"plugin {plugin!r}: cannot load {entry_point}: {type(exc).__name__}: {exc}",
            plugin=plugin,
            entry_point=entry_point,
        ) from exc
    if not callable(target):
        raise PluginLoadError(
            f"plugin {plugin!r}: {entry_point} is not callable",
            plugin=plugin,
            entry_point=entry_point,
        )
    return target  # type: ignore[no-any-return]


def instantiate(factory: Callable[..., Any], context: PluginContext) -> object:
    """Call the factory with the context.

    Raises:
        PluginLoadError: the factory raised (the cause is chained).
    """
    try:
        return factory(context)
    except PluginError:
        raise
    except Exception as exc:
        raise PluginLoadError(
            f"plugin {context.name!r}: its factory failed: {type(exc).__name__}: {exc}",
            plugin=context.name,
        ) from exc
