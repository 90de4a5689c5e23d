"""``shell``: the real ``xdg-open`` starts the handler the desktop names, and
``trash_item`` leaves the file and its record where the Trash spec says.

The "applications" here are recorder scripts registered the way a desktop
registers them (``$BROWSER``, a ``.desktop`` file and ``mimeapps.list``);
each test asserts what the recorder received.
"""

from __future__ import annotations

import os
import shutil
import stat
import textwrap
from pathlib import Path
from urllib.parse import unquote

import pytest
import trio

from tkelectron import shell
from tkelectron.main._trash import trash_item


@pytest.fixture
def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A desktop with no environment detected: xdg-open's generic mode."""
    record = tmp_path / "opened.txt"
    recorder = tmp_path / "recorder.sh"
    recorder.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{record}.part" && mv "{record}.part" "{record}"\n')
    recorder.chmod(0o755)
    data, config = tmp_path / "data", tmp_path / "config"
    (data / "applications").mkdir(parents=True)
    config.mkdir()
    (data / "applications" / "recorder.desktop").write_text(textwrap.dedent(f"""\
        [Desktop Entry]
        Type=Application
        Name=Recorder
        Exec={recorder} %f
        MimeType=text/plain;
        """))
    (config / "mimeapps.list").write_text("[Default Applications]\ntext/plain=recorder.desktop\n")
    for var in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION", "GNOME_DESKTOP_SESSION_ID"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "no-system-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "no-system-config"))
    monkeypatch.setenv("BROWSER", str(recorder))
    monkeypatch.setenv("DISPLAY", os.environ.get("DISPLAY", ":0"))
    return record


async def received(record: Path) -> list[str]:
    """What the recorder was started with (it runs detached: poll its file)."""
    with trio.fail_after(10):
        while not record.exists():  # noqa: ASYNC110 - a detached process's file
            await trio.sleep(0.02)
    return record.read_text().splitlines()


@pytest.mark.trio
async def test_open_external_starts_the_browser_with_the_url(desktop: Path) -> None:
    url = "https://example.org/a path?q=1&x=$(touch pwned)"
    await shell.open_external(url.replace(" ", "%20"))
    assert await received(desktop) == [url.replace(" ", "%20")]
    assert not (Path.cwd() / "pwned").exists()


@pytest.mark.trio
async def test_mailto_is_allowed_by_default(desktop: Path) -> None:
    await shell.open_external("mailto:someone@example.org")
    assert await received(desktop) == ["mailto:someone@example.org"]


@pytest.mark.trio
@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "smb://host/share", "javascript:alert(1)", "ms-msdt:/id", "custom-app://x",
])
async def test_other_schemes_are_refused_and_nothing_starts(desktop: Path, url: str) -> None:
    with pytest.raises(ValueError, match=r"open_external refused a .* URL: only http, https, mailto schemes"):
        await shell.open_external(url)
    assert not desktop.exists()


@pytest.mark.trio
@pytest.mark.parametrize("url", ["example.org", "https://", "https://a b", "https://a\n-x", "-https://x"])
async def test_malformed_urls_are_refused(desktop: Path, url: str) -> None:
    with pytest.raises(ValueError, match="open_external refused"):
        await shell.open_external(url)


@pytest.mark.trio
async def test_the_app_can_widen_the_schemes(desktop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError):
        shell.check_external_url("myapp://open/1")
    shell.check_external_url("myapp://open/1", allowed_schemes=["myapp"])
    monkeypatch.setattr(shell, "allowed_schemes", frozenset({"https", "ftp"}))
    with pytest.raises(ValueError, match="only ftp, https schemes"):
        shell.check_external_url("mailto:x@example.org")
    await shell.open_external("ftp://example.org/file")
    assert await received(desktop) == ["ftp://example.org/file"]


@pytest.mark.trio
async def test_a_missing_opener_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shell, "opener", "no-such-xdg-open")
    with pytest.raises(FileNotFoundError, match="no-such-xdg-open is not installed"):
        await shell.open_external("https://example.org")


@pytest.mark.trio
async def test_open_path_starts_the_default_application(desktop: Path, tmp_path: Path) -> None:
    doc = tmp_path / "notes folder" / "read me.txt"
    doc.parent.mkdir()
    doc.write_text("plain text\n")
    assert await shell.open_path(doc) == ""
    assert await received(desktop) == [str(doc)]
    assert await shell.open_path(tmp_path / "missing.txt") == f"{tmp_path / 'missing.txt'} does not exist"


