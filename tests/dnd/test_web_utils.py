"""The preload's ``web_utils.get_path_for_file(file)``: Electron's ``webUtils.getPathForFile``.

An Electron preload's ``drop`` listener asks for each dropped ``File``'s path
and sends it to main over IPC. Here the preload's call asks main (a framework
sync channel) and gets the path of a file the user dropped on this window's
current page, ``""`` for a made-up ``File``. A real drop from another X client
into a real Tk window, the same on the headless compositor, and malformed
requests from a tampered renderer (ipc-violations).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _forged import each_kills_the_renderer  # tests/ is on sys.path
from dnd.test_dnd_real import drag_from, element_centre, other_client

from tkelectron.main._page_file_paths import CHANNELS, PATH_CHANNEL
from tkelectron.renderer._web_utils import PATH_CHANNEL as RENDERER_PATH_CHANNEL
from tkelectron.renderer._web_utils import web_utils
from tkelectron.testing import launch
from tkelectron.testing._xinput import xdotool

APP = Path(__file__).resolve().parent / "web_utils_app"


def received(app: Any) -> list[Any]:
    """What the app's main was sent by the preload (its module's ``received``)."""
    module = app.module
    assert module is not None
    return list(module.received)


def test_both_sides_name_the_same_channel_and_it_is_a_sync_one() -> None:
    assert RENDERER_PATH_CHANNEL == PATH_CHANNEL
    assert CHANNELS[PATH_CHANNEL].sync


def test_what_is_not_a_file_is_refused_in_the_renderer() -> None:
    with pytest.raises(TypeError, match="takes a File"):
        web_utils.get_path_for_file("/etc/passwd")
    assert web_utils.get_path_for_file({"id": "1"}) == ""  # no number: nothing to ask main
    assert web_utils.getPathForFile({"name": "x"}) == ""


@pytest.mark.tkelectron("tkhtml")
async def test_the_preload_gets_the_path_of_a_file_dropped_from_another_application(
        compositor: str, tmp_path: Path) -> None:
    report = tmp_path / "budget 2027.ods"  # a space: the URI list must quote it
    report.write_text("x")
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        zone_x, zone_y = await element_centre(win, "#zone")
        async with other_client("source", "700", "100", str(report)) as (source, box):
            await drag_from(box, zone_x, zone_y)
            await xdotool("mouseup", "1")
            await win.wait_for_text("#status", "dropped 1")
            assert await source.next("end") == "copy"
        await app.wait_for(lambda: len(received(app)) == 1, what="the preload's message to main")
        # The path string, and only that: Landlock still keeps the renderer from opening the file.
        assert received(app) == [([str(report)], "", ["PermissionError"])]


@pytest.mark.tkelectron("headless")
async def test_the_preload_gets_dropped_paths_on_headless_and_nothing_for_a_page_loaded_since(
        compositor: str, tmp_path: Path) -> None:
    notes, photo = tmp_path / "notes.txt", tmp_path / "photo.png"
    notes.write_text("x")
    photo.write_bytes(b"y")
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        zone = int(await win.wait_for_selector("#zone"))
        surface: Any = win.window._surface  # the headless compositor's
        surface.simulate_drop_files([str(notes), str(photo)], zone)
        await win.wait_for_text("#status", "dropped 2")
        await app.wait_for(lambda: len(received(app)) == 1, what="the preload's message to main")
        assert received(app) == [([str(notes), str(photo)], "", ["PermissionError", "PermissionError"])]
        wc = win.window.web_contents
        # The renderer's request as main answers it: the numbers main gave this page, then one it did not.
        assert [await wc.invoke("ask", [n]) for n in (1, 2, 3)] == [str(notes), str(photo), ""]
        reloading = wc.reload()
        assert reloading is not None
        await reloading
        assert await wc.invoke("ask", [1]) == ""  # the new page was given nothing


MALFORMED = {
    "no id": [],
    "a string id": ["1"],
    "a bool id": [True],
    "a float id": [1.0],
    "a negative id": [-1],
    "a huge id": [2**60],
    "two ids": [1, 2],
    "a File struct's fields": [[1, "notes.txt", 0, "", 0]],
}


@pytest.mark.tkelectron("headless")  # main's check comes before any compositor
async def test_malformed_path_requests_are_ipc_violations(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        gone = await each_kills_the_renderer(app, wc, MALFORMED.items(), lambda args: wc.invoke("forge_sync", args))
        assert await wc.invoke("ask", [7]) == ""  # a well-formed number main never gave: no violation
        assert len(gone) == len(MALFORMED)
