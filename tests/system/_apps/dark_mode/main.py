"""Electron's dark-mode example (docs/fiddles/features/dark-mode), ported line by line.

main.js handles 'dark-mode:toggle' and 'dark-mode:system' with nativeTheme;
the page's styles.css has @media (prefers-color-scheme) rules; nothing else.
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main, native_theme

HERE = Path(__file__).parent


def toggle(event):
    if native_theme.should_use_dark_colors:
        native_theme.theme_source = "light"
    else:
        native_theme.theme_source = "dark"
    return native_theme.should_use_dark_colors


def system(event):
    native_theme.theme_source = "system"


@hookimpl
def tkelectron_ready(app) -> None:
    ipc_main.handle("dark-mode:toggle", toggle)
    ipc_main.handle("dark-mode:system", system)
    win = BrowserWindow(width=800, height=600, web_preferences={"preload": str(HERE / "preload.py")})
    win.load_file(HERE / "index.html")
