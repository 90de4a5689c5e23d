"""Shared by the Tk reader and IPC log tests: the probe app (a private copy
per test) and small helpers over its windows."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from _app_copy import load_private_copy

APP = Path(__file__).resolve().parent / "_tk_reader_app"


def probe_app(root: Path) -> ModuleType:
    """A private copy of the probe app, loaded (its module state is per test)."""
    return load_private_copy(APP, root / "tk_reader_probe")


def socket_fd(window: Any) -> int:
    """The fd of main's end of the window's renderer socket."""
    return int(window.web_contents._renderer_session.process.conn.sock.fileno())


async def open_window(app: Any, module: ModuleType, **prefs: Any) -> Any:
    window = module.open_probe(**prefs)
    await app.wait_for_window(lambda h: h.window is window)
    return window


def gone_reasons(window: Any) -> list[str]:
    reasons: list[str] = []
    window.web_contents.on("render-process-gone", lambda _event, details: reasons.append(details.reason))
    return reasons
