"""A test app that reports its lifecycle on stdout, one ``probe:`` line per event.

The signal tests run it with ``tkelectron run`` and read these lines: the
renderer's pid once its page loaded, then before-quit, window closed,
will-quit, quit. ``PROBE_PREVENT_QUIT=1`` makes before-quit prevent the quit
(so only a second signal can end the app).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tkelectron import BrowserWindow, hookimpl

HERE = Path(__file__).parent


def say(*words: Any) -> None:
    print("probe:", *words, flush=True)


@hookimpl
def tkelectron_ready(app: Any) -> None:
    prevent = os.environ.get("PROBE_PREVENT_QUIT") == "1"

    def before_quit(event: Any) -> None:
        say("before-quit")
        if prevent:
            event.prevent_default()

    app.on("before-quit", before_quit)
    app.on("will-quit", lambda event: say("will-quit"))
    app.on("quit", lambda event, code: say("quit", code))
    window = BrowserWindow(width=300, height=200)
    contents = window.web_contents
    window.on("closed", lambda: say("closed"))
    contents.on("did-finish-load", lambda event: say("loaded", contents.get_os_process_id()))
    contents.on("render-process-gone", lambda event, details: say("gone", details.reason))
    window.load_file(HERE / "index.html")
