#!/usr/bin/env python3
"""Check import-linter's contracts ([tool.importlinter] in pyproject.toml) on the installed layout.

The wheel installs the repository's ``plugins/`` and ``demo_apps/`` folders as
``tkelectron.plugins`` and ``tkelectron.demos`` (``[tool.setuptools.package-dir]``),
so plain ``lint-imports`` in the checkout would not see them: its import graph
(grimp's) walks ``tkelectron/`` only. This script builds that layout in a
temporary folder out of symlinks to the checkout's files (real folders, linked
files: nothing written there can reach the checkout) and runs ``lint-imports``
on it, so the contracts name the packages as an app imports them.

Usage: ``.ci/import_contracts.py`` (exit status: lint-imports'); the tests
(tests/test_layering.py) use :func:`build_layout` and :func:`lint_imports`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "pyproject.toml"


def _package_dirs(repo: Path) -> dict[str, Path]:
    """Each installed package's source folder: tkelectron's own, then package-dir's mappings."""
    config = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    mapped = config["tool"]["setuptools"]["package-dir"]
    return {"tkelectron": repo / "tkelectron", **{name: repo / src for name, src in mapped.items()}}


def build_layout(dest: Path, repo: Path = REPO) -> Path:
    """Lay the packages out under ``dest`` as the wheel installs them; returns ``dest``.

    Folders are real, Python files are symlinks to the checkout's, ``__pycache__``
    is left out.
    """
    for name, source in _package_dirs(repo).items():
        target = dest.joinpath(*name.split("."))
        for folder, subfolders, files in os.walk(source):
            subfolders[:] = [d for d in subfolders if d != "__pycache__"]
            here = target / Path(folder).relative_to(source)
            here.mkdir(parents=True, exist_ok=True)
            for file in files:
                if file.endswith(".py"):
                    (here / file).symlink_to(Path(folder) / file)
    return dest


def lint_imports(layout: Path, config: Path = CONFIG) -> subprocess.CompletedProcess[str]:
    """Run lint-imports (this interpreter's) with ``config``'s contracts on ``layout``."""
    lint = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(layout)}
    return subprocess.run(
        [str(lint), "--no-cache", "--no-logo", str(config)],
        cwd=layout, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tkelectron-layout-") as tmp:
        done = lint_imports(build_layout(Path(tmp)))
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
