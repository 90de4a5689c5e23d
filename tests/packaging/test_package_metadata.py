"""``tkelectron package``'s checks, before any build: metadata, formats, the app folder, errors.

Fast: nothing here runs PyInstaller (the builds are in test_packaged_app.py).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tkelectron.tools._package_freeze import app_imports, stage_app
from tkelectron.tools._package_outputs import desktop_entry
from tkelectron.tools.package import PackageError, parse_formats, read_metadata
from tkelectron.tools.scaffold import scaffold


def _app(tmp_path: Path, pyproject: str = "") -> Path:
    app = tmp_path / "my_app"
    app.mkdir()
    (app / "main.py").write_text("")
    if pyproject:
        (app / "pyproject.toml").write_text(pyproject)
    return app


def test_a_scaffolded_app_carries_the_metadata_package_reads(tmp_path: Path) -> None:
    folder = scaffold("Greeter_App", tmp_path)
    table = tomllib.loads((folder / "pyproject.toml").read_text())["tool"]["tkelectron"]
    assert table["icon"] == "icon.svg" and (folder / "icon.svg").read_text().startswith("<svg")
    meta = read_metadata(folder)
    assert meta.name == "greeter-app"  # a Debian package name: lower-case, '-'
    assert meta.product_name == "Greeter_App"
    assert meta.version == "0.1.0"
    assert meta.description == "A tkelectron app"
    assert meta.icon == (folder / "icon.svg").resolve()
    assert meta.categories == ("Utility",)


def test_the_table_wins_over_project_and_options_win_over_both(tmp_path: Path) -> None:
    app = _app(
        tmp_path,
        '[project]\nname = "proj"\nversion = "1.0"\ndescription = "from project"\n'
        'authors = [{name = "Ada", email = "ada@example.org"}]\n'
        '[tool.tkelectron]\nproduct-name = "Nice Name"\nversion = "2.0"\ncategories = ["Office", "Viewer"]\n',
    )
    meta = read_metadata(app)
    assert (meta.name, meta.product_name, meta.version, meta.description) == (
        "proj",
        "Nice Name",
        "2.0",
        "from project",
    )
    assert meta.categories == ("Office", "Viewer") and meta.maintainer == "Ada <ada@example.org>"
    meta = read_metadata(app, {"version": "3.1", "categories": "Game,ArcadeGame", "name": None})
    assert meta.version == "3.1" and meta.categories == ("Game", "ArcadeGame") and meta.name == "proj"


def test_without_a_pyproject_the_folder_names_the_app(tmp_path: Path) -> None:
    meta = read_metadata(_app(tmp_path))
    assert (meta.name, meta.product_name, meta.version, meta.icon) == ("my-app", "my-app", "0.1.0", None)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "Bad Name"}, "invalid package name"),
        ({"version": "v1"}, "must start with a digit"),
        ({"categories": "Viewer"}, "no main desktop category"),
        ({"icon": "icon.gif"}, "must be a .png or .svg"),
        ({"icon": "missing.png"}, "not found"),
        ({"description": "two\nlines"}, "one line"),
    ],
)
def test_bad_metadata_is_one_clear_error(tmp_path: Path, overrides: dict, message: str) -> None:
    with pytest.raises(PackageError, match=message):
        read_metadata(_app(tmp_path), overrides)


def test_formats_are_checked() -> None:
    assert parse_formats("tar, dir,tar") == ["tar", "dir"]
    with pytest.raises(PackageError, match="unknown format 'zip'"):
        parse_formats("dir,zip")


def test_the_desktop_entry_names_the_app_its_icon_and_categories(tmp_path: Path) -> None:
    meta = read_metadata(scaffold("viewer", tmp_path))
    text = desktop_entry(meta, "/opt/viewer/viewer")
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    assert {"Type=Application", "Name=viewer", "Exec=/opt/viewer/viewer", "Icon=viewer", "Categories=Utility;"} <= set(
        lines
    )


def test_the_app_imports_are_found_less_its_own_modules_and_tests_are_not_staged(tmp_path: Path) -> None:
    app = _app(tmp_path)
    (app / "main.py").write_text(
        "import json\nfrom helpers import x\nfrom . import y\nimport tkelectron.demos.catalog\n"
    )
    (app / "helpers.py").write_text("from email.message import Message\n")
    (app / "tests").mkdir()
    (app / "tests" / "test_main.py").write_text("import pytest\n")
    (app / "__pycache__").mkdir()
    staged = stage_app(app, tmp_path / "staged")
    assert sorted(p.name for p in staged.iterdir()) == ["helpers.py", "main.py"]
    assert app_imports(staged) == ["email.message", "json", "tkelectron.demos.catalog"]  # not the tests' pytest


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tkelectron", "package", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_command_refuses_a_folder_without_main_py_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = _cli("empty", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["tkelectron package: no app in empty: there is no main.py"]
    done = _cli("nowhere", "--format", "dir", cwd=tmp_path)
    assert done.returncode == 2 and "no app at nowhere" in done.stderr
    assert not (tmp_path / "dist").exists()


def test_an_app_importing_a_module_that_is_not_installed_is_refused_before_freezing(tmp_path: Path) -> None:
    app = _app(tmp_path)
    (app / "main.py").write_text("import no_such_module_anywhere\n")
    done = _cli(str(app), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 2
    assert "the app imports no_such_module_anywhere, not installed here" in done.stderr
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in done.stderr
