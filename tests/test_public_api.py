"""The public names are exactly what we mean to offer (trio's guard), and the layers keep apart.

Names are checked on the modules themselves, layering on the import graph, the
plugins' and demos' use of tkelectron on their syntax trees: nothing here
searches source text.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

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
    "RendererGoneError", "context_bridge", "ipc_renderer", "web_utils",
}
ROOT = Path(__file__).resolve().parent.parent

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


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """tkelectron's import graph (grimp's, which import-linter reads): every import statement,
    function-level ones included, with the outside packages each squashed to one module."""
    return grimp.build_graph("tkelectron", include_external_packages=True)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("tkelectron.common", "tkelectron.main"),
        ("tkelectron.common", "tkelectron.renderer"),
        ("tkelectron.renderer", "tkelectron.main"),
        ("tkelectron.renderer", "tkinter"),
        ("tkelectron.renderer", "tkinterweb"),
    ],
)
def test_layering_by_the_import_graph(graph: grimp.ImportGraph, importer: str, imported: str) -> None:
    """No chain of imports at all leads from ``importer`` to ``imported`` (DESIGN §2)."""
    chains = graph.find_shortest_chains(importer=importer, imported=imported, as_packages=True)
    assert not chains, sorted(chains)


def test_the_graph_sees_what_the_checks_look_for(graph: grimp.ImportGraph) -> None:
    """The layering checks above could fail: the graph holds the edges they look for elsewhere."""
    assert graph.find_shortest_chains(importer="tkelectron.main", imported="tkinter", as_packages=True)
    assert graph.find_shortest_chains(importer="tkelectron.renderer", imported="tkelectron.common", as_packages=True)
    assert graph.find_shortest_chains(importer="tkelectron.main", imported="tkelectron.common", as_packages=True)


def private_uses(source: str) -> list[str]:
    """What ``source`` (an app's, a plugin's or a demo's module) uses of tkelectron that is private.

    An import of a ``_`` module of tkelectron or of a ``_`` name from it, and an
    attribute starting with ``_`` read off a name imported from tkelectron (such
    as ``app._spawn``). The plugins' and demos' own private modules
    (``tkelectron.plugins.*``, ``tkelectron.demos.*``, relative imports) are theirs.
    """
    found: list[str] = []
    from_tkelectron: set[str] = set()

    def private(part: str) -> bool:
        return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))

    def core(module: str) -> bool:
        return module.split(".")[:1] == ["tkelectron"] and module.split(".")[1:2] not in (["plugins"], ["demos"])

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if core(alias.name):
                    from_tkelectron.add(alias.asname or alias.name.split(".")[0])
                    if any(private(part) for part in alias.name.split(".")):
                        found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and core(node.module):
            if any(private(part) for part in node.module.split(".")):
                found.append(f"line {node.lineno}: from {node.module} import ...")
            for alias in node.names:
                from_tkelectron.add(alias.asname or alias.name)
                if private(alias.name):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in from_tkelectron and private(node.attr)):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_private_uses_are_found() -> None:
    source = (
        "from tkelectron import app, BrowserWindow\n"
        "from tkelectron.testing._runner import run_in_app_loop\n"
        "import tkelectron.main._app\n"
        "from tkelectron.main import _dialog\n"
        "from tkelectron.plugins.devtools._views import dom_rows\n"  # a plugin's own module
        "from ._store import Bounds\n"
        "app._spawn(run_in_app_loop)\n"
        "app.start_soon(run_in_app_loop)\n"
        "BrowserWindow.__name__\n"
    )
    assert private_uses(source) == [
        "line 2: from tkelectron.testing._runner import ...",
        "line 3: import tkelectron.main._app",
        "line 4: from tkelectron.main import _dialog",
        "line 7: app._spawn",
    ]


#: The one private seam a built-in plugin still uses, line for line: devtools opens
#: its window as the framework's own (left out of get_all_windows), which no public
#: name offers yet. Kept exact, so a new use fails and a fixed one asks to go.
PRIVATE_SEAMS = {
    "plugins": {"plugins/devtools/_session.py": ["BrowserWindow._framework_windows"]},
    "demo_apps": {},
}


@pytest.mark.parametrize("folder", ["plugins", "demo_apps"])
def test_plugins_and_demos_use_only_public_names(folder: str) -> None:
    """They are written as an app would be: against tkelectron's public names only."""
    files = sorted((ROOT / folder).rglob("*.py"))
    assert len(files) > 5
    found = {
        str(path.relative_to(ROOT)): [use.split(": ", 1)[1] for use in uses]
        for path in files
        if (uses := private_uses(path.read_text(encoding="utf-8")))
    }
    assert found == PRIVATE_SEAMS[folder]
