"""Pattern 3 (main to renderer): a native menu drives a counter in the page.

Electron: webContents.send('update-counter', 1) from a menu item's click;
the page reports the new value back with ipcRenderer.send('counter-value').
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, Menu, hookimpl, ipc_main

HERE = Path(__file__).parent
TITLE = "Menu counter"
PATTERN = "3: main to renderer (web_contents.send from a native menu)"
DESCRIPTION = "Pick Counter > Increment or Decrement: main tells the page, the page reports the value back."

#: Every value the page reported, in order (tests and the console read it).
received: list[int] = []


def on_counter_value(event, value: int) -> None:
    received.append(value)
    print(f"counter-value: {value}")


def build_menu(window: BrowserWindow) -> Menu:
    return Menu.build_from_template(
        [
            {"label": "File", "submenu": [{"role": "quit"}]},
            {
                "label": "Counter",
                "submenu": [
                    {
                        "label": "Increment",
                        "id": "increment",
                        "accelerator": "CmdOrCtrl+Up",
                        "click": lambda *_: window.web_contents.send("update-counter", 1),
                    },
                    {
                        "label": "Decrement",
                        "id": "decrement",
                        "accelerator": "CmdOrCtrl+Down",
                        "click": lambda *_: window.web_contents.send("update-counter", -1),
                    },
                ],
            },
        ]
    )


@hookimpl
def tkelectron_ready(app) -> None:
    received.clear()
    ipc_main.on("counter-value", on_counter_value)
    window = BrowserWindow(width=640, height=360, web_preferences={"preload": HERE / "preload.py"})
    window.set_menu(build_menu(window))
    window.load_file(HERE / "index.html")


if __name__ == "__main__":
    import sys

    from tkelectron import app

    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
