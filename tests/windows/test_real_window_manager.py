"""BrowserWindow under a real window manager (openbox on a private Xvfb), driven as a user would.

Each test runs one scenario in a child process (see ``_wm``): the demo app
``window_manager`` is launched on the tkhtml compositor, the window manager
is asked to move, resize, maximize, minimize and full-screen its windows the
way a user's window manager or taskbar asks (xdotool's configure requests,
EWMH ``_NET_WM_STATE`` and ICCCM ``WM_CHANGE_STATE`` messages from another
client), and every claim is checked twice: the events BrowserWindow emitted,
and what the X server reports (xwininfo, the window's properties).
"""

from __future__ import annotations

from typing import Any

from windows._wm import DEMO, OtherClient, run_under_window_manager, xwininfo  # tests/ is on sys.path

from tkelectron.testing import launch
from tkelectron.testing._display import close_window, xdotool


async def _start(app: Any) -> tuple[Any, list[tuple[str, str]]]:
    win = await app.first_window()
    seen = app.module.seen
    await app.wait_for(lambda: ("main", "ready-to-show") in seen and ("main", "show") in seen,
                       what="ready-to-show, then the main window shown")
    assert seen.index(("main", "ready-to-show")) < seen.index(("main", "show"))  # show=False until painted
    return win, seen


def _since(seen: list[tuple[str, str]], mark: int, name: str = "main") -> list[str]:
    return [event for who, event in seen[mark:] if who == name]


async def _opened_by(app: Any, click: Any) -> Any:
    """The window that ``click`` (an awaitable click on the main page) opens.

    Found by being new, not by its title: its page's ``<title>`` replaces the
    title it was created with as soon as the page loads, which may be before
    the click returns.
    """
    before = {w.window.id for w in app.windows}
    await click

    def opened() -> Any:
        return next((w for w in app.windows if w.window.id not in before), None)

    await app.wait_for(lambda: opened() is not None, what="the window the click opens")
    return opened()


# -- moving and resizing ---------------------------------------------------------------------------


async def scenario_move_and_resize() -> dict[str, Any]:
    async with launch(DEMO, compositor="tkhtml") as app:
        win, seen = await _start(app)
        w, x = win.window, OtherClient()
        try:
            client = w._surface._wrapper_id
            page = w._surface.toplevel.winfo_id()
            frame = x.parent(client)
            # center=True on the 1280x1024 screen; x/y are the frame's corner, as the server has it.
            assert w.get_bounds() == {"x": 320, "y": 272, "width": 640, "height": 480}, w.get_bounds()
            assert {k: xwininfo(frame)[k] for k in ("x", "y")} == {"x": 320, "y": 272}
            assert w.get_content_bounds() == xwininfo(page), (w.get_content_bounds(), xwininfo(page))

            mark = len(seen)
            xdotool("windowmove", client, 200, 150)  # a configure request, as a drag of the title bar ends in
            await app.wait_for(lambda: "moved" in _since(seen, mark), what="move, then moved")
            assert _since(seen, mark)[0] == "move" and "resize" not in _since(seen, mark), _since(seen, mark)
            at = xwininfo(frame)
            assert w.get_position() == (at["x"], at["y"]) and w.get_position() != (320, 272)
            assert w.get_content_bounds() == xwininfo(page)

            mark = len(seen)
            xdotool("windowsize", client, 700, 520)  # the window manager resizes the client window
            await app.wait_for(lambda: "resized" in _since(seen, mark), what="resize, then resized")
            assert _since(seen, mark)[0] == "resize", _since(seen, mark)
            assert xwininfo(client)["width"] == 700
            assert w.get_size() == (xwininfo(page)["width"], xwininfo(page)["height"]) and w.get_size()[0] == 700

            mark = len(seen)
            xdotool("windowsize", client, 100, 100)  # below min_width/min_height: the window manager refuses
            await app.wait_for(lambda: "resized" in _since(seen, mark), what="the clamped resize")
            assert w.get_size() == (480, 360) == (xwininfo(page)["width"], xwininfo(page)["height"]), (w.get_size(), xwininfo(page), xwininfo(client))

            w.set_max_size(800, 600)
            mark = len(seen)
            xdotool("windowsize", client, 1000, 900)  # above the max size: the window manager holds it
            await app.wait_for(lambda: "resized" in _since(seen, mark), what="the resize held to the max size")
            assert w.get_size() == (800, 600) == (xwininfo(page)["width"], xwininfo(page)["height"])
            w.set_max_size(0, 0)

            mark = len(seen)
            w.set_bounds({"x": 100, "y": 80, "width": 600, "height": 400})
            await app.wait_for(lambda: {"moved", "resized"} <= set(_since(seen, mark)), what="moved and resized")
            assert {k: xwininfo(frame)[k] for k in ("x", "y")} == {"x": 100, "y": 80}
            assert (xwininfo(page)["width"], xwininfo(page)["height"]) == (600, 400) == w.get_content_size()

            # Not resizable: the window manager no longer offers the user resizing.
            w.set_resizable(False)
            await app.wait_for(lambda: "_NET_WM_ACTION_RESIZE" not in x.atom_names(x.cardinals(client, "_NET_WM_ALLOWED_ACTIONS")),
                               what="resizing no longer offered")
            w.set_resizable(True)
            await app.wait_for(lambda: "_NET_WM_ACTION_RESIZE" in x.atom_names(x.cardinals(client, "_NET_WM_ALLOWED_ACTIONS")),
                               what="resizing offered again")
            return {"events": _since(seen, 0)}
        finally:
            x.close()


