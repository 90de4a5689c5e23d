"""pytest plugin for tkelectron apps (entry point ``pytest11``).

Mark an ``async def`` test with ``@pytest.mark.tkelectron`` and it runs in
the loop its compositor needs; it gets a ``compositor`` argument naming it.
By default it runs twice, once per compositor; narrow it with
``@pytest.mark.tkelectron("tkhtml")`` or the ``--tkelectron-compositor``
option. ``tkhtml`` tests open real Tk windows, on Xvfb when there is no
display (started once per session, stopped at the end).

After a test marked ``tkelectron``, or one that ran the app some other way
(``launch``, ``app.running``, ``app.run``), the plugin checks that nothing
was left behind — no BrowserWindow, no renderer process, no running app — and
fails the test that leaked, at its teardown.

Like pytest-trio, the plugin costs nothing where it is not used: it adds no
fixture to other tests and imports nothing of tkelectron's until a test needs
it, so installing tkelectron does not slow down an unrelated project's tests.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Generator

import pytest

COMPOSITORS = ("headless", "tkhtml")

#: Where the app's run count is kept between a test's setup and its teardown.
_RUNS_BEFORE = pytest.StashKey[int]()


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
    from ._runner import run_in_app_loop

    fn = pyfuncitem.obj
    if not inspect.iscoroutinefunction(fn):
        raise TypeError(f"{pyfuncitem.name}: @pytest.mark.tkelectron tests must be async def")
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    compositor = kwargs.get("compositor", "headless")
    if not isinstance(compositor, str):
        raise TypeError(f"{pyfuncitem.name}: the compositor parameter names a compositor, got {compositor!r}")
    run_in_app_loop(fn, compositor, kwargs)
    return True


def _app_runs() -> int:
    """How many times the app has run in this process (0 if tkelectron's app was never imported)."""
    module = sys.modules.get("tkelectron.main._app")
    return module.app._runs if module is not None else 0


def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_RUNS_BEFORE] = _app_runs()


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    """Fail the test that leaves a window, a renderer process or a running app.

    Checked after every fixture was torn down (a fixture may own the app), and
    only for a test marked ``tkelectron`` or during which the app ran.
    """
    yield
    ran = _app_runs() != item.stash.get(_RUNS_BEFORE, 0)
    if ran or item.get_closest_marker("tkelectron") is not None:
        from ._leaks import leftovers

        found = leftovers()
        if found:
            pytest.fail("test left behind: " + "; ".join(found), pytrace=False)


def pytest_unconfigure(config: pytest.Config) -> None:
    runner = sys.modules.get("tkelectron.testing._runner")
    if runner is not None:  # only a session that ran a test in an app loop has a display to close
        runner.close_session_display()
