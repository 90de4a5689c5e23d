"""shell.show_item_in_folder: a FileManager1 test service on a real session bus, else the folder's opener."""

from __future__ import annotations

from pathlib import Path

import pytest
import trio

from system._services._base import running
from system._services.file_manager import FileManager
from tkelectron import app, shell

HEADLESS = pytest.mark.tkelectron("headless")


@pytest.fixture
def opener(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A recorder in place of xdg-open: the file it writes says what it was asked to open."""
    record = tmp_path / "opened.txt"
    script = tmp_path / "xdg-open-recorder"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" > "{record}.part" && mv "{record}.part" "{record}"\n')
    script.chmod(0o755)
    monkeypatch.setattr(shell, "opener", str(script))
    return record


@HEADLESS
async def test_the_file_manager_is_asked_to_show_the_item(compositor: str, session_bus_address: str,
                                                          tmp_path: Path, opener: Path) -> None:
    report = tmp_path / "my report.pdf"
    report.write_bytes(b"%PDF")
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(FileManager(), session_bus_address) as manager:
        assert await shell.show_item_in_folder(report) == "file-manager"
        assert manager.calls_to("ShowItems") == [([report.as_uri()], "")]
        assert report.as_uri().endswith("my%20report.pdf")
    assert not opener.exists()  # the fallback never ran


@HEADLESS
async def test_without_a_file_manager_the_folder_is_opened(compositor: str, session_bus_address: str,
                                                           tmp_path: Path, opener: Path) -> None:
    (tmp_path / "docs").mkdir()
    item = tmp_path / "docs" / "notes.txt"
    item.write_text("x")
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        assert await shell.show_item_in_folder(item) == "folder"
        with trio.fail_after(10):
            # The opener runs detached: nothing to await but its file.
            while not opener.exists():  # noqa: ASYNC110 - see above
                await trio.sleep(0.02)
        assert opener.read_text().splitlines() == [str(tmp_path / "docs")]


@HEADLESS
async def test_a_missing_path_is_a_clear_error(compositor: str, session_bus_address: str, tmp_path: Path) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(FileManager(), session_bus_address) as manager:
        with pytest.raises(FileNotFoundError, match="does not exist"):
            await shell.show_item_in_folder(tmp_path / "gone.txt")
        assert manager.calls_to("ShowItems") == []
