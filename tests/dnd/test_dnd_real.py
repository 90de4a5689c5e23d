"""Drag and drop in real Tk windows under Xvfb, driven as a user with xdotool.

- A file dragged from another X client (``_other_client.py source``: its own Tk
  with tkdnd as the XDND source) into the demo's drop zone: the page lists it,
  main answers its path.
- In-page reordering: the pointer presses on a list item, moves onto another
  and releases there.
- A file dragged out: the page's ``dragstart`` asks main for ``start_drag``,
  and another X client (``_other_client.py target``, tkdnd as drop target)
  receives the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import trio

from tkelectron.testing import launch
from tkelectron.testing._xinput import xdotool

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "demo_apps" / "drag_and_drop"
pytestmark = pytest.mark.tkelectron("tkhtml")


class OtherClient:
    """The other application's process, and the JSON lines it says."""

    def __init__(self, process: trio.Process) -> None:
        self.process = process
        self._buffer = b""
        #: The whole of the line ``next`` found last.
        self.last: dict[str, Any] = {}

    async def next(self, key: str, timeout: float = 15) -> Any:
        """The value of the next line that has ``key`` (earlier lines are skipped)."""
        assert self.process.stdout is not None
        with trio.fail_after(timeout):
            while True:
                while b"\n" in self._buffer:
                    line, self._buffer = self._buffer.split(b"\n", 1)
                    said = json.loads(line)
                    if key in said:
                        self.last = said
                        return said[key]
                chunk = await self.process.stdout.receive_some(4096)
                if not chunk:
                    raise EOFError(f"the other client ended before saying {key!r}")
                self._buffer += chunk


