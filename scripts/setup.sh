#!/usr/bin/env bash
# Create .venv (once) and install reelgraph with its test tools into it. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# The example plugins (text, lut) are packages of their own, found through entry points.
.venv/bin/python -m pip install --quiet -e plugins/text -e plugins/lut
# Debian packages, each skipped when present: fonts for the text plugin, DejaVu (Latin) and
# IPA Gothic (Japanese); libgomp, a thread-safe pool for numba's compiled kernels (OpenMP).
packages=()
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || packages+=(fonts-dejavu-core)
[ -e /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf ] || packages+=(fonts-ipafont-gothic)
ldconfig -p 2>/dev/null | grep -q libgomp.so.1 || packages+=(libgomp1)
if [ "${#packages[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq \
    && $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" \
    || echo "setup: could not install ${packages[*]}" >&2
fi
# Compile the engine's and the LUT plugin's kernels into numba's on-disk cache now (seconds
# each, once): renders then only load them, and plugins run under a guard that lets them
# read that cache but not write it.
.venv/bin/python -c "from reelgraph.render.kernels.warm_up import compile_ahead; compile_ahead()"
.venv/bin/python -c "from reelgraph_lut.kernel import compile_ahead; compile_ahead()"
