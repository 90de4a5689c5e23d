"""``native_theme``: Electron's ``nativeTheme`` from the freedesktop settings portal.

``native_theme.should_use_dark_colors`` says whether the app should draw
dark; ``native_theme.theme_source`` is ``system`` (follow the desktop),
``light`` or ``dark`` (the app's override, as in Electron); ``updated`` is
emitted whenever ``should_use_dark_colors`` changes, for either reason, or
``should_use_high_contrast_colors`` does (the portal's ``contrast``).

The desktop's preference comes from the XDG desktop portal:
``org.freedesktop.portal.Settings`` ``ReadOne("org.freedesktop.appearance",
"color-scheme")`` (1 prefer dark, 2 prefer light, 0 no preference; ``Read``
on portals older than version 2), kept current by its ``SettingChanged``
signal, taken only from the connection that owns the portal's name. With no
portal, or no preference, GTK's settings decide: ``GTK_THEME`` (``Name:dark``
or a ``-dark`` theme name), else ``gtk-application-prefer-dark-theme`` or a
``-dark`` ``gtk-theme-name`` in ``$XDG_CONFIG_HOME/gtk-4.0/settings.ini`` or
``gtk-3.0/settings.ini``; else light.

Main's Tk menus and message boxes follow: dark colours while
``should_use_dark_colors`` (``_tk_theme``); so do the pages'
``prefers-color-scheme`` (``_page_color_scheme``).

Reading is synchronous, as in Electron: the first use in a running app starts
watching the portal in the background (until then, and without a portal, the
GTK settings answer). ``await native_theme.refresh()`` reads the portal now
and returns the answer, for an app that must know before its first paint.
"""

from __future__ import annotations

import configparser
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trio
from jeepney import DBusAddress, HeaderFields, MatchRule

from ..common._emitter import PreventableEvent
from ._context import current_session
from ._dbus import DesktopEmitter, DesktopServiceError, SessionBus, session_bus

__all__ = ["NativeTheme", "gtk_prefers_dark", "native_theme"]

log = logging.getLogger("tkelectron.theme")

SERVICE = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
INTERFACE = "org.freedesktop.portal.Settings"
NAMESPACE = "org.freedesktop.appearance"
KEY = "color-scheme"
_ADDRESS = DBusAddress(PATH, SERVICE, INTERFACE)
SOURCES = ("system", "light", "dark")


