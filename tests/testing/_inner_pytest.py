"""Running a separate pytest process (``pytester``) that loads tkelectron's plugin."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_inner_pytest(
    pytester: pytest.Pytester, config: pytest.Config, monkeypatch: pytest.MonkeyPatch, *args: str
) -> pytest.RunResult:
    """Run the files made in ``pytester`` in a new pytest process, with the plugin loaded."""
    # The inner pytest runs elsewhere: tkelectron must be importable there too.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p))
    # An installed tkelectron loads its plugin by entry point (name "tkelectron");
    # from a source checkout it was loaded with -p, and so must the inner run be.
    plugin = [] if config.pluginmanager.get_plugin("tkelectron") is not None else ["-p", "tkelectron.testing.pytest_plugin"]
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *plugin, *args, timeout=120)
