"""What a renderer's ``versions`` says (Electron's ``process.versions``): python, tk, tkhtml, tkelectron.

The renderer never imports tkinter, so main, which runs Tk, tells it the Tk
and Tkhtml versions in its ``Init``. ``tk`` is the Tk patch level of main's
Tk (``tk_patchLevel``), or tkinter's ``TkVersion`` when main has no Tk
interpreter (the headless compositor without a display); ``tkhtml`` is the
version of the Tkhtml package main draws pages with, and ``""`` when pages
are not drawn by Tkhtml (headless).
"""

from __future__ import annotations

import platform
import tkinter
from typing import Any

__all__ = ["renderer_versions"]


def renderer_versions(compositor: Any) -> dict[str, str]:
    """The versions for a new renderer of an app running ``compositor``."""
    from .. import __version__

    out = {"python": platform.python_version(), "tkelectron": __version__, "tk": str(tkinter.TkVersion), "tkhtml": ""}
    root = getattr(compositor, "root", None)
    if isinstance(root, tkinter.Misc):
        out["tk"] = str(root.tk.call("set", "tk_patchLevel"))
        try:
            out["tkhtml"] = str(root.tk.call("package", "present", "Tkhtml"))
        except tkinter.TclError:
            out["tkhtml"] = ""  # not loaded yet: no window was made
    return out
