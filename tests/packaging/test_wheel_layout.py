"""The wheel installs ``tkelectron`` only, and an app with its own ``plugins/`` package runs.

The wheel is built from a copy of the sources (as a user's ``pip install .``
would see them), then installed into a fresh venv with its dependencies (pip
finds them in its cache or configured wheel folders first). The app under
test has a top-level ``plugins`` package of its own, the name tkelectron's
built-in plugins used to take in site-packages.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
_SOURCES = ("pyproject.toml", "setup.py", "README.md", "tkelectron", "plugins", "demo_apps")

_APP_MAIN = '''
"""An app whose own package is called plugins."""

import sys
from pathlib import Path

from plugins.greeting import greeting

from tkelectron import BrowserWindow, app, hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def tkelectron_ready(app) -> None:
    window = BrowserWindow(width=300, height=200)

    def loaded(event) -> None:
        print(f"{greeting()} | title={window.get_title()}", flush=True)
        app.quit()

    window.web_contents.once("did-finish-load", loaded)
    window.load_file(HERE / "index.html")
'''


def _wheel(tmp_path: Path) -> tuple[Path, str]:
    src = tmp_path / "src"
    src.mkdir()
    for name in _SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(source, src / name)
    wheels = tmp_path / "wheels"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(wheels), str(src)],
        capture_output=True,
        text=True, check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = wheels.glob("tkelectron-*.whl")
    return wheel, done.stdout + done.stderr


def _app(root: Path) -> Path:
    app = root / "greeter"
    (app / "plugins").mkdir(parents=True)
    (app / "plugins" / "__init__.py").write_text('"""The app\'s own plugins package."""\n')
    (app / "plugins" / "greeting.py").write_text('def greeting() -> str:\n    return "hello from the app\'s plugins"\n')
    (app / "main.py").write_text(textwrap.dedent(_APP_MAIN))
    (app / "index.html").write_text("<!DOCTYPE html><html><head><title>Greeter</title></head><body>hi</body></html>")
    return app


def test_the_wheel_installs_tkelectron_only_and_an_app_with_a_plugins_package_runs(tmp_path: Path) -> None:
    wheel, build_log = _wheel(tmp_path)
    assert "Deprecat" not in build_log and "deprecat" not in build_log, "the build warned about a deprecation"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = archive.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert {name.split("/")[0] for name in names} == {"tkelectron", wheel.name.split("-py3")[0] + ".dist-info"}
    for expected in (
        "tkelectron/py.typed",
        "tkelectron/__main__.py",
        "tkelectron/plugins/devtools/__init__.py",
        "tkelectron/plugins/devtools/page/index.html",
        "tkelectron/demos/launcher_cli.py",
        "tkelectron/demos/set_title/main.py",
        "tkelectron/tools/_templates/icon.svg.tmpl",
    ):
        assert expected in names, expected
    # Every folder of the sources that holds a file is in the wheel.
    sources = (("tkelectron", "tkelectron"), ("plugins", "tkelectron/plugins"), ("demo_apps", "tkelectron/demos"))
    for root, prefix in sources:
        for folder in [REPO / root, *(p for p in (REPO / root).rglob("*") if p.is_dir() and p.name != "__pycache__")]:
            if any(child.is_file() and child.suffix != ".pyc" for child in folder.iterdir()):
                rel = folder.relative_to(REPO / root).as_posix()
                wanted = prefix if rel == "." else f"{prefix}/{rel}"
                assert any(n.startswith(wanted + "/") for n in names), f"{folder} is missing from the wheel"
    assert "License-Expression: MIT" in metadata
    assert "devtools = tkelectron.plugins.devtools" in entry_points
    assert "demos = tkelectron.demos.launcher_cli" in entry_points

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    done = subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    where = [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
    site = Path(subprocess.run(where, capture_output=True, text=True, check=True).stdout.strip())
    assert not (site / "plugins").exists() and not (site / "demo_apps").exists()

    app = _app(tmp_path)
    run = subprocess.run(
        [env_dir / "bin" / "tkelectron", "run", ".", "--compositor", "headless"],
        cwd=app,
        capture_output=True,
        text=True,
        timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "hello from the app's plugins | title=Greeter" in run.stdout
    assert "Traceback" not in run.stderr, run.stderr

    # The installed plugins load from their new home, next to the app's own plugins package.
    report = subprocess.run(
        [python, "-m", "tkelectron", "plugins"], cwd=app, capture_output=True, text=True, timeout=60, check=False
    )
    assert report.returncode == 0, report.stderr
    assert "entry point 'devtools' of tkelectron" in report.stdout
    tkelectron = env_dir / "bin" / "tkelectron"
    demos = subprocess.run([tkelectron, "demo", "--list"], capture_output=True, text=True, timeout=60, check=False)
    assert demos.returncode == 0 and "set_title" in demos.stdout, demos.stderr
