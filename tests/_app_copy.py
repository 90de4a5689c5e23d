"""A private copy of a test's probe app, loaded as main loads an app.

Suites whose probe app keeps module-level state (what its windows saw, the
cases to forge) copy it into the test's own folder, so no state crosses
tests, and load that copy. :func:`load_private_copy` is that step, once.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from tkelectron.main._plugins import load_app_module


def load_private_copy(source: Path, folder: Path, prepare: Callable[[Path], None] | None = None) -> ModuleType:
    """Copy the app at ``source`` to ``folder``, let ``prepare`` add to it, and load it.

    ``load_app_module`` puts the app's folder on ``sys.path`` (as an app run
    needs); the copy is taken off again so no later test imports from it.
    """
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("__pycache__"))
    if prepare is not None:
        prepare(folder)
    module = load_app_module(folder)
    if str(folder) in sys.path:
        sys.path.remove(str(folder))
    return module
