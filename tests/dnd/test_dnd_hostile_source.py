"""Another X client that drops files and never hands them over must not stall main.

``_mute_source.py`` speaks XDND by hand: enter, position, drop, and then it
ignores the request for the data. While tkdnd waits for it, main goes on —
the page takes a real in-page drag, Tk's timers fire (their lateness and
tkdnd's wait are printed, not asserted) — and afterwards a real drop from
another application works again.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import trio
from dnd.test_dnd_real import DEMO, HERE, OtherClient, centre, element_centre, glide, other_client

from tkelectron.testing import launch
from tkelectron.testing._xinput import xdotool

pytestmark = pytest.mark.tkelectron("tkhtml")

#: Times tkdnd's real request for the dropped data (wrapped for the test, unwrapped after).
WATCH_REQUEST = r"""
namespace eval ::tke_test { variable asking 0; variable waited 0 }
rename ::tkdnd::xdnd::GetDroppedData ::tkdnd::xdnd::_tke_test_get
proc ::tkdnd::xdnd::GetDroppedData {args} {
    set ::tke_test::asking 1
    set t0 [clock milliseconds]
    try {
        return [::tkdnd::xdnd::_tke_test_get {*}$args]
    } finally {
        set ::tke_test::waited [expr {([clock milliseconds] - $t0) / 1000.0}]
        set ::tke_test::asking 0
    }
}
"""
UNWATCH_REQUEST = r"""
rename ::tkdnd::xdnd::GetDroppedData {}
rename ::tkdnd::xdnd::_tke_test_get ::tkdnd::xdnd::GetDroppedData
namespace delete ::tke_test
"""


def asking(root: Any) -> bool:
    return str(root.tk.getvar("::tke_test::asking")) == "1"


async def mute_drop(app: Any, win: Any, root: Any, zx: int, zy: int) -> None:
    process = await trio.lowlevel.open_process([sys.executable, str(HERE / "_mute_source.py"), str(zx), str(zy)],
                                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    mute = OtherClient(process)
    try:
        assert await mute.next("status") == 1  # main accepts files over the zone
        assert await mute.next("dropped") is True
        await app.wait_for(lambda: asking(root), what="main asking for the dropped data")
        await win.drag_and_drop("#task-d", "#task-a")  # the page still takes the user's drag
        await win.wait_for_text("#order", "d a b c")
        assert asking(root)  # ... while that request still waits
        lags = []
        for _ in range(100):
            asked = time.monotonic()
            fired = trio.Event()
            root.after(5, fired.set)
            await fired.wait()
            lags.append(time.monotonic() - asked - 0.005)
        print(f"Tk timer lateness while the drop waits: max {max(lags) * 1000:.1f} ms over {len(lags)} timers")
        await app.wait_for(lambda: not asking(root), timeout=60, what="tkdnd to give up on the data")
        print(f"tkdnd waited {float(root.tk.getvar('::tke_test::waited')):.1f} s for the data")
    finally:
        assert process.stdin is not None
        await process.stdin.aclose()
        await process.wait()


async def test_a_source_that_never_answers_the_drop_does_not_stall_main(compositor: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        zx, zy = await element_centre(win, "#drop-zone")
        await xdotool("mousemove", "--sync", str(zx), str(zy))
        root = win.window._surface.toplevel
        root.tk.eval(WATCH_REQUEST)
        try:
            await mute_drop(app, win, root, zx, zy)
        finally:
            root.tk.eval(UNWATCH_REQUEST)
        assert app.module.dropped == []
        async with other_client("source", "700", "100", str(notes)) as (source, box):
            sx, sy = centre(box)
            await xdotool("mousemove", "--sync", str(sx), str(sy), "mousedown", "1")
            await glide(sx, sy, sx - 40, sy + 10, steps=4)
            await glide(sx - 40, sy + 10, zx, zy, steps=10)
            zone = await win.wait_for_selector("#drop-zone")
            await app.wait_for(lambda: "over" in win.window._surface.element(zone).attributes.get("class", ""),
                               what="the next drag over the zone")
            await xdotool("mouseup", "1")
            await win.wait_for_text("#dropped", f"notes.txt: {notes}")
            assert await source.next("end") == "copy"