@asynccontextmanager
async def other_client(*args: str) -> AsyncIterator[tuple[OtherClient, list[int]]]:
    process = await trio.lowlevel.open_process(
        [sys.executable, str(HERE / "_other_client.py"), *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    client = OtherClient(process)
    try:
        yield client, await client.next("ready")
    finally:
        assert process.stdin is not None
        await process.stdin.aclose()  # it ends when its stdin closes
        with trio.move_on_after(10):
            await process.wait()
        if process.returncode is None:
            process.kill()
            await process.wait()


def centre(box: list[int]) -> tuple[int, int]:
    x, y, w, h = box
    return x + w // 2, y + h // 2


async def glide(x0: int, y0: int, x1: int, y1: int, steps: int = 8) -> None:
    """Move the pointer from (x0, y0) to (x1, y1) in steps, as a hand does (each step a motion event)."""
    for i in range(1, steps + 1):
        await xdotool("mousemove", "--sync", str(x0 + (x1 - x0) * i // steps), str(y0 + (y1 - y0) * i // steps))


async def drag_from(box: list[int], x: int, y: int) -> None:
    """Press in the other client's ``box`` and move, as a hand does, to (x, y) with the button held."""
    sx, sy = centre(box)
    await xdotool("mousemove", "--sync", str(sx), str(sy), "mousedown", "1")
    await glide(sx, sy, sx - 40, sy + 10, steps=4)  # past tkdnd's threshold: the drag begins
    await glide(sx - 40, sy + 10, x, y, steps=10)


async def element_centre(win: Any, selector: str) -> tuple[int, int]:
    node = await win.wait_for_selector(selector)
    return await win._click_point(node)


async def has_class(app: Any, win: Any, selector: str, name: str) -> None:
    node = await win.wait_for_selector(selector)
    await app.wait_for(lambda: name in win.window._surface.element(node).attributes.get("class", "").split(),
                       what=f"{selector} to get class {name!r}")


async def test_a_file_dragged_from_another_application_is_dropped_on_the_page(
        compositor: str, tmp_path: Path) -> None:
    report = tmp_path / "quarterly report.csv"  # a space: the URI list must quote it
    report.write_text("a,b\n1,2\n")
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        zone_x, zone_y = await element_centre(win, "#drop-zone")
        async with other_client("source", "700", "100", str(report)) as (source, box):
            await drag_from(box, zone_x, zone_y)
            await has_class(app, win, "#drop-zone", "over")  # the page's dragover listener ran
            await xdotool("mouseup", "1")
            await win.wait_for_text("#dropped", f"quarterly report.csv: {report}")
            assert await source.next("end") == "copy"
        assert app.module.dropped == [str(report)]
        assert "over" not in win.window._surface.element(await win.wait_for_selector("#drop-zone")).attributes.get(
            "class", "")


async def test_files_dragged_over_and_away_again_drop_nothing(compositor: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        zone_x, zone_y = await element_centre(win, "#drop-zone")
        async with other_client("source", "700", "100", str(notes)) as (source, box):
            sx, sy = centre(box)
            await xdotool("mousemove", "--sync", str(sx), str(sy), "mousedown", "1")
            await glide(sx, sy, sx - 40, sy + 10, steps=4)
            await glide(sx - 40, sy + 10, zone_x, zone_y, steps=10)
            await has_class(app, win, "#drop-zone", "over")
            await glide(zone_x, zone_y, sx, sy, steps=10)  # back to where it came from
            zone = await win.wait_for_selector("#drop-zone")
            await app.wait_for(lambda: "over" not in win.window._surface.element(zone).attributes.get("class", ""),
                               what="the page's dragleave")
            await xdotool("mouseup", "1")
            await source.next("end")
        assert app.module.dropped == []
        assert await win.text_content("#dropped") == "(nothing dropped yet)"


async def test_dragging_a_list_item_onto_another_reorders_the_list(compositor: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        dx, dy = await element_centre(win, "#task-d")
        ax, ay = await element_centre(win, "#task-a")
        await xdotool("mousemove", "--sync", str(dx), str(dy), "mousedown", "1")
        await glide(dx, dy, ax, ay, steps=12)
        await has_class(app, win, "#task-a", "target")  # dragover on the item under the pointer
        await xdotool("mouseup", "1")
        await win.wait_for_text("#order", "d a b c")
        # And once more, an item dragged down onto the last one.
        bx, by = await element_centre(win, "#task-b")
        cx, cy = await element_centre(win, "#task-c")
        await xdotool("mousemove", "--sync", str(bx), str(by), "mousedown", "1")
        await glide(bx, by, cx, cy, steps=6)
        await has_class(app, win, "#task-c", "target")
        await xdotool("mouseup", "1")
        await win.wait_for_text("#order", "d a b c".replace("b c", "b c"))  # b before c: unchanged order
        await win.wait_settled()
        assert await win.text_content("#order") == "d a b c"


async def test_a_short_press_and_release_is_no_drag(compositor: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        dx, dy = await element_centre(win, "#task-d")
        await xdotool("mousemove", "--sync", str(dx), str(dy), "mousedown", "1")
        await glide(dx, dy, dx + 3, dy + 2, steps=2)  # under the threshold
        await xdotool("mouseup", "1")
        await win.wait_settled()
        assert await win.text_content("#order") == "a b c d"
        assert not win.window._surface.drags.dragging


async def test_a_file_dragged_out_of_the_window_reaches_another_application(compositor: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        ex, ey = await element_centre(win, "#export")
        async with other_client("target", "760", "300") as (target, box):
            tx, ty = centre(box)
            await xdotool("mousemove", "--sync", str(ex), str(ey), "mousedown", "1")
            await glide(ex, ey, ex + 30, ey - 10, steps=4)  # dragstart: the page asks main for start_drag
            root = win.window._surface.toplevel
            await app.wait_for(lambda: root.tk.getvar("::tkdnd::xdnd::_dragging") in (1, "1"),
                               what="tkdnd's drag to begin")
            icon = win.window._surface.drags._icon  # the demo's icon.png, shown beside the pointer
            assert icon is not None
            await app.wait_for(icon.winfo_ismapped, what="the drag's icon on screen")
            await glide(ex + 30, ey - 10, tx, ty, steps=12)
            assert await target.next("position") is True
            await app.wait_for(lambda: (icon.winfo_rootx(), icon.winfo_rooty()) == (tx + 12, ty + 12),
                               what="the icon to follow the pointer")
            await xdotool("mouseup", "1")
            dropped = await target.next("drop")
            assert dropped == [str(DEMO / "files" / "notes.txt")]
            # Served by main's own X connection, typed as GTK's receivers require (Tk could only say UTF8_STRING).
            assert target.last["property_type"] == "text/uri-list/8"
            await win.wait_for_text("#drag-end", "copy")
            assert win.window._surface.drags._icon is None
        assert app.module.drag_results == ["copy"]


async def test_a_window_held_by_its_modal_child_refuses_the_drop(compositor: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        zone_x, zone_y = await element_centre(win, "#drop-zone")

        def open_modal(_app: Any) -> Any:
            from tkelectron import BrowserWindow

            return BrowserWindow(width=200, height=120, x=900, y=600, parent=win.window, modal=True)

        modal = await app.evaluate(open_modal)
        await app.wait_for(lambda: win.window._surface._busy, what="the parent held by its modal child")
        async with other_client("source", "700", "100", str(notes)) as (source, box):
            await drag_from(box, zone_x, zone_y)
            await xdotool("mouseup", "1")
            assert await source.next("end") == "refuse_drop"
        await win.wait_settled()
        assert app.module.dropped == []
        assert await win.text_content("#dropped") == "(nothing dropped yet)"
        modal.close()


async def test_electron_s_native_file_drag_and_drop_example_ported_line_for_line(compositor: str) -> None:
    example = HERE / "electron_drag_out"
    async with launch(example, compositor=compositor) as app:
        win = await app.first_window()
        x, y = await element_centre(win, "#drag2")
        async with other_client("target", "760", "300") as (target, box):
            tx, ty = centre(box)
            await xdotool("mousemove", "--sync", str(x), str(y), "mousedown", "1")
            await glide(x, y, x + 30, y + 20, steps=4)  # the page's ondragstart: prevent_default, then startDrag
            root = win.window._surface.toplevel
            await app.wait_for(lambda: str(root.tk.getvar("::tkdnd::xdnd::_dragging")) == "1",
                               what="tkdnd's drag to begin")
            await glide(x + 30, y + 20, tx, ty, steps=12)
            await target.next("position")
            await xdotool("mouseup", "1")
            assert await target.next("drop") == [str(example / "drag-and-drop-2.md")]


async def test_closing_the_window_during_a_drag_out_ends_the_drag(compositor: str,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        # The app keeps running once its window is gone (Electron's window-all-closed idiom).
        await app.evaluate(lambda a: a.on("window-all-closed", lambda *_: None))
        ex, ey = await element_centre(win, "#export")
        await xdotool("mousemove", "--sync", str(ex), str(ey), "mousedown", "1")
        await glide(ex, ey, ex + 30, ey - 10, steps=4)
        root = win.window._surface.toplevel
        await app.wait_for(lambda: str(root.tk.getvar("::tkdnd::xdnd::_dragging")) == "1",
                           what="tkdnd's drag to begin")
        win.window.close()
        await app.wait_for(lambda: app.module.drag_results != [], what="the drag to end with its window")
        await xdotool("mouseup", "1")
        assert app.module.drag_results == ["refuse_drop"]
        assert str(root.tk.getvar("::tkdnd::xdnd::_dragging")) == "0"
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
