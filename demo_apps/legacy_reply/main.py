"""The legacy two-way patterns: ``send`` + ``event.reply``, and ``send_sync``.

Electron: ipcRenderer.send('asynchronous-message') answered with
event.reply('asynchronous-reply'), and ipcRenderer.sendSync answered by
setting event.returnValue. Both still work; invoke is the better way.
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent
TITLE = "Legacy reply and send_sync"
PATTERN = "2 (legacy): send + event.reply, send_sync + event.return_value"
DESCRIPTION = "Ping main asynchronously (it replies) and synchronously (it returns a value)."


def on_async_message(event, arg: str) -> None:
    event.reply("asynchronous-reply", f"pong: {arg}")


def on_sync_message(event, arg: str) -> None:
    event.return_value = f"sync pong: {arg}"


@hookimpl
def tkelectron_ready(app) -> None:
    ipc_main.on("asynchronous-message", on_async_message)
    ipc_main.on("synchronous-message", on_sync_message)
    window = BrowserWindow(width=640, height=360, web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")


if __name__ == "__main__":
    import sys

    from tkelectron import app

    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
