"""The devtools plugin, driven like a user: open devtools, act in the page, read the panels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tkelectron import BrowserWindow
from tkelectron import app as tk_app
from tkelectron.plugins import devtools
from tkelectron.plugins.devtools._views import dom_rows, ipc_row
from tkelectron.testing import WindowHarness, launch

ROOT = Path(__file__).resolve().parents[2]
DEMOS = ROOT / "demo_apps"
PROBE = Path(__file__).resolve().parent / "apps" / "devtools_probe"


def cells(win: WindowHarness, selector: str) -> list[str]:
    """The text of every element matching ``selector`` in what ``win`` displays."""
    surface = win.window._surface
    return [surface.element(node).text.strip() for node in surface.query(selector)]


def ipc_table(win: WindowHarness) -> list[dict[str, str]]:
    """The IPC panel's rows (every row has one cell per column, so columns zip into rows)."""
    columns = ("time", "direction", "kind", "channel", "size", "latency", "error")
    by_column = [cells(win, f"#ipc-rows .{column}") for column in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*by_column, strict=True)]


async def devtools_of(app: Any, win: WindowHarness) -> WindowHarness:
    """The devtools window inspecting ``win``, once open and showing its DOM."""
    tools = await app.wait_for_window(lambda w: devtools.session_for(win.web_contents) is not None and
                                      devtools.session_for(win.web_contents).window is w.window)
    await tools.wait_for_selector("#dom-tree .dom-node")
    return tools


async def open_devtools(app: Any, win: WindowHarness) -> WindowHarness:
    await app.menu("View/Toggle Developer Tools", win).click()
    return await devtools_of(app, win)


# -- through the UI, on both compositors ------------------------------------------------------


@pytest.mark.tkelectron
async def test_ipc_panel_shows_a_message_and_filters_by_channel(compositor: str) -> None:
    tk_app.register_plugin(devtools)
    async with launch(DEMOS / "legacy_reply", compositor=compositor) as app:
        win = await app.first_window()
        tools = await open_devtools(app, win)
        assert win.web_contents.is_dev_tools_opened()
        await tools.wait_for_text("#inspected", "Inspecting: Legacy reply")
        assert await tools.title() == "Developer Tools - Legacy reply"

        await win.click("#async-btn")
        await win.wait_for_text("#async-reply", "pong: ping")
        await tools.click("#tab-ipc")
        await app.wait_for(lambda: {"asynchronous-message", "asynchronous-reply"} <= set(cells(tools, "#ipc-rows .channel")),
                           what="both channels in the IPC panel")
        sent = next(r for r in ipc_table(tools) if r["channel"] == "asynchronous-message")
        assert (sent["direction"], sent["kind"]) == ("renderer→main", "send")
        assert int(sent["size"]) > 0
        replied = next(r for r in ipc_table(tools) if r["channel"] == "asynchronous-reply")
        assert (replied["direction"], replied["kind"]) == ("main→renderer", "message")
        assert len(cells(tools, "#ipc-rows tr")) > 2  # the click's event and commits too

        await tools.fill("#ipc-filter", "REPLY")  # case-insensitive substring of the channel
        await app.wait_for(lambda: cells(tools, "#ipc-rows .channel") == ["asynchronous-reply"],
                           what="only the reply row to be left")
        total = len(devtools.session_for(win.web_contents)._ipc)
        await tools.wait_for_text("#ipc-count", f"1 of {total} messages")

        await win.click("#sync-btn")  # a new message that the filter hides...
        await win.wait_for_text("#sync-reply", "sync pong: ping")
        await app.wait_for(lambda: len(devtools.session_for(win.web_contents)._ipc) > total, what="more IPC entries")
        assert cells(tools, "#ipc-rows .channel") == ["asynchronous-reply"]

        await tools.fill("#ipc-filter", "synchronous-message")  # ...until the filter asks for it
        # (a substring: asynchronous-message matches too)
        await app.wait_for(lambda: cells(tools, "#ipc-rows .channel") == [
            "asynchronous-message", "synchronous-message", "synchronous-message"], what="the send_sync and its reply")
        assert cells(tools, "#ipc-rows .kind") == ["send", "send_sync", "reply"]
        assert cells(tools, "#ipc-rows .latency")[2].endswith(" ms")


