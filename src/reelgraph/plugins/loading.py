"""Import a plugin's entry point and make the plugin object (in this process or a worker)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reelgraph.errors import PluginError, PluginLoadError
from reelgraph.plugins.protocols import PluginContext

__all__ = ["instantiate", "load_factory"]


def load_factory(entry_point: str, import_root: Path, plugin: str) -> Callable[..., Any]:
    """The callable that ``module:attribute`` names, importing the module.

    ``import_root`` is appended to ``sys.path`` (never prepended, so a plugin folder
    cannot shadow the standard library or reelgraph itself).

    Raises:
        PluginLoadError: the module does not import, or has no such callable.
    """
    root = str(import_root)
    if root not in sys.path:
        sys.path.append(root)
    module_name, _, attribute = entry_point.partition(":")
    try:
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
