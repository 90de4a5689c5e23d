"""The layering contracts (import-linter's, in pyproject.toml) hold, and each one can fail.

The contracts are checked on the installed layout (``.ci/import_contracts.py``:
plugins/ and demo_apps/ as ``tkelectron.plugins`` and ``tkelectron.demos``), by
import-linter's import graph, not by searching the text. Each contract is shown
to break when one module in a copy of that layout breaks it. A last test imports
every module of ``tkelectron.main`` in a fresh interpreter and looks at what got
imported: function-level imports included, main loads no renderer module.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent


def _contracts_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_contracts", REPO / ".ci" / "import_contracts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


contracts = _contracts_script()

COMMON = "common imports neither main nor renderer"
RENDERER = "the renderer imports neither main nor Tk (it runs sandboxed, without a display)"
MAIN = "main never imports the renderer (it starts it as a process)"
DEMOS = "the core never imports the demos (the CLI finds the launcher by entry point)"
PUBLIC = "plugins and demos import only public modules"


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    built: Path = contracts.build_layout(tmp_path / "layout")
    return built


def test_the_layout_is_the_installed_one(layout: Path) -> None:
    """The copy holds what the wheel installs: the plugins and demos inside tkelectron."""
    assert (layout / "tkelectron" / "__init__.py").resolve() == REPO / "tkelectron" / "__init__.py"
    assert (layout / "tkelectron" / "plugins" / "devtools" / "__init__.py").resolve() == (
        REPO / "plugins" / "devtools" / "__init__.py"
    )
    assert (layout / "tkelectron" / "demos" / "catalog.py").resolve() == REPO / "demo_apps" / "catalog.py"
    assert not (layout / "tkelectron" / "plugins").is_symlink()  # a probe written there stays in the copy


def test_every_contract_is_kept(layout: Path) -> None:
    done = contracts.lint_imports(layout)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in (COMMON, RENDERER, MAIN, DEMOS, PUBLIC):
        assert f"{name} KEPT" in done.stdout
    assert "Contracts: 5 kept, 0 broken." in done.stdout


@pytest.mark.parametrize(
    ("where", "source", "broken"),
    [
        ("common/_probe.py", "from tkelectron.main import _app\n", COMMON),
        ("common/_probe.py", "import tkelectron.renderer._dom\n", COMMON),
        ("renderer/_probe.py", "import tkinter\n", RENDERER),
        ("renderer/_probe.py", "from tkelectron.main import ipc_main\n", RENDERER),
        ("main/_probe.py", "def later():\n    from tkelectron.renderer import _sandbox\n", MAIN),
        ("tools/_probe.py", "import tkelectron.demos.catalog\n", DEMOS),
        ("cli.py", "\nimport tkelectron.demos.launcher_cli\n", DEMOS),
        ("__init__.py", "\nfrom tkelectron import demos\n", DEMOS),
        ("plugins/devtools/_probe.py", "from tkelectron.main._app import App\n", PUBLIC),
        ("demos/_probe.py", "import tkelectron.testing._harness\n", PUBLIC),
    ],
)
def test_a_module_that_breaks_a_contract_is_reported(layout: Path, where: str, source: str, broken: str) -> None:
    """A new module, or lines added to a copy of an existing one (never through its link)."""
    probe = layout / "tkelectron" / where
    if probe.is_symlink():
        source = probe.read_text(encoding="utf-8") + source
        probe.unlink()
    probe.write_text(source, encoding="utf-8")
    done = contracts.lint_imports(layout)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{broken} BROKEN" in done.stdout
    assert "Contracts: 4 kept, 1 broken." in done.stdout
    module = ".".join(["tkelectron", *where.removesuffix(".py").split("/")]).removesuffix(".__init__")
    assert f"{module} -> " in done.stdout


_PROBE = """
import pkgutil, sys
import tkelectron.main
for info in pkgutil.walk_packages(tkelectron.main.__path__, "tkelectron.main."):
    __import__(info.name)
print(sorted(m for m in sys.modules if m == "tkelectron.renderer" or m.startswith("tkelectron.renderer.")))
"""


def test_importing_every_main_module_imports_no_renderer_module() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