def _trashinfo(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    assert lines[0] == "[Trash Info]"
    return dict(line.split("=", 1) for line in lines[1:])


def test_trash_item_moves_to_the_home_trash_with_its_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    trash = tmp_path / "data" / "Trash"
    first = tmp_path / "dir one" / "report #1.txt"
    first.parent.mkdir()
    first.write_text("one")
    where = trash_item(first)
    assert where == trash / "files" / "report #1.txt"
    assert not first.exists() and where.read_text() == "one"
    info = _trashinfo(trash / "info" / "report #1.txt.trashinfo")
    assert info["Path"] == str(first).replace(" ", "%20").replace("#", "%23")
    assert unquote(info["Path"]) == str(first)
    assert len(info["DeletionDate"]) == 19 and info["DeletionDate"][10] == "T"
    # A second file of the same name gets its own name; the first stays.
    first.write_text("two")
    assert trash_item(first) == trash / "files" / "report #1.txt.2"
    assert (trash / "files" / "report #1.txt").read_text() == "one"
    assert unquote(_trashinfo(trash / "info" / "report #1.txt.2.trashinfo")["Path"]) == str(first)
    # Folders go whole.
    folder = tmp_path / "a folder"
    (folder / "inner").mkdir(parents=True)
    (folder / "inner" / "f").write_text("x")
    assert (trash_item(folder) / "inner" / "f").read_text() == "x"
    with pytest.raises(FileNotFoundError, match="does not exist"):
        trash_item(tmp_path / "nothing")


@pytest.mark.trio
async def test_shell_trash_item_runs_off_the_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    doc = tmp_path / "x.txt"
    doc.write_text("x")
    await shell.trash_item(doc)
    assert (tmp_path / "data" / "Trash" / "files" / "x.txt").read_text() == "x"


def _other_filesystem(tmp_path: Path) -> Path:
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.fail("this test needs /dev/shm on its own filesystem (a tmpfs)", pytrace=False)
    return shm


def test_a_file_on_another_mount_goes_to_that_mounts_trash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    shm = _other_filesystem(tmp_path)
    topdir_trash = shm / f".Trash-{os.getuid()}"
    existed = topdir_trash.exists()
    work = Path(os.path.realpath(shm)) / f"tkelectron-trash-test-{os.getpid()}"
    work.mkdir()
    doc = work / "on tmpfs.txt"
    doc.write_text("shm")
    name = f"{doc.name}"
    try:
        where = trash_item(doc)
        assert where.parent == topdir_trash / "files"
        assert where.read_text() == "shm" and not doc.exists()
        assert stat.S_IMODE(os.stat(topdir_trash).st_mode) == 0o700 or existed
        info = _trashinfo(topdir_trash / "info" / f"{where.name}.trashinfo")
        # Relative to the top directory, as the spec says for a top-dir trash.
        assert unquote(info["Path"]) == f"{work.name}/{name}"
        assert not (tmp_path / "data" / "Trash" / "files" / name).exists()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for leftover in (topdir_trash / "files").glob(f"{name}*"):
            leftover.unlink()
        for leftover in (topdir_trash / "info").glob(f"{name}*"):
            leftover.unlink()
        if not existed:
            for sub in ("files", "info", ""):
                try:
                    (topdir_trash / sub).rmdir()
                except OSError:
                    pass


@pytest.mark.tkelectron
async def test_beep_rings_tks_bell_or_does_nothing_headless(compositor: str) -> None:
    from tkelectron.testing import launch

    blank = Path(__file__).resolve().parents[1] / "apps" / "blank"
    async with launch(blank, compositor=compositor) as app:
        root = getattr(app.app.compositor, "root", None)
        assert (root is not None) == (compositor == "tkhtml")
        shell.beep()  # Tk's bell: an XBell request to the display; headless there is no display


def test_an_administrators_sticky_trash_is_used_and_an_unsafe_one_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    shm = Path(os.path.realpath(_other_filesystem(tmp_path)))
    admin = shm / ".Trash"
    if os.path.lexists(admin):
        pytest.fail(f"{admin} exists already; this test makes and removes its own", pytrace=False)
    user_trash = shm / f".Trash-{os.getuid()}"
    existed = user_trash.exists()
    work = shm / f"tkelectron-admin-trash-{os.getpid()}"
    work.mkdir()
    admin.mkdir()
    try:
        admin.chmod(0o1777)  # what an administrator makes: world-writable, sticky
        first = work / "first.txt"
        first.write_text("1")
        where = trash_item(first)
        assert where == admin / str(os.getuid()) / "files" / "first.txt"
        assert unquote(_trashinfo(admin / str(os.getuid()) / "info" / "first.txt.trashinfo")["Path"]) == (
            f"{work.name}/first.txt")
        admin.chmod(0o777)  # no sticky bit: anyone could remove others' files, so it is skipped
        second = work / "second.txt"
        second.write_text("2")
        where = trash_item(second)
        assert where.parent == user_trash / "files" and where.read_text() == "2"
    finally:
        shutil.rmtree(admin, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        for sub in ("files", "info"):
            for leftover in (user_trash / sub).glob("second.txt*"):
                leftover.unlink()
        if not existed:
            shutil.rmtree(user_trash, ignore_errors=True)


@pytest.mark.tkelectron("headless")
async def test_in_a_running_app_open_external_needs_no_await(compositor: str, desktop: Path,
                                                             caplog: pytest.LogCaptureFixture,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Electron code calls openExternal from a plain click handler, never awaiting it."""
    from tkelectron.testing import launch

    blank = Path(__file__).resolve().parents[1] / "apps" / "blank"
    async with launch(blank, compositor=compositor):
        def on_menu_click() -> None:  # a sync handler, as a menu item's click is
            shell.open_external("https://example.org/docs")

        on_menu_click()
        assert await received(desktop) == ["https://example.org/docs"]
        with pytest.raises(ValueError, match="refused a 'file' URL"):
            shell.open_external("file:///etc/passwd")  # refused at the call, awaited or not
        monkeypatch.setattr(shell, "opener", "no-such-opener")
        started = shell.open_external("https://example.org/")
        with pytest.raises(FileNotFoundError, match="no-such-opener is not installed"):
            await started
        shell.open_external("https://example.org/unawaited")  # nobody awaits: the failure is logged
        with trio.fail_after(10):
            while "no-such-opener is not installed" not in caplog.text.split("unawaited")[-1]:  # noqa: ASYNC110 - only logged
                await trio.sleep(0.01)
