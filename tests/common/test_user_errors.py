"""Errors told in the user's terms (tkelectron.common._user_errors).

The user's code here is a file this test writes into a temporary folder, so
its frames are outside tkelectron, trio, pluggy and the standard library, as
an app's are.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pluggy
import pytest
import trio

from tkelectron.common._user_errors import (
    UserErrorFormatter,
    describe,
    did_you_mean,
    leaf_errors,
    user_frame,
    user_traceback,
)

USER_CODE = '''\
import json


def fails(what):
    raise ValueError(f"bad {what}")  # RAISES


def parses(text):
    return json.loads(text)  # PARSES


def calls(fn):
    return fn()  # CALLS
'''


def line_of(marker: str) -> int:
    return next(n for n, line in enumerate(USER_CODE.splitlines(), 1) if f"# {marker}" in line)


@pytest.fixture
def user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    path = tmp_path / "app" / "main.py"
    path.parent.mkdir()
    path.write_text(USER_CODE)
    monkeypatch.chdir(tmp_path)
    spec = importlib.util.spec_from_file_location("user_errors_app", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def caught(fn: Callable[..., object], *args: object) -> BaseException:
    try:
        fn(*args)
    except BaseException as exc:  # noqa: BLE001 - what is raised is what is described
        return exc
    raise AssertionError("nothing was raised")


def test_the_users_line_is_named_not_the_frameworks(user: ModuleType) -> None:
    async def in_a_nursery() -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(trio.to_thread.run_sync, lambda: None)
            user.fails("input")

    exc = caught(trio.run, in_a_nursery)  # wrapped in an exception group by trio
    assert isinstance(exc, BaseExceptionGroup)
    assert describe(exc) == f"app/main.py:{line_of('RAISES')}: ValueError: bad input"


def test_the_users_call_into_the_standard_library_is_named(user: ModuleType) -> None:
    exc = caught(user.parses, "{")
    assert isinstance(exc, json.JSONDecodeError)
    assert describe(exc).startswith(f"app/main.py:{line_of('PARSES')}: JSONDecodeError: Expecting")


def test_a_hook_through_pluggy_names_the_hook_implementation(user: ModuleType) -> None:
    spec, impl = pluggy.HookspecMarker("demo"), pluggy.HookimplMarker("demo")

    class Spec:
        @spec
        def ready(self) -> None: ...

    class Plugin:
        @impl
        def ready(self) -> None:
            user.fails("hook")

    pm = pluggy.PluginManager("demo")
    pm.add_hookspecs(Spec)
    pm.register(Plugin())
    exc = caught(pm.hook.ready)
    frame = user_frame(exc)
    assert frame is not None and (Path(frame.filename).name, frame.lineno) == ("main.py", line_of("RAISES"))


def test_framework_frames_between_user_frames_are_hidden(user: ModuleType) -> None:
    exc = caught(user.calls, lambda: user.fails("inner"))
    text = user_traceback(exc)
    assert text.startswith("Traceback (most recent call last; tkelectron's frames hidden):")
    assert f"line {line_of('CALLS')}, in calls" in text and f"line {line_of('RAISES')}, in fails" in text
    assert text.endswith("ValueError: bad inner")


def test_debug_shows_every_frame(user: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    exc = caught(trio.run, trio.to_thread.run_sync, user.fails, "deep")
    assert "trio" not in user_traceback(exc)
    monkeypatch.setenv("TKELECTRON_DEBUG", "1")
    assert "trio" in user_traceback(exc)


def test_a_syntax_error_names_its_own_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exc = caught(compile, "x = 1\ndef broken(:\n", "app/main.py", "exec")
    assert describe(exc) == "app/main.py:2: SyntaxError: invalid syntax"


def test_groups_are_flattened_and_repeats_said_once() -> None:
    group = ExceptionGroup("outer", [KeyError("k"), ExceptionGroup("inner", [KeyError("k"), OSError("disk")])])
    assert [type(e) for e in leaf_errors(group)] == [KeyError, KeyError, OSError]
    assert describe(group) == "KeyError: 'k'\nOSError: disk"  # raised nowhere: no frame to name


def test_did_you_mean() -> None:
    assert did_you_mean("gret", ["greet", "quit"]) == " (did you mean 'greet'?)"
    assert did_you_mean("zzz", ["greet", "quit"]) == ""
    assert did_you_mean("gret", []) == ""


def test_the_log_formatter_keeps_the_users_frames(user: ModuleType) -> None:
    exc = caught(trio.run, trio.to_thread.run_sync, user.fails, "logged")
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", None, (type(exc), exc, exc.__traceback__))
    text = UserErrorFormatter("%(message)s").format(record)
    assert text.startswith("failed\nTraceback (most recent call last; tkelectron's frames hidden):")
    assert "trio" not in text and f"line {line_of('RAISES')}, in fails" in text
