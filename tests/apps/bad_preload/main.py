"""A test app whose preload raises."""

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl

HERE = Path(__file__).parent
errors: list = []
gone: list = []


@hookimpl
def tkelectron_window_created(window):
    window.web_contents.on("preload-error", lambda event, path, error: errors.append((Path(path).name, error)))


@hookimpl
def tkelectron_renderer_gone(window, details):
    gone.append((window.id, details.reason))


@hookimpl
def tkelectron_ready(app):
    errors.clear()
    gone.clear()
    window = BrowserWindow(web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")
