"""Plugins: declared in ``plugin.toml``, found, verified, registered, locked and sandboxed.

* :mod:`~reelgraph.plugins.manifest`: reading and checking ``plugin.toml``;
* :mod:`~reelgraph.plugins.protocols`: what each feature must implement;
* :mod:`~reelgraph.plugins.verify`: refusing plugins that claim what they lack;
* :mod:`~reelgraph.plugins.discovery`: entry points and the plugin path;
* :mod:`~reelgraph.plugins.registry`: registered plugins and how to call them;
* :mod:`~reelgraph.plugins.host`: plugin nodes in a render, under the error policy;
* :mod:`~reelgraph.plugins.lock`: the generated ``reelgraph-plugins.lock.json``;
* :mod:`~reelgraph.plugins.guard` and :mod:`~reelgraph.plugins.sandbox`: capabilities.

Names are imported on first use, so a sandbox worker starts without the engine's parts.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EffectPlugin": "reelgraph.plugins.protocols",
    "ErrorPolicy": "reelgraph.plugins.host",
    "GeneratorPlugin": "reelgraph.plugins.protocols",
    "GuiPlugin": "reelgraph.plugins.protocols",
    "OpSpec": "reelgraph.plugins.protocols",
    "PluginCandidate": "reelgraph.plugins.discovery",
    "PluginContext": "reelgraph.plugins.protocols",
    "PluginHost": "reelgraph.plugins.host",
    "PluginManifest": "reelgraph.plugins.manifest",
    "PluginRegistry": "reelgraph.plugins.registry",
    "PluginSystem": "reelgraph.plugins.protocols",
    "SystemsPlugin": "reelgraph.plugins.protocols",
    "TransitionPlugin": "reelgraph.plugins.protocols",
    "discover": "reelgraph.plugins.discovery",
    "parse_manifest": "reelgraph.plugins.manifest",
    "plugins_for_document": "reelgraph.plugins.host",
    "verify_plugin": "reelgraph.plugins.verify",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reelgraph.plugins' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return __all__
