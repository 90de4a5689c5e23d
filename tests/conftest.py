"""Fixtures shared by the whole suite.

Every test that needs X uses ONE display for the session: ``$DISPLAY`` when it
works, else an Xvfb started on first use. Tk keeps its display connection for
the life of the process, so the server must outlive every Tk root; it was
started to die with this process, so nothing is left running afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tkelectron.testing._runner import session_display


@pytest.fixture(scope="session")
def display() -> str:
    return session_display()


@pytest.fixture(scope="session")
def x_display(display: str) -> str:
    return display


_TK_FIXTURES = {"display", "x_display", "tk_root", "tk_kit", "kit"}


@pytest.fixture(autouse=True)
def _collect_tk_garbage(request: pytest.FixtureRequest) -> Iterator[None]:
    """Collect a Tk test's garbage on the main thread, right after the test.

    Many tests make and destroy Tk roots; tkinter objects left in reference
    cycles are otherwise freed by whichever thread next triggers a collection,
    and Tcl aborts the process when an interpreter's objects are freed from a
    thread that is not its own (seen here: a thread of a later test). An app
    has one Tk for its whole life, so this is a test-suite concern only.
    """
    yield
    callspec = getattr(request.node, "callspec", None)
    tkhtml = callspec is not None and callspec.params.get("compositor") == "tkhtml"
    if tkhtml or _TK_FIXTURES & set(request.fixturenames):
        gc.collect()
