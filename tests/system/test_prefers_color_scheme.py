"""Pages honour prefers-color-scheme and restyle live when native_theme changes.

A real app (renderer subprocess) whose page has ``@media (prefers-color-scheme:
dark)`` rules (inline and in a linked stylesheet) and a ``match_media`` change
listener. The headless compositor shows what main was given; the tkhtml one,
under Xvfb, what Tkhtml drew (a screenshot pixel of the box). The desktop's
preference comes from the test settings portal on a real session bus.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from compositor._png import pixel, read_png

from system._services._base import running
from system._services.portal import SettingsPortal
from tkelectron import native_theme
from tkelectron.testing import WindowHarness, launch

APP = Path(__file__).parent / "_apps" / "page_system"
LIGHT_BOX, DARK_BOX = (255, 255, 255), (0x1E, 0x1E, 0x1E)


@pytest.fixture(autouse=True)
def no_gtk_preference(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No GTK preference on this machine decides for the test, and the theme is reset after."""
    monkeypatch.delenv("GTK_THEME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    reset_theme()
    yield
    reset_theme()


def reset_theme() -> None:
    """Forget what an earlier run's portal said (a real app has one run) and follow the system."""
    native_theme._portal_scheme = None
    native_theme.theme_source = "system"


async def box_colour(win: WindowHarness, compositor: str, tmp_path: Path) -> tuple[int, int, int] | str:
    """What the box looks like: Tkhtml's drawn pixel, or (headless) the CSS main was given."""
    html = await win.html()
    if compositor == "headless":
        return "dark" if "#1e1e1e" in html else "light"
    path = await win.screenshot(tmp_path / "shot.png")
    _width, _height, rows = read_png(path)
    return pixel(rows, 40, 30)  # inside the 120x60 box at the page's top left


def expected(compositor: str, dark: bool) -> tuple[int, int, int] | str:
    if compositor == "headless":
        return "dark" if dark else "light"
    return DARK_BOX if dark else LIGHT_BOX


@pytest.mark.tkelectron
async def test_the_page_loads_in_the_apps_scheme_and_restyles_when_it_changes(
        compositor: str, no_session_bus: None, tmp_path: Path) -> None:
    native_theme.theme_source = "dark"  # Electron's dark-mode example: main picks the scheme
    async with launch(APP, compositor=compositor) as harness:
        win = await harness.first_window()
        await win.wait_for_text("#scheme", "dark")
        assert await box_colour(win, compositor, tmp_path) == expected(compositor, True)
        if compositor == "headless":  # main's copy of the styles (Tkhtml's keeps none)
            html = await win.html()
            assert "@media (prefers-color-scheme" not in html and "#ff0000" not in html  # print rules never shown
            assert "background-color: #000000" in html  # the linked stylesheet's dark rule

        await harness.evaluate(lambda app: setattr(native_theme, "theme_source", "light"))
        await win.wait_for_text("#scheme", "light")
        await win.wait_for_text("#changes", "1")  # the page's match_media change listener ran once
        assert await box_colour(win, compositor, tmp_path) == expected(compositor, False)

        await harness.evaluate(lambda app: setattr(native_theme, "theme_source", "dark"))
        await win.wait_for_text("#changes", "2")
        assert await box_colour(win, compositor, tmp_path) == expected(compositor, True)


@pytest.mark.tkelectron
async def test_the_page_follows_the_desktop_settings_portal(compositor: str, session_bus_address: str,
                                                            tmp_path: Path) -> None:
    async with running(SettingsPortal(color_scheme=2), session_bus_address) as portal, \
            launch(APP, compositor=compositor) as harness:
        win = await harness.first_window()
        await win.wait_for_text("#scheme", "light")
        # The page uses prefers-color-scheme, so main watches the portal: it was asked.
        await harness.wait_for(lambda: portal.calls_to("ReadOne"), what="main to read the portal")
        assert ("org.freedesktop.appearance", "color-scheme") in portal.calls_to("ReadOne")
        await harness.wait_for(lambda: native_theme._portal_scheme == 2, what="the portal's answer")
        assert await box_colour(win, compositor, tmp_path) == expected(compositor, False)

        await portal.set_color_scheme(1)  # the user turns the desktop dark
        await win.wait_for_text("#scheme", "dark")
        await win.wait_for_text("#changes", "1")
        assert await box_colour(win, compositor, tmp_path) == expected(compositor, True)


@pytest.mark.tkelectron
async def test_what_the_user_typed_survives_a_restyle(compositor: str, no_session_bus: None,
                                                                    tmp_path: Path) -> None:
    async with launch(APP, compositor=compositor) as harness:
        win = await harness.first_window()
        await win.fill("#name", "Ada")
        await harness.evaluate(lambda app: setattr(native_theme, "theme_source", "dark"))
        await win.wait_for_text("#scheme", "dark")
        assert await box_colour(win, compositor, tmp_path) == expected(compositor, True)
        assert await win.input_value("#name") == "Ada"  # the document came again, with the live value
        await win.fill("#name", "Grace")  # and the field still works
        assert await win.input_value("#name") == "Grace"


DARK_MODE = Path(__file__).parent / "_apps" / "dark_mode"


@pytest.mark.tkelectron
async def test_electrons_dark_mode_example_ported_as_is(compositor: str, no_session_bus: None,
                                                       tmp_path: Path) -> None:
    async with launch(DARK_MODE, compositor=compositor) as harness:
        win = await harness.first_window()

        async def body() -> tuple[int, int, int] | str:
            if compositor == "headless":
                html = await win.html()
                return "dark" if "background: #333" in html else "light" if "background: #ddd" in html else html
            path = await win.screenshot(tmp_path / "page.png")
            return pixel(read_png(path)[2], 400, 500)  # the body's background, below the content

        light, dark = ("light", "dark") if compositor == "headless" else ((0xDD,) * 3, (0x33,) * 3)
        assert await body() == light
        await win.click("#toggle-dark-mode")
        await win.wait_for_text("#theme-source", "Dark")
        assert await body() == dark
        await win.click("#toggle-dark-mode")
        await win.wait_for_text("#theme-source", "Light")
        assert await body() == light
        await win.click("#toggle-dark-mode")
        await win.wait_for_text("#theme-source", "Dark")
        await win.click("#reset-to-system")
        await win.wait_for_text("#theme-source", "System")
        assert await body() == light  # no portal, no GTK preference: the system is light
