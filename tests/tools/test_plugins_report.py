"""``tkelectron plugins`` lists real plugins with their origin and hooks."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from tkelectron.main._plugins import get_plugin_manager
from tkelectron.tools.plugins_report import describe, report

PLUGIN = '''
from tkelectron import hookimpl


@hookimpl
def tkelectron_ready(app):
    pass


@hookimpl(tryfirst=True)
async def tkelectron_window_created(window):
    pass


@hookimpl
def tkelectron_redy(app):  # a typo: no such hook
    pass
'''


def _module(path: Path, name: str) -> ModuleType:
    """Write the plugin to ``path`` and import it as module ``name``."""
    path.write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_registered_module_is_listed_with_its_hooks(tmp_path: Path) -> None:
    module = _module(tmp_path / "bench_sample_plugin.py", "bench_sample_plugin")
    pm = get_plugin_manager(entry_points=False)
    pm.register(module, name="sample")
    entry, builtin = describe(pm)  # most recently registered first, then the built-ins
    assert builtin["name"] == "tkelectron.main._default_menu" and builtin["origin"] == "built-in"
    assert entry["name"] == "sample"
    assert entry["origin"] == f"registered by code ({tmp_path / 'bench_sample_plugin.py'})"
    assert entry["hooks"] == [
        "tkelectron_ready",
        "tkelectron_redy (NO SUCH HOOK: never called)",
        "tkelectron_window_created (async, tryfirst)",
    ]
    text = report(pm)
    assert "  sample\n    from:  registered by code" in text
    assert "tkelectron_window_created (async, tryfirst)" in text
    assert "hooks a plugin can implement (" in text and "tkelectron_dialog" in text


def test_an_entry_point_plugin_names_its_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A real installed distribution on sys.path: its dist-info declares the entry point.
    (tmp_path / "bench_ep_plugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = tmp_path / "bench_ep_plugin-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bench-ep-plugin\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text("[tkelectron]\nsample-ep = bench_ep_plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        pm = get_plugin_manager(entry_points=True)
        entries = {e["name"]: e for e in describe(pm)}
    finally:
        sys.modules.pop("bench_ep_plugin", None)
    assert entries["sample-ep"]["origin"] == "entry point 'sample-ep' of bench-ep-plugin 1.2.3"
    assert "tkelectron_ready" in entries["sample-ep"]["hooks"]


def test_the_default_report_reads_the_apps_manager() -> None:
    text = report()
    assert text.startswith("tkelectron plugins (entry-point group 'tkelectron')")
    assert "tkelectron_ready" in text


def test_later_registrations_are_listed_first_as_pluggy_calls_them(tmp_path: Path) -> None:
    first = _module(tmp_path / "first_plugin.py", "first_plugin")
    second = _module(tmp_path / "second_plugin.py", "second_plugin")
    pm = get_plugin_manager(entry_points=False)
    pm.register(first, name="first")
    pm.register(second, name="second")
    assert [e["name"] for e in describe(pm)] == ["second", "first", "tkelectron.main._default_menu"]
