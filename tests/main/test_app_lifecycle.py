"""The app's lifecycle, as Electron's: ready, quitting, default quit, exit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trio
import trio.lowlevel
import trio.testing

from tkelectron import BrowserWindow, app, hookimpl, ipc_main
from tkelectron.testing import launch

BLANK = Path(__file__).resolve().parents[1] / "apps" / "blank"
PAGE = BLANK / "index.html"

pytestmark = pytest.mark.tkelectron("headless")


def open_window(app_: Any, **options: Any) -> BrowserWindow:
    win = BrowserWindow(**options)
    win.load_file(PAGE)
    return win


async def test_ready_fires_once_and_when_ready_returns(compositor: str) -> None:
    events: list[str] = []

    class Recorder:
        @hookimpl
        def tkelectron_configure(self, app):
            app.on("ready", lambda event: events.append("ready"))
            events.append("configure")

        @hookimpl
        async def tkelectron_ready(self, app):  # async hooks run as tasks
            await trio.lowlevel.checkpoint()
            events.append("async ready hook")

    app.register_plugin(Recorder())
    async with launch(BLANK, compositor=compositor) as harness:
        await app.when_ready()
        assert app.is_ready()
        await harness.wait_for(lambda: "async ready hook" in events)
    assert events == ["configure", "ready", "async ready hook"]
    assert not app.is_ready()


async def test_closing_the_last_window_quits_with_every_event_in_order(compositor: str) -> None:
    async with launch(BLANK, compositor=compositor) as harness:
        events: list[str] = []
        for name in ("before-quit", "will-quit", "quit"):
            app.on(name, lambda *args, name=name: events.append(name))
        win = await harness.evaluate(open_window)
        await win.load_file(PAGE)
        pid = win.web_contents.get_os_process_id()
        win.close()
        await harness.wait_for(lambda: events == ["before-quit", "will-quit", "quit"], what="the quit events")
        assert BrowserWindow.get_all_windows() == []
        await harness.wait_for(lambda: not _alive(pid), what="the renderer to exit")


async def test_a_window_all_closed_listener_keeps_the_app_running(compositor: str) -> None:
    async with launch(BLANK, compositor=compositor) as harness:
        seen: list[str] = []
        app.on("window-all-closed", lambda event: seen.append("all closed"))
        app.on("quit", lambda *args: seen.append("quit"))
        win = await harness.evaluate(open_window)
        await win.load_file(PAGE)
        win.close()
        await harness.wait_for(lambda: seen == ["all closed"], what="window-all-closed")
        assert app.is_ready()  # still running: no quit


async def test_before_quit_can_be_prevented_and_a_window_can_refuse_to_close(compositor: str) -> None:
    async with launch(BLANK, compositor=compositor) as harness:
        win = await harness.evaluate(open_window)
        await win.load_file(PAGE)
        app.once("before-quit", lambda event: event.prevent_default())
        app.quit()
        await trio.testing.wait_all_tasks_blocked()
        assert app.is_ready() and not win.is_destroyed()
        win.once("close", lambda event: event.prevent_default())
        app.quit()
        await trio.testing.wait_all_tasks_blocked()
        assert app.is_ready() and not win.is_destroyed()  # the window said no: no quit
        quits: list[int] = []
        app.on("quit", lambda event, code: quits.append(code))
        app.quit()
        await harness.wait_for(lambda: quits == [0], what="quit")


async def test_exit_skips_the_quit_events_and_closes_everything(compositor: str) -> None:
    async with launch(BLANK, compositor=compositor) as harness:
        events: list[str] = []
        for name in ("before-quit", "will-quit"):
            app.on(name, lambda *args, name=name: events.append(name))
        wins = [await harness.evaluate(open_window) for _ in range(2)]
        for w in wins:
            await w.load_file(PAGE)
        app.exit(3)
        assert all(w.is_destroyed() for w in wins) and events == []
        assert app._exit_code == 3


async def test_windows_cannot_exist_before_ready() -> None:
    with pytest.raises(RuntimeError, match="before the app is ready"):
        BrowserWindow()


async def test_the_window_scope_is_asked_before_ipc_main(compositor: str) -> None:
    async with launch(BLANK, compositor=compositor) as harness:
        preload = str(Path(__file__).parent / "_echo_preload.py")
        win = await harness.evaluate(lambda app_: open_window(app_, web_preferences={"preload": preload}))
        await win.load_file(PAGE)
        order: list[str] = []
        win.web_contents.ipc.on("ping", lambda event: order.append("window"))
        ipc_main.on("ping", lambda event: order.append("app"))
        win.web_contents.ipc.handle("who", lambda event: "window")
        ipc_main.handle("who", lambda event: "app")
        assert await win.web_contents.invoke("relay-invoke", "who") == "window"
        win.web_contents.ipc.remove_handler("who")
        assert await win.web_contents.invoke("relay-invoke", "who") == "app"
        await win.web_contents.invoke("relay-send", "ping")
        await harness.wait_for(lambda: order == ["window", "app"], what="both listeners, window first")


async def test_plugin_menus_merge_by_top_level_label(compositor: str) -> None:
    from tkelectron import Menu

    class First:
        @hookimpl
        def tkelectron_menu_template(self, app):
            return [{"label": "Tools", "submenu": [{"label": "One", "id": "one"}]}]

    class Second:
        @hookimpl
        def tkelectron_menu_template(self, app):
            return [{"label": "Tools", "submenu": [{"label": "Two", "id": "two"}]}, {"label": "Extra", "submenu": []}]

    app.register_plugin(First())
    app.register_plugin(Second())
    async with launch(BLANK, compositor=compositor):
        menu = Menu.get_application_menu()
        assert menu is not None
        tools = next(item for item in menu.items if item.label == "Tools")
        # pluggy calls the most recently registered plugin first
        assert [i.label for i in tools.submenu.items] == ["Two", "One"]
        assert [i.label for i in menu.items][:4] == ["File", "Edit", "View", "Window"]  # the built-in default
        assert sum(item.label == "Tools" for item in menu.items) == 1
        assert any(item.label == "Extra" for item in menu.items)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/status").is_file() and "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
