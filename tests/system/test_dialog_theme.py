"""Main's Tk message boxes follow native_theme, like its menus: drawn dark, and live.

Real Tk under Xvfb: the box is captured from the X server and its pixels read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trio
import trio.lowlevel
from compositor._png import pixel, read_png

from system._services._base import Recorder
from tkelectron import BrowserWindow, app, dialog, native_theme
from tkelectron.main._tk_theme import DARK_DIALOG
from tkelectron.main.compositor._tk_dialogs import MESSAGE_BOX_PREFIX
from tkelectron.main.compositor._tk_screenshot import capture_window
from tkelectron.testing._runner import current_tk_root

DARK = tuple(int(DARK_DIALOG["background"][i:i + 2], 16) for i in (1, 3, 5))


@pytest.fixture(autouse=True)
def system_theme(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.delenv("GTK_THEME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    native_theme._portal_scheme = None
    native_theme.theme_source = "system"
    yield
    native_theme.theme_source = "system"


async def shown_box(root: Any) -> Any:
    """The message box once the X server shows it (nothing announces that: ask until it is)."""
    with trio.fail_after(10):
        while True:
            boxes = [w for w in root.winfo_children() if w.winfo_name().startswith(MESSAGE_BOX_PREFIX)]
            if boxes and boxes[0].winfo_viewable():
                return boxes[0]
            await trio.sleep(0.01)


def drawn(box: Any, tmp_path: Path) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(the box's background, the middle of its first button) as the X server has them."""
    box.update_idletasks()
    path = str(tmp_path / "box.png")
    capture_window(box.winfo_id(), str(box.winfo_screen()), path)
    _w, _h, rows = read_png(path)
    button = box.nametowidget("buttons.button0")
    x = button.winfo_rootx() - box.winfo_rootx() + button.winfo_width() // 2
    y = button.winfo_rooty() - box.winfo_rooty() + 3
    return pixel(rows, 4, 4), pixel(rows, x, y)


@pytest.mark.tkelectron("tkhtml")
async def test_message_boxes_are_drawn_in_the_theme_and_follow_it(compositor: str, tmp_path: Path) -> None:
    root = current_tk_root()
    async with app.running(compositor=compositor, root=root, entry_points=False, spare_renderers=0):
        window = BrowserWindow(width=300, height=200)
        answers = Recorder()

        async def ask() -> None:
            answers.add(await dialog.show_message_box(window, message="Dark?", detail="the theme",
                                                         buttons=["Yes", "No"], checkbox_label="Remember"))

        app.nursery.start_soon(ask)
        box = await shown_box(root)
        light_background, light_button = drawn(box, tmp_path)
        assert light_background != DARK

        native_theme.theme_source = "dark"  # while it is open: it follows
        await trio.lowlevel.checkpoint()  # Tk redraws in its idle callbacks
        background, button = drawn(box, tmp_path)
        assert background == DARK
        assert button not in (light_button, DARK)  # the button's own dark shade
        assert str(box.nametowidget("body.message").cget("style")) == "TkeDialog.TLabel"
        box.nametowidget("buttons.button1").invoke()
        await answers.wait_for(1)

        app.nursery.start_soon(ask)  # one made while dark is dark from the start
        box = await shown_box(root)
        assert drawn(box, tmp_path)[0] == DARK
        native_theme.theme_source = "light"
        await trio.lowlevel.checkpoint()
        assert drawn(box, tmp_path) == (light_background, light_button)
        box.nametowidget("buttons.button0").invoke()
        await answers.wait_for(2)
        window.destroy()
    assert [a.response for a in answers] == [1, 0]
