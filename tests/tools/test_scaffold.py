"""``tkelectron new``: the app it writes runs, and its own tests pass."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tkelectron.cli import main as cli_main
from tkelectron.tools.scaffold import FILES, ScaffoldError, scaffold

REPO = Path(__file__).resolve().parents[2]


def test_scaffold_writes_every_file_with_the_name_filled_in(tmp_path: Path) -> None:
    folder = scaffold("greeter-app", tmp_path)
    assert folder == (tmp_path / "greeter-app").resolve()
    written = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert written == sorted(FILES.values())
    for path in folder.rglob("*"):
        if path.is_file():
            assert "${" not in path.read_text(), f"{path.name} kept a template placeholder"
    assert "<title>greeter-app</title>" in (folder / "index.html").read_text()
    meta = tomllib.loads((folder / "pyproject.toml").read_text())
    assert meta["project"]["name"] == "greeter-app"
    assert "tkelectron" in meta["project"]["dependencies"]
    # Its own group: an installed app must not open its window inside every other app.
    assert meta["project"]["entry-points"]["tkelectron.apps"] == {"greeter-app": "greeter_app.main"}
    assert "tkelectron" not in meta["project"]["entry-points"]
    assert any(req.startswith("pytest") for req in meta["project"]["optional-dependencies"]["test"])
    assert meta["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]
    for name in ("main.py", "preload.py", "renderer.py", "tests/test_app.py", "tests/conftest.py"):
        compile((folder / name).read_text(), name, "exec")  # valid Python


@pytest.mark.parametrize("name", ["", "1app", "my app", "app!", "os", "tkelectron", "class", "main", "trailing-"])
def test_invalid_names_are_refused_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    with pytest.raises(ScaffoldError, match="invalid app name"):
        scaffold(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_non_empty_folder_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "myapp").mkdir()
    keep = tmp_path / "myapp" / "notes.txt"
    keep.write_text("mine")
    with pytest.raises(ScaffoldError, match="already exists and is not empty"):
        scaffold("myapp", tmp_path)
    assert [p.name for p in (tmp_path / "myapp").iterdir()] == ["notes.txt"]
    assert keep.read_text() == "mine"


def test_an_existing_file_of_that_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "myapp").write_text("a file")
    with pytest.raises(ScaffoldError):
        scaffold("myapp", tmp_path)


def test_an_existing_empty_folder_is_filled(tmp_path: Path) -> None:
    (tmp_path / "myapp").mkdir()
    assert (scaffold("myapp", tmp_path) / "main.py").is_file()


def test_the_command_line_creates_the_app(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["new", "myapp", "--dir", str(tmp_path)]) == 0
    assert (tmp_path / "myapp" / "main.py").is_file()
    assert f"cd {(tmp_path / 'myapp').resolve()} && pytest" in capsys.readouterr().out


def test_new_app_then_pytest_in_it_passes(tmp_path: Path, display: str) -> None:
    """``tkelectron new myapp && cd myapp && pytest``, for real, on both compositors."""
    folder = scaffold("myapp", tmp_path)
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, PYTHONPATH=path, DISPLAY=display)
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    passed = re.search(r"(\d+) passed", output)
    assert passed is not None and int(passed.group(1)) >= 2, output
    assert "PASSED" in output and "[tkhtml]" in output and "[headless]" in output, output
