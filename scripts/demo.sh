#!/usr/bin/env bash
# Set everything up, generate the demo's media (first run only) and render demo.mp4.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/reelgraph demo-media examples/media
.venv/bin/reelgraph render examples/demo.json -o "${1:-demo.mp4}"
