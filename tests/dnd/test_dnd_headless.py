"""Drag and drop on the headless compositor: the same events as real input, and main's side of it.

Files dropped from another application reach the page as ``drop`` with
``data_transfer.files`` (name, size, type) and no path; main gives the path
back only to the window they were dropped on (``get_path_for_file``). In-page
drags of ``draggable`` elements carry ``set_data`` to ``get_data``; and
``start_drag`` carries a drag out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

from tkelectron.common._drag_data import MAX_DROP_FILES
from tkelectron.common._messages import DomEvent
from tkelectron.main._drag_drop import DroppedFiles, FileDrop
from tkelectron.testing import launch

DEMO = Path(__file__).resolve().parents[2] / "demo_apps" / "drag_and_drop"


async def _node(win: Any, selector: str) -> int:
    return int(await win.wait_for_selector(selector))


async def _contains(app: Any, win: Any, selector: str, text: str) -> None:
    node = await _node(win, selector)
    await app.wait_for(lambda: text in win.window._surface.element(node).text, what=f"{selector} to show {text!r}")


@pytest.mark.tkelectron("headless")
async def test_dropped_files_reach_the_page_without_their_paths_and_main_answers_for_them(
        compositor: str, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.write_text("a,b\n1,2\n")
    folder = tmp_path / "photos"
    folder.mkdir()
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        zone = await _node(win, "#drop-zone")
        title = await _node(win, "h1")
        win.window._surface.simulate_drop_files([str(report), str(folder)], zone, over=[title])
        await win.wait_for_text("#dropped", f"report.csv: {report}\nphotos: {folder}")
        assert app.module.dropped == [str(report), str(folder)]
        assert "over" not in (await win.html()).split('id="drop-zone"')[1].split(">")[0]  # the highlight went


def test_what_crosses_to_the_renderer_has_no_path(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("twelve bytes")
    files = DroppedFiles()
    wire = files.to_wire(FileDrop((str(notes), "/no/such/file.png")))
    assert wire.kind == "files"
    first, second = wire.files
    assert (first.id, first.name, first.size, first.type) == (1, "notes.txt", 12, "text/plain")
    assert first.last_modified == int(notes.stat().st_mtime * 1000)
    assert (second.name, second.size, second.type) == ("file.png", 0, "")  # gone meanwhile: no size
    frame = msgspec.msgpack.encode(DomEvent(1, "drop", 5, drag=wire))
    assert str(tmp_path).encode() not in frame and b"/no/such" not in frame
    assert files.path_for(first) == str(notes) and files.path_for({"id": 2}) == "/no/such/file.png"


@pytest.mark.tkelectron("headless")
async def test_main_answers_only_for_numbers_it_gave(compositor: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("twelve bytes")
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        zone = await _node(win, "#drop-zone")
        win.window._surface.simulate_drop_files([str(notes)], zone)
        await win.wait_for_text("#dropped", f"notes.txt: {notes}")
        wc = win.window.web_contents
        assert wc.get_path_for_file({"id": 1, "name": "notes.txt"}) == str(notes)
        assert wc.get_path_for_file({"id": 2}) == ""          # never dropped here
        assert wc.get_path_for_file({"id": "1"}) == ""        # not a number main gave
        assert wc.get_path_for_file("notes.txt") == ""


@pytest.mark.tkelectron("headless")
async def test_a_file_number_from_another_window_or_page_gets_no_path(compositor: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        zone = await _node(win, "#drop-zone")
        win.window._surface.simulate_drop_files([str(notes)], zone)
        await win.wait_for_text("#dropped", f"notes.txt: {notes}")

        def other_window(_app: Any) -> Any:
            from tkelectron import BrowserWindow

            other = BrowserWindow(width=200, height=100, show=False,
                                  web_preferences={"preload": DEMO / "preload.py"})
            other.load_file(DEMO / "index.html")
            return other

        other = await app.evaluate(other_window)
        await app.wait_for(lambda: len(app.windows) == 2, what="the second window")
        await app.windows[1].wait_for_load()
        assert other.web_contents.get_path_for_file({"id": 1}) == ""
        assert win.window.web_contents.get_path_for_file({"id": 1}) == str(notes)
        await win.window.web_contents.reload()
        assert win.window.web_contents.get_path_for_file({"id": 1}) == ""  # a new page was given nothing
        other.close()


@pytest.mark.tkelectron("headless")
async def test_a_huge_file_list_is_capped(compositor: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        zone = await _node(win, "#drop-zone")
        paths = [f"/nonexistent/file-{i}.txt" for i in range(MAX_DROP_FILES + 500)] + ["relative/x", "/a\x00b"]
        win.window._surface.simulate_drop_files(paths, zone)
        await _contains(app, win, "#dropped", "file-99.txt: /nonexistent/file-99.txt")
        await win.wait_settled()
        assert len(app.module.dropped) == 100  # the demo asks about its first 100
        wc = win.window.web_contents
        assert wc.get_path_for_file({"id": MAX_DROP_FILES}) == f"/nonexistent/file-{MAX_DROP_FILES - 1}.txt"
        assert wc.get_path_for_file({"id": MAX_DROP_FILES + 1}) == ""
    assert any("a drop of 1502 files: 1000 passed on" in r.getMessage() for r in caplog.records)


@pytest.mark.tkelectron("headless")
async def test_without_a_cancelled_dragover_there_is_no_drop(compositor: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        title = await _node(win, "h1")  # nobody cancels dragover there
        win.window._surface.simulate_drop_files([str(notes)], title)
        await win.wait_settled()
        assert await win.text_content("#dropped") == "(nothing dropped yet)"
        assert app.module.dropped == []


@pytest.mark.tkelectron("headless")
async def test_dragging_an_item_onto_another_reorders_the_list(compositor: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        surface = win.window._surface
        d, b, a = [await _node(win, f"#task-{n}") for n in "dba"]
        surface.simulate_drag(d, a, over=[b])
        await win.wait_for_text("#order", "d a b c")
        c = await _node(win, "#task-c")
        surface.simulate_drag(c, d)
        await win.wait_for_text("#order", "c d a b")
        with pytest.raises(ValueError, match="not draggable"):
            surface.simulate_drag(await _node(win, "h1"), a)


@pytest.mark.tkelectron("headless")
async def test_start_drag_from_the_page_s_dragstart_takes_the_file_out(compositor: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        surface = win.window._surface
        export, zone = await _node(win, "#export"), await _node(win, "#drop-zone")
        surface.simulate_drag_out(export, zone, action="copy")
        await win.wait_settled()
        await app.wait_for(lambda: surface._drag_state()["requests"], what="the page's start_drag")
        assert surface.finish_drag_out()
        await win.wait_for_text("#drag-end", "copy")
        [item] = surface.drags_out
        assert item.files == (str(DEMO / "files" / "notes.txt"),)
        assert item.icon == (DEMO / "icon.png").read_bytes()
        assert app.module.drag_results == ["copy"]


@pytest.mark.tkelectron("headless")
async def test_start_drag_checks_its_item(compositor: str, tmp_path: Path,
                                          caplog: pytest.LogCaptureFixture) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        notes = DEMO / "files" / "notes.txt"
        with pytest.raises(TypeError, match="unknown key"):
            wc.start_drag({"file": str(notes), "icn": "x"})
        with pytest.raises(TypeError, match="exactly one of"):
            wc.start_drag({"icon": str(DEMO / "icon.png")})
        with pytest.raises(FileNotFoundError, match="no file at"):
            wc.start_drag({"file": str(tmp_path / "missing.txt")})
        with pytest.raises(ValueError, match="not a PNG"):
            wc.start_drag({"file": str(notes), "icon": str(notes)})
        with pytest.raises(ValueError, match="at most"):
            wc.start_drag({"files": [str(notes)] * (MAX_DROP_FILES + 1)})
        wc.start_drag({"file": str(notes)})  # no drag under way: nothing happens, and the log says why
        assert win.window._surface.drags_out == []
    assert any("has no drag under way" in r.getMessage() for r in caplog.records)
