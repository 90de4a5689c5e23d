"""``global_shortcut`` under Xvfb: real key grabs, keys sent with xdotool
while another X application's window has the focus."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import trio
import trio.lowlevel

from tkelectron import global_shortcut
from tkelectron.testing import launch

pytestmark = pytest.mark.tkelectron

BLANK = Path(__file__).resolve().parents[1] / "apps" / "blank"
CLIENT = Path(__file__).with_name("_focus_client.py")


class FocusClient:
    """The other application: its window has the focus; it reports its keys."""

    def __init__(self, proc: trio.Process) -> None:
        self.proc = proc
        self.window = 0
        self._buffer = b""

    async def line(self) -> str:
        assert self.proc.stdout is not None
        with trio.fail_after(10):
            while b"\n" not in self._buffer:
                piece = await self.proc.stdout.receive_some()
                assert piece, "the focus client exited"
                self._buffer += piece
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    async def next_key(self, wanted: str) -> None:
        """Wait until the client reports ``wanted`` (modifier keys come too)."""
        while (await self.line()) != f"key {wanted}":
            pass

    async def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        await self.proc.stdin.send_all(text.encode() + b"\n")


@asynccontextmanager
async def focus_client() -> AsyncIterator[FocusClient]:
    proc = await trio.lowlevel.open_process([sys.executable, str(CLIENT)], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE)
    client = FocusClient(proc)
    try:
        ready = await client.line()
        assert ready.startswith("ready "), ready
        client.window = int(ready.split()[1])
        yield client
    finally:
        assert proc.stdin is not None
        await proc.stdin.aclose()
        with trio.move_on_after(5):
            await proc.wait()
        proc.kill()
        await proc.wait()


async def xdotool(*args: str) -> str:
    done = await trio.run_process(["xdotool", *args], capture_stdout=True)
    return done.stdout.decode().strip()


class Counter:
    def __init__(self) -> None:
        self.count = 0
        self._changed = trio.Event()

    def __call__(self) -> None:
        self.count += 1
        self._changed.set()
        self._changed = trio.Event()

    async def reaches(self, n: int) -> None:
        with trio.fail_after(10):
            while self.count < n:
                await self._changed.wait()


async def test_a_shortcut_fires_while_another_application_has_focus(compositor: str, display: str) -> None:
    async with launch(BLANK, compositor=compositor), focus_client() as client:
        fired = Counter()
        assert global_shortcut.register("CmdOrCtrl+Alt+K", fired)
        assert global_shortcut.is_registered("Ctrl+Alt+K")  # another spelling, the same keys
        assert not global_shortcut.is_registered("Ctrl+K")
        assert int(await xdotool("getwindowfocus")) == client.window

        await xdotool("key", "ctrl+alt+k")
        await fired.reaches(1)
        await xdotool("key", "k")  # not a shortcut: it reaches the focused application
        await client.next_key("k")

        # Num Lock and Caps Lock on: still the shortcut.
        for n, lock in enumerate(("Num_Lock", "Caps_Lock"), start=2):
            await xdotool("key", lock)
            try:
                await xdotool("key", "ctrl+alt+k")
                await fired.reaches(n)
            finally:
                await xdotool("key", lock)

        global_shortcut.unregister("Ctrl+Alt+K")
        assert not global_shortcut.is_registered("CmdOrCtrl+Alt+K")
        await xdotool("key", "ctrl+alt+k")  # no grab now: the focused application gets it
        await client.next_key("k")
        assert fired.count == 3


async def test_async_callbacks_and_unregister_all(compositor: str, display: str) -> None:
    async with launch(BLANK, compositor=compositor), focus_client():
        seen: list[str] = []
        done = trio.Event()

        async def later() -> None:
            await trio.lowlevel.checkpoint()
            seen.append("async")
            done.set()

        assert global_shortcut.register_all(["Super+F7", "Shift+Alt+F8"], later)
        assert global_shortcut.register("Ctrl+Shift+Plus", lambda: seen.append("plus"))
        assert global_shortcut.is_registered("Ctrl+Plus")  # "+" is typed with Shift: the same keys
        await xdotool("key", "super+F7")
        with trio.fail_after(10):
            await done.wait()
        global_shortcut.unregister_all()
        assert not any(global_shortcut.is_registered(a) for a in ("Super+F7", "Shift+Alt+F8", "Ctrl+Shift+Plus"))
        assert seen == ["async"]


async def test_a_combination_another_application_grabbed_is_refused(compositor: str, display: str) -> None:
    async with launch(BLANK, compositor=compositor), focus_client() as client:
        await client.send("grab g 12")  # Control (4) + Mod1 (8): Ctrl+Alt+G
        assert await client.line() == "grabbed"
        assert global_shortcut.register("Ctrl+Alt+G", lambda: None) is False
        assert not global_shortcut.is_registered("Ctrl+Alt+G")
        assert global_shortcut.register("Ctrl+Alt+H", lambda: None)
        assert global_shortcut.register("Ctrl+Alt+H", lambda: None) is False  # already ours


async def test_bad_accelerators_are_clear_errors(compositor: str, display: str) -> None:
    async with launch(BLANK, compositor=compositor):
        with pytest.raises(ValueError, match="unknown key 'Nope'"):
            global_shortcut.register("Ctrl+Nope", lambda: None)
        with pytest.raises(ValueError, match="no key, only modifiers"):
            global_shortcut.register("Ctrl+Alt", lambda: None)
        with pytest.raises(TypeError, match="needs a callable"):
            global_shortcut.register("Ctrl+Alt+J", "not callable")  # type: ignore[arg-type]


async def test_the_grab_is_the_x_servers_and_ends_with_the_app(compositor: str, display: str) -> None:
    async with focus_client() as client:
        async with launch(BLANK, compositor=compositor):
            assert global_shortcut.register("Ctrl+Alt+L", lambda: None)
            await client.send("grab l 12")  # the X server holds our grab: refused
            assert await client.line() == "refused"
            await client.send("grab l 28")  # with Num Lock (16) as well: ours too
            assert await client.line() == "refused"
        # The app stopped: its grabs went with its connection.
        await client.send("grab l 12")
        assert await client.line() == "grabbed"
    assert not global_shortcut._grabs


async def test_a_callback_that_raises_is_logged_and_the_app_goes_on(
        compositor: str, display: str, caplog: pytest.LogCaptureFixture) -> None:
    async with launch(BLANK, compositor=compositor), focus_client():
        fired = Counter()

        def broken() -> None:
            raise RuntimeError("boom in a shortcut")

        assert global_shortcut.register("Ctrl+Alt+B", broken)
        assert global_shortcut.register("Ctrl+Alt+N", fired)
        await xdotool("key", "ctrl+alt+b")
        await xdotool("key", "ctrl+alt+n")  # handled after the broken one
        await fired.reaches(1)
        assert "boom in a shortcut" in caplog.text


async def test_a_shifted_symbol_fires_when_typed(compositor: str, display: str) -> None:
    async with launch(BLANK, compositor=compositor), focus_client():
        fired = Counter()
        assert global_shortcut.register("CmdOrCtrl+Plus", fired)  # Electron's zoom-in accelerator
        await xdotool("key", "ctrl+plus")  # xdotool holds Shift to type "+", as a user does
        await fired.reaches(1)
