"""Fixtures for menu tests: an X display (Xvfb :63 when DISPLAY is unset),
a Tk root, and a way to run Tk's event loop until a condition holds."""

from __future__ import annotations

import os
import select
import subprocess
import time
import tkinter
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


@pytest.fixture
def tk_root(display: str) -> Iterator[tkinter.Tk]:
    root = tkinter.Tk()
    root.geometry("320x200+40+40")
    try:
        yield root
    finally:
        try:
            root.destroy()
        except tkinter.TclError:
            pass


def pump_until(root: tkinter.Misc, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Run Tk's event loop until ``condition()`` holds; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    # A timer guarantees dooneevent wakes up even when no event arrives.
    timer = root.after(int(timeout * 1000) + 10, lambda: None)
    try:
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {timeout}s: {condition}")
            root.tk.dooneevent(0)
    finally:
        root.after_cancel(timer)


@pytest.fixture
def pump() -> Callable[..., None]:
    return pump_until
