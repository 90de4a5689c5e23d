"""System integration: the desktop modules main offers, and a page that may use some of them.

Electron: clipboard, Notification, nativeTheme, Tray, globalShortcut and
app.getPath live in main; a preload exposes a few narrow functions to the
page, and main checks every argument (the page is untrusted). The window's
channel allowlist names the only channels the page can reach.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tkelectron import (
    BrowserWindow,
    Menu,
    Notification,
    Tray,
    app,
    clipboard,
    global_shortcut,
    hookimpl,
    ipc_main,
    native_theme,
)

HERE = Path(__file__).parent
TITLE = "System integration"
PATTERN = "main's desktop modules behind a preload"
DESCRIPTION = (
    "Clipboard, a notification with an action, themes, a tray icon with a menu, "
    "a global shortcut (Ctrl+Alt+P), the app's folders."
)

SHORTCUT = "CmdOrCtrl+Alt+P"
PATH_NAMES = ("userData", "documents", "downloads", "temp", "logs")
#: The most text the page may put on the clipboard or in a notification.
MAX_TEXT = 10_000

#: What happened, for tests and the console: ("shortcut", n), ("notification", what)...
events: list[tuple[str, Any]] = []
state: dict[str, Any] = {"presses": 0, "tray": None}


def _text(value: Any, what: str) -> str:
    # The page is untrusted: a wrong type or a huge string is refused here.
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError(f"{what} must be text of at most {MAX_TEXT} characters")
    return value


def _send_all(channel: str, *args: Any) -> None:
    for window in BrowserWindow.get_all_windows():
        window.web_contents.send(channel, *args)


async def status(event) -> dict[str, Any]:
    return {
        "paths": {name: app.get_path(name) for name in PATH_NAMES},
        "shortcut": SHORTCUT,
        "registered": global_shortcut.is_registered(SHORTCUT),
        "dark": native_theme.should_use_dark_colors,
        "theme_source": native_theme.theme_source,
    }


def copy(event, text: Any) -> None:
    clipboard.write_text(_text(text, "copied text"))


async def paste(event) -> str:
    return (await clipboard.read_text())[:MAX_TEXT]


def set_theme(event, source: Any) -> bool:
    if source not in ("system", "light", "dark"):
        raise ValueError("the theme is system, light or dark")
    native_theme.theme_source = source
    return native_theme.should_use_dark_colors


def notify(event, text: Any) -> None:
    note = Notification(title="System demo", body=_text(text, "the notification text"),
                        actions=[{"type": "button", "text": "Reply"}])

    def tell(what: str) -> None:
        events.append(("notification", what))
        _send_all("system:notification", what)

    note.on("show", lambda e: tell("shown"))
    note.on("click", lambda e: tell("clicked"))
    note.on("action", lambda e, index: tell(f"action {index} (Reply)"))
    note.on("close", lambda e: tell(f"closed ({e.reason})"))
    note.on("failed", lambda e, error: tell(f"failed: {error}"))
    note.show()


def _tray_said(what: str) -> None:
    events.append(("tray", what))
    _send_all("system:tray", what)


def make_tray() -> Tray:
    """A status-area icon whose menu acts on the window and the theme, as a user expects."""
    tray = Tray(HERE / "tray.png")
    tray.set_tool_tip(TITLE)

    def show_window(item: Any, *_: Any) -> None:
        for window in BrowserWindow.get_all_windows():
            window.focus()
        _tray_said("menu: show window")

    def theme(item: Any, *_: Any) -> None:
        native_theme.theme_source = "dark" if item.checked else "light"
        _tray_said(f"menu: dark theme {'on' if item.checked else 'off'}")

    tray.set_context_menu(Menu.build_from_template([
        {"label": "Show window", "id": "show", "click": show_window},
        {"label": "Dark theme", "id": "dark", "type": "checkbox", "checked": False, "click": theme},
        {"type": "separator"},
        {"label": "Quit", "id": "quit", "click": lambda *_: app.quit()},
    ]))
    tray.on("click", lambda e, bounds: _tray_said("clicked"))
    tray.on("failed", lambda e, error: _tray_said(f"no status area: {error}"))
    return tray


def on_shortcut() -> None:
    state["presses"] += 1
    events.append(("shortcut", state["presses"]))
    _send_all("system:shortcut", state["presses"])


@hookimpl
def tkelectron_ready(app) -> None:
    events.clear()
    state["presses"] = 0
    ipc_main.handle("system:status", status)
    ipc_main.handle("system:copy", copy)
    ipc_main.handle("system:paste", paste)
    ipc_main.handle("system:set-theme", set_theme)
    ipc_main.handle("system:notify", notify)
    global_shortcut.register(SHORTCUT, on_shortcut)
    state["tray"] = make_tray()
    window = BrowserWindow(width=720, height=560, title=TITLE, web_preferences={
        "preload": HERE / "preload.py",
        # The page may invoke these and hear these; nothing else.
        "channels": {"invoke": ("system:*",), "receive": ("system:*",), "send": ()},
    })
    window.load_file(HERE / "index.html")


if __name__ == "__main__":
    import sys

    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
