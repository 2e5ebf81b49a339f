"""``python -m reelgraph`` runs the command line."""

import sys

from reelgraph.cli.main import main

sys.exit(main())
