"""Fixtures for dialog tests (the X display comes from tests/conftest.py).

Dialog tests run trio as a guest on Tk with the app's own host
(``tkelectron.main._host.TkHost``), as the app does."""

from __future__ import annotations

from collections.abc import Callable

import pytest


async def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let trio and Tk run until ``condition()`` holds; fail after ``timeout``.

    The conditions are the X server's and Tk's own dialog code's state (a
    dialog mapped, a path typed into its entry): nothing there signals trio,
    so they are looked at while Tk runs, within the timeout.
    """
    import trio

    with trio.fail_after(timeout):
        while not condition():  # noqa: ASYNC110 - X and Tk state: nothing to await
            await trio.sleep(0.01)


@pytest.fixture
def until() -> Callable[..., object]:
    return wait_until
