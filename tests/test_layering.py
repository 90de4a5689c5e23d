"""Main never imports the renderer's code (it starts it as a process).

Checked by importing every module of ``tkelectron.main`` in a fresh
interpreter and looking at what got imported, not by searching the text.
"""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import pkgutil, sys
import tkelectron.main
for info in pkgutil.walk_packages(tkelectron.main.__path__, "tkelectron.main."):
    __import__(info.name)
print(sorted(m for m in sys.modules if m == "tkelectron.renderer" or m.startswith("tkelectron.renderer.")))
"""


def test_importing_every_main_module_imports_no_renderer_module() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
