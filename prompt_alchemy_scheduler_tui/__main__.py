"""`python -m prompt_alchemy_scheduler_tui`: the same entry point as the console script."""

import sys

from prompt_alchemy_scheduler_tui.app.cli import main

sys.exit(main())