def test_moves_and_resizes_by_the_window_manager_are_events_and_agree_with_the_x_server() -> None:
    events = run_under_window_manager(__file__, "scenario_move_and_resize")["events"]
    assert {"move", "moved", "resize", "resized", "ready-to-show", "show"} <= set(events)


# -- window states ---------------------------------------------------------------------------------


async def scenario_states() -> dict[str, Any]:
    max_atoms = ("_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ")
    async with launch(DEMO, compositor="tkhtml") as app:
        win, seen = await _start(app)
        w, x = win.window, OtherClient()
        try:
            client = w._surface._wrapper_id
            page = w._surface.toplevel.winfo_id()

            async def expect(*events: str, what: str) -> None:
                await app.wait_for(lambda: all(e in _since(seen, mark) for e in events), what=what)

            async def wm_state_is(state: int) -> None:
                # Read by another client on its own connection: it may see the
                # window manager's WM_STATE a moment after the app did.
                await app.wait_for(lambda: x.cardinals(client, "WM_STATE")[:1] == [state], what=f"WM_STATE {state}")

            # The user's side: a pager or taskbar asks the window manager.
            mark = len(seen)
            x.request_state(client, True, *max_atoms)
            await expect("maximize", "resize", what="maximize from the window manager")
            await app.wait_for(lambda: xwininfo(page)["width"] > 1200 and w.get_size()[0] == xwininfo(page)["width"],
                               what="the maximized size, as the X server has it")
            assert w.is_maximized()
            mark = len(seen)
            x.request_state(client, False, *max_atoms)
            await expect("unmaximize", what="unmaximize")
            await app.wait_for(lambda: w.get_size() == (640, 480), what="the size before maximizing")
            assert not w.is_maximized()

            mark = len(seen)
            x.iconify(client)
            await expect("minimize", what="minimize from the taskbar")
            assert w.is_minimized() and not w.is_visible()
            await wm_state_is(3)
            mark = len(seen)
            x.activate(client)
            await expect("restore", what="restore from the taskbar")
            assert not w.is_minimized() and w.is_visible()
            await wm_state_is(1)

            mark = len(seen)
            x.request_state(client, True, "_NET_WM_STATE_FULLSCREEN")
            await expect("enter-full-screen", what="full screen from the window manager")
            await app.wait_for(lambda: (xwininfo(client)["width"], xwininfo(client)["height"]) == (1280, 1024),
                               what="the whole screen")
            assert w.is_full_screen()
            mark = len(seen)
            x.request_state(client, False, "_NET_WM_STATE_FULLSCREEN")
            await expect("leave-full-screen", what="leave full screen")
            assert not w.is_full_screen()

            # The app's side: the same states, asked through the methods, seen by the window manager.
            mark = len(seen)
            w.maximize()
            await expect("maximize", what="maximize()")
            assert set(max_atoms) <= x.net_state(client)
            mark = len(seen)
            w.unmaximize()
            await expect("unmaximize", what="unmaximize()")
            await app.wait_for(lambda: not set(max_atoms) & x.net_state(client), what="the maximized state gone")
            mark = len(seen)
            w.minimize()
            await expect("minimize", what="minimize()")
            await wm_state_is(3)
            mark = len(seen)
            w.restore()
            await expect("restore", what="restore()")
            mark = len(seen)
            w.set_full_screen(True)
            await expect("enter-full-screen", what="set_full_screen(True)")
            assert "_NET_WM_STATE_FULLSCREEN" in x.net_state(client)
            mark = len(seen)
            w.set_full_screen(False)
            await expect("leave-full-screen", what="set_full_screen(False)")

            w.set_always_on_top(True)
            await app.wait_for(lambda: "_NET_WM_STATE_ABOVE" in x.net_state(client), what="always on top")
            assert w.is_always_on_top()
            w.set_always_on_top(False)
            await app.wait_for(lambda: "_NET_WM_STATE_ABOVE" not in x.net_state(client), what="not on top")
            w.flash_frame(True)
            await app.wait_for(lambda: x.urgent(client), what="the urgency hint")
            w.flash_frame(False)
            await app.wait_for(lambda: not x.urgent(client), what="the urgency hint cleared")

            mark = len(seen)
            w.hide()
            await expect("hide", what="hide()")
            assert not w.is_visible() and not w._surface.toplevel.winfo_ismapped()
            mark = len(seen)
            w.show()
            await expect("show", what="show()")
            assert w.is_visible()
            return {"events": _since(seen, 0)}
        finally:
            x.close()


