"""Moving files to the trash, by the freedesktop.org Trash specification.

A file on the same filesystem as the home trash (``$XDG_DATA_HOME/Trash``)
goes there. A file on another mount goes to that mount's trash, as the spec
says: ``$topdir/.Trash/$uid`` when the administrator made ``$topdir/.Trash``
(a real folder with the sticky bit), otherwise ``$topdir/.Trash-$uid``.
Either way the ``info/NAME.trashinfo`` record (``Path=``, ``DeletionDate=``)
is created first, exclusively, so two programs trashing files with the same
name never overwrite each other's record, and the file is then renamed into
``files/NAME``: trashing never copies, so it is atomic and loses nothing.
"""

from __future__ import annotations

import contextlib
import os
import stat
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from ._app_paths import xdg_data_home

__all__ = ["trash_folder_for", "trash_item"]


def _mount_point(path: Path) -> Path:
    """The top directory of the filesystem ``path`` is on."""
    path = path.resolve() if path.is_dir() else path.parent.resolve()
    device = path.stat().st_dev
    while path != path.parent and path.parent.stat().st_dev == device:
        path = path.parent
    return path


def _usable_admin_trash(topdir: Path) -> Path | None:
    """``$topdir/.Trash/$uid`` when ``.Trash`` passes the spec's checks."""
    admin = topdir / ".Trash"
    try:
        info = os.lstat(admin)
    except FileNotFoundError:
        return None
    # The spec: not a symbolic link, and the sticky bit set; else skip it.
    if not stat.S_ISDIR(info.st_mode) or not info.st_mode & stat.S_ISVTX:
        return None
    folder = admin / str(os.getuid())
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    return folder


def trash_folder_for(path: Path) -> tuple[Path, Path | None]:
    """The trash folder for ``path`` and the top directory its ``Path=`` is
    relative to (None: the home trash, where ``Path=`` is absolute)."""
    home_trash = xdg_data_home() / "Trash"
    home_trash.mkdir(mode=0o700, parents=True, exist_ok=True)
    file_device = os.lstat(path).st_dev
    if os.stat(home_trash).st_dev == file_device:
        return home_trash, None
    topdir = _mount_point(path)
    folder = _usable_admin_trash(topdir)
    if folder is None:
        folder = topdir / f".Trash-{os.getuid()}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise OSError(f"cannot trash {path}: its filesystem ({topdir}) has no usable trash folder ({exc})") from None
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            raise OSError(f"cannot trash {path}: {folder} is not a folder of this user")
    return folder, topdir


def _info_text(original: Path, topdir: Path | None) -> str:
    shown = str(original) if topdir is None else os.path.relpath(original, topdir)
    stamp = datetime.now().strftime("%Y-%m-%dT%H:%M:%S")  # local time, as the spec says
    return f"[Trash Info]\nPath={quote(shown, safe='/')}\nDeletionDate={stamp}\n"


def trash_item(path: str | os.PathLike[str]) -> Path:
    """Move ``path`` (a file, a folder or a symbolic link) to the trash.

    Returns where it now is (``.../Trash/files/NAME``). Raises
    FileNotFoundError when it does not exist, OSError naming the cause when
    it cannot be trashed; the file is then where it was.
    """
    original = Path(os.path.abspath(os.fspath(path)))
    if not os.path.lexists(original):
        raise FileNotFoundError(f"cannot trash {original}: it does not exist")
    folder, topdir = trash_folder_for(original)
    files, infos = folder / "files", folder / "info"
    files.mkdir(mode=0o700, exist_ok=True)
    infos.mkdir(mode=0o700, exist_ok=True)
    text = _info_text(original, topdir).encode("utf-8")
    stem = original.name
    for n in range(1, 10_000):
        name = stem if n == 1 else f"{stem}.{n}"
        info_path = infos / f"{name}.trashinfo"
        if os.path.lexists(files / name):
            continue
        try:
            fd = os.open(info_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as f:
            f.write(text)
        try:
            os.rename(original, files / name)
        except OSError:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(info_path)
            raise
        return files / name
    raise OSError(f"cannot trash {original}: too many trashed files named {stem!r}")
