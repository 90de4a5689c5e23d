"""``python -m tkelectron``: the same command as ``tkelectron``."""

import sys

from .cli import main

sys.exit(main())