class NativeTheme(DesktopEmitter):
    """The process-wide theme state (``tkelectron.native_theme``)."""

    def __init__(self) -> None:
        super().__init__()
        self._source = "system"
        #: The portal's color-scheme (0, 1, 2) or None when no portal answered.
        self._portal_scheme: int | None = None
        self._portal_owner: str | None = None
        #: The portal's contrast (0 normal, 1 high; absent before portal version 2 of it).
        self._contrast = 0
        self._run: Any = None  # the app run whose watcher is started
        self._dark = gtk_prefers_dark()
        #: Called (no arguments) whenever the colours change or a run starts:
        #: the pages follow this way (``_page_color_scheme`` adds itself when
        #: it loads), so this module needs no import of what follows it.
        self._followers: list[Callable[[], None]] = []

    # -- Electron's API ---------------------------------------------------------------

    @property
    def theme_source(self) -> str:
        return self._source

    @theme_source.setter
    def theme_source(self, source: str) -> None:
        if source not in SOURCES:
            raise ValueError(f"theme_source must be one of {', '.join(SOURCES)}, not {source!r}")
        self._source = source
        self._recompute()

    @property
    def should_use_dark_colors(self) -> bool:
        self._ensure_watching()
        return self._dark

    @property
    def should_use_high_contrast_colors(self) -> bool:
        """The desktop asks for high contrast (the portal's ``contrast``; GTK has no fallback)."""
        self._ensure_watching()
        return self._contrast == 1

    async def refresh(self) -> bool:
        """Read the desktop's preference now (portal, else GTK) and return ``should_use_dark_colors``."""
        self._ensure_watching(start=False)  # this call does the watcher's first read itself
        try:
            bus = await session_bus()
            await bus.watcher(__name__, _SettingWatcher)
            await self._read_portal(bus)
        except DesktopServiceError as exc:
            log.info("no settings portal (%s): GTK's settings decide the theme", exc)
            self._portal_scheme = None
        self._recompute()
        return self._dark

    def _listener_added(self, event: str) -> None:
        self._ensure_watching()

    # -- the system's preference --------------------------------------------------------

    def _system_dark(self) -> bool:
        if self._portal_scheme in (1, 2):
            return self._portal_scheme == 1
        return gtk_prefers_dark()

    def _recompute(self, contrast_changed: bool = False) -> None:
        dark = self._source == "dark" or (self._source == "system" and self._system_dark())
        if dark != self._dark:
            self._dark = dark
            self._theme_tk()
        elif not contrast_changed:
            return
        self.emit("updated", PreventableEvent())

    def _theme_tk(self) -> None:
        """Main's Tk menus and dialogs follow (with the tkhtml compositor; headless has no Tk), and the pages."""
        session = current_session()
        root = getattr(session.compositor, "root", None)
        if root is not None:
            from ._tk_theme import apply_dialog_theme, apply_menu_theme

            apply_menu_theme(root, self._dark)
            apply_dialog_theme(root, self._dark)
        for follow in list(self._followers):
            follow()

    def _ensure_watching(self, start: bool = True) -> None:
        session = current_session()
        if session.nursery is not None and self._run is not session.nursery:
            self._run = session.nursery
            self._portal_scheme = None
            self._theme_tk()  # a new run's Tk starts from what the theme already says
            if start:
                session.start_soon(self._watch_quietly)

    async def _watch_quietly(self) -> None:
        await self.refresh()  # the run's first read (its _ensure_watching is a no-op now)

    async def _read_portal(self, bus: SessionBus) -> None:
        try:
            reply = await bus.call_message(_ADDRESS, "ReadOne", "ss", (NAMESPACE, KEY))
        except DesktopServiceError as exc:
            if "UnknownMethod" not in str(exc):
                raise
            reply = await bus.call_message(_ADDRESS, "Read", "ss", (NAMESPACE, KEY))  # portal version 1
        self._portal_owner = reply.header.fields.get(HeaderFields.sender)
        self._portal_scheme = _scheme(reply.body[0])
        try:
            reply = await bus.call_message(_ADDRESS, "ReadOne", "ss", (NAMESPACE, "contrast"))
            contrast = 1 if _scheme(reply.body[0]) == 1 else 0
        except DesktopServiceError:  # older portals do not have it
            contrast = 0
        if contrast != self._contrast:
            self._contrast = contrast
            self._recompute(contrast_changed=True)

    def _setting_changed(self, sender: str, body: tuple[Any, ...]) -> None:
        namespace, key, value = body
        if namespace != NAMESPACE or sender != self._portal_owner:
            return
        if key == KEY:
            self._portal_scheme = _scheme(value)
            self._recompute()
        elif key == "contrast":
            contrast = 1 if _scheme(value) == 1 else 0
            if contrast != self._contrast:
                self._contrast = contrast
                self._recompute(contrast_changed=True)


class _SettingWatcher:
    """Takes the portal's SettingChanged signals to the theme (one per connection)."""

    async def run(self, bus: SessionBus, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        rule = MatchRule(type="signal", interface=INTERFACE, member="SettingChanged", path=PATH)
        async with bus.filter(rule) as signals:
            await bus.add_match(rule)
            task_status.started()
            async for msg in signals:
                if msg.header.fields.get(HeaderFields.signature) == "ssv":
                    native_theme._setting_changed(msg.header.fields.get(HeaderFields.sender, ""), msg.body)


def _scheme(value: Any) -> int | None:
    """color-scheme from a variant (version 1 portals wrap it in one more)."""
    for _ in range(3):
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
            signature, value = value
            if signature == "u" and isinstance(value, int):
                return value if value in (0, 1, 2) else 0
            if signature != "v":
                return None
    return None


def gtk_prefers_dark() -> bool:
    """GTK's answer: ``GTK_THEME``, else the user's GTK 4 / GTK 3 settings.ini."""
    theme = os.environ.get("GTK_THEME", "")
    if theme:
        name, _, variant = theme.partition(":")
        return variant.lower() == "dark" or name.lower().endswith("-dark")
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    for version in ("gtk-4.0", "gtk-3.0"):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            if not parser.read(config / version / "settings.ini", encoding="utf-8"):
                continue
        except (configparser.Error, UnicodeDecodeError, OSError):
            continue
        if not parser.has_section("Settings"):
            continue
        settings = parser["Settings"]
        prefer = settings.get("gtk-application-prefer-dark-theme", "").strip().lower()
        if prefer in ("1", "true", "yes"):
            return True
        if settings.get("gtk-theme-name", "").strip().lower().endswith("-dark"):
            return True
        if prefer or "gtk-theme-name" in settings:
            return False  # this file decided
    return False


#: The process-wide theme.
native_theme = NativeTheme()
