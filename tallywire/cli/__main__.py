"""``python -m tallywire.cli``: the ``tallywire`` command, as tests and the compose services start it."""

import sys

from tallywire.cli import main

sys.exit(main())
