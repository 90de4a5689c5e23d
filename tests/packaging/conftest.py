"""Packages built once per session: a scaffolded probe app and the demo launcher.

Each build is a real ``tkelectron package`` run (PyInstaller, about 20-60 s),
so they are session fixtures, built on first use and shared by every test
that runs them. The builds live in pytest's temporary folder, outside the
checkout, and the tests copy or unpack them elsewhere again before running
them, so nothing can reach back into the repository or the venv.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tkelectron.tools.package import PackageResult, package
from tkelectron.tools.scaffold import scaffold

REPO = Path(__file__).resolve().parents[2]

#: The probe app's name: distinctive, since its .deb is installed system-wide.
PROBE_NAME = "tke-probe-app"

# The scaffolded app, plus a probe: once its page has loaded, main prints the
# window's renderer pid, title and sandbox report (what the renderer applied),
# the Landlock allow-list main computes for the app's renderers, and an answer
# from a module of the app's own that uses a dependency tkelectron does not
# (`packaging`): both must have been bundled.
_PROBE_HOOK = """
    def _probe(event) -> None:
        import json

        from tkelectron.common._sandbox_policy import readable_paths

        contents = window.web_contents
        report = {"pid": contents.get_os_process_id(), "title": window.get_title(),
                  "sandbox": contents.get_sandbox_report(), "executable": sys.executable,
                  "readable": readable_paths(str(HERE)), "dependency": probe_helpers.release()}
        print("PROBE " + json.dumps(report), flush=True)

    window.web_contents.once("did-finish-load", _probe)
"""


def _probe_app(root: Path) -> Path:
    folder = scaffold(PROBE_NAME, root)
    main = folder / "main.py"
    text = main.read_text()
    anchor = '    window.load_file(HERE / "index.html")\n'
    assert text.count(anchor) == 1
    text = text.replace(anchor, _PROBE_HOOK + anchor)
    main.write_text(text.replace("from tkelectron import", "import probe_helpers\nfrom tkelectron import", 1))
    helpers = "from packaging.version import Version\n\n\ndef release() -> list[int]:\n"
    helpers += '    return list(Version("1.2.3").release)\n'
    (folder / "probe_helpers.py").write_text(helpers)
    return folder


def _build(app: Path, out: Path, formats: list[str], **overrides: str) -> PackageResult:
    return package(app, out, formats, overrides, echo=lambda line: print(line, file=sys.stderr))


@pytest.fixture(scope="session")
def probe_package(tmp_path_factory: pytest.TempPathFactory) -> PackageResult:
    """The scaffolded probe app as a folder, a .tar.gz and a .deb."""
    root = tmp_path_factory.mktemp("probe-src")
    return _build(_probe_app(root), tmp_path_factory.mktemp("probe-dist"), ["dir", "tar", "deb"])


@pytest.fixture(scope="session")
def launcher_package(tmp_path_factory: pytest.TempPathFactory) -> PackageResult:
    """The demo launcher (its folder in the repository) as a .tar.gz."""
    return _build(
        REPO / "demo_apps" / "launcher",
        tmp_path_factory.mktemp("launcher-dist"),
        ["tar"],
        name="tkelectron-demos",
        product_name="tkelectron demos",
        description="The tkelectron demo launcher",
    )


def unpack(tarball: Path, dest: Path) -> Path:
    """Unpack a package's .tar.gz with the system tar, as a user would."""
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-xzf", str(tarball), "-C", str(dest)], check=True)
    return dest
