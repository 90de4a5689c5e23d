"""An idle window schedules nothing: no timer polls in main while nothing happens.

A polling loop always has its next turn pending, so at any quiet moment it
shows up in Tcl's ``after info`` (tkinterweb's thread queue used to: an
``after 50`` in every window, forever) or as a trio deadline. These tests
let every one-shot callback run out and then require both lists to be empty:
a count, not a timing. The CPU figures themselves are ``tkelectron bench``'s.
"""

from __future__ import annotations

import tkinter
from typing import Any

import pytest
import trio

from tkelectron.common._messages import ReplaceDocument

from .conftest import Kit
from .test_tk_images import png, url

#: Idle rounds allowed for one-shot callbacks to run out (a poll never does).
_ROUNDS = 50


def _pending_afters(root: tkinter.Tk) -> list[tuple[str, ...]]:
    """Tcl's pending ``after`` events, each as (script, timer|idle)."""
    tk = root.tk
    return [tuple(tk.splitlist(tk.call("after", "info", name))) for name in tk.splitlist(tk.call("after", "info"))]


def test_a_drawn_page_with_an_image_and_inputs_leaves_no_after_event_pending(tk_kit: Kit) -> None:
    page = (f'<html data-tke-id="1"><body data-tke-id="2"><p data-tke-id="3">hello</p>'
            f'<img data-tke-id="4" src="{url(png(8, 8))}"><input data-tke-id="5" value="x">'
            f'<select data-tke-id="6"><option>a</option></select></body></html>')
    tk_kit.apply([ReplaceDocument(page)])
    tk_kit.wait_for(lambda: tk_kit.surface.toplevel.winfo_ismapped(), what="window mapped")
    assert tk_kit.surface.requests.pixels == 64  # the image really went through main's decoder
    root = tk_kit.root
    assert root is not None
    for _ in range(_ROUNDS):
        root.update()
        if not _pending_afters(root):
            break
    assert _pending_afters(root) == []
    # tkinterweb's own record of its polling timer.
    assert tk_kit.surface.frame.html.queue_after is None


async def _idle_round(root: tkinter.Tk) -> None:
    """Let Tk run its ready events and idle callbacks once, from a trio task."""
    done = trio.Event()
    root.after_idle(done.set)
    await done.wait()


@pytest.mark.usefixtures("display")
def test_an_idle_app_with_real_renderers_has_no_timer_in_tk_or_trio() -> None:
    from tkelectron.main._app import app
    from tkelectron.main._browser_window import BrowserWindow
    from tkelectron.main._host import TkHost
    from tkelectron.tools._bench_ipc import PAGE

    async def main(root: tkinter.Tk) -> tuple[list[Any], float, int]:
        async with app.running(compositor="tkhtml", root=root, entry_points=False, spare_renderers=0):
            windows = [BrowserWindow(width=320, height=200, title=f"idle {i}") for i in range(3)]
            try:
                for window in windows:
                    await window.load_file(PAGE)
                for window in windows:
                    await window.web_contents.wait_settled()
                rounds = 0
                while rounds < _ROUNDS:
                    await _idle_round(root)
                    rounds += 1
                    if not _pending_afters(root):
                        break
                pending = _pending_afters(root)
                # Measured from this task, which waits on no deadline itself.
                next_deadline = trio.lowlevel.current_statistics().seconds_to_next_deadline
            finally:
                for window in windows:
                    window.destroy()
        return pending, next_deadline, rounds

    host = TkHost()
    pending, next_deadline, rounds = host.run(main, host.root)
    assert pending == [], f"after {rounds} idle rounds"
    assert next_deadline == float("inf")
