"""Measure the desktop services' round trips on this machine (not a test; run it by hand).

    .venv/bin/python tests/system/measure_desktop.py

Starts a private ``dbus-daemon`` and the test services, runs a headless app
and prints the median and 95th percentile, over RUNS samples, of: a
notification from ``show()`` to the ``show`` event (Notify answered), a
server's click to the app's ``click`` listener, a host's ``Activate`` call on
the tray to its answer (the app's listener ran before it), a portal
``SettingChanged`` to ``native_theme``'s ``updated``, and ``set_badge_count``
to the dock receiving the ``Update``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import trio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the system package

from system._services._base import Recorder, running
from system._services.launcher_dock import LauncherDock
from system._services.notifications import NotificationServer
from system._services.portal import SettingsPortal
from system._services.status_notifier import StatusNotifierWatcher
from system.conftest import running_daemon
from tkelectron import Notification, Tray, app, native_theme

RUNS = 200


async def sample(what: str, once: Callable[[int], Awaitable[None]]) -> None:
    times = []
    for i in range(RUNS):
        start = time.perf_counter()
        await once(i)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{what:<44} median {statistics.median(times):6.2f} ms   p95 {p95:6.2f} ms   (n={RUNS})")


async def main(address: str) -> None:
    async with running(NotificationServer(), address) as server, running(StatusNotifierWatcher(), address) as watcher, \
            running(SettingsPortal(color_scheme=2), address) as portal, running(LauncherDock(), address) as dock, \
            app.running(compositor="headless", entry_points=False, spare_renderers=0):
        await Notification.is_supported()  # the connection is open before timing starts

        async def notify(i: int) -> None:
            note, shown = Notification(title=f"n{i}"), Recorder()
            note.on("show", shown.add)
            note.show()
            await shown.wait_for(1)

        await sample("Notification show() -> 'show'", notify)

        note, clicks = Notification(title="click me"), Recorder()
        note.on("click", clicks.add)
        shown = Recorder()
        note.on("show", shown.add)
        note.show()
        await shown.wait_for(1)

        async def click(i: int) -> None:
            await server.click(note.id)
            await clicks.wait_for(i + 1)

        await sample("server ActionInvoked -> 'click' listener", click)

        tray, pressed = Tray("a"), Recorder()
        tray.on("click", lambda e, bounds: pressed.add(bounds))
        item = await watcher.wait_for_item()

        async def activate(i: int) -> None:
            await watcher.press(item, "Activate")

        await sample("host Activate -> answered (listener ran)", activate)
        tray.destroy()

        await native_theme.refresh()
        updates = Recorder()
        native_theme.on("updated", updates.add)

        async def flip(i: int) -> None:
            await portal.set_color_scheme(1 if i % 2 == 0 else 2)
            await updates.wait_for(i + 1)

        await sample("portal SettingChanged -> 'updated'", flip)

        async def badge(i: int) -> None:
            app.set_badge_count(i + 1)
            await dock.wait_for_state("application://tkelectron-app.desktop", count=i + 1)

        await sample("set_badge_count -> dock got Update", badge)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder, running_daemon(Path(folder)) as (address, _proc):
        import os

        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
        trio.run(main, address)
