"""Fixtures for dialog tests (the X display comes from tests/conftest.py).

Dialog tests run trio as a guest on Tk with the app's own host
(``tkelectron.main._host.TkHost``), as the app does."""

from __future__ import annotations

import tkinter
from collections.abc import Callable

import pytest
import trio
import trio.lowlevel

#: The X events behind every condition the dialog tests wait for: a dialog
#: mapped or gone, a widget focused or moved, a key typed into an entry.
WAKE_ON = ("<Map>", "<Unmap>", "<Visibility>", "<Configure>", "<FocusIn>", "<KeyRelease>", "<Destroy>")


async def wait_until(root: tkinter.Misc, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until ``condition()`` holds; fail after ``timeout``.

    The conditions are the X server's and Tk's own dialog code's state, which
    change only as Tk handles an X event; so ``condition`` is looked at again
    each time Tk handles one of :data:`WAKE_ON` on any window (bound on the
    ``all`` tag while this waits), not on a timer.
    """
    token = trio.lowlevel.current_trio_token()
    armed = [trio.Event()]

    def woken(event: object) -> None:  # in Tk's loop, outside trio
        token.run_sync_soon(armed[0].set)

    saved = {sequence: str(root.tk.call("bind", "all", sequence)) for sequence in WAKE_ON}
    commands = [root.bind_all(sequence, woken, add="+") for sequence in WAKE_ON]
    try:
        with trio.fail_after(timeout):
            while True:
                armed[0] = trio.Event()
                if condition():
                    return
                await armed[0].wait()
    finally:
        for sequence, script in saved.items():
            root.tk.call("bind", "all", sequence, script)
        for command in commands:
            root.deletecommand(command)


@pytest.fixture
def until() -> Callable[..., object]:
    return wait_until
