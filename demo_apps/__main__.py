"""``python -m demo_apps``: the demo launcher (same as ``tkelectron demo``)."""

import sys

from demo_apps.launcher_cli import run_launcher

sys.exit(run_launcher())
