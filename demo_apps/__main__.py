"""``python -m tkelectron.demos``: the demo launcher (same as ``tkelectron demo``)."""

import sys

from tkelectron.demos.launcher_cli import run_launcher

sys.exit(run_launcher())
