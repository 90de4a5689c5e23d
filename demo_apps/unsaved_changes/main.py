"""Unsaved changes: main asks the page whether the window may close.

Electron has no main-to-renderer invoke (electron#40182), so apps wire this
with a pair of one-way messages. Here main simply awaits
``web_contents.invoke("editor:may-close")``; the page answers after asking
the user, and closing is cancelled or goes on.
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, RendererGoneError, app, hookimpl

HERE = Path(__file__).parent
TITLE = "Unsaved changes"
PATTERN = "main to renderer, two-way (web_contents.invoke / ipc_renderer.handle)"
DESCRIPTION = "Type something, then close the window: the page asks whether to discard your changes."

#: Each answer the page gave, for tests and the console.
answers: list[bool] = []


async def ask_page(window: BrowserWindow) -> None:
    try:
        may_close = await window.web_contents.invoke("editor:may-close")
    except RendererGoneError:
        return  # the page went away (crashed, or the app quit) while asking
    answers.append(may_close)
    if may_close and not window.is_destroyed():
        window.destroy()  # no second `close` event: the page already agreed


def on_close(event, window: BrowserWindow) -> None:
    event.prevent_default()  # decide asynchronously, after asking the page
    app.start_soon(ask_page, window)


@hookimpl
def tkelectron_ready(app) -> None:
    answers.clear()
    window = BrowserWindow(width=560, height=400, title="Editor", web_preferences={"preload": HERE / "preload.py"})
    window.on("close", lambda event: on_close(event, window))
    window.load_file(HERE / "index.html")


if __name__ == "__main__":
    import sys

    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
