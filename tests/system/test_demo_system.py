"""The "system" demo, driven like a user: what each button did is read on the
other side — xclip for the clipboard, the test notification server for the
notification, a test StatusNotifierWatcher (the desktop's status area) for the
tray, the page's own styling for the theme, a key sent with xdotool for the
global shortcut."""

from __future__ import annotations

from pathlib import Path

import pytest
import trio

from system._services._base import running
from system._services.notifications import NotificationServer
from system._services.status_notifier import StatusNotifierWatcher, flatten
from system.test_clipboard import xclip_holding, xclip_out
from tkelectron import native_theme
from tkelectron.testing import launch

DEMO = Path(__file__).resolve().parents[2] / "demo_apps" / "system"

pytestmark = pytest.mark.tkelectron


@pytest.fixture(autouse=True)
def _theme_back_to_system():
    yield
    native_theme.theme_source = "system"


async def test_copy_and_paste_go_through_the_x_clipboard(compositor: str, display: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        await win.fill("#text", "from the page")
        await win.click("#copy")
        await win.wait_for_text("#clip-status", "copied")
        assert (await xclip_out("-selection", "clipboard")).stdout == b"from the page"
        async with xclip_holding("from xclip ☃".encode(), "-selection", "clipboard"):
            await win.click("#paste")
            await win.wait_for_text("#pasted", "from xclip ☃")


async def test_a_notification_action_reaches_the_page(compositor: str, display: str,
                                                      session_bus_address: str) -> None:
    async with launch(DEMO, compositor=compositor) as app, \
            running(NotificationServer(), session_bus_address) as server:
        win = await app.first_window()
        await win.fill("#text", "Lunch?")
        await win.click("#notify")
        shown = await server.wait_for_notification()
        assert (shown.summary, shown.body) == ("System demo", "Lunch?")
        assert ("0", "Reply") in shown.action_pairs()
        await server.invoke_action(shown.id, "0")
        await win.wait_for_text("#notification", "action 0 (Reply)")


async def test_without_a_notification_server_the_page_is_told(compositor: str, display: str,
                                                              no_session_bus: None) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        await win.click("#notify")
        await app.wait_for(lambda: (app.module.events or [("", "")])[-1][1].startswith("failed: "),
                           what="the notification to fail")
        await win.wait_for_text("#notification", app.module.events[-1][1])  # main told the page


def background(path: str) -> tuple[int, int, int]:
    """The colour of a screenshot's top-left corner: the page's background."""
    from compositor._png import read_png

    _width, _height, rows = read_png(path)
    return tuple(rows[4][12:15])  # row 4, pixel 4 (RGB)


async def test_theme_buttons_restyle_the_page(compositor: str, display: str, tmp_path: Path) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_selector("#paths li")
        await win.click("#theme-dark")
        await win.wait_for_text("#theme", "dark")  # the page's match_media list changed
        assert native_theme.should_use_dark_colors
        if compositor == "tkhtml":  # the @media (prefers-color-scheme: dark) rules are drawn
            assert background(await win.screenshot(tmp_path / "dark.png")) == (0x1E, 0x1F, 0x24)
        await win.click("#theme-light")
        await win.wait_for_text("#theme", "light")
        if compositor == "tkhtml":
            assert background(await win.screenshot(tmp_path / "light.png")) == (0xFF, 0xFF, 0xFF)
        native_theme.theme_source = "dark"  # main changes it: the page follows
        await win.wait_for_text("#theme", "dark")


async def test_the_global_shortcut_counts_presses_from_anywhere(compositor: str, display: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_text("#shortcut", "CmdOrCtrl+Alt+P (registered)")
        for n in (1, 2):
            await trio.run_process(["xdotool", "key", "ctrl+alt+p"])
            await win.wait_for_text("#presses", f"pressed {n} time{'s' if n > 1 else ''}")


async def test_the_paths_are_the_apps(compositor: str, display: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_selector("#paths li")
        text = await win.text_content("#paths")
        assert f"userData: {app.app.get_path('userData')}" in text
        assert f"temp: {app.app.get_path('temp')}" in text


async def test_the_page_cannot_push_bad_values_into_main(compositor: str, display: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        await app.first_window()
        module = app.module
        with pytest.raises(ValueError, match="at most"):
            module.copy(None, "x" * (module.MAX_TEXT + 1))
        with pytest.raises(ValueError, match="system, light or dark"):
            module.set_theme(None, "purple")
        with pytest.raises(ValueError, match="must be text"):
            module.notify(None, {"not": "text"})


async def test_the_tray_menu_acts_on_the_app_and_the_page_hears_it(compositor: str, display: str,
                                                                   session_bus_address: str) -> None:
    async with running(StatusNotifierWatcher(), session_bus_address) as watcher, \
            launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_selector("#paths li")
        item = await watcher.wait_for_item()  # the desktop's status area holds our icon
        assert (await watcher.properties(item))["ToolTip"][2] == "System integration"
        _revision, layout = await watcher.layout(item)
        ids = {props.get("label"): item_id for item_id, props, _depth in flatten(layout)}
        assert list(ids) == ["Show window", "Dark theme", None, "Quit"]
        await watcher.menu_event(item, ids["Dark theme"])  # a checkbox: on, so the app turns dark
        await win.wait_for_text("#tray", "menu: dark theme on")
        await win.wait_for_text("#theme", "dark")  # and the page restyled with it
        assert native_theme.should_use_dark_colors
        await watcher.press(item, "Activate")
        await win.wait_for_text("#tray", "clicked")
