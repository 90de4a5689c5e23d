"""Fixtures shared by the whole suite.

Every test that needs X uses ONE display for the session: ``$DISPLAY`` when it
works, else an Xvfb started on first use. Tk keeps its display connection for
the life of the process, so the server must outlive every Tk root; it was
started to die with this process, so nothing is left running afterwards.
"""

from __future__ import annotations

import pytest

from tkelectron.testing._runner import session_display


@pytest.fixture(scope="session")
def display() -> str:
    return session_display()


@pytest.fixture(scope="session")
def x_display(display: str) -> str:
    return display
