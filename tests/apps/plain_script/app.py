"""A plain script app (no hooks): it calls app.run() itself, loads a page, quits."""

import sys
from pathlib import Path

from tkelectron import BrowserWindow, app

HERE = Path(__file__).parent


async def main():
    await app.when_ready()
    window = BrowserWindow(title="plain")
    window.web_contents.on("console-message", lambda event, level, message, *rest: None)
    await window.load_file(HERE / "index.html")
    print(f"main: loaded {window.get_title()}", flush=True)
    app.quit()


sys.exit(app.run(main))
