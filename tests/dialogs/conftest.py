"""Fixtures for dialog tests: an X display (Xvfb :63 when DISPLAY is unset).

Dialog tests run trio as a guest on Tk with the app's own host
(``tkelectron.main._host.TkHost``), as the app does."""

from __future__ import annotations

import os
import select
import subprocess
from typing import Callable, Iterator

import pytest

XVFB_DISPLAY = ":63"


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """The display to use; starts Xvfb on :63 for the session if there is none."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", XVFB_DISPLAY, "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-displayfd", str(write_fd)],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        # Xvfb writes its display number to -displayfd once it accepts clients.
        ready, _, _ = select.select([read_fd], [], [], 15)
        if not ready or not os.read(read_fd, 16).strip():
            raise RuntimeError(f"Xvfb {XVFB_DISPLAY} did not start")
        os.environ["DISPLAY"] = XVFB_DISPLAY
        yield XVFB_DISPLAY
    finally:
        os.close(read_fd)
        os.environ.pop("DISPLAY", None)
        proc.terminate()
        proc.wait(10)


async def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let trio and Tk run until ``condition()`` holds; fail after ``timeout``."""
    import trio

    with trio.fail_after(timeout):
        while not condition():
            await trio.sleep(0.01)


@pytest.fixture
def until() -> Callable[..., object]:
    return wait_until
