"""Fixtures for menu tests (the X display comes from tests/conftest.py): a Tk root, and a way to run Tk's event loop until a condition holds."""

from __future__ import annotations

import time
import tkinter
from collections.abc import Callable, Iterator

import pytest


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
