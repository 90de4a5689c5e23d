"""get_bounding_client_rect and scroll_into_view: a page asks main, which alone lays the page out.

On tkhtml the answers come from Tkhtml's own boxes in a real window (checked
against the widget's bbox and scroll position); on headless from its fixed
block layout. Malformed requests from a tampered renderer are ipc-violations.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import trio
from _forged import each_kills_the_renderer  # tests/ is on sys.path

from tkelectron.main import _page_layout as page_layout
from tkelectron.main._ipc_dispatch import IpcViolation
from tkelectron.main._ipc_main import IpcMainInvokeEvent
from tkelectron.main._page_layout import MAX_SCROLLS
from tkelectron.main.compositor._headless_layout import LINE
from tkelectron.testing import launch

APP = Path(__file__).parent.parent / "apps" / "dom_layout"


def view_height(win: Any, compositor: str) -> float:
    if compositor == "tkhtml":
        return float(win._tk.html_widget.winfo_height())
    return float(win.window._surface.get_content_bounds()[3])


@pytest.mark.tkelectron
async def test_rects_follow_the_scroll_main_does(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.click("#measure")  # the page's async listener measures; reads wait until it is done
        out = json.loads(await win.text_content("#out"))
        view_h = view_height(win, compositor)
        _x, y, width, height, bottom = out["before"]
        assert y > 10 * view_h  # 150 lines further down, not in view
        assert width > 0 and height > 0 and bottom == y + height
        # scroll_into_view(): at the top of the view, and the button went up by as much.
        assert out["after"][1] == 0.0
        assert out["after"][2:4] == [width, height]
        assert out["button"][4] < 0  # the button near the top went out of view, above
        # scroll_into_view(False), not awaited: the next answer already sees it (bottom at the view's bottom).
        assert out["end"][4] == pytest.approx(view_h, abs=1)
        assert out["hidden"] == [0.0, 0.0, 0.0, 0.0, 0.0]
        assert out["detached"] == [0.0, 0.0, 0.0, 0.0, 0.0]
        if compositor == "tkhtml":
            surface = win._tk
            html = surface.html_widget
            far = surface.document.nodes[surface.query("#far")[0]]
            x1, y1, x2, y2 = surface.tk_bbox(far)[:4]
            assert (x2 - x1, y2 - y1) == (width, height)  # Tkhtml's own box
            first = float(html.tk.splitlist(html.yview())[0])
            assert first > 0.0  # the real widget scrolled
            # Zoomed, Tkhtml's boxes grow; the page's rect stays in CSS pixels, as in a browser.
            surface.frame.configure(zoom=2.0)
            try:
                zoomed = await win.web_contents.invoke("honest", "tke:dom.rect", [surface.query("#far")[0]])
                assert surface.tk_bbox(far)[3] - surface.tk_bbox(far)[1] == pytest.approx(2 * height, abs=2)
                assert zoomed[3] == pytest.approx(height, abs=1)
            finally:
                surface.frame.configure(zoom=1.0)
        else:
            # The headless layout: one line of text is LINE high and as wide as the window's content.
            mirror = win._headless
            assert height == LINE and width == mirror.get_content_bounds()[2]
            assert mirror.layout.scroll_y > 0

        await win.click("#center")
        _x, cy, _w, ch, _bottom = json.loads(await win.text_content("#out"))
        assert cy + ch / 2 == pytest.approx(view_h / 2, abs=1)


MALFORMED = {
    "a string id": ("tke:dom.rect", ["12"]),
    "a bool id": ("tke:dom.rect", [True]),
    "a negative id": ("tke:dom.rect", [-3]),
    "a huge id": ("tke:dom.rect", [2**60]),
    "an unknown block": ("tke:dom.scroll-into-view", [1, "middle"]),
    "a float id": ("tke:dom.scroll-into-view", [1.5, "start"]),
}


@pytest.mark.tkelectron("headless")  # main's checks come before any compositor
async def test_malformed_layout_requests_are_ipc_violations(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        gone = await each_kills_the_renderer(app, wc, MALFORMED.items(), lambda case: wc.invoke("forge", *case))
        # An id main does not display is no violation: zeros, and no scroll.
        assert await wc.invoke("honest", "tke:dom.rect", [10**9]) == [0.0, 0.0, 0.0, 0.0]
        assert await wc.invoke("honest", "tke:dom.scroll-into-view", [10**9, "nearest"]) is None
        assert len(gone) == len(MALFORMED)


@pytest.mark.tkelectron
async def test_scrolls_waiting_to_be_drawn_are_bounded(compositor: str) -> None:
    """An honest renderer sends one scroll after another; past MAX_SCROLLS waiting to be drawn, the
    next request's check is an ipc-violation (a flood Tk has no time to draw cannot pile up tasks).

    The scrolls are started here, in main's loop without a checkpoint between them, as a burst that
    main reads in one slice would start them; none is drawn before the next check.
    """
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        scroll = page_layout.CHANNELS[page_layout.SCROLL_CHANNEL]
        pending = []
        for _ in range(MAX_SCROLLS):
            scroll.check(wc, [1, "start"])
            pending.append(scroll.handler(IpcMainInvokeEvent(wc, page_layout.SCROLL_CHANNEL), 1, "start"))
        with pytest.raises(IpcViolation, match=f"{MAX_SCROLLS} scrolls"):
            scroll.check(wc, [1, "start"])
        for waiting in pending:  # once drawn (or after PAINT_WAIT), the window takes scrolls again
            await waiting
        scroll.check(wc, [1, "start"])


@pytest.mark.tkelectron("tkhtml")
async def test_a_rect_read_before_tk_applied_the_scroll_sees_it(compositor: str) -> None:
    """Tkhtml moves the view in an idle callback; a rect read before that sees the scroll asked for."""
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        surface = win._tk
        far = surface.query("#far")[0]
        html = surface.html_widget
        before = html.yview()
        surface.scroll_into_view(far, "start")
        assert html.yview() == before  # Tk has not moved yet...
        assert surface.element_rect(far)[1] == 0.0  # type: ignore[index]  # ...the answer already has
        drawn = trio.Event()
        token = trio.lowlevel.current_trio_token()
        surface.when_painted(lambda: token.run_sync_soon(drawn.set))
        await drawn.wait()
        assert html.yview() != before and surface.element_rect(far)[1] == 0.0  # type: ignore[index]
