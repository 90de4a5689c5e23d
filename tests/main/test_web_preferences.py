"""Validation of ``web_preferences`` (tkelectron.main._web_preferences)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tkelectron.common._framing import DEFAULT_MAX_FRAME, FrameDecoder, FrameEncoder
from tkelectron.common._messages import Init, MainToRenderer
from tkelectron.main._web_preferences import WebPreferences

APP = Path("/srv/app")


def resolve(path: str) -> str:
    """What the app does: relative paths are relative to the app's folder."""
    return str(APP / path)


def prefs(options: dict[str, Any] | None) -> WebPreferences:
    return WebPreferences.from_dict(options, resolve)


def test_defaults() -> None:
    for options in (None, {}):
        p = prefs(options)
        assert (p.preload, p.sandbox, p.context_isolation, p.channels, p.max_frame) == (
            None, True, True, None, DEFAULT_MAX_FRAME,
        )


def test_preload_is_resolved_and_only_when_given() -> None:
    assert prefs({"preload": "preload.py"}).preload == "/srv/app/preload.py"
    assert prefs({"preload": "/abs/p.py"}).preload == "/abs/p.py"
    seen: list[str] = []
    WebPreferences.from_dict({"preload": None}, seen.append)
    assert seen == []


@pytest.mark.parametrize("value", [True, False, "required"])
def test_sandbox_values(value: Any) -> None:
    assert prefs({"sandbox": value}).sandbox == value


@pytest.mark.parametrize("value", ["yes", "Required", None, 2])
def test_bad_sandbox_values_are_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="sandbox must be"):
        prefs({"sandbox": value})


@pytest.mark.parametrize("value", [1, 0, 1.0])
def test_sandbox_numbers_are_refused_or_normalised(value: Any) -> None:
    try:
        p = prefs({"sandbox": value})
    except ValueError:
        return
    assert p.sandbox is bool(value)
    init = Init(window_id=1, app_root="/srv/app", page=None, preload=None, sandbox=p.sandbox)
    assert FrameDecoder(MainToRenderer).feed(FrameEncoder().frame(init)) == [init]


def test_context_isolation_cannot_be_turned_off() -> None:
    assert prefs({"context_isolation": True}).context_isolation is True
    for key in ("context_isolation", "contextIsolation"):
        with pytest.raises(ValueError, match="cannot be turned off"):
            prefs({key: False})


def test_electron_spellings_are_accepted() -> None:
    p = prefs({"contextIsolation": True, "maxFrame": 1024})
    assert p.context_isolation is True and p.max_frame == 1024


def test_unknown_keys_are_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown web preference 'nodeIntegration'.*preload"):
        prefs({"nodeIntegration": True})


def test_channels_none_allows_everything() -> None:
    p = prefs({})
    assert p.allows("anything", "send") and p.allows("x", "invoke") and p.allows("y", "receive")


def test_channels_allow_by_direction_with_wildcards() -> None:
    p = prefs({"channels": {"send": ["log", "app:*"], "invoke": ("file:open",)}})
    assert p.channels == {"send": ("log", "app:*"), "invoke": ("file:open",), "receive": ()}
    assert p.allows("log", "send") and p.allows("app:save", "send")
    assert not p.allows("logx", "send") and not p.allows("APP:save", "send")  # case-sensitive
    assert p.allows("file:open", "invoke") and not p.allows("log", "invoke")
    assert not p.allows("log", "receive")  # an unlisted direction allows nothing


def test_channels_with_an_unknown_direction_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown direction"):
        prefs({"channels": {"sned": ["x"]}})


def test_a_str_pattern_does_not_open_every_channel() -> None:
    try:
        p = prefs({"channels": {"send": "app:*"}})
    except (TypeError, ValueError):
        return
    assert p.allows("app:save", "send")
    assert not p.allows("delete-everything", "send")


def test_web_preferences_are_immutable() -> None:
    p = prefs({})
    with pytest.raises(AttributeError):
        p.sandbox = False  # type: ignore[misc]


def test_renderer_limits_default_and_configurable() -> None:
    from tkelectron.common._sandbox_policy import DEFAULT_MAX_MEMORY, DEFAULT_MAX_THREADS

    assert prefs(None).renderer_limits() == {"max_memory": DEFAULT_MAX_MEMORY, "max_threads": DEFAULT_MAX_THREADS}
    chosen = prefs({"max_memory": 512 * 1024**2, "maxThreads": 16})
    assert chosen.renderer_limits() == {"max_memory": 512 * 1024**2, "max_threads": 16}
    assert prefs({"max_memory": None, "max_threads": None}).renderer_limits() == {
        "max_memory": None, "max_threads": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    "options",
    [{"max_memory": 1024}, {"max_memory": "2G"}, {"max_memory": 2.5e9}, {"max_memory": True},
     {"max_threads": 1}, {"max_threads": "64"}, {"max_threads": -5}],
)  # fmt: skip
def test_bad_renderer_limits_are_refused_naming_the_option(options: dict[str, Any]) -> None:
    (name,) = options
    with pytest.raises(ValueError, match=f"{name} must be None or an int of at least"):
        prefs(options)


def test_limits_cross_in_init() -> None:
    limits = prefs({"max_memory": 300 * 1024**2, "max_threads": 8}).renderer_limits()
    init = Init(window_id=1, app_root="/srv/app", page=None, preload=None, limits=limits)
    (decoded,) = FrameDecoder(MainToRenderer).feed(FrameEncoder().frame(init))
    assert decoded.limits == limits
