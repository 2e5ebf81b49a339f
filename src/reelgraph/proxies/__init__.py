"""Proxies and derived media: the proxy pyramid, switching, thumbnails and waveforms.

- :mod:`.quality`: :class:`Quality` of a frame request, :class:`ProxyLevel`,
  the :class:`PreviewQuality` World resource;
- :mod:`.store`: the ``.rgproxy`` file (intra-only frames, memory-mapped, checked);
- :mod:`.library` / :mod:`.media_cache`: where proxies and derived media live;
- :mod:`.switch`: which proxy serves a request, and its frame at a time;
- :mod:`.build` / :mod:`.scheduler` / :mod:`.tasks`: building and full content hashes
  in background jobs (preemptible, cancellable, with progress);
- :mod:`.thumbnails` / :mod:`.waveform`: filmstrips and audio peaks.

No module here imports ``av``; decoding goes through :mod:`reelgraph.media`. The modules
that decode (build, scheduler, thumbnails, waveform) are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from reelgraph.proxies.library import PROXY_SUFFIX, ProxyEntry, ProxyLibrary
from reelgraph.proxies.media_cache import MediaCache
from reelgraph.proxies.quality import PreviewQuality, ProxyLevel, Quality, proxy_size
from reelgraph.proxies.reduce import reduce_picture, to_8bit
from reelgraph.proxies.store import ProxyFile, ProxyMeta, ProxyWriter
from reelgraph.proxies.switch import ProxySwitch, frame_index

__all__ = [
    "PROXY_SUFFIX",
    "Filmstrip",
    "HashTask",
    "MediaCache",
    "Peaks",
    "PreviewQuality",
    "ProxyBuild",
    "ProxyEntry",
    "ProxyFile",
    "ProxyLevel",
    "ProxyLibrary",
    "ProxyMeta",
    "ProxyScheduler",
    "ProxySwitch",
    "ProxyTask",
    "ProxyWriter",
    "Quality",
    "TaskState",
    "frame_index",
    "make_filmstrip",
    "make_peaks",
    "proxy_size",
    "reduce_picture",
    "to_8bit",
]

_LAZY = {
    "ProxyBuild": "reelgraph.proxies.build",
    "ProxyScheduler": "reelgraph.proxies.scheduler",
    "HashTask": "reelgraph.proxies.tasks",
    "ProxyTask": "reelgraph.proxies.tasks",
    "TaskState": "reelgraph.proxies.tasks",
    "Filmstrip": "reelgraph.proxies.thumbnails",
    "make_filmstrip": "reelgraph.proxies.thumbnails",
    "Peaks": "reelgraph.proxies.waveform",
    "make_peaks": "reelgraph.proxies.waveform",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reelgraph.proxies' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
