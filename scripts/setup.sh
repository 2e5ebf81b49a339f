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
# Fonts for the text plugin: DejaVu (Latin) and IPA Gothic (Japanese). Skipped when present.
fonts=()
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || fonts+=(fonts-dejavu-core)
[ -e /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf ] || fonts+=(fonts-ipafont-gothic)
if [ "${#fonts[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${fonts[@]}" \
    || echo "setup: could not install ${fonts[*]}; text tests needing them will skip" >&2
fi
