"""A window manager: BrowserWindow's options, methods and live events, on a few windows.

Electron: new BrowserWindow({minWidth, parent, modal, frame: false, ...}),
win.maximize()/minimize()/setFullScreen()/center()/flashFrame(), and the
'resize'/'move'/'maximize'/'focus'/... events.
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent
TITLE = "Window manager"
PATTERN = "BrowserWindow options, methods and events"
DESCRIPTION = ("Open a child, a modal child (its parent refuses clicks while it is open) and a frameless window; "
               "maximize, minimize, go full screen, center; every window's events are listed live.")

#: The events the page lists, for every window of the demo.
EVENTS = ("resize", "resized", "move", "moved", "focus", "blur", "maximize", "unmaximize", "minimize",
          "restore", "enter-full-screen", "leave-full-screen", "show", "hide", "ready-to-show", "close", "closed")
PREFS = {"preload": HERE / "preload.py"}
main_window: BrowserWindow | None = None
#: Every event seen, in order: (window name, event name), for tests and the page.
seen: list[tuple[str, str]] = []


def report(name: str, window: BrowserWindow, event: str) -> None:
    seen.append((name, event))
    if main_window is None or main_window.is_destroyed():
        return
    b = window.get_bounds() if not window.is_destroyed() else {}
    state = "" if window.is_destroyed() else (
        f"{b['width']}x{b['height']}+{b['x']}+{b['y']}"
        f"{' max' if window.is_maximized() else ''}{' min' if window.is_minimized() else ''}"
        f"{' full' if window.is_full_screen() else ''}{' top' if window.is_always_on_top() else ''}")
    main_window.web_contents.send("wm-event", name, event, state)


def watch(name: str, window: BrowserWindow) -> BrowserWindow:
    for event in EVENTS:
        window.on(event, lambda *_a, _e=event: report(name, window, _e))
    return window


def open_window(kind: str) -> BrowserWindow:
    """One of the demo's other windows: ``child``, ``modal`` or ``frameless``."""
    assert main_window is not None
    if kind == "child":
        window = BrowserWindow(width=360, height=180, x=20, y=20, title="Child window", parent=main_window,
                               min_width=240, min_height=160, background_color="#eef3fb", icon=HERE / "icon.png",
                               web_preferences=PREFS)
    elif kind == "modal":
        window = BrowserWindow(width=340, height=200, title="Modal child", parent=main_window, modal=True,
                               resizable=False, minimizable=False, web_preferences=PREFS)
    elif kind == "frameless":
        window = BrowserWindow(width=320, height=180, frame=False, skip_taskbar=True, always_on_top=True,
                               x=60, y=60, web_preferences=PREFS)
    else:
        raise ValueError(f"no such window: {kind!r}")
    watch(kind, window).load_file(HERE / "other.html")
    return window


def act(event, action: str) -> None:
    """What the main page's buttons ask for."""
    window = BrowserWindow.from_web_contents(event.sender)
    if window is None:
        return
    if action in ("child", "modal", "frameless"):
        open_window(action)
    elif action == "maximize":
        window.unmaximize() if window.is_maximized() else window.maximize()
    elif action == "minimize":
        window.minimize()
    elif action == "fullscreen":
        window.set_full_screen(not window.is_full_screen())
    elif action == "center":
        window.center()
    elif action == "on-top":
        window.set_always_on_top(not window.is_always_on_top())
    elif action == "flash":
        window.flash_frame(True)
    elif action == "grow":
        width, height = window.get_size()
        window.set_size(width + 40, height + 20)
    elif action == "close":
        window.close()


@hookimpl
def tkelectron_ready(app) -> None:
    global main_window
    seen.clear()
    ipc_main.on("wm", act)
    main_window = watch("main", BrowserWindow(width=640, height=480, title="Window manager", min_width=480,
                                              min_height=360, center=True, show=False, web_preferences=PREFS))
    main_window.once("ready-to-show", lambda *_: main_window.show())  # Electron's no-flash idiom
    main_window.load_file(HERE / "index.html")


if __name__ == "__main__":
    import sys

    from tkelectron import app

    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
