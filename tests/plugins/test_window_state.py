"""The window_state plugin: bounds saved, restored on the next run, written atomically."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tkelectron import app as tk_app
from tkelectron.plugins import window_state
from tkelectron.plugins.window_state import ENV_VAR, WindowStateStore, state_path
from tkelectron.testing import launch

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).resolve().parent / "apps" / "window_state_probe"
WANTED = {"x": 50, "y": 60, "width": 520, "height": 340}


@pytest.fixture
def state_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "window-state.json"
    monkeypatch.setenv(ENV_VAR, str(path))
    return path


def saved(path: Path, key: str = "main") -> dict[str, int] | None:
    try:
        return json.loads(path.read_text())["windows"].get(key)
    except (FileNotFoundError, ValueError):
        return None


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- across runs, on both compositors -------------------------------------------------------------


@pytest.mark.tkelectron
async def test_bounds_saved_in_one_run_come_back_in_the_next(compositor: str, state_file: Path) -> None:
    tk_app.register_plugin(window_state)
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        assert win.window.get_size() == (400, 300)  # nothing saved yet: the app's own size
        win.window.set_bounds(WANTED)
        # Saved once the bounds settle, without closing the window.
        await app.wait_for(lambda: saved(state_file) == WANTED, what="the bounds to be saved")
        await win.request_close()

    tk_app.register_plugin(window_state)
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        assert win.window.get_bounds() == WANTED
        if compositor == "tkhtml":  # the real toplevel, as the X server has it
            top = win.window._surface.toplevel
            await app.wait_for(lambda: top.winfo_ismapped() and top.winfo_width() == 520, what="the window mapped")
            assert top.wm_geometry() == "520x340+50+60"
            # (rooty is below the menu bar, so it is not compared)
            assert (top.winfo_rootx(), top.winfo_width(), top.winfo_height()) == (50, 520, 340)
        await win.request_close()
    assert saved(state_file) == WANTED


@pytest.mark.tkelectron
async def test_closing_saves_at_once(compositor: str, state_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBE_POLL", "3600")  # the periodic check never runs in this test
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        win.window.set_bounds(WANTED)
        # (Tk applies geometry when idle: wait until the window has really moved.)
        await app.wait_for(lambda: win.window.get_bounds() == WANTED, what="the window to move")
        await win.request_close()
        await app.wait_for(lambda: win.window.is_destroyed(), what="the window to close")
    assert saved(state_file) == WANTED


@pytest.mark.tkelectron("headless")
async def test_quitting_saves_every_managed_window(compositor: str, state_file: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBE_POLL", "3600")
    tk_app.register_plugin(window_state)
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        win.window.set_bounds(WANTED)
        app.app.quit()
        await app.wait_for(lambda: win.window.is_destroyed(), what="the app to quit")
    assert saved(state_file) == WANTED


@pytest.mark.tkelectron("headless")
async def test_a_corrupt_file_warns_once_gives_defaults_and_is_replaced(
    compositor: str, state_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state_file.parent.mkdir(parents=True)
    state_file.write_text('{"version": 1, "windows": {"main": {"x": 1, "y"')
    with caplog.at_level(logging.WARNING, logger="tkelectron.window_state"):
        async with launch(PROBE, compositor=compositor) as app:
            win = await app.first_window()
            assert win.window.get_bounds() == {"x": 0, "y": 0, "width": 400, "height": 300}
            win.window.set_bounds(WANTED)
            await app.wait_for(lambda: saved(state_file) == WANTED, what="the file to be replaced")
            await win.request_close()
    warnings = [r for r in caplog.records if r.name == "tkelectron.window_state"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert str(state_file) in warnings[0].getMessage() and "not JSON" in warnings[0].getMessage()
    assert json.loads(state_file.read_text()) == {"version": 1, "windows": {"main": WANTED}}


# -- the store --------------------------------------------------------------------------------------


def test_a_failed_replace_leaves_the_previous_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = WindowStateStore(tmp_path / "window-state.json")
    store.put("main", WANTED)
    before = store.path.read_bytes()

    def crash(src: str, dst: str) -> None:  # the temp file is written and synced; the rename fails
        assert Path(src).read_text().count('"width": 999') == 1
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk unplugged"):
        store.put("main", {**WANTED, "width": 999})
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert leftovers(tmp_path) == []
    assert store.get("main") == WANTED


def test_a_process_killed_between_write_and_replace_leaves_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "window-state.json"
    WindowStateStore(path).put("main", WANTED)
    before = path.read_bytes()
    child = textwrap.dedent(
        f"""
        import os
        from tkelectron.plugins.window_state import WindowStateStore
        os.replace = lambda src, dst: os._exit(3)  # die after the temp file is fully written
        WindowStateStore({str(path)!r}).put("main", {{"x": 1, "y": 2, "width": 3, "height": 4}})
        """
    )
    result = subprocess.run([sys.executable, "-c", child], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            check=False)
    assert result.returncode == 3
    assert path.read_bytes() == before
    assert len(leftovers(tmp_path)) == 1  # the dead process's temp file, never renamed
    store = WindowStateStore(path)  # the next start removes it
    assert leftovers(tmp_path) == [] and len(store.removed_leftovers) == 1
    assert store.get("main") == WANTED
    store.put("other", {"x": 0, "y": 0, "width": 10, "height": 10})  # later saves still work
    assert store.get("main") == WANTED and store.get("other") == {"x": 0, "y": 0, "width": 10, "height": 10}


def test_keys_share_one_file_and_bad_entries_are_dropped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "window-state.json"
    path.write_text(json.dumps({"version": 1, "windows": {
        "main": WANTED, "bool": {"x": True, "y": 0, "width": 5, "height": 5}, "flat": {"x": 0, "y": 0, "width": 0, "height": 5},
    }}))
    store = WindowStateStore(path)
    with caplog.at_level(logging.WARNING, logger="tkelectron.window_state"):
        assert store.read() == {"main": WANTED}
        store.put("prefs", {"x": 5, "y": 6, "width": 300, "height": 200})
    assert len([r for r in caplog.records if r.name == "tkelectron.window_state"]) == 1
    assert json.loads(path.read_text())["windows"] == {"main": WANTED, "prefs": {"x": 5, "y": 6, "width": 300, "height": 200}}
    with pytest.raises(ValueError):
        store.put("main", {"x": 0, "y": 0, "width": -1, "height": 10})


def test_the_default_file_is_in_the_user_config_dir_by_app_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert state_path("My App") == tmp_path / "tkelectron" / "My App" / "window-state.json"
    assert state_path("../evil/app") == tmp_path / "tkelectron" / "_evil_app" / "window-state.json"
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere.json"))
    assert state_path("My App") == tmp_path / "elsewhere.json"


def test_the_next_start_keeps_a_running_writers_temp_file_and_removes_dead_ones(tmp_path: Path) -> None:
    path = tmp_path / "window-state.json"
    running = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    try:
        names = {
            "running": f".window-state.json.{running.pid}.abc123.tmp",  # another instance, mid-save
            "dead": f".window-state.json.{int(dead.stdout)}.def456.tmp",
            "old style": ".window-state.json.k2j3h4g5.tmp",  # no pid (older versions)
            "unrelated": ".other.json.123.abc.tmp",
        }
        for name in names.values():
            (tmp_path / name).write_text("{")
        store = WindowStateStore(path)
        assert sorted(store.removed_leftovers) == sorted([names["dead"], names["old style"]])
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([names["running"], names["unrelated"]])
    finally:
        running.communicate(b"")
