"""Freezing an app with PyInstaller: one folder, one executable, no Python needed.

The executable's entry script is three lines: it hands over to
:func:`tkelectron._frozen.main`, which runs the bundled app, or becomes a
renderer when its own main process starts it with the renderer marker. The
app folder is copied into the bundle as data (``_internal/app``), since
``tkelectron run`` loads ``main.py`` by path; what the app's Python files
import (main process, preload and page scripts alike) is found by reading
their ``import`` statements and handed to PyInstaller as hidden imports, so
the app's dependencies are frozen with it. tkelectron itself is first
copied into its installed layout (an editable install keeps
``tkelectron.plugins`` and ``tkelectron.demos`` in other folders, which
PyInstaller cannot follow), then collected whole (its modules are partly
imported by name) with its data files and its metadata (the plugin entry
points); tkinterweb's Tkhtml library comes from the PyInstaller hooks that
ship for it.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from ._package_metadata import AppMetadata, PackageError

__all__ = ["APP_FOLDER", "app_imports", "freeze", "preflight", "stage_app", "stage_framework"]

#: Where the app's files are inside the bundle's ``_internal`` folder.
APP_FOLDER = "app"

# Never copied into a package: tests, caches, VCS folders, build outputs.
_SKIPPED = ("tests", "__pycache__", ".git", ".hg", ".venv", "venv", "build", "dist", "*.pyc", "*.egg-info", ".*_cache")

# Frozen into no app: the test harness and the freezer itself.
_EXCLUDED = ("tkelectron.testing", "pytest", "_pytest", "PyInstaller", "setuptools", "pip")

_ENTRY = '''\
import os
import sys

from tkelectron._frozen import main

main(os.path.join(sys._MEIPASS, {folder!r}))
'''


def stage_app(app_dir: Path, dest: Path, skip: Iterable[Path] = ()) -> Path:
    """Copy the app's files to ``dest`` (tests, caches and ``skip`` left out)."""
    skipped = {path.resolve() for path in skip}
    patterns = shutil.ignore_patterns(*_SKIPPED)

    def ignore(folder: str, names: list[str]) -> set[str]:
        ignored = set(patterns(folder, names))
        ignored.update(name for name in names if (Path(folder) / name).resolve() in skipped)
        return ignored

    shutil.copytree(app_dir, dest, ignore=ignore, symlinks=False)
    return dest


def _package_folder(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise PackageError(f"{name} is not installed here")
    return Path(next(iter(spec.submodule_search_locations)))


def stage_framework(site: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """Copy tkelectron into ``site/tkelectron`` as installed; return its modules and data.

    The modules are every ``.py`` file's module name (less the test
    harness); the data are ``(source glob, bundle folder)`` pairs for
    PyInstaller's ``--add-data``.
    """
    root = site / "tkelectron"
    stage_app(_package_folder("tkelectron"), root)
    for sub in ("plugins", "demos"):
        if (root / sub).exists():
            shutil.rmtree(root / sub)
        stage_app(_package_folder(f"tkelectron.{sub}"), root / sub)
    modules: list[str] = []
    data: list[tuple[str, str]] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(site)
        if path.suffix == ".py":
            parts = rel.with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if not any(name == x or name.startswith(x + ".") for x in _EXCLUDED):
                modules.append(name)
        elif path.is_dir():
            suffixes = sorted({child.suffix for child in path.iterdir() if child.is_file() and child.suffix != ".py"})
            data += [(str(path / f"*{suffix}"), str(rel)) for suffix in suffixes if suffix]
    data += [(str(root / "py.typed"), "tkelectron")] if (root / "py.typed").is_file() else []
    return modules, data


def app_imports(app_dir: Path) -> list[str]:
    """Modules the app's Python files import, less the app's own modules.

    Relative imports are the app's own; so is any top-level name that is a
    file or folder in the app. Unparsable files are an error: they would fail
    at run time too.
    """
    local = {path.stem for path in app_dir.glob("*.py")} | {path.name for path in app_dir.iterdir() if path.is_dir()}
    found: set[str] = set()
    for path in sorted(app_dir.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        except (SyntaxError, UnicodeDecodeError) as exc:
            raise PackageError(f"{path}: cannot be read as Python ({exc})") from None
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
    return sorted(name for name in found if name.split(".")[0] not in local and name != "__future__")


def _missing(modules: Iterable[str]) -> list[str]:
    missing = []
    for top in sorted({name.split(".")[0] for name in modules}):
        if top in sys.builtin_module_names:
            continue
        try:
            if importlib.util.find_spec(top) is None:
                missing.append(top)
        except (ImportError, ValueError):
            missing.append(top)
    return missing


def preflight(imports: Iterable[str]) -> None:
    """Refuse, before anything is built: no PyInstaller, no objdump, or an app import not installed."""
    if importlib.util.find_spec("PyInstaller") is None:
        raise PackageError("PyInstaller is not installed: pip install 'tkelectron[package]'")
    if shutil.which("objdump") is None:
        raise PackageError("objdump is not installed (PyInstaller needs it): apt-get install binutils")
    missing = _missing(imports)
    if missing:
        raise PackageError(
            f"the app imports {', '.join(missing)}, not installed here: install the app's dependencies "
            "where you run tkelectron package"
        )


def freeze(meta: AppMetadata, staged_app: Path, imports: list[str], work: Path, log: Path) -> Path:
    """Run PyInstaller; return the bundle folder (``work/dist/<name>``).

    PyInstaller's output goes to ``log``; on failure its last lines are the
    error's message. Call :func:`preflight` first.
    """
    site = work / "site"
    modules, data = stage_framework(site)
    entry = work / f"{meta.name.replace('-', '_').replace('.', '_')}_entry.py"
    entry.write_text(_ENTRY.format(folder=APP_FOLDER), encoding="utf-8")
    args = [
        sys.executable, "-m", "PyInstaller", str(entry),
        "--noconfirm", "--onedir", "--noupx", "--log-level", "WARN",
        "--name", meta.name,
        "--distpath", str(work / "dist"), "--workpath", str(work / "build"), "--specpath", str(work),
        "--paths", str(site),
        "--add-data", f"{staged_app}{os.pathsep}{APP_FOLDER}",
        "--copy-metadata", "tkelectron",
    ]  # fmt: skip
    for source, folder in data:
        args += ["--add-data", f"{source}{os.pathsep}{folder}"]
    for name in sorted({*modules, *imports}):
        args += ["--hidden-import", name]
    if any(name == "tkelectron.demos" or name.startswith("tkelectron.demos.") for name in imports):
        # The demo launcher runs the demos by path: their folders go in as files.
        args += ["--add-data", f"{site / 'tkelectron' / 'demos'}{os.pathsep}tkelectron/demos"]
    for name in _EXCLUDED:
        args += ["--exclude-module", name]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with log.open("wb") as out:
        done = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env, check=False)
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
        raise PackageError("PyInstaller failed:\n  " + "\n  ".join(tail) + f"\n(full log: {log})")
    bundle = work / "dist" / meta.name
    if not (bundle / meta.name).is_file():
        raise PackageError(f"PyInstaller made no executable at {bundle / meta.name} (log: {log})")
    return bundle