@pytest.mark.tkelectron
async def test_elements_follow_the_dom_and_console_shows_the_page_logs(compositor: str) -> None:
    tk_app.register_plugin(devtools)
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        win.web_contents.open_dev_tools()
        tools = await devtools_of(app, win)
        nodes = cells(tools, "#dom-tree .dom-node")
        assert '<ul id="items">' in nodes
        assert '<button type="button" id="add">' in nodes
        assert not any("data-tke-id" in n for n in nodes)  # the page's DOM, not the protocol's

        await win.click("#add")
        await app.wait_for(lambda: '<li class="item" data-n="1">' in cells(tools, "#dom-tree .dom-node"),
                           what="the new <li> in the Elements panel")
        assert "item 1" in cells(tools, "#dom-tree .dom-text")
        # The tree nests: the <li> is one level deeper than its <ul>.
        depth = dict(zip(cells(tools, "#dom-tree div"), _styles(tools, "#dom-tree div"), strict=True))
        assert _px(depth['<li class="item" data-n="1">']) == _px(depth['<ul id="items">']) + 14

        await tools.click("#tab-console")
        # Logged while the page loaded, before devtools opened: kept for it.
        await app.wait_for(lambda: "probe page loaded" in cells(tools, "#console-rows .message"),
                           what="the load-time log in the Console panel")
        await win.click("#log")
        await app.wait_for(lambda: "button pressed" in cells(tools, "#console-rows .message"),
                           what="the click's log in the Console panel")
        levels = dict(zip(cells(tools, "#console-rows .message"), cells(tools, "#console-rows .level"), strict=True))
        assert levels["probe page loaded"] == "log"
        assert levels["button pressed"] == "warning"
        assert await tools.is_visible("#console-rows") and not await tools.is_visible("#dom-tree")


def _styles(win: WindowHarness, selector: str) -> list[str]:
    surface = win.window._surface
    return [surface.element(n).attributes.get("style", "") for n in surface.query(selector)]


def _px(style: str) -> int:
    return int(style.split(":")[1].strip().removesuffix("px"))


@pytest.mark.tkelectron
async def test_ipc_panel_shows_invokes_with_latency_and_errors(compositor: str) -> None:
    tk_app.register_plugin(devtools)
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        tools = await open_devtools(app, win)
        await tools.click("#tab-ipc")
        await tools.fill("#ipc-filter", "probe:")
        await win.click("#echo")
        await win.wait_for_text("#answer", "HELLO")
        await win.click("#fail")
        await win.wait_for_text("#answer", "error: asked to fail")
        await app.wait_for(lambda: len(ipc_table(tools)) == 4, what="two invokes and their answers")
        rows = ipc_table(tools)
        assert [(r["kind"], r["channel"]) for r in rows] == [
            ("invoke", "probe:echo"), ("result", "probe:echo"), ("invoke", "probe:echo"), ("failure", "probe:echo"),
        ]
        assert rows[1]["latency"].endswith(" ms") and rows[1]["error"] == ""
        assert rows[3]["error"] == "ValueError: asked to fail"
        assert cells(tools, "#ipc-rows tr.failed .kind") == ["failure"]


@pytest.mark.tkelectron
async def test_closing_the_window_closes_its_devtools_and_quits_once(compositor: str) -> None:
    tk_app.register_plugin(devtools)
    async with launch(PROBE, compositor=compositor) as app:
        quits: list[str] = []
        app.app.on("before-quit", lambda _e: quits.append("before-quit"))
        win = await app.first_window()
        tools = await open_devtools(app, win)
        wc = win.web_contents
        assert wc.listener_count("ipc-log") == 1

        # Closing devtools stops the recording; toggling opens a fresh one.
        await tools.request_close()
        await app.wait_for(lambda: tools.window.is_destroyed(), what="devtools to close")
        assert wc.listener_count("ipc-log") == 0 and wc.listener_count("dom-commit") == 1  # the harness's
        assert not wc.is_dev_tools_opened()
        assert devtools.session_for(wc) is None
        wc.toggle_dev_tools()
        again = await devtools_of(app, win)
        assert again.window is not tools.window and wc.is_dev_tools_opened()

        # Devtools get no devtools of their own.
        again.web_contents.open_dev_tools()
        assert len(app.windows) == 2 and devtools.is_devtools_window(again.window)
        assert not devtools.is_devtools_window(win.window)

        await win.request_close()
        await app.wait_for(lambda: again.window.is_destroyed(), what="devtools to close with their window")
        await app.wait_for(lambda: quits, what="the app to quit")
        await app.wait_settled()
        assert quits == ["before-quit"] and app.windows == []
    # Nothing of the run is left in the plugin.
    assert devtools._registry.sessions == {} and devtools._registry.devtools == {}
    assert devtools._registry.consoles == {}


