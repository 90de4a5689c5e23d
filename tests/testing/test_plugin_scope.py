"""The pytest plugin costs nothing where it is not used (as pytest-trio's).

Its leak check applies only to a test marked ``tkelectron`` or one during
which the app ran; other tests get no fixture from it and do not even import
tkelectron's main process. Proved in a separate pytest process (``pytester``)
whose tests would leak if they were checked: each leaves a process whose
command line says ``tkelectron.renderer`` — what the check looks for.
"""

from __future__ import annotations

import pytest
from _inner_pytest import run_inner_pytest

pytest_plugins = ["pytester"]

SCOPED_TESTS = '''
import subprocess
import sys

import pytest

# A child that looks like a renderer to the leak check; it ends when this
# pytest process ends (its stdin closes).
FAKE_RENDERER = [sys.executable, "-c", "import sys; sys.stdin.read()", "tkelectron.renderer"]
children = []


def leave_a_renderer_like_child():
    children.append(subprocess.Popen(FAKE_RENDERER, stdin=subprocess.PIPE))


def test_unrelated_gets_nothing_from_the_plugin(request):
    assert [name for name in request.fixturenames if "tkelectron" in name] == []
    assert "tkelectron.main._app" not in sys.modules
    assert "trio" not in sys.modules
    leave_a_renderer_like_child()  # not checked: this test never ran the app


@pytest.mark.tkelectron("headless")
async def test_marked_is_checked(compositor):
    leave_a_renderer_like_child()
'''


def test_only_marked_tests_or_tests_that_ran_the_app_are_checked(
    pytester: pytest.Pytester, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_scoped=SCOPED_TESTS)
    result = run_inner_pytest(pytester, request.config, monkeypatch, "-p", "no:trio")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_marked_is_checked*", "*test left behind: renderer process(es)*"])
    errors = "\n".join(line for line in result.outlines if "ERROR" in line)
    assert "test_unrelated_gets_nothing_from_the_plugin" not in errors
