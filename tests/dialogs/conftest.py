"""Fixtures for dialog tests (the X display comes from tests/conftest.py).

Dialog tests run trio as a guest on Tk with the app's own host
(``tkelectron.main._host.TkHost``), as the app does."""

from __future__ import annotations

from collections.abc import Callable

import pytest


async def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let trio and Tk run until ``condition()`` holds; fail after ``timeout``."""
    import trio

    with trio.fail_after(timeout):
        while not condition():
            await trio.sleep(0.01)


@pytest.fixture
def until() -> Callable[..., object]:
    return wait_until
