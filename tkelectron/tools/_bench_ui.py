"""Click-to-DOM-update latency in a real window (tkhtml compositor, X server).

The click is real: ``xdotool`` presses the mouse button over the page's
button, so the X server delivers a ButtonPress to Tk as it would a user's.
Two spans are timed per click:

- **from Tk receiving the click**: a bind tag put *first* on the html
  widget's bindtags records the moment Tk dispatches the ButtonPress, before
  the compositor's own binding hit-tests it and sends the DOM event; the span
  ends when the renderer's commit (the label's new text) has been applied to
  the Tkhtml document (``dom-commit`` is emitted right after the apply). This
  is the framework's cost, independent of how the click was produced.
- **from asking xdotool**: the same end, timed from just before the xdotool
  process is started; it shows how much of a harness click is xdotool itself.

Each click waits for the renderer to report the event settled before the next,
so clicks never overlap.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import trio

from ..common._messages import SetText
from ..main._browser_window import BrowserWindow
from ..testing._xinput import xdotool

__all__ = ["ClickFigures", "click_latency"]

_clock = time.perf_counter_ns
_TIMEOUT = 20.0


@dataclass
class ClickFigures:
    """Per-click samples in nanoseconds."""

    from_tk_ns: list[int]
    from_xdotool_ns: list[int]


async def _wait_clickable(window: BrowserWindow, selector: str) -> tuple[int, int]:
    """Screen point of ``selector`` once the window is mapped and laid out.

    Mapping and layout happen in Tk's idle callbacks and announce nothing a
    trio task can await, so this re-checks every few milliseconds (as the
    test harness's waits do) until a deadline.
    """
    surface: Any = window._surface
    with trio.fail_after(_TIMEOUT):
        while True:
            nodes = surface.query(selector)
            if nodes and surface.toplevel.winfo_ismapped():
                try:
                    x, y = surface.click_point(nodes[0])
                    return int(x), int(y)
                except RuntimeError:
                    pass  # not laid out yet
            await trio.sleep(0.01)


async def click_latency(window: BrowserWindow, count: int, warmup: int) -> ClickFigures:
    """Click ``#btn`` ``count + warmup`` times; time the last ``count``."""
    surface: Any = window._surface
    html = surface.html_widget
    wc = window.web_contents
    x, y = await _wait_clickable(window, "#btn")
    await xdotool("mousemove", "--sync", str(x), str(y))

    pressed: list[int] = []
    committed: list[int] = []
    arrived = trio.Event()

    def on_press(_event: Any) -> None:
        pressed.append(_clock())

    def on_commit(ops: list[Any]) -> None:
        if any(isinstance(op, SetText) for op in ops) and len(committed) < len(pressed):
            committed.append(_clock())
            arrived.set()

    tag = f"TkeBench{id(pressed)}"
    html.bind_class(tag, "<ButtonPress-1>", on_press)
    original = tuple(html.bindtags())
    html.bindtags((tag, *original))
    wc.on("dom-commit", on_commit)
    figures = ClickFigures([], [])
    try:
        for i in range(count + warmup):
            arrived = trio.Event()
            t_ask = _clock()
            with trio.fail_after(_TIMEOUT):
                await xdotool("click", "1")
                await arrived.wait()
                await wc.wait_settled()
            if len(pressed) != i + 1:
                raise RuntimeError(f"click {i + 1}: Tk saw {len(pressed)} presses")
            if i >= warmup:
                figures.from_tk_ns.append(committed[i] - pressed[i])
                figures.from_xdotool_ns.append(committed[i] - t_ask)
    finally:
        wc.off("dom-commit", on_commit)
        if html.winfo_exists():
            html.bindtags(original)
        html.unbind_class(tag, "<ButtonPress-1>")
    return figures
