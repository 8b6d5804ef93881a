"""``python -m generator``."""

import sys

from generator.cli import main

# Guarded: chart workers (spawned processes) import this module again.
if __name__ == "__main__":
    sys.exit(main())
