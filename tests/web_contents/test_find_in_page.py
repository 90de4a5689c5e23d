"""find_in_page / stop_find_in_page with found-in-page, over what main
displays: a real Tkhtml window (highlights drawn in the window, found from a
menu accelerator a user types) and headless."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from compositor._png import pixel, read_png  # tests/ is on sys.path (the root conftest's folder)

from tkelectron.testing import launch
from tkelectron.testing._display import xdotool

APP = Path(__file__).parent / "apps" / "pages"
_ACTIVE_RGB = (0xFF, 0x96, 0x32)
_OTHERS_RGB = (0xFF, 0xF1, 0x76)


async def _find(app: Any, wc: Any, text: str, options: dict[str, Any] | None = None) -> Any:
    found = app.module.found
    before = len(found)
    request_id = wc.find_in_page(text, options)
    await app.wait_for(lambda: len(found) > before, what=f"found-in-page for {text!r}")
    result = found[-1]
    assert result.request_id == request_id and result.final_update is True
    return result


def _colours(path: str) -> set[tuple[int, int, int]]:
    width, height, rows = read_png(path)
    return {pixel(rows, x, y) for y in range(height) for x in range(width)}


@pytest.mark.tkelectron
async def test_find_moves_through_matches_and_reports_them(compositor: str, tmp_path: Path) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        # Case-insensitive by default; the hidden paragraph is not displayed, so not found.
        first = await _find(app, wc, "apple")
        assert (first.request_id, first.matches, first.active_match_ordinal) == (1, 4, 1)
        steps = [(await _find(app, wc, "apple")).active_match_ordinal for _ in range(4)]
        assert steps == [2, 3, 4, 1]  # follow-up requests move on, wrapping around
        back = await _find(app, wc, "apple", {"forward": False})
        assert back.active_match_ordinal == 4
        case = await _find(app, wc, "Apple", {"matchCase": True})  # another text or case: a new session
        assert (case.matches, case.active_match_ordinal) == (1, 1)
        fresh = await _find(app, wc, "apple", {"find_next": True})
        assert (fresh.matches, fresh.active_match_ordinal, fresh.request_id) == (4, 1, 8)
        # A literal, not a pattern.
        assert (await _find(app, wc, "a.ple")).matches == 0
        none = await _find(app, wc, "zebra")
        assert (none.matches, none.active_match_ordinal) == (0, 0)
        area = (await _find(app, wc, "pears")).selection_area
        assert set(area) == {"x", "y", "width", "height"}
        surface: Any = win.window._surface
        if compositor == "tkhtml":
            assert area["width"] > 0 and area["height"] > 0 and 0 <= area["y"] < 420
            # The highlights are drawn in the window: the current match and the others.
            await _find(app, wc, "apple", {"find_next": True})
            surface.toplevel.update()
            shot = str(tmp_path / "found.png")
            await win.screenshot(shot)
            assert {_ACTIVE_RGB, _OTHERS_RGB} <= _colours(shot)
            wc.stop_find_in_page("keepSelection")
            surface.toplevel.update()
            await win.screenshot(shot)
            colours = _colours(shot)
            assert _ACTIVE_RGB in colours and _OTHERS_RGB not in colours
            await _find(app, wc, "apple")
            wc.stop_find_in_page("clearSelection")
            surface.toplevel.update()
            await win.screenshot(shot)
            assert not {_ACTIVE_RGB, _OTHERS_RGB} & _colours(shot)
        else:
            assert area == {"x": 0, "y": 0, "width": 0, "height": 0}
            await _find(app, wc, "apple", {"find_next": True})
            assert len(surface.finder.highlights) == 4 and surface.finder.active_highlight is not None
            wc.stop_find_in_page("keepSelection")
            assert surface.finder.highlights == [] and surface.finder.active_highlight is not None
            wc.stop_find_in_page("clearSelection")  # no search runs: nothing to do
            await _find(app, wc, "apple")
            wc.stop_find_in_page("clearSelection")
            assert surface.finder.active_highlight is None
        # After stop, the next find begins a new session; request ids go on.
        again = await _find(app, wc, "apple")
        assert again.active_match_ordinal == 1 and again.request_id > fresh.request_id


@pytest.mark.tkelectron
async def test_activate_selection_clicks_the_current_match(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        clicked: list[str] = []
        wc.on("will-navigate", lambda event, url: clicked.append(url))
        assert (await _find(app, wc, "kiwi")).matches == 1
        wc.stop_find_in_page("activateSelection")  # clicks the link, as the user would: it is followed
        await app.wait_for(lambda: wc.get_url() == (APP / "child.html").as_uri(), what="the link to be followed")
        assert clicked == [(APP / "child.html").as_uri()]
        await win.wait_for_text("#kid", "a child window")


@pytest.mark.tkelectron
async def test_bad_find_requests_are_clear_errors(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        with pytest.raises(ValueError, match="must not be empty"):
            wc.find_in_page("")
        with pytest.raises(TypeError, match="the text to find"):
            wc.find_in_page(None)  # type: ignore[arg-type]  # the wrong type, on purpose
        with pytest.raises(ValueError, match="at most 10000"):
            wc.find_in_page("x" * 10_001)
        with pytest.raises(ValueError, match="unknown find_in_page option 'wrap'"):
            wc.find_in_page("apple", {"wrap": True})
        with pytest.raises(TypeError, match="'forward' must be True or False"):
            wc.find_in_page("apple", {"forward": 1})
        with pytest.raises(ValueError, match="clearSelection, keepSelection, activateSelection"):
            wc.stop_find_in_page("clear")
        module: Any = app.module
        assert module.found == []  # nothing was searched


@pytest.mark.tkelectron("tkhtml")
async def test_a_user_finds_from_a_menu_accelerator(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        win.window.focus()
        await app.wait_for(lambda: win.window.is_focused(), what="the window to have the focus")
        module: Any = app.module
        found = module.found
        xdotool("key", "--clearmodifiers", "ctrl+g")
        await app.wait_for(lambda: len(found) == 1, what="Ctrl+G to find")
        xdotool("key", "--clearmodifiers", "ctrl+g")
        await app.wait_for(lambda: len(found) == 2, what="Ctrl+G to find the next one")
        assert [(r.matches, r.active_match_ordinal) for r in found] == [(4, 1), (4, 2)]