def test_maximize_minimize_and_full_screen_from_the_window_manager_and_from_the_app() -> None:
    events = run_under_window_manager(__file__, "scenario_states")["events"]
    for name in ("maximize", "unmaximize", "minimize", "restore", "enter-full-screen", "leave-full-screen",
                 "hide", "show"):
        assert events.count(name) >= 2 or name in ("hide",), (name, events)


# -- a modal child, a frameless window, focus and closing --------------------------------------------------


async def scenario_modal_frameless_focus_close() -> dict[str, Any]:
    async with launch(DEMO, compositor="tkhtml") as app:
        win, seen = await _start(app)
        main, x = win.window, OtherClient()
        try:
            modal = await _opened_by(app, win.click("#modal"))
            await modal.wait_for_load()
            await app.wait_for(lambda: modal.window._surface.toplevel.winfo_ismapped(), what="the modal shown")
            assert modal.window.get_parent_window() is main and main.get_child_windows() == [modal.window]
            assert await win.text_content("#clicks") == "1"
            # resizable=False: the window manager no longer offers resizing. (minimizable=False is in its
            # _MOTIF_WM_HINTS functions, which openbox 3.6 does not apply to a transient's iconify.)
            wrapper = modal.window._surface._wrapper_id
            allowed = x.atom_names(x.cardinals(wrapper, "_NET_WM_ALLOWED_ACTIONS"))
            assert "_NET_WM_ACTION_RESIZE" not in allowed and "_NET_WM_ACTION_CLOSE" in allowed, allowed
            assert x.cardinals(wrapper, "_MOTIF_WM_HINTS")[:3] == [3, 4 | 32, 1]  # functions: move, close

            # A real click on the parent's Grow button: refused while the modal child is open.
            # (The window manager put the modal over its parent: moved aside, the click hits the parent.)
            modal.window.set_position(0, 0)
            await app.wait_for(lambda: modal.window.get_content_bounds()["x"] < 20,  # Tk saw the ConfigureNotify
                               what="the modal moved aside")
            size = main.get_size()
            node = await win.wait_for_selector("#grow")
            px, py = await win._click_point(node)
            m = modal.window.get_bounds()
            assert not (m["x"] <= px <= m["x"] + m["width"] + 10 and m["y"] <= py <= m["y"] + m["height"] + 60)
            xdotool("mousemove", "--sync", px, py, "click", "1")
            # Giving the parent the keyboard gives it to the modal child instead.
            x.activate(main._surface._wrapper_id)
            await app.wait_for(lambda: modal.window._surface.is_focused(), what="the modal child to keep the focus")
            await modal.click("#close")  # closing it (the parent's click, had it passed, came first)
            await app.wait_for(lambda: modal.window.is_destroyed(), what="the modal closed")
            await win.click("#flash")  # now the parent takes clicks again
            await win.wait_for_text("#clicks", "2")
            assert main.get_size() == size  # Grow never ran

            # A frameless window: managed (focus, stacking), with no frame from the window manager.
            frameless = await _opened_by(app, win.click("#frameless"))
            await app.wait_for(lambda: frameless.window._surface.toplevel.winfo_ismapped(), what="frameless shown")
            bare = frameless.window._surface._wrapper_id
            await app.wait_for(lambda: x.cardinals(bare, "_NET_FRAME_EXTENTS") == [0, 0, 0, 0],
                               what="no frame extents")
            framed = main._surface._wrapper_id
            assert x.cardinals(framed, "_NET_FRAME_EXTENTS")[2] > 0  # the main window has a title bar
            outer, inner = xwininfo(x.parent(bare)), xwininfo(bare)
            assert (outer["width"], outer["height"]) == (inner["width"], inner["height"])
            assert {"_NET_WM_STATE_SKIP_TASKBAR", "_NET_WM_STATE_ABOVE"} <= x.net_state(bare)
            frameless.window.close()

            # Focus: another window takes it (blur), the app gives it back (focus); show_inactive keeps it.
            child = await _opened_by(app, win.click("#child"))
            await child.wait_for_load()
            await app.wait_for(lambda: child.window._surface.toplevel.winfo_ismapped(), what="the child shown")
            # What the X server says, as the window's own FocusIn/FocusOut told it (not Tk's wish).
            def has_keyboard(w: Any) -> bool:
                return bool(w._surface._reported.get("focused"))

            await app.wait_for(lambda: has_keyboard(child.window), what="the new child focused")
            main.focus()
            await app.wait_for(lambda: has_keyboard(main) and not has_keyboard(child.window),
                               what="focus() giving the main window the keyboard")
            mark = len(seen)
            x.activate(child.window._surface._wrapper_id)
            await app.wait_for(lambda: "focus" in _since(seen, mark, "child") and "blur" in _since(seen, mark),
                               what="the child focused, the main window blurred")
            assert child.window.is_focused() and not main.is_focused()
            mark = len(seen)
            main.focus()
            await app.wait_for(lambda: "focus" in _since(seen, mark), what="focus() back on the main window")
            child.window.hide()
            await app.wait_for(lambda: not child.window._surface.toplevel.winfo_ismapped(), what="child hidden")
            child.window.show_inactive()
            await app.wait_for(lambda: child.window._surface.toplevel.winfo_ismapped(), what="child shown inactive")
            assert main._surface.is_focused() and not child.window._surface.is_focused()
            await app.wait_for(lambda: has_keyboard(main) and not has_keyboard(child.window),
                               what="the main window still holding the keyboard")
            mark = len(seen)
            main.blur()
            await app.wait_for(lambda: "blur" in _since(seen, mark) and not main._surface.is_focused(),
                               what="blur() giving the keyboard away")
            assert not main.is_focused()

            # close is preventable, from the window manager's close button too.
            mark = len(seen)

            def keep(event: Any) -> None:
                event.prevent_default()

            child.window.on("close", keep)
            close_window(child.window._surface._wrapper_id)
            await app.wait_for(lambda: "close" in _since(seen, mark, "child"), what="close")
            assert not child.window.is_destroyed()
            child.window.off("close", keep)
            close_window(child.window._surface._wrapper_id)
            await app.wait_for(lambda: "closed" in _since(seen, mark, "child"), what="closed")
            return {"events": seen}
        finally:
            x.close()


def test_a_modal_child_refuses_clicks_on_its_parent_and_a_frameless_window_has_no_frame() -> None:
    events = run_under_window_manager(__file__, "scenario_modal_frameless_focus_close")["events"]
    assert ["child", "closed"] in events and ["modal", "closed"] in events
