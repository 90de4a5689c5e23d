"""Public names say where users find them (trio's fixup_module_metadata), and
each public module's literal ``__all__`` lists exactly what it re-exports."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

import tkelectron
import tkelectron.testing


def test_the_literal_all_matches_the_lazy_exports() -> None:
    # A literal list (type checkers read it) and the lazy table must not drift apart.
    assert sorted(tkelectron.__all__) == sorted(tkelectron._EXPORTS)
    assert sorted(tkelectron.testing.__all__) == sorted(tkelectron.testing._EXPORTS)


@pytest.mark.parametrize("name", ["BrowserWindow", "Menu", "MenuItem", "MessageChannelMain", "Notification", "Tray"])
def test_main_classes_show_the_public_path(name: str) -> None:
    cls = getattr(tkelectron, name)
    assert cls.__module__ == "tkelectron"
    assert repr(cls) == f"<class 'tkelectron.{name}'>"


def test_methods_follow_their_class() -> None:
    assert tkelectron.BrowserWindow.load_file.__module__ == "tkelectron"


def test_instances_and_foreign_names_are_left_alone() -> None:
    # The module objects (app, ipc_main, ...) are instances: their class is private.
    assert type(tkelectron.app).__module__ == "tkelectron.main._app"
    assert "__module__" not in vars(tkelectron.app)
    # pluggy's marker is pluggy's.
    assert type(tkelectron.hookimpl).__module__.startswith("pluggy")


def test_classes_pickle_by_their_public_path() -> None:
    # pickle finds a class by __module__ and __qualname__: the public path must lead to it.
    for cls in (tkelectron.BrowserWindow, tkelectron.Menu):
        assert f"ctkelectron\n{cls.__qualname__}\n".encode() in pickle.dumps(cls, protocol=0)
        assert pickle.loads(pickle.dumps(cls)) is cls


def test_testing_names_show_their_package() -> None:
    assert tkelectron.testing.AppHarness.__module__ == "tkelectron.testing"
    assert tkelectron.testing.launch.__module__ == "tkelectron.testing"


def test_the_renderer_api_shows_its_path_and_a_framework_error_still_crosses() -> None:
    """In a renderer the shared errors say ``tkelectron.renderer``; rebuilt on the
    other side from that module name they are still the framework's error types."""
    code = (
        "import tkelectron.renderer as r\n"
        "from tkelectron.common._errors import remote_error\n"
        "assert r.MessagePort.__module__ == 'tkelectron.renderer', r.MessagePort.__module__\n"
        "assert r.DataCloneError.__module__ == 'tkelectron.renderer', r.DataCloneError.__module__\n"
        "err = remote_error('DataCloneError', 'x', module=r.DataCloneError.__module__)\n"
        "assert isinstance(err, r.DataCloneError) and isinstance(err, r.IpcRemoteError)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.strip() == "ok", out.stderr
