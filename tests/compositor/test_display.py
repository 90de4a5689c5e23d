"""ensure_display and the X helpers."""

from __future__ import annotations

import os

import pytest

from tkelectron.testing import _display
from tkelectron.testing._display import display_reachable, ensure_display, xdotool


def test_reuses_a_reachable_display(x_display: str) -> None:
    with ensure_display() as display:
        assert display == x_display == os.environ["DISPLAY"]


def test_starts_and_stops_a_private_xvfb(x_display: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY")
    started: list[object] = []
    real_start = _display._start_xvfb

    def spy() -> tuple[object, str]:
        proc, display = real_start()
        started.append(proc)
        return proc, display

    monkeypatch.setattr(_display, "_start_xvfb", spy)
    with ensure_display() as display:
        assert display != x_display and os.environ["DISPLAY"] == display
        assert display_reachable(display)
        assert xdotool("getdisplaygeometry").split() == ["1280", "1024"]
    assert "DISPLAY" not in os.environ
    assert started[0].poll() is not None  # type: ignore[attr-defined]
    assert not display_reachable(display)


def test_clear_errors_when_tools_are_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("DISPLAY", raising=False)
    with pytest.raises(RuntimeError, match="apt-get install xvfb"), ensure_display():
        pass
    with pytest.raises(RuntimeError, match="apt-get install xdotool"):
        xdotool("version")
    assert not display_reachable(":31999")
