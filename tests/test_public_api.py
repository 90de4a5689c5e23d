"""The public names are exactly what we mean to offer (trio's guard)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import tkelectron
import tkelectron.renderer
import tkelectron.testing

MAIN = {
    "BrowserWindow", "DataCloneError", "IpcRemoteError", "IpcValidationError", "Menu", "MenuItem",
    "MessageChannelMain", "MessagePortMain", "RendererGoneError", "SandboxUnavailableError",
    "app", "dialog", "hookimpl", "ipc_main",
    "Notification", "native_theme", "Tray",
    "clipboard", "global_shortcut", "screen", "session", "shell",
}
RENDERER = {
    "DataCloneError", "IpcRemoteError", "IpcValidationError", "MessageChannel", "MessagePort",
    "RendererGoneError", "context_bridge", "ipc_renderer",
}
TESTING = {"DEFAULT_TIMEOUT", "AppHarness", "MenuItemHandle", "WindowHarness", "launch", "run_on_display"}


def test_main_process_names() -> None:
    assert set(tkelectron.__all__) == MAIN
    for name in MAIN:
        assert getattr(tkelectron, name) is not None
    assert set(dir(tkelectron)) >= MAIN


def test_preload_names() -> None:
    assert set(tkelectron.renderer.__all__) == RENDERER
    for name in RENDERER:
        assert getattr(tkelectron.renderer, name) is not None


def test_testing_names() -> None:
    assert set(tkelectron.testing.__all__) == TESTING


def test_errors_are_the_same_objects_in_both_apis() -> None:
    for name in ("DataCloneError", "IpcRemoteError", "IpcValidationError", "RendererGoneError"):
        assert getattr(tkelectron, name) is getattr(tkelectron.renderer, name)


def test_an_unknown_name_says_so() -> None:
    try:
        tkelectron.Nope  # noqa: B018
    except AttributeError as exc:
        assert "Nope" in str(exc)
    else:
        raise AssertionError("tkelectron.Nope should not exist")


def test_a_renderer_never_imports_the_main_process_or_tkinter() -> None:
    """What a renderer loads before it locks down (DESIGN §2: renderer never imports main or tkinter)."""
    code = (
        "import sys, tkelectron.renderer.__main__, tkelectron.renderer._runtime, tkelectron.renderer._sandbox;"
        "bad = [m for m in sys.modules if m.startswith('tkelectron.main') or m in ('tkinter', '_tkinter', 'pluggy')];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_common_imports_neither_main_nor_renderer() -> None:
    import pkgutil

    import tkelectron.common as common

    for info in pkgutil.iter_modules(common.__path__):
        module = importlib.import_module(f"tkelectron.common.{info.name}")
        source = open(module.__file__).read()
        assert "from ..main" not in source and "from ..renderer" not in source, info.name
