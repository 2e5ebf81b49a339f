"""The media index and the proxy store import no PyAV: decoding stays in reelgraph.media."""

from __future__ import annotations

import subprocess
import sys

import reelgraph.proxies


def test_the_index_and_the_proxy_store_import_no_pyav():
    code = (
        "import sys, reelgraph.media_index, reelgraph.proxies, reelgraph.proxies.switch;"
        "print(sorted(m for m in ('av',) if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_exported_name_of_the_proxies_package_resolves():
    for name in reelgraph.proxies.__all__:
        assert getattr(reelgraph.proxies, name) is not None
