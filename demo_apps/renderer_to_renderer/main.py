"""Pattern 4 (renderer to renderer): through main as a broker, and directly
over a MessagePort.

Electron: main relays with webContents.send, or hands each window one end of
a MessageChannelMain with webContents.postMessage(channel, null, [port]). Here a
port is a real socket passed to each renderer, so once it is handed over the
chat does not pass through main at all.
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, MessageChannelMain, hookimpl, ipc_main

HERE = Path(__file__).parent
TITLE = "Renderer to renderer"
PATTERN = "4: renderer to renderer (broker through main, and MessagePorts)"
DESCRIPTION = "Two windows: one message relayed by main, and a chat over a MessagePort in both directions."

windows: dict[str, BrowserWindow] = {}


def relay(event, text: str) -> None:
    """The broker: forward a message to the other window."""
    sender = "left" if event.sender is windows["left"].web_contents else "right"
    other = windows["right" if sender == "left" else "left"]
    other.web_contents.send("broker:message", f"{sender} (via main): {text}")


async def open_windows(app) -> None:
    ipc_main.on("broker:send", relay)
    for name, x in (("left", 40), ("right", 520)):
        window = BrowserWindow(
            width=460, height=420, x=x, y=60, title=f"{name.capitalize()} window",
            web_preferences={"preload": HERE / "preload.py"},
        )
        # Both windows load the same page: keep our titles, not the page's.
        window.on("page-title-updated", lambda event, title: event.prevent_default())
        windows[name] = window
    loads = [w.load_file(HERE / "index.html") for w in windows.values()]
    for load in loads:
        await load
    # One channel, one end to each window: from now on they talk directly.
    port1, port2 = MessageChannelMain()
    windows["left"].web_contents.post_message("chat:port", "left", transfer=[port1])
    windows["right"].web_contents.post_message("chat:port", "right", transfer=[port2])


@hookimpl
def tkelectron_ready(app) -> None:
    windows.clear()
    app.start_soon(open_windows, app)


if __name__ == "__main__":
    import sys

    from tkelectron import app

    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
