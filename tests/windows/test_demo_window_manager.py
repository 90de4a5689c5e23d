"""The window_manager demo, driven like a user on both compositors (the suite's display, no window manager).

Under openbox the same demo is driven through the window manager in
``test_real_window_manager``; here: ready-to-show before show, the buttons'
methods and their live events in the page, a modal child refusing the
parent's clicks, a frameless window.
"""

from __future__ import annotations

from typing import Any

import pytest
from windows._wm import DEMO, OtherClient  # tests/ is on sys.path

from tkelectron.testing import launch
from tkelectron.testing._display import xdotool


async def _shown(app: Any) -> Any:
    win = await app.first_window()
    await app.wait_for(lambda: ("main", "show") in app.module.seen, what="the main window shown")
    seen = app.module.seen
    assert seen.index(("main", "ready-to-show")) < seen.index(("main", "show"))
    return win


@pytest.mark.tkelectron
async def test_buttons_call_the_methods_and_the_page_lists_the_events(compositor: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await _shown(app)
        size = win.window.get_size()
        await win.click("#grow")
        await app.wait_for(lambda: win.window.get_size() == (size[0] + 40, size[1] + 20), what="the window to grow")
        await win.wait_for_text("#last", "main: resized")
        assert "main: resize" in await win.text_content("#log")
        assert (await win.text_content("#state")).startswith(f"{size[0] + 40}x{size[1] + 20}+")
        await win.click("#on-top")
        await app.wait_for(lambda: win.window.is_always_on_top(), what="always on top")
        await win.click("#frameless")
        await app.wait_for(lambda: len(app.windows) == 2, what="the frameless window")
        frameless = next(w for w in app.windows if w.window is not win.window).window
        assert frameless._surface.settings.frame is False and frameless._surface.settings.skip_taskbar
        assert frameless.is_always_on_top()


@pytest.mark.tkelectron
async def test_a_modal_child_refuses_the_parents_clicks_until_it_closes(compositor: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await _shown(app)
        await win.click("#modal")
        await app.wait_for(lambda: len(app.windows) == 2, what="the modal child")
        modal = next(w for w in app.windows if w.window is not win.window)
        await modal.wait_for_load()
        assert modal.window.get_parent_window() is win.window
        size = win.window.get_size()
        node = await win.wait_for_selector("#grow")
        if compositor == "tkhtml":
            await app.wait_for(lambda: modal.window._surface.toplevel.winfo_ismapped(), what="the modal shown")
            x, y = await win._click_point(node)
            m = modal.window.get_bounds()  # the click is on the parent, not on the modal over it
            assert not (m["x"] <= x <= m["x"] + m["width"] and m["y"] <= y <= m["y"] + m["height"] + 40)
            xdotool("mousemove", "--sync", x, y, "click", "1")  # a user's click on the parent
        else:
            with pytest.raises(RuntimeError, match="modal child is open"):
                win._surface.simulate_click(node)
        await modal.click("#close")
        await app.wait_for(lambda: modal.window.is_destroyed(), what="the modal closed")
        await win.click("#flash")  # taken again; a click let through before would have come first
        await win.wait_for_text("#clicks", "2")
        assert win.window.get_size() == size


@pytest.mark.tkelectron("tkhtml")
async def test_the_child_has_its_icon_and_background(compositor: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await _shown(app)
        await win.click("#child")
        await app.wait_for(lambda: len(app.windows) == 2, what="the child window")
        child = next(w for w in app.windows if w.window is not win.window).window
        await app.wait_for(lambda: child._surface.toplevel.winfo_ismapped(), what="the child shown")
        assert str(child._surface.toplevel.cget("background")) == "#eef3fb"
        x = OtherClient()
        try:  # Tk's iconphoto: _NET_WM_ICON is width, height, then ARGB pixels (the PNG's 32x32)
            icon = x.cardinals(child._surface._wrapper_id, "_NET_WM_ICON")
        finally:
            x.close()
        assert icon[:2] == [32, 32] and len(icon) == 2 + 32 * 32
        assert icon[2 + 16 * 32 + 16] & 0xFFFFFF == 0x2B4C7E  # the middle pixel: the icon's blue
        assert child.get_parent_window() is win.window
