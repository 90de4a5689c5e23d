"""What ``tkelectron package`` makes from a frozen bundle: a .tar.gz and a .deb.

The ``.tar.gz`` holds the bundle folder as is (unpack anywhere, run
``<name>/<name>``). The ``.deb`` installs it to ``/opt/<name>``, with a
``.desktop`` file in ``/usr/share/applications``, the icon in the hicolor
theme and ``/usr/bin/<name>`` pointing at the executable; it ``Depends`` on
the Debian packages that own the system libraries the bundle links to (found
with ``ldd`` and ``dpkg-query``: PyInstaller leaves the C library and a few
other system libraries out of a bundle on purpose).
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import struct
import subprocess
import tarfile
from pathlib import Path

from ._package_metadata import AppMetadata, PackageError

__all__ = ["debian_arch", "desktop_entry", "make_deb", "make_tar"]

_DEB_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "armhf", "i686": "i386", "ppc64le": "ppc64el"}
_LDD_LINE = re.compile(r"^\s*(\S+) => (/\S+)")


def debian_arch() -> str:
    machine = platform.machine()
    return _DEB_ARCH.get(machine, machine)


def make_tar(bundle: Path, dest: Path) -> Path:
    """``dest``: a gzip'd tar of the bundle folder, named as the folder inside."""
    with tarfile.open(dest, "w:gz") as tar:
        tar.add(bundle, arcname=bundle.name)
    return dest


def _escape(value: str) -> str:
    # Desktop Entry string values: backslash escapes, one line.
    return value.replace("\\", "\\\\").replace("\n", " ")


def desktop_entry(meta: AppMetadata, exec_path: str) -> str:
    """The ``.desktop`` file's text (freedesktop.org Desktop Entry 1.5)."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        f"Name={_escape(meta.product_name)}",
        f"Comment={_escape(meta.description)}",
        f"Exec={exec_path}",
        "Terminal=false",
        f"Categories={';'.join(meta.categories)};",
    ]
    if meta.icon is not None:
        lines.append(f"Icon={meta.name}")
    return "\n".join(lines) + "\n"


def _png_size(path: Path) -> tuple[int, int] | None:
    head = path.read_bytes()[:24]
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _icon_dest(meta: AppMetadata) -> str:
    assert meta.icon is not None
    if meta.icon.suffix.lower() == ".svg":
        return f"usr/share/icons/hicolor/scalable/apps/{meta.name}.svg"
    size = _png_size(meta.icon)
    if size is None:
        raise PackageError(f"icon {meta.icon} is not a PNG image")
    if size[0] == size[1]:
        return f"usr/share/icons/hicolor/{size[0]}x{size[1]}/apps/{meta.name}.png"
    return f"usr/share/pixmaps/{meta.name}.png"  # the theme wants square icons


def _system_libraries(bundle: Path) -> set[str]:
    """Libraries outside the bundle that its executables and libraries load.

    ``ldd`` runs with the bundle's library folder first on the search path, as
    the PyInstaller bootloader sets it when the app starts, so a library the
    bundle carries is not counted as a system one.
    """
    found: set[str] = set()
    env = {"LC_ALL": "C", "LD_LIBRARY_PATH": str(bundle / "_internal")}
    for path in bundle.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        if not (path.suffix == ".so" or ".so." in path.name or os.access(path, os.X_OK)):
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env, check=False)
        for line in done.stdout.splitlines():
            match = _LDD_LINE.match(line)
            if match and not os.path.realpath(match.group(2)).startswith(str(bundle.resolve()) + "/"):
                found.add(os.path.realpath(match.group(2)))
    return found


def _depends(bundle: Path) -> list[str]:
    """The Debian packages owning the system libraries the bundle loads (empty off Debian)."""
    if shutil.which("dpkg-query") is None or shutil.which("ldd") is None:
        return []
    libraries = sorted(_system_libraries(bundle))
    if not libraries:
        return []
    # dpkg knows files by their installed path, often under /lib (a symlink to /usr/lib).
    queries = libraries + [path.replace("/usr/lib/", "/lib/", 1) for path in libraries if path.startswith("/usr/lib/")]
    done = subprocess.run(["dpkg-query", "-S", *queries], capture_output=True, text=True, env={"LC_ALL": "C"}, check=False)
    packages = set()
    for line in done.stdout.splitlines():
        owner = line.split(": ", 1)[0]
        for package in owner.split(", "):
            packages.add(package.split(":")[0])  # drop the ":amd64" qualifier
    return sorted(packages)


def _tree_size_kib(root: Path) -> int:
    return sum(path.lstat().st_size for path in root.rglob("*") if not path.is_dir()) // 1024 + 1


def make_deb(meta: AppMetadata, bundle: Path, dest: Path, work: Path) -> Path:
    """``dest``: a .deb that installs the bundle to ``/opt/<name>`` (built with ``dpkg-deb``)."""
    if shutil.which("dpkg-deb") is None:
        raise PackageError("dpkg-deb is not installed: apt-get install dpkg")
    root = work / "deb"
    if root.exists():
        shutil.rmtree(root)
    opt = root / "opt" / meta.name
    shutil.copytree(bundle, opt, symlinks=True)
    executable = f"/opt/{meta.name}/{meta.name}"
    applications = root / "usr/share/applications"
    applications.mkdir(parents=True)
    (applications / f"{meta.name}.desktop").write_text(desktop_entry(meta, executable), encoding="utf-8")
    if meta.icon is not None:
        icon = root / _icon_dest(meta)
        icon.parent.mkdir(parents=True)
        shutil.copyfile(meta.icon, icon)
    bin_dir = root / "usr/bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / meta.name).symlink_to(executable)
    control = root / "DEBIAN"
    control.mkdir()
    fields = {
        "Package": meta.name,
        "Version": meta.version,
        "Architecture": debian_arch(),
        "Maintainer": meta.maintainer,
        "Installed-Size": str(_tree_size_kib(root)),
        "Section": "misc",
        "Priority": "optional",
    }
    depends = _depends(bundle)
    if depends:
        fields["Depends"] = ", ".join(depends)
    fields["Description"] = f"{meta.product_name}\n {meta.description}"
    (control / "control").write_text("".join(f"{k}: {v}\n" for k, v in fields.items()), encoding="utf-8")
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        executable_bit = path.is_dir() or os.access(path, os.X_OK)
        path.chmod(0o755 if executable_bit else 0o644)
    done = subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(root), str(dest)],
        capture_output=True,
        text=True, check=False,
    )
    if done.returncode != 0:
        raise PackageError(f"dpkg-deb failed: {done.stderr.strip() or done.stdout.strip()}")
    return dest
