"""``shell``: open URLs and files with the user's applications, trash files, beep.

Electron's ``shell`` module for Linux desktops. ``open_external`` and
``open_path`` hand the URL or path to ``xdg-open`` (xdg-utils), which asks
the desktop which application handles it. The opener is started detached
(in its own session, through a shell that exits at once), so main's loop
never waits on it: ``xdg-open`` without a desktop environment runs the
browser in the foreground for as long as it stays open.

``open_external`` opens only ``http``, ``https`` and ``mailto`` URLs unless
the app widens the list (:attr:`Shell.allowed_schemes`, or
``allowed_schemes=`` per call): Electron's security checklist, item 15 — a
page that can make main open a ``file:`` or ``smb:`` URL, or a custom
scheme with a vulnerable handler, can run code. Anything else is a
:class:`ValueError` naming the scheme and how to allow it.

``show_item_in_folder`` asks the file manager over D-Bus (:mod:`._shell_dbus`).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Awaitable, Callable, Generator, Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import outcome
import trio

from ._trash import trash_item as _trash_item

__all__ = ["DEFAULT_ALLOWED_SCHEMES", "Shell", "Started", "shell"]

log = logging.getLogger("tkelectron.shell")
T = TypeVar("T")

DEFAULT_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
#: Longer URLs are refused: no legitimate link is this long, and the text
#: ends up on a command line.
MAX_URL_LENGTH = 32 * 1024

# "$0" is the opener, "$1" the URL or path: both passed as arguments, never
# parsed by the shell. The trailing & detaches the opener so the shell exits
# at once and is reaped right away.
_DETACH = '"$0" "$1" </dev/null >/dev/null 2>&1 &'


class Started(Generic[T]):
    """An operation already under way as a task of the running app.

    ``await`` it for its result or its exception; not awaiting it is fine
    too (a failure is then logged), as Electron code calls these without
    ``await``. Outside a running app it starts when awaited.
    """

    def __init__(self, fn: Callable[..., Awaitable[T]], *args: Any, what: str) -> None:
        from ._menu_roles import current_app

        self._what = what
        self._awaited = False
        self._done = trio.Event()
        self._outcome: outcome.Outcome[T] | None = None  # set when the task finished
        self._later: tuple[Callable[..., Awaitable[T]], tuple[Any, ...]] | None = None
        nursery = getattr(current_app(), "nursery", None)
        if nursery is not None:
            nursery.start_soon(self._run, fn, args)
        else:
            self._later = (fn, args)

    async def _run(self, fn: Callable[..., Awaitable[T]], args: tuple[Any, ...]) -> None:
        try:
            self._outcome = outcome.Value(await fn(*args))
        except Exception as exc:  # noqa: BLE001 - handed to whoever awaits; logged if nobody does
            self._outcome = outcome.Error(exc)
            if not self._awaited:
                log.warning("%s failed: %s", self._what, exc)
        finally:
            self._done.set()

    def __await__(self) -> Generator[Any, None, T]:
        return self._wait().__await__()

    async def _wait(self) -> T:
        self._awaited = True
        if self._later is not None:
            fn, args = self._later
            self._later = None
            return await fn(*args)
        await self._done.wait()
        if self._outcome is None:  # the task was cancelled: the app stopped under it
            raise RuntimeError(f"{self._what} did not finish: the app stopped")
        return self._outcome.unwrap()


class Shell:
    """The ``shell`` module object (one per process: :data:`shell`)."""

    def __init__(self) -> None:
        #: Schemes :meth:`open_external` opens without ``allowed_schemes=``.
        self.allowed_schemes: frozenset[str] = DEFAULT_ALLOWED_SCHEMES
        #: The program that opens URLs and paths (``xdg-open``).
        self.opener = "xdg-open"

    def check_external_url(self, url: Any, allowed_schemes: Iterable[str] | None = None) -> str:
        """Return ``url`` if :meth:`open_external` may open it; else ValueError."""
        if not isinstance(url, str):
            raise TypeError(f"open_external needs a URL string, not {type(url).__name__}")
        if len(url) > MAX_URL_LENGTH:
            raise ValueError(f"open_external refused a URL of {len(url)} characters (at most {MAX_URL_LENGTH})")
        if any(ord(c) < 0x20 or ord(c) == 0x7F or c.isspace() for c in url):
            raise ValueError(f"open_external refused {url[:80]!r}: it contains whitespace or control characters")
        scheme = urlsplit(url).scheme.lower()
        allowed = {s.lower().rstrip(":") for s in (allowed_schemes if allowed_schemes is not None
                                                    else self.allowed_schemes)}
        if not scheme:
            raise ValueError(f"open_external refused {url[:80]!r}: it is not an absolute URL (no scheme)")
        if scheme not in allowed:
            raise ValueError(
                f"open_external refused a {scheme!r} URL: only {', '.join(sorted(allowed)) or 'no'} schemes are "
                "allowed (widen it with shell.allowed_schemes or open_external(url, allowed_schemes=[...]))"
            )
        if scheme in ("http", "https") and not urlsplit(url).hostname:
            raise ValueError(f"open_external refused {url[:80]!r}: it has no host")
        return url

    def open_external(self, url: str, *, allowed_schemes: Iterable[str] | None = None) -> Started[None]:
        """Open ``url`` in the user's default application for its scheme.

        A refused URL raises ValueError at once. Otherwise the opener starts
        whether or not the caller awaits (Electron code calls
        ``openExternal`` without awaiting it); ``await`` it to know it
        started, or to get FileNotFoundError when ``xdg-open`` is missing.
        """
        checked = self.check_external_url(url, allowed_schemes)
        return Started(self._launch, checked, what=f"opening {checked[:80]!r}")

    def open_path(self, path: str | os.PathLike[str]) -> Started[str]:
        """Open a file or folder with its default application.

        Started at once; awaited, it gives an error message, or ``""`` once
        the opener started, as Electron's ``shell.openPath`` does.
        """
        return Started(self._open_path, Path(os.path.abspath(os.fspath(path))), what="opening a path")

    async def _open_path(self, target: Path) -> str:
        if not await trio.Path(target).exists():
            return f"{target} does not exist"
        try:
            await self._launch(str(target))
        except OSError as exc:
            return str(exc)
        return ""

    def trash_item(self, path: str | os.PathLike[str]) -> Started[Path]:
        """Move ``path`` to the trash (the freedesktop Trash spec), off main's
        loop; started at once, awaited for where it went (or the error)."""
        return Started(trio.to_thread.run_sync, _trash_item, path, what=f"trashing {os.fspath(path)!r}")

    def beep(self) -> None:
        """Ring the display's bell (Tk's ``bell``); nothing happens without Tk."""
        from ._menu_roles import current_app

        root = getattr(getattr(current_app(), "compositor", None), "root", None)
        if root is not None:
            root.bell()

    def show_item_in_folder(self, path: str | os.PathLike[str]) -> Started[str]:
        """Show ``path`` selected in the file manager (``org.freedesktop.FileManager1``
        over D-Bus), else open its folder; started at once, awaited for
        ``"file-manager"`` or ``"folder"``."""
        from ._shell_dbus import show_item_in_folder

        return Started(show_item_in_folder, path, self._open_path, what="showing an item in its folder")

    async def _launch(self, argument: str) -> None:
        opener = shutil.which(self.opener)
        if opener is None:
            raise FileNotFoundError(f"cannot open {argument[:80]!r}: {self.opener} is not installed (xdg-utils)")
        await trio.run_process(
            ["/bin/sh", "-c", _DETACH, opener, argument],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


#: The process-wide shell module object.
shell = Shell()
