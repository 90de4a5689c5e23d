"""Real input through the X server, with xdotool (tkhtml compositor).

Events made this way reach Tk exactly as a user's do: the pointer moves,
the button goes down and up, keys are typed into whatever has focus. The
caller then waits for their effect; xdotool returning only means the X
server has them.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import trio

__all__ = ["xdotool", "click_at", "double_click_at", "drag_between", "type_text", "press_key"]


async def xdotool(*args: str) -> None:
    exe = shutil.which("xdotool")
    if exe is None:
        raise RuntimeError("xdotool is not installed (apt-get install xdotool)")
    await trio.run_process([exe, *args], stdout=subprocess.DEVNULL)


async def click_at(x: int, y: int, notify: Callable[[], None]) -> None:
    # Arrive from elsewhere, as a hand on a mouse does: the window under the
    # pointer then gets its Enter before the click even when the pointer was
    # already resting on that spot (over a window that has since gone).
    await xdotool("mousemove", "--sync", str(x + 8), str(y + 8), "mousemove", "--sync", str(x), str(y), "click", "1")
    notify()


async def double_click_at(x: int, y: int, notify: Callable[[], None]) -> None:
    """A quick double click: two clicks 1 ms apart (Tk's double click is a second press
    within 500 ms); the second press lands while the first one's effects are still arriving."""
    await xdotool("mousemove", "--sync", str(x + 8), str(y + 8), "mousemove", "--sync", str(x), str(y),
                  "click", "--repeat", "2", "--delay", "1", "1")
    notify()


async def drag_between(start: tuple[int, int], end: tuple[int, int], notify: Callable[[], None],
                       steps: int = 10) -> None:
    """Press at ``start``, move to ``end`` in ``steps`` motion events, release there."""
    (x0, y0), (x1, y1) = start, end
    moves: list[str] = []
    for i in range(1, steps + 1):
        moves += ["mousemove", "--sync", str(x0 + (x1 - x0) * i // steps), str(y0 + (y1 - y0) * i // steps)]
    await xdotool("mousemove", "--sync", str(x0), str(y0), "mousedown", "1", *moves, "mouseup", "1")
    notify()


async def type_text(entry: Any, text: str, notify: Callable[[], None]) -> None:
    """Select what the field (an Entry or a Text) holds, then type over it."""
    entry.focus_set()
    if hasattr(entry, "selection_range"):  # Entry
        entry.selection_range(0, "end")
        entry.icursor("end")
        current = entry.get()
    else:  # Text (<textarea>)
        entry.tag_add("sel", "1.0", "end-1c")
        entry.mark_set("insert", "end-1c")
        current = entry.get("1.0", "end-1c")
    if current:
        await xdotool("key", "BackSpace")
    if text:
        await xdotool("type", "--delay", "2", text)
    notify()


async def press_key(keysym: str, notify: Callable[[], None]) -> None:
    await xdotool("key", keysym)
    notify()
