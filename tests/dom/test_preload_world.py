"""The preload's window, document and versions, in a real renderer (Electron's quick-start preload, ported)."""

from __future__ import annotations

import platform
import tkinter
from pathlib import Path

import pytest

import tkelectron
from tkelectron.testing import launch

APP = Path(__file__).parent.parent / "apps" / "dom_preload"


@pytest.mark.tkelectron
async def test_quick_start_preload_fills_the_versions(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_text("#python-version", platform.python_version())
        assert await win.text_content("#tkelectron-version") == tkelectron.__version__
        tk = await win.text_content("#tk-version")
        tkhtml = await win.text_content("#tkhtml-version")
        if compositor == "tkhtml":
            root = app.app.compositor.root
            assert tk == root.tk.call("set", "tk_patchLevel")  # main's own Tk
            assert tkhtml == root.tk.call("package", "present", "Tkhtml") and tkhtml.startswith("3.")
        else:
            assert tk == str(tkinter.TkVersion) and tkhtml == ""  # nothing is drawn by Tkhtml
        # DOMContentLoaded reached the preload's window listener in the bubble phase, with the page's DOM.
        assert await win.text_content("#phase") == "DOMContentLoaded 3 4"
        # The page reads the exposed dict both ways; the preload's own attribute and function stay hidden.
        assert await win.text_content("#page") == (
            f"dom-preload dom-preload {platform.python_version()} leaked=False ['_Opaque']"
        )


def test_preload_views_wrap_listeners_and_keep_their_attributes() -> None:
    from tkelectron.renderer._dom import Document
    from tkelectron.renderer._dom_events import Event
    from tkelectron.renderer._page import Console, Window
    from tkelectron.renderer._preload_world import preload_globals

    document = Document(spawn=lambda *a: None, report_error=lambda e: None)
    window = Window(document, Console(lambda level, message: None))
    scope = preload_globals(window, document, {"python": "3", "tk": "8.6", "tkhtml": "", "tkelectron": "0"})
    pwin, pdoc = scope["window"], scope["document"]
    assert pwin.document is pdoc and scope["process"].versions is scope["versions"]
    versions = scope["versions"]
    assert versions["tk"] == versions.tk == "8.6" and dict(versions)["tkhtml"] == ""  # process.versions.node's way too
    with pytest.raises(TypeError):
        versions["python"] = "2"  # read-only
    with pytest.raises(AttributeError, match="read-only"):
        versions.python = "2"
    with pytest.raises(AttributeError, match="has no 'chrome'"):
        versions.chrome  # noqa: B018 - the read is the test
    calls: list[str] = []

    def listener(event: Event) -> None:
        calls.append(event.type)

    pwin.add_event_listener("ping", listener)
    pwin.add_event_listener("ping", listener)  # the same wrapper: still one listener
    window.dispatch_event(Event("ping"))
    assert calls == ["ping"]
    assert all(entry.fn is not listener for entry in window._listeners["ping"])  # type: ignore[index]
    pwin.remove_event_listener("ping", listener)
    window.dispatch_event(Event("ping"))
    assert calls == ["ping"]
    # on<event> through the view: set on the page's object, read back as the preload's function.
    pdoc.onclick = listener
    assert pdoc.onclick is listener and document.onclick is not listener and document.onclick is not None
    pdoc.onclick = None
    assert document.onclick is None
    # The preload's own attributes stay on its view; reads pass through.
    pwin.token = "secret"
    assert pwin.token == "secret" and not hasattr(window, "token")
    assert pdoc.title == document.title and pwin.console is window.console


@pytest.mark.tkelectron
async def test_a_users_click_goes_through_capture_target_and_bubble(compositor: str) -> None:
    """A real click (xdotool on tkhtml): capture listeners from window down, the onclick handler and a
    once listener at the target, then bubbling back up."""
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.click("#go")
        assert await win.text_content("#log") == "window-capture:1 document-capture:1 onclick:2 once:2 box:3 window:3"
        await win.click("#go")
        assert await win.text_content("#log") == "window-capture:1 document-capture:1 onclick:2 box:3 window:3"


@pytest.mark.tkelectron
async def test_hidden_dataset_and_tab_index_reach_the_display(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        assert await win.is_visible("#target")
        await win.click("#toggle")
        assert not await win.is_visible("#target")  # [hidden] is display: none in both compositors
        surface = win.window._surface

        def shown() -> dict[str, str]:  # the attributes main displays
            info = surface.element(surface.query("#target")[0])
            assert info is not None
            return info.attributes

        attributes = shown()
        assert attributes["data-clicks"] == "1" and attributes["data-user-id"] == "7"
        assert attributes["tabindex"] == "7" and "hidden" in attributes
        await win.click("#toggle")
        assert await win.is_visible("#target")
        assert shown()["data-clicks"] == "2"
