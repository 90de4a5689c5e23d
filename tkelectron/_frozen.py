"""The entry point of a frozen app (``tkelectron package``), renderers included.

A packaged app is one executable. Started by the user it runs the app that
was bundled with it; started by its own main process with
:data:`RENDERER_FLAG` and a socket number it becomes that window's renderer
(like :func:`multiprocessing.freeze_support`: the same binary, another role
chosen by a marker argument). It also answers ``-m tkelectron[.cli] ARGS`` so
code that starts ``sys.executable -m tkelectron.cli run FOLDER`` (the demo
launcher does) works unchanged when frozen.

The renderer branch imports nothing of main's: it goes straight to
:mod:`tkelectron.renderer.__main__`, which locks itself down before any app
code runs.
"""

from __future__ import annotations

import sys
from typing import NoReturn

__all__ = ["RENDERER_FLAG", "ZYGOTE_FLAG", "is_frozen", "main"]

#: The marker argument that makes the frozen executable a renderer.
RENDERER_FLAG = "--tkelectron-renderer"
#: The marker argument that makes it the zygote renderers are forked from.
ZYGOTE_FLAG = "--tkelectron-zygote"

_CLI_MODULES = ("tkelectron", "tkelectron.cli")


def is_frozen() -> bool:
    """True in an executable built by a freezer (PyInstaller sets ``sys.frozen``)."""
    return bool(getattr(sys, "frozen", False))


def main(app_root: str) -> NoReturn:
    """Run as the renderer, as the ``tkelectron`` command, or as the app at ``app_root``."""
    # The bundle is read-only in spirit (and really under /opt): never write
    # __pycache__ folders into it, as ``python -B`` would not.
    sys.dont_write_bytecode = True
    argv = sys.argv
    if len(argv) == 3 and argv[1] == RENDERER_FLAG:
        from .renderer.__main__ import main as renderer_main

        renderer_main(int(argv[2]))
        sys.exit(0)
    if len(argv) == 3 and argv[1] == ZYGOTE_FLAG:
        from .renderer._zygote import main as zygote_main

        zygote_main(int(argv[2]))
        sys.exit(0)
    from .cli import main as cli_main

    if len(argv) >= 3 and argv[1] == "-m" and argv[2] in _CLI_MODULES:
        sys.exit(cli_main(argv[3:]))
    sys.exit(cli_main(["run", app_root]))
