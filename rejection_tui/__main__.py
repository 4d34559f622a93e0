"""`python -m rejection_tui` runs the same entry point as `rejection-tui`."""

import sys

from rejection_tui.cli import main

sys.exit(main())
