"""``tkelectron package PATH``: a standalone Linux build of an app.

The app folder (``main.py`` and its files, as ``tkelectron run`` takes) is
frozen with PyInstaller into one folder that needs no Python on the machine
that runs it: the interpreter, Tcl/Tk, Tkhtml, tkinterweb, tkelectron, the
app's files and what they import. Its executable runs the app, and is also
each window's renderer (started by the app's main process with a marker
argument, still sandboxed: the bundle is on the Landlock allow-list).

Formats: ``dir`` (``OUT/<name>/<name>``), ``tar``
(``OUT/<name>-<version>-linux-<arch>.tar.gz``) and ``deb``
(``OUT/<name>_<version>_<arch>.deb``, installing to ``/opt/<name>``). The
metadata (name, product name, version, icon, description, categories,
maintainer) comes from the app's ``pyproject.toml`` ``[tool.tkelectron]``
table, or options (see :mod:`._package_metadata`).
"""

from __future__ import annotations

import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._package_freeze import app_imports, freeze, preflight, stage_app
from ._package_metadata import AppMetadata, PackageError, read_metadata
from ._package_outputs import debian_arch, make_deb, make_tar

__all__ = ["FORMATS", "AppMetadata", "PackageError", "PackageResult", "package", "parse_formats", "read_metadata"]

FORMATS = ("dir", "tar", "deb")


@dataclass(frozen=True)
class PackageResult:
    """What a build made: format -> path, the metadata used, and what it cost."""

    outputs: dict[str, Path]
    metadata: AppMetadata
    seconds: float

    def size_bytes(self, fmt: str) -> int:
        path = self.outputs[fmt]
        if path.is_dir():
            return sum(p.lstat().st_size for p in path.rglob("*") if not p.is_dir())
        return path.stat().st_size


def parse_formats(text: str) -> list[str]:
    """``"dir,tar"`` -> ``["dir", "tar"]``; an unknown or empty list is a PackageError."""
    formats = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown or not formats:
        raise PackageError(f"unknown format {', '.join(unknown) or text!r}: choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def _app_folder(path: Path) -> Path:
    if not path.is_dir():
        raise PackageError(f"no app at {path}: package takes a folder with main.py")
    if not (path / "main.py").is_file():
        raise PackageError(f"no app in {path}: there is no main.py")
    return path.resolve()


def package(
    app_path: Path,
    out: Path,
    formats: Sequence[str] = FORMATS,
    overrides: dict[str, Any] | None = None,
    echo: Callable[[str], None] = print,
) -> PackageResult:
    """Build the app at ``app_path`` into ``out`` in each of ``formats``.

    An existing output of the same name is replaced, once the new build
    succeeded. Raises :class:`PackageError` for a bad app, metadata value or
    missing tool, before anything is built; when PyInstaller fails, its log
    is left in ``out``.
    """
    started = time.monotonic()
    app_dir = _app_folder(Path(app_path))
    meta = read_metadata(app_dir, overrides)
    out = Path(out).resolve()
    echo(f"package: {meta.product_name} {meta.version} ({meta.name}) from {app_dir}")
    with tempfile.TemporaryDirectory(prefix="tkelectron-package-") as tmp:
        work = Path(tmp)
        staged = stage_app(app_dir, work / "app", skip=[out])
        imports = app_imports(staged)  # what ships: the tests' imports do not count
        preflight(imports)
        echo("package: freezing with PyInstaller (about a minute)")
        out.mkdir(parents=True, exist_ok=True)
        log = out / f"{meta.name}-pyinstaller.log"
        bundle = freeze(meta, staged, imports, work, log)
        log.unlink()
        outputs: dict[str, Path] = {}
        stem = f"{meta.name}-{meta.version}-linux-{platform.machine()}"
        if "tar" in formats:
            outputs["tar"] = make_tar(bundle, out / f"{stem}.tar.gz")
        if "deb" in formats:
            outputs["deb"] = make_deb(meta, bundle, out / f"{meta.name}_{meta.version}_{debian_arch()}.deb", work)
        if "dir" in formats:
            target = out / meta.name
            if target.exists():
                shutil.rmtree(target)
            outputs["dir"] = Path(shutil.move(str(bundle), str(target)))
    result = PackageResult({fmt: outputs[fmt] for fmt in formats}, meta, time.monotonic() - started)
    for fmt, path in result.outputs.items():
        echo(f"package: {fmt:3} {path} ({result.size_bytes(fmt) / 1e6:.1f} MB)")
    echo(f"package: done in {result.seconds:.0f} s")
    return result
