"""An X display for the tests in tests/main that open a Tk root (a private Xvfb when needed)."""

from __future__ import annotations

from typing import Iterator

import pytest

from tkelectron.testing._display import ensure_display


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """``$DISPLAY`` when it works, else an Xvfb started for the session and stopped after it."""
    with ensure_display() as name:
        yield name
