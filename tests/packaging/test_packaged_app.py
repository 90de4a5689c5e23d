"""A packaged app runs where there is no Python: unpacked from its .tar.gz, and installed from its .deb.

Both run with a bare environment (``env -i``, DISPLAY and a system PATH only)
from outside the checkout: the window appears with its title, its renderers
are forked by the app's zygote (the packaged executable started by main with
the zygote marker; with ``TKELECTRON_ZYGOTE=0``, children of main started
from that same executable with the renderer marker), and locked down (the renderer's own report, and the kernel's view in /proc),
and Ctrl+Q quits the app cleanly with no renderer left behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from _packaged_run import PackagedRun, run_bare
from conftest import PROBE_NAME, unpack

from tkelectron.tools.package import PackageResult

pytestmark = pytest.mark.slow


def _assert_ran_sandboxed_and_quit(run: PackagedRun, executable: Path) -> None:
    assert run.returncode == 0, run.stderr
    real = os.path.realpath(executable)
    assert run.main_exe == real
    # The window's renderer (and a spare started ahead of need): forked by the
    # zygote, the packaged executable started by main with the zygote marker
    # (the default), or children of main started with the renderer marker.
    assert run.renderers, "no renderer process under the packaged executable"
    for renderer in run.renderers:
        assert renderer.exe == real
        if run.zygote_pid is not None and renderer.ppid == run.zygote_pid:
            assert renderer.cmdline[1] == "--tkelectron-zygote"
        else:
            assert renderer.ppid == run.main_pid
            assert renderer.cmdline[1] == "--tkelectron-renderer"
    locked = run.locked_down()
    assert locked and all(r.no_new_privs for r in locked), run.renderers
    for renderer in run.renderers:
        assert not Path(f"/proc/{renderer.pid}").exists(), f"renderer {renderer.pid} outlived the app"
    if run.zygote_pid is not None:
        assert not Path(f"/proc/{run.zygote_pid}").exists(), "the zygote outlived the app"
    assert "Traceback" not in run.stderr, run.stderr


def _assert_probe(run: PackagedRun, title: str, bundle: Path) -> None:
    probe = run.probe
    assert probe["title"] == title
    assert probe["pid"] in {r.pid for r in run.locked_down()}
    sandbox = probe["sandbox"]
    assert sandbox["sandboxed"] is True, sandbox
    assert sandbox["layers"]["landlock"]["fs"] is True, sandbox
    assert sandbox["layers"]["seccomp"], sandbox
    assert sandbox.get("missing", []) == [], sandbox
    assert probe["dependency"] == [1, 2, 3]  # the app's own module and its dependency were bundled
    # The Landlock allow-list covers the bundle (the frozen modules live in the executable).
    assert os.path.realpath(bundle) in probe["readable"], probe["readable"]


def test_the_unpacked_tarball_runs_bare_outside_the_checkout(
    probe_package: PackageResult, display: str, tmp_path: Path
) -> None:
    meta = probe_package.metadata
    assert probe_package.outputs["tar"].name == f"{meta.name}-0.1.0-linux-{os.uname().machine}.tar.gz"
    # Tkhtml's library travels with the app (tkinterweb loads it with Tcl's `load`).
    internal = probe_package.outputs["dir"] / "_internal"
    assert list(internal.glob("tkinterweb_tkhtml/tkhtml/libTkhtml*.so")), "Tkhtml is not bundled"
    assert (internal / "app" / "main.py").is_file() and not (internal / "app" / "tests").exists()

    folder = unpack(probe_package.outputs["tar"], tmp_path / "unpacked") / meta.name
    run = run_bare([str(folder / meta.name)], display, PROBE_NAME, cwd=tmp_path, probe=True)

    _assert_ran_sandboxed_and_quit(run, folder / meta.name)
    _assert_probe(run, PROBE_NAME, folder)
    assert os.path.realpath(run.probe["executable"]) == os.path.realpath(folder / meta.name)
    assert not list(folder.rglob("__pycache__")), "the app wrote into its bundle"
    # The window's renderer was forked by the zygote (the default on Linux).
    window_renderer = next(r for r in run.renderers if r.pid == run.probe["pid"])
    assert run.zygote_pid is not None and window_renderer.ppid == run.zygote_pid, run.renderers


def test_the_unpacked_tarball_runs_bare_with_the_zygote_off(
    probe_package: PackageResult, display: str, tmp_path: Path
) -> None:
    meta = probe_package.metadata
    folder = unpack(probe_package.outputs["tar"], tmp_path / "unpacked") / meta.name
    run = run_bare(
        [str(folder / meta.name)], display, PROBE_NAME, cwd=tmp_path, probe=True, env={"TKELECTRON_ZYGOTE": "0"}
    )

    _assert_ran_sandboxed_and_quit(run, folder / meta.name)
    _assert_probe(run, PROBE_NAME, folder)
    assert run.zygote_pid is None
    assert all(r.ppid == run.main_pid for r in run.renderers), run.renderers


@pytest.mark.skipif(os.geteuid() != 0, reason="dpkg -i installs system-wide: needs root (CI runs as root)")
def test_the_deb_installs_with_dpkg_and_runs_bare(probe_package: PackageResult, display: str, tmp_path: Path) -> None:
    meta = probe_package.metadata
    deb = shutil.copy(probe_package.outputs["deb"], tmp_path)
    fields = subprocess.run(["dpkg-deb", "--field", deb], capture_output=True, text=True, check=True).stdout
    assert f"Package: {meta.name}\n" in fields and "Version: 0.1.0\n" in fields
    assert "libc6" in fields.split("Depends: ")[1].splitlines()[0]  # the system libraries it loads
    subprocess.run(["dpkg", "-i", deb], capture_output=True, text=True, check=True)
    try:
        executable = Path(f"/opt/{meta.name}/{meta.name}")
        assert executable.is_file() and os.access(executable, os.X_OK)
        assert os.path.realpath(f"/usr/bin/{meta.name}") == str(executable)
        desktop = Path(f"/usr/share/applications/{meta.name}.desktop").read_text()
        assert f"Exec={executable}\n" in desktop
        assert f"Name={PROBE_NAME}\n" in desktop and "Categories=Utility;\n" in desktop
        assert f"Icon={meta.name}\n" in desktop
        assert Path(f"/usr/share/icons/hicolor/scalable/apps/{meta.name}.svg").is_file()

        # Started by name, through /usr/bin, as a menu entry would.
        run = run_bare([meta.name], display, PROBE_NAME, cwd=tmp_path, probe=True)

        _assert_ran_sandboxed_and_quit(run, executable)
        _assert_probe(run, PROBE_NAME, executable.parent)
        assert not list(Path(f"/opt/{meta.name}").rglob("__pycache__"))
    finally:
        subprocess.run(["dpkg", "--purge", meta.name], capture_output=True, check=True)
    assert not Path(f"/opt/{meta.name}").exists()


def test_the_packaged_demo_launcher_runs_bare(launcher_package: PackageResult, display: str, tmp_path: Path) -> None:
    name = launcher_package.metadata.name
    folder = unpack(launcher_package.outputs["tar"], tmp_path / "unpacked") / name
    # The demos travel with it: the launcher runs them by path.
    assert (folder / "_internal" / "tkelectron" / "demos" / "set_title" / "main.py").is_file()

    run = run_bare([str(folder / name)], display, "tkelectron demos", cwd=tmp_path)

    _assert_ran_sandboxed_and_quit(run, folder / name)


def test_the_packaged_launcher_runs_a_demo_as_its_run_button_does(
    launcher_package: PackageResult, display: str, tmp_path: Path
) -> None:
    # The launcher's Run starts `sys.executable -m tkelectron.cli run FOLDER`;
    # frozen, sys.executable is the packaged app, which answers that command.
    name = launcher_package.metadata.name
    folder = unpack(launcher_package.outputs["tar"], tmp_path / "unpacked") / name
    demo = folder / "_internal" / "tkelectron" / "demos" / "set_title"

    run = run_bare(
        [str(folder / name), "-m", "tkelectron.cli", "run", str(demo)], display, "Hello World!", cwd=tmp_path
    )

    _assert_ran_sandboxed_and_quit(run, folder / name)
