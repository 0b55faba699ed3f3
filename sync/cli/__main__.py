"""`python -m sync.cli …`: the same as the `publ-sync` console script."""

import sys

from sync.cli.entry import main

sys.exit(main())
