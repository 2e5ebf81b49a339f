"""``python -m bench``: run the benchmark harness."""

import sys

from bench.run import main

sys.exit(main())
