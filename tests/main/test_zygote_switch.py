"""The zygote's switch and command line: on by default on Linux, off with
TKELECTRON_ZYGOTE=0, and a frozen app (``tkelectron package``) starts it
through its own executable with the zygote flag, which ``_frozen.main``
dispatches to the zygote (tests/packaging runs a packaged app for real)."""

from __future__ import annotations

import os
import sys

import pytest

from tkelectron._frozen import ZYGOTE_FLAG
from tkelectron.main import _zygote
from tkelectron.main._isolated_process import FRAMEWORK_ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="Linux")


def test_on_by_default_off_with_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_zygote.ENV, raising=False)
    assert _zygote.enabled()
    for value in ("1", ""):
        monkeypatch.setenv(_zygote.ENV, value)
        assert _zygote.enabled()
    monkeypatch.setenv(_zygote.ENV, "0")
    assert not _zygote.enabled()


def test_a_frozen_app_starts_its_zygote_through_its_own_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert _zygote._command(7) == [sys.executable, ZYGOTE_FLAG, "7"]
    monkeypatch.delattr(sys, "frozen")
    command = _zygote._command(7)
    assert command[:3] == [sys.executable, "-I", "-B"] and command[-2:] == [FRAMEWORK_ROOT, "7"]
