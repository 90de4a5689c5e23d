"""pytest plugin for tkelectron apps (entry point ``pytest11``).

Mark an ``async def`` test with ``@pytest.mark.tkelectron`` and it runs in
the loop its compositor needs; it gets a ``compositor`` argument naming it.
By default it runs twice, once per compositor; narrow it with
``@pytest.mark.tkelectron("tkhtml")`` or the ``--tkelectron-compositor``
option. ``tkhtml`` tests open real Tk windows, on Xvfb when there is no
display (started once per session, stopped at the end).

After every test the plugin checks that nothing was left behind — no
BrowserWindow, no renderer process, no running app — and fails the test
that leaked.
"""

from __future__ import annotations

import inspect
import os
from typing import Iterator

import pytest

from ._leaks import leftovers
from ._runner import close_session_display, run_in_app_loop

COMPOSITORS = ("headless", "tkhtml")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--tkelectron-compositor",
        choices=COMPOSITORS,
        default=None,
        help="run tkelectron tests on this compositor only",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "tkelectron(*compositors): run an async test in a tkelectron app loop, once per compositor",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("tkelectron")
    if marker is None or "compositor" not in metafunc.fixturenames:
        return
    chosen = list(marker.args) or list(COMPOSITORS)
    only = metafunc.config.getoption("--tkelectron-compositor") or os.environ.get("TKELECTRON_TEST_COMPOSITOR")
    if only:
        chosen = [c for c in chosen if c == only]
    metafunc.parametrize("compositor", chosen)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if pyfuncitem.get_closest_marker("tkelectron") is None:
        return None
    fn = pyfuncitem.obj
    if not inspect.iscoroutinefunction(fn):
        raise TypeError(f"{pyfuncitem.name}: @pytest.mark.tkelectron tests must be async def")
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    compositor = kwargs.get("compositor", "headless")
    run_in_app_loop(fn, compositor, kwargs)
    return True


@pytest.fixture(autouse=True)
def _tkelectron_leak_check(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test that leaves a window, a renderer process or a running app."""
    yield
    found = leftovers()
    if found:
        pytest.fail("test left behind: " + "; ".join(found), pytrace=False)


def pytest_unconfigure(config: pytest.Config) -> None:
    close_session_display()