@pytest.mark.tkelectron
async def test_devtools_windows_are_not_the_apps_browser_windows(compositor: str) -> None:
    tk_app.register_plugin(devtools)
    async with launch(PROBE, compositor=compositor) as app:
        created: list[Any] = []
        all_closed: list[str] = []
        app.app.on("browser-window-created", lambda _e, window: created.append(window))
        app.app.on("window-all-closed", lambda _e: all_closed.append("window-all-closed"))  # keeps the app running
        win = await app.first_window()
        wc = win.web_contents
        assert not wc.is_dev_tools_opened()
        wc.open_dev_tools()
        tools = await devtools_of(app, win)
        assert wc.is_dev_tools_opened()
        # The app sees its one window; the devtools window took the focus, so the app has none focused.
        assert BrowserWindow.get_all_windows() == [win.window]
        assert BrowserWindow.get_focused_window() is None
        assert created == []
        win.window.focus()
        assert BrowserWindow.get_focused_window() is win.window
        tools.window.focus()
        assert BrowserWindow.get_focused_window() is None

        wc.close_dev_tools()
        await app.wait_for(lambda: tools.window.is_destroyed(), what="close_dev_tools to close them")
        assert not wc.is_dev_tools_opened() and all_closed == []  # the app's window is still open
        wc.toggle_dev_tools()
        again = await devtools_of(app, win)
        assert wc.is_dev_tools_opened() and BrowserWindow.get_all_windows() == [win.window]
        wc.toggle_dev_tools()
        await app.wait_for(lambda: again.window.is_destroyed(), what="toggling to close them")
        assert not wc.is_dev_tools_opened() and all_closed == []

        # Devtools open when the app's last window closes: window-all-closed once, devtools gone too.
        wc.open_dev_tools()
        last = await devtools_of(app, win)
        win.window.close()
        await app.wait_for(lambda: last.window.is_destroyed() and all_closed, what="both windows to close")
        await app.wait_settled()
        assert all_closed == ["window-all-closed"] and created == []


@pytest.mark.tkelectron("tkhtml")
async def test_f12_opens_devtools(compositor: str) -> None:
    tk_app.register_plugin(devtools)
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        await win.press("#answer", "F12")
        tools = await devtools_of(app, win)
        assert devtools.is_devtools_window(tools.window)
        assert win.web_contents.is_dev_tools_opened()


@pytest.mark.tkelectron("headless")
async def test_the_view_menu_offers_f12(compositor: str) -> None:
    tk_app.register_plugin(devtools)
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        item = app.menu("View/Developer Tools", win)
        assert item.accelerator == "F12"
        await item.click()
        await devtools_of(app, win)
        assert win.web_contents.is_dev_tools_opened()
        win.window.focus()  # back to the page (devtools took the focus), F12 again
        await app.menu("View/Developer Tools", win).click()
        await app.wait_for(lambda: len(app.windows) == 1, what="F12 again to close devtools")


# -- the rows main sends --------------------------------------------------------------------------


def test_dom_rows_flatten_the_tree_with_depths_and_attributes() -> None:
    rows = dom_rows('<html><head><title>T</title></head><body><p id="a" class="x">Hi <b>there</b></p>'
                    '<input value="1"><br><ul>\n  <li>one</li></ul></body></html>')
    assert rows == [
        {"depth": 0, "tag": "html", "attrs": []},
        {"depth": 1, "tag": "head", "attrs": []},
        {"depth": 2, "tag": "title", "attrs": []},
        {"depth": 3, "text": "T"},
        {"depth": 1, "tag": "body", "attrs": []},
        {"depth": 2, "tag": "p", "attrs": [["id", "a"], ["class", "x"]]},
        {"depth": 3, "text": "Hi"},
        {"depth": 3, "tag": "b", "attrs": []},
        {"depth": 4, "text": "there"},
        {"depth": 2, "tag": "input", "attrs": [["value", "1"]]},
        {"depth": 2, "tag": "br", "attrs": []},
        {"depth": 2, "tag": "ul", "attrs": []},
        {"depth": 3, "tag": "li", "attrs": []},
        {"depth": 4, "text": "one"},
    ]


def test_ipc_rows_format_time_and_latency() -> None:
    class Entry:
        time = 1_700_000_000.25
        direction = "renderer→main"
        kind = "result"
        channel = "load"
        size = 42
        latency = 0.0123
        error = None

    row = ipc_row(Entry())
    assert row["time"].endswith(".250") and row["time"].count(":") == 2
    assert row["latency"] == "12.3 ms" and row["error"] == "" and row["size"] == 42
