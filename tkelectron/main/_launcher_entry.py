"""Badge count and progress on the app's launcher icon (com.canonical.Unity.LauncherEntry).

GNOME's Dash to Dock / Ubuntu Dock, KDE's task manager and Plank read this:
the app broadcasts the signal ``Update(app_uri, properties)`` where
``app_uri`` is ``application://<desktop entry id>`` and ``properties`` holds
``count``/``count-visible`` (``app.set_badge_count``) and
``progress``/``progress-visible`` (``win.set_progress_bar``). A dock that
starts later asks our ``Query`` method for the current state.

The setters are synchronous, as Electron's are: they change the state and
wake one sender task per app run, which sends the latest state (a burst of
progress updates is coalesced, never reordered). Without a session bus the
setters still record the state; the failure is logged once per run.

The desktop entry id is ``app.desktop_name`` when the app set it (it should
name the app's installed ``.desktop`` file), else the app's name in lower
case with non-alphanumerics as ``-`` plus ``.desktop``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

import trio

from ._context import current_session
from ._dbus import DesktopServiceError, ExportedObject, SessionBus, Variant, session_bus

__all__ = ["LauncherEntry", "desktop_entry_id", "launcher_entry"]

log = logging.getLogger("tkelectron.launcher")

INTERFACE = "com.canonical.Unity.LauncherEntry"
PROGRESS_MODES = ("none", "normal", "indeterminate", "error", "paused")


def desktop_entry_id() -> str:
    """The app's desktop entry id (``myapp.desktop``)."""
    session = current_session()
    chosen = session.require_app().desktop_name
    if chosen:
        return chosen if chosen.endswith(".desktop") else f"{chosen}.desktop"
    slug = re.sub(r"[^a-z0-9]+", "-", session.require_app().get_name().lower()).strip("-") or "tkelectron-app"
    return f"{slug}.desktop"


class LauncherEntry:
    """The launcher icon's state for this process (``launcher_entry``)."""

    def __init__(self) -> None:
        self.count = 0
        self.progress = -1.0  # < 0: no progress bar
        self.urgent = False
        self._wake: trio.Event | None = None
        self._run: Any = None  # the app nursery the sender task belongs to

    # -- what App and BrowserWindow call ------------------------------------------------

    def set_badge_count(self, count: int) -> bool:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"the badge count must be an int >= 0, not {count!r}")
        self._enter_run()
        self.count = count
        return self._changed()

    def set_progress_bar(self, progress: float, mode: str = "normal") -> None:
        if isinstance(progress, bool) or not isinstance(progress, (int, float)):
            raise TypeError(f"progress must be a number, not {type(progress).__name__}")
        if mode not in PROGRESS_MODES:
            raise ValueError(f"mode must be one of {', '.join(PROGRESS_MODES)}, not {mode!r}")
        self._enter_run()
        # Electron: < 0 or mode 'none' removes the bar; > 1 is indeterminate,
        # which the launcher protocol has no way to show: a full bar stands in.
        if mode == "none" or progress < 0:
            self.progress = -1.0
        elif mode == "indeterminate" or progress > 1:
            self.progress = 1.0
        else:
            self.progress = float(progress)
        self._changed()

    def properties(self) -> dict[str, Variant]:
        return {
            "count": ("x", self.count),
            "count-visible": ("b", self.count > 0),
            "progress": ("d", max(self.progress, 0.0)),
            "progress-visible": ("b", self.progress >= 0),
            "urgent": ("b", self.urgent),
        }

    # -- sending --------------------------------------------------------------------

    def _enter_run(self) -> None:
        """A new app run starts from a clean launcher icon (the last run's was withdrawn)."""
        session = current_session()
        if session.nursery is not None and self._run is not session.nursery:
            self.count, self.progress, self.urgent = 0, -1.0, False

    def _changed(self) -> bool:
        session = current_session()
        if session.nursery is None:
            return False  # Electron's answer when the badge could not be set
        if self._run is not session.nursery:
            self._run = session.nursery
            self._wake = trio.Event()
            session.start_soon(self._sender, self._wake)
        assert self._wake is not None
        self._wake.set()
        return True

    async def _sender(self, first_wake: trio.Event) -> None:
        try:
            bus = await session_bus()
            path = object_path()
            app_uri = f"application://{desktop_entry_id()}"
            bus.export(ExportedObject(path, methods={
                INTERFACE: {"Query": ("", lambda: ("sa{sv}", (app_uri, self.properties())))},
            }))
        except DesktopServiceError as exc:
            log.warning("the launcher badge and progress are not shown: %s", exc)
            return
        wake = first_wake
        while True:
            await wake.wait()
            self._wake = wake = trio.Event()
            await _send_update(bus, path, app_uri, self.properties())


async def _send_update(bus: SessionBus, path: str, app_uri: str, properties: dict[str, Variant]) -> None:
    try:
        await bus.emit(path, INTERFACE, "Update", "sa{sv}", (app_uri, properties))
    except DesktopServiceError as exc:
        log.warning("the launcher update was not sent: %s", exc)


def object_path() -> str:
    """Where we serve ``Query``: a path of our own, stable for the app's desktop entry."""
    digest = hashlib.md5(f"application://{desktop_entry_id()}".encode()).hexdigest()
    return f"/com/canonical/unity/launcherentry/{digest}"


#: The process-wide launcher icon state.
launcher_entry = LauncherEntry()
