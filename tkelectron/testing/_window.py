"""One window of an app under test, in Playwright's Page shape."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import trio
import trio.lowlevel

from ..main._browser_window import BrowserWindow
from ..main.compositor.base import ElementInfo, Surface

if TYPE_CHECKING:
    from ..main.compositor.headless import HeadlessSurface
    from ..main.compositor.tkhtml import TkhtmlSurface
    from ._harness import AppHarness

__all__ = ["WindowHarness"]

_TIMEOUT = 15.0
#: Most captures of a framed window taken until two agree (the frame is drawn).
_STABLE_CAPTURES = 5

# DOM key names -> X keysyms for xdotool.
_KEYSYMS = {
    "Enter": "Return",
    "Escape": "Escape",
    "Tab": "Tab",
    "Backspace": "BackSpace",
    "Delete": "Delete",
    "ArrowUp": "Up",
    "ArrowDown": "Down",
    "ArrowLeft": "Left",
    "ArrowRight": "Right",
    " ": "space",
}


class WindowHarness:
    """Act on one window like a user and read what it shows."""

    def __init__(self, harness: AppHarness, window: BrowserWindow) -> None:
        self._harness = harness
        self.window = window

    @property
    def web_contents(self) -> Any:
        return self.window.web_contents

    @property
    def _surface(self) -> Surface:
        return self.window._surface

    @property
    def _real(self) -> bool:
        return self._harness.compositor == "tkhtml"

    @property
    def _tk(self) -> TkhtmlSurface:
        """The window's surface on the tkhtml compositor (a real Tk toplevel)."""
        from ..main.compositor.tkhtml import TkhtmlSurface

        surface = self.window._surface
        if not isinstance(surface, TkhtmlSurface):
            raise TypeError(f"window {self.window.id} is not a Tk window")
        return surface

    @property
    def _headless(self) -> HeadlessSurface:
        """The window's surface on the headless compositor (input is simulated)."""
        from ..main.compositor.headless import HeadlessSurface

        surface = self.window._surface
        if not isinstance(surface, HeadlessSurface):
            raise TypeError(f"window {self.window.id} is not a headless window")
        return surface

    # -- waiting --------------------------------------------------------------------

    async def wait_for_load(self, timeout: float = _TIMEOUT) -> None:
        load = self.web_contents._load
        if load is None:
            await self._harness.changes.wait_until(
                lambda: self.web_contents._load is not None, timeout, f"window {self.window.id} to load a page"
            )
            load = self.web_contents._load
        with trio.fail_after(timeout):
            await load

    async def wait_settled(self, timeout: float = _TIMEOUT) -> None:
        """Until the renderer handled every input sent (and what it started finished)."""
        wc = self.web_contents

        def settled() -> bool:
            return (wc._renderer is None or wc._settled_seq >= wc._event_seq) and not len(wc._answers)

        await self._harness.changes.wait_until(settled, timeout, f"window {self.window.id} to settle")

    async def wait_for_selector(self, selector: str, timeout: float = _TIMEOUT) -> int:
        """The node id of the first element matching ``selector``, once there is one."""
        return await self._harness.changes.wait_until(
            lambda: next(iter(self._surface.query(selector)), None), timeout, f"{selector!r} in window {self.window.id}"
        )

    async def wait_for_text(self, selector: str, text: str, timeout: float = _TIMEOUT) -> None:
        """Until the element's text is ``text`` (Playwright's ``to_have_text``)."""
        await self.wait_for_selector(selector, timeout)
        try:
            await self._harness.changes.wait_until(
                lambda: self._info(selector).text.strip() == text, timeout, f"{selector!r} to read {text!r}"
            )
        except TimeoutError as exc:
            # What it reads *now* (at the timeout), not what it read when the wait began.
            try:
                latest = repr(self._info(selector).text.strip())
            except LookupError:
                latest = "nothing: the element is gone"
            raise TimeoutError(f"{exc} (it reads {latest})") from None

    # -- reading ---------------------------------------------------------------------

    def _info(self, selector: str) -> ElementInfo:
        nodes = self._surface.query(selector)
        if not nodes:
            raise LookupError(f"no element matches {selector!r} in window {self.window.id}")
        info = self._surface.element(nodes[0])
        assert info is not None
        return info

    async def text_content(self, selector: str) -> str:
        await self.wait_for_selector(selector)
        return self._info(selector).text

    async def input_value(self, selector: str) -> str:
        await self.wait_for_selector(selector)
        return self._info(selector).value or ""

    async def is_checked(self, selector: str) -> bool:
        await self.wait_for_selector(selector)
        return bool(self._info(selector).checked)

    async def is_visible(self, selector: str) -> bool:
        nodes = self._surface.query(selector)
        info = self._surface.element(nodes[0]) if nodes else None
        return info is not None and info.visible and self.window.is_visible()

    # Every read is awaitable, as in Playwright's Python API: it waits until
    # the app settled (what the user did has taken effect), then reads.

    async def title(self) -> str:
        """The window's title, as its title bar shows it."""
        await self.wait_settled()
        return self.window.get_title()

    async def html(self) -> str:
        """The HTML the window displays now (main's copy of the page's DOM)."""
        await self.wait_settled()
        return self._surface.html()

    async def screenshot(self, path: str | Path, *, full: bool = False) -> str:
        """Save a PNG of the window as drawn now; returns ``path``.

        By default the page only, like Electron's ``capturePage``. With
        ``full=True`` the whole window as the X server shows it: the window
        manager's frame with the title bar (when a window manager runs; the
        tour starts one on its private Xvfb) and the menu bar.
        """
        await self.wait_settled()
        if self._real:
            # Tk (and Tkhtml) draw in idle callbacks: run the pending ones, or a
            # page that just loaded is captured blank. Only drawing runs here:
            # the host schedules trio's callbacks through a pipe or a timer
            # (screenshots need an X server, so never the Windows idle fallback).
            self._tk.toplevel.update_idletasks()
        if not full or not self._real:  # headless raises: it draws nothing
            self._surface.screenshot(str(path))
            return str(path)
        await self._capture_whole_window(str(path))
        return str(path)

    async def _capture_whole_window(self, path: str) -> None:
        from ..main.compositor._tk_screenshot import capture_window
        from ._display import parent_window, window_manager_running

        top = self._tk.toplevel
        if not top.winfo_ismapped():
            raise RuntimeError("cannot take a screenshot of a window that is not shown")
        display = str(top.winfo_screen())
        inner = top.winfo_id()
        if not window_manager_running(display):
            # No window manager: Tk's wrapper window holds the menu bar and the page.
            capture_window(parent_window(inner, display), display, path)
            return
        # The window manager reparents a new window into its frame, then draws
        # the frame (title included) in its own time: wait for the frame, then
        # capture until two captures agree, so a title just set is drawn.
        def framed() -> int | None:
            frame = int(str(top.wm_frame()), 16)
            return frame if frame != inner else None

        frame = await self._harness.changes.wait_until(
            framed, _TIMEOUT, f"the window manager to frame window {self.window.id}"
        )
        previous = b""
        for _ in range(_STABLE_CAPTURES):
            capture_window(frame, display, path)
            current = await trio.Path(path).read_bytes()
            if current == previous:
                return
            previous = current
            await trio.lowlevel.checkpoint()  # let Tk handle what arrived meanwhile

    # -- acting -------------------------------------------------------------------------

    async def _sent_input(self, before: int, what: str) -> None:
        wc = self.web_contents
        await self._harness.changes.wait_until(lambda: wc._event_seq > before, _TIMEOUT, what)

    async def _click_point(self, node: int) -> tuple[int, int]:
        """Where to click element ``node`` on screen, once it is laid out and in view.

        Tk's pending idle work (Tkhtml's layout, which places the page's form
        controls) runs first: a page that loaded in a few milliseconds may not
        be laid out yet, and a click at the old place would miss.

        ``click_point`` scrolls an element outside the viewport into view, and
        the scroll lands when Tk next redraws (nothing announces it): ask
        again until the point is inside the page's widget.
        """
        surface = self._tk
        widget = surface.html_widget
        widget.update_idletasks()  # Tkhtml lays out and places its controls when idle: as drawn
        x, y = surface.click_point(node)
        with trio.fail_after(_TIMEOUT):
            while not (widget.winfo_rootx() <= x < widget.winfo_rootx() + widget.winfo_width()
                       and widget.winfo_rooty() <= y < widget.winfo_rooty() + widget.winfo_height()):
                await trio.sleep(0.01)
                x, y = surface.click_point(node)
        return x, y

    async def click(self, selector: str) -> None:
        """Click the element's centre, as a user would, and wait until settled."""
        node = await self.wait_for_selector(selector)
        before = self.web_contents._event_seq
        if self._real:
            from ._xinput import click_at

            x, y = await self._click_point(node)
            await click_at(x, y, self._harness.changes.notify)
            await self._sent_input(before, f"the click on {selector!r} to reach the window")
        else:
            self._headless.simulate_click(node)
        await self.wait_settled()

    async def dblclick(self, selector: str) -> None:
        """Double-click the element's centre, as a user would (Playwright's ``dblclick``),
        and wait until settled: ``mousedown``/``mouseup``/``click`` twice, the second
        with ``detail`` 2, then ``dblclick``."""
        node = await self.wait_for_selector(selector)
        before = self.web_contents._event_seq
        if self._real:
            from ._xinput import double_click_at

            x, y = await self._click_point(node)
            await double_click_at(x, y, self._harness.changes.notify)
            await self._sent_input(before, f"the double click on {selector!r} to reach the window")
        else:
            self._headless.simulate_dblclick(node)
        await self.wait_settled()

    async def drag_and_drop(self, source: str, target: str) -> None:
        """Drag element ``source`` onto ``target`` and release it there, as a user would
        (Playwright's ``drag_and_drop``); then wait until settled. tkhtml: the real pointer
        presses on ``source``'s centre, moves in steps and is released on ``target``'s."""
        src = await self.wait_for_selector(source)
        dst = await self.wait_for_selector(target)
        before = self.web_contents._event_seq
        if self._real:
            from ._xinput import drag_between

            start = await self._click_point(src)
            end = await self._click_point(dst)
            await drag_between(start, end, self._harness.changes.notify)
            await self._sent_input(before, f"the drag from {source!r} to reach the window")
        else:
            self._headless.simulate_drag(src, dst)
        await self.wait_settled()

    async def fill(self, selector: str, text: str) -> None:
        """Replace a text field's content by typing ``text``, then wait until settled."""
        node = await self.wait_for_selector(selector)
        if self._real:
            from ._xinput import click_at, type_text

            x, y = await self._click_point(node)
            await click_at(x, y, self._harness.changes.notify)
            entry = self._tk.entry_widget(node)
            if entry is None:
                raise TypeError(f"{selector!r} is not a text field")
            await type_text(entry, text, self._harness.changes.notify)
            def holds_text() -> bool:
                info = self._surface.element(node)
                return info is not None and (info.value or "") == text

            await self._harness.changes.wait_until(
                holds_text,
                _TIMEOUT,
                f"{selector!r} to hold {text!r}",
            )
        else:
            self._headless.simulate_fill(node, text)
        await self.wait_settled()

    async def press(self, selector: str, key: str) -> None:
        """Press ``key`` (a DOM key name: Enter, a, ArrowUp...) in the element."""
        node = await self.wait_for_selector(selector)
        before = self.web_contents._event_seq
        if self._real:
            from ._xinput import click_at, press_key

            x, y = await self._click_point(node)
            await click_at(x, y, self._harness.changes.notify)
            await press_key(_KEYSYMS.get(key, key), self._harness.changes.notify)
            await self._sent_input(before, f"the key {key!r} to reach {selector!r}")
        else:
            self._headless.simulate_key(node, key)
        await self.wait_settled()

    async def check(self, selector: str) -> None:
        await self.click(selector)

    async def request_close(self) -> None:
        """Press the window's close button (through the X server, on tkhtml).

        The app decides what happens: ``close`` listeners run and may prevent it.
        """
        before = self.window._close_requests
        if self._real:
            from ._display import close_window, parent_window

            # To the window a window manager manages: Tk's wrapper (the parent
            # of the toplevel's own window), which holds WM_PROTOCOLS.
            close_window(parent_window(self._tk.toplevel.winfo_id()))
            await self._harness.changes.wait_until(
                lambda: self.window._close_requests > before,
                _TIMEOUT,
                f"window {self.window.id} to get the close request",
            )
        else:
            self._headless.callbacks.on_close_request()
        await self._harness.wait_settled()

    def __repr__(self) -> str:
        return f"<WindowHarness window={self.window.id} title={self.window.get_title()!r}>"
