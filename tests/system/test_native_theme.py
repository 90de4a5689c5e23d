"""native_theme from a spec-following settings portal on a real session bus, and GTK's settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trio

from system._services._base import Recorder, running
from system._services.portal import SettingsPortal
from tkelectron import app, native_theme

HEADLESS = pytest.mark.tkelectron("headless")


@pytest.fixture
def gtk_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A user with no GTK preference (tests write one), and a native_theme reset after."""
    monkeypatch.delenv("GTK_THEME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    native_theme.theme_source = "system"  # whatever an earlier test (a demo's) left
    native_theme.remove_all_listeners()
    yield tmp_path
    native_theme.theme_source = "system"
    native_theme.remove_all_listeners()


async def _seen_by_app(scheme: int) -> None:
    """Wait until the app's watcher took the portal's signal (nothing announces a change that changes nothing)."""
    with trio.fail_after(10):
        while native_theme._portal_scheme != scheme:  # noqa: ASYNC110 - see the docstring
            await trio.sleep(0.01)


def _write_gtk3(config: Path, text: str) -> None:
    (config / "gtk-3.0").mkdir(exist_ok=True)
    (config / "gtk-3.0" / "settings.ini").write_text(text)


@HEADLESS
async def test_the_portal_preference_and_its_changes_reach_the_app(
        compositor: str, session_bus_address: str, gtk_config: Path) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(SettingsPortal(color_scheme=1), session_bus_address) as portal:
        assert await native_theme.refresh() is True
        assert native_theme.should_use_dark_colors is True
        assert portal.calls_to("ReadOne") == [("org.freedesktop.appearance", "color-scheme"),
                                              ("org.freedesktop.appearance", "contrast")]
        updates = Recorder()
        native_theme.on("updated", lambda e: updates.add(native_theme.should_use_dark_colors))
        await portal.set_color_scheme(2)  # the user picked light in the desktop's settings
        await updates.wait_for(1)
        await portal.set_color_scheme(1)
        await updates.wait_for(2)
        assert updates == [False, True]


@HEADLESS
async def test_theme_source_overrides_the_desktop_and_says_so(
        compositor: str, session_bus_address: str, gtk_config: Path) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(SettingsPortal(color_scheme=1), session_bus_address) as portal:
        await native_theme.refresh()
        updates = Recorder()
        native_theme.on("updated", lambda e: updates.add(native_theme.should_use_dark_colors))
        native_theme.theme_source = "light"
        assert native_theme.should_use_dark_colors is False and updates == [False]
        await portal.set_color_scheme(2)
        await _seen_by_app(2)  # the desktop changed underneath; the override hid it
        native_theme.theme_source = "system"
        assert updates == [False]
        await portal.set_color_scheme(1)
        await updates.wait_for(2)
        native_theme.theme_source = "dark"
        assert native_theme.should_use_dark_colors is True and updates == [False, True]
        with pytest.raises(ValueError, match="theme_source"):
            native_theme.theme_source = "sepia"


@HEADLESS
async def test_high_contrast_follows_the_portal(compositor: str, session_bus_address: str, gtk_config: Path) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(SettingsPortal(color_scheme=2, contrast=1), session_bus_address) as portal:
        await native_theme.refresh()
        assert native_theme.should_use_high_contrast_colors is True
        assert native_theme.should_use_dark_colors is False
        updates = Recorder()
        native_theme.on("updated", lambda e: updates.add(native_theme.should_use_high_contrast_colors))
        await portal.set_appearance("contrast", 0)
        await updates.wait_for(1)
        assert updates == [False] and native_theme.should_use_dark_colors is False


@HEADLESS
async def test_a_version_1_portal_is_read_with_read(compositor: str, session_bus_address: str,
                                                     gtk_config: Path) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(SettingsPortal(color_scheme=1, version=1), session_bus_address) as portal:
        assert await native_theme.refresh() is True
        assert portal.calls_to("Read") == [("org.freedesktop.appearance", "color-scheme")]


@HEADLESS
async def test_no_preference_on_the_portal_falls_back_to_gtk(compositor: str, session_bus_address: str,
                                                              gtk_config: Path) -> None:
    _write_gtk3(gtk_config, "[Settings]\ngtk-application-prefer-dark-theme=1\n")
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(SettingsPortal(color_scheme=0), session_bus_address) as portal:
        assert await native_theme.refresh() is True
        assert portal.calls_to("ReadOne")


@HEADLESS
async def test_without_a_portal_gtk_settings_decide(compositor: str, session_bus_address: str,
                                                    gtk_config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        assert await native_theme.refresh() is False
        _write_gtk3(gtk_config, "[Settings]\ngtk-theme-name=Adwaita-dark\n")
        assert await native_theme.refresh() is True
        _write_gtk3(gtk_config, "[Settings]\ngtk-application-prefer-dark-theme=false\n")
        assert await native_theme.refresh() is False
        monkeypatch.setenv("GTK_THEME", "Adwaita:dark")
        assert await native_theme.refresh() is True


@HEADLESS
async def test_setting_changes_from_another_program_are_ignored(
        compositor: str, session_bus_address: str, gtk_config: Path) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(SettingsPortal(color_scheme=2), session_bus_address) as portal:
        assert await native_theme.refresh() is False
        updates = Recorder()
        native_theme.on("updated", lambda e: updates.add(native_theme.should_use_dark_colors))
        async with running(SettingsPortal(), session_bus_address, own_name=False) as impostor:
            await impostor.set_color_scheme(1)
        await portal.set_color_scheme(1)  # the real portal's signal comes after the impostor's
        await updates.wait_for(1)
        assert updates == [True]
        await portal.set_color_scheme(2)
        await updates.wait_for(2)
        assert updates == [True, False]


@HEADLESS
async def test_without_a_session_bus_gtk_decides(compositor: str, no_session_bus: None, gtk_config: Path) -> None:
    _write_gtk3(gtk_config, "[Settings]\ngtk-application-prefer-dark-theme=true\n")
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        assert await native_theme.refresh() is True


@pytest.mark.tkelectron("tkhtml")
async def test_main_tk_menus_follow_the_theme(compositor: str, session_bus_address: str, gtk_config: Path) -> None:
    from tkelectron import BrowserWindow, Menu
    from tkelectron.main._tk_theme import DARK_MENU
    from tkelectron.main.compositor._tk_menus import menubar_of
    from tkelectron.testing._runner import current_tk_root

    root = current_tk_root()
    async with app.running(compositor=compositor, root=root, entry_points=False, spare_renderers=0), \
            running(SettingsPortal(color_scheme=2), session_bus_address) as portal:
        await native_theme.refresh()
        Menu.set_application_menu(Menu.build_from_template([{"label": "File", "submenu": [{"label": "Open"}]}]))
        win = BrowserWindow(width=300, height=200)
        bar = menubar_of(win._surface.toplevel)
        light = str(bar.cget("background"))
        assert light != DARK_MENU["background"]
        updates = Recorder()
        native_theme.on("updated", updates.add)
        await portal.set_color_scheme(1)  # the desktop turns dark: the menu bar and its menus follow
        await updates.wait_for(1)
        assert str(bar.cget("background")) == DARK_MENU["background"]
        assert str(bar.nametowidget(bar.entrycget(0, "menu")).cget("background")) == DARK_MENU["background"]
        later = Menu.build_from_template([{"label": "Edit", "submenu": [{"label": "Copy"}]}])
        win.set_menu(later)  # a menu made while dark is dark too
        assert str(menubar_of(win._surface.toplevel).cget("background")) == DARK_MENU["background"]
        native_theme.theme_source = "light"
        assert str(menubar_of(win._surface.toplevel).cget("background")) == light
        win.destroy()
