"""Where an app keeps its files, and the desktop's recently-used list.

:class:`AppPaths` answers Electron's ``app.getPath(name)`` on Linux from the
XDG base directories and the user's folders in ``user-dirs.dirs`` (read by
platformdirs), and lets the app override any of them (``set_path``).
``userData`` follows the app's name until it is set explicitly, as in
Electron, where it is ``appData/<name>``; ``sessionData`` follows
``userData``; ``logs`` and ``crashDumps`` live inside ``userData``.

:class:`RecentDocuments` keeps the freedesktop recently-used list, the XBEL
file ``$XDG_DATA_HOME/recently-used.xbel`` that GTK's file choosers and
desktop shells read. Other applications' bookmarks are kept as they are; the
file is replaced atomically (a reader never sees half a file).
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import shlex
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import platformdirs

__all__ = ["PATH_NAMES", "AppPaths", "RecentDocuments", "xdg_data_home"]


def _xdg(var: str, default: str) -> Path:
    # The XDG spec: a relative value is invalid and must be ignored.
    value = os.environ.get(var, "")
    return Path(value) if value and os.path.isabs(value) else Path(os.path.expanduser(default))


def xdg_data_home() -> Path:
    return _xdg("XDG_DATA_HOME", "~/.local/share")


def _app_data() -> str:
    return str(_xdg("XDG_CONFIG_HOME", "~/.config"))


#: Every name ``get_path`` knows, with how its default is found. Entries that
#: take the paths object depend on other entries (``userData`` on the name).
_DEFAULTS: dict[str, Callable[[AppPaths], str]] = {
    "home": lambda p: os.path.expanduser("~"),
    "appData": lambda p: _app_data(),
    "userData": lambda p: os.path.join(p.get("appData"), p.name()),
    "sessionData": lambda p: p.get("userData"),
    "temp": lambda p: tempfile.gettempdir(),
    "exe": lambda p: sys.executable,
    "desktop": lambda p: platformdirs.user_desktop_dir(),
    "documents": lambda p: platformdirs.user_documents_dir(),
    "downloads": lambda p: platformdirs.user_downloads_dir(),
    "music": lambda p: platformdirs.user_music_dir(),
    "pictures": lambda p: platformdirs.user_pictures_dir(),
    "videos": lambda p: platformdirs.user_videos_dir(),
    "logs": lambda p: os.path.join(p.get("userData"), "logs"),
    "crashDumps": lambda p: os.path.join(p.get("userData"), "Crashpad"),
}
PATH_NAMES = tuple(_DEFAULTS)


class AppPaths:
    """``get``/``set`` for the named paths of one app (``name`` gives its name)."""

    name: Callable[[], str]

    def __init__(self, name: Callable[[], str]) -> None:
        self.name = name
        self._overrides: dict[str, str] = {}

    def get(self, name: str) -> str:
        """The path called ``name``; ValueError naming the known ones otherwise."""
        if name in self._overrides:
            return self._overrides[name]
        default = _DEFAULTS.get(name)
        if default is None:
            raise ValueError(f"unknown path name {name!r} (known: {', '.join(PATH_NAMES)})")
        return default(self)

    def set(self, name: str, path: str | os.PathLike[str]) -> None:
        """Override ``name`` with ``path`` (absolute; made if it does not exist).

        Electron throws when the folder is missing; creating it is what every
        caller then does, so it is done here (mode 0700 for fresh folders,
        as the data may be private).
        """
        if name not in _DEFAULTS:
            raise ValueError(f"unknown path name {name!r} (known: {', '.join(PATH_NAMES)})")
        text = os.fspath(path)
        if not isinstance(text, str) or not os.path.isabs(text):
            raise ValueError(f"set_path({name!r}, {path!r}): the path must be absolute")
        if name != "exe":
            os.makedirs(text, mode=0o700, exist_ok=True)
        self._overrides[name] = os.path.normpath(text)

    def reset(self) -> None:
        self._overrides.clear()


# -- the recently-used list --------------------------------------------------------

_BOOKMARK_NS = "http://www.freedesktop.org/standards/desktop-bookmarks"
_MIME_NS = "http://www.freedesktop.org/standards/shared-mime-info"
_OWNER = "http://freedesktop.org"
ET.register_namespace("bookmark", _BOOKMARK_NS)
ET.register_namespace("mime", _MIME_NS)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _file_uri(path: str) -> str:
    return "file://" + quote(path, safe="/")


class RecentDocuments:
    """The user's ``recently-used.xbel``, as seen by one application.

    ``app_name`` is how the app is named in each bookmark's
    ``bookmark:application`` element; ``exec_line`` is the command the
    desktop runs to open a document with it (``%u`` is the document's URI).
    """

    def __init__(self, app_name: str, exec_line: str, path: Path | None = None) -> None:
        self.app_name = app_name
        self.exec_line = exec_line
        self.path = path if path is not None else xdg_data_home() / "recently-used.xbel"

    def _load(self) -> ET.Element:
        try:
            tree = ET.parse(self.path)
        except FileNotFoundError:
            return ET.Element("xbel", {"version": "1.0"})
        except ET.ParseError as exc:
            # Never overwrite a file we cannot read: the other applications'
            # entries in it would be lost.
            raise ValueError(f"{self.path} is not a readable XBEL file ({exc}); not changing it") from None
        root = tree.getroot()
        if root.tag != "xbel":
            raise ValueError(f"{self.path} is not an XBEL file (root element {root.tag!r}); not changing it")
        return root

    def _save(self, root: ET.Element) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ET.indent(root)
        data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        fd, tmp = tempfile.mkstemp(prefix=".recently-used.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def uris(self) -> list[str]:
        """Every bookmarked URI (any application's), in file order."""
        return [b.get("href", "") for b in self._load().iter("bookmark")]

    def add(self, path: str | os.PathLike[str]) -> str:
        """Add (or refresh) ``path`` for this app; returns its URI."""
        absolute = os.path.abspath(os.fspath(path))
        uri = _file_uri(absolute)
        stamp = _now()
        root = self._load()
        bookmark = next((b for b in root.iter("bookmark") if b.get("href") == uri), None)
        if bookmark is None:
            bookmark = ET.SubElement(root, "bookmark", {"href": uri, "added": stamp})
        bookmark.set("modified", stamp)
        bookmark.set("visited", stamp)
        metadata = self._metadata(bookmark)
        mime = f"{{{_MIME_NS}}}mime-type"
        if metadata.find(mime) is None:
            kind = mimetypes.guess_type(absolute)[0] or "application/octet-stream"
            ET.SubElement(metadata, mime, {"type": kind})
        apps = metadata.find(f"{{{_BOOKMARK_NS}}}applications")
        if apps is None:
            apps = ET.SubElement(metadata, f"{{{_BOOKMARK_NS}}}applications")
        mine = next((a for a in apps if a.get("name") == self.app_name), None)
        if mine is None:
            mine = ET.SubElement(apps, f"{{{_BOOKMARK_NS}}}application",
                                 {"name": self.app_name, "exec": self.exec_line, "count": "0"})
        mine.set("modified", stamp)
        mine.set("count", str(int(mine.get("count", "0") or 0) + 1))
        self._save(root)
        return uri

    def clear(self) -> int:
        """Forget this app's documents; returns how many bookmarks were removed.

        A document another application also used stays in the list with only
        that application's record: clearing our history must not clear
        theirs.
        """
        root = self._load()
        removed = 0
        for bookmark in list(root.iter("bookmark")):
            apps = self._find_metadata(bookmark)
            group = apps.find(f"{{{_BOOKMARK_NS}}}applications") if apps is not None else None
            if group is None:
                continue
            for app in [a for a in group if a.get("name") == self.app_name]:
                group.remove(app)
            if len(group) == 0:
                root.remove(bookmark)
                removed += 1
        if self.path.exists():
            self._save(root)
        return removed

    @staticmethod
    def _find_metadata(bookmark: ET.Element) -> ET.Element | None:
        info = bookmark.find("info")
        if info is None:
            return None
        return next((m for m in info.findall("metadata") if m.get("owner") == _OWNER), None)

    @classmethod
    def _metadata(cls, bookmark: ET.Element) -> ET.Element:
        found = cls._find_metadata(bookmark)
        if found is not None:
            return found
        info = bookmark.find("info")
        if info is None:
            info = ET.SubElement(bookmark, "info")
        return ET.SubElement(info, "metadata", {"owner": _OWNER})


def path_of_uri(uri: str) -> str:
    """The local path of a ``file://`` URI (for tests and callers reading the list)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        raise ValueError(f"{uri!r} is not a file:// URI")
    return unquote(parts.path)


def default_exec_line() -> str:
    """How the desktop would open a document with this app: this interpreter
    running the app's main script with the document's URI."""
    main = sys.modules.get("__main__")
    script = getattr(main, "__file__", None)
    words = [sys.executable] + ([os.path.abspath(script)] if script else [])
    return " ".join(shlex.quote(w) for w in words) + " %u"


