"""``tkelectron demo --tour``: every demo, driven like a user, screenshotted.

Runs on the real tkhtml compositor; with no display it starts Xvfb (and a
window manager, openbox, when installed). Each demo gets a short scripted
visit (the same steps a person would take), then a PNG of its window is saved
to the output folder: the page, or the whole window — title bar and menu bar —
for the demos that set a title or use a menu (``FULL_WINDOW``).
"""

from __future__ import annotations

import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tkelectron.demos.catalog import DEMOS_DIR, discover

__all__ = ["run_tour", "TOURS", "chat_windows"]

Visit = Callable[[Any, Any, Path], Awaitable[None]]


async def _set_title(app: Any, win: Any, out: Path) -> None:
    await win.fill("#title", "Hello from the tour")
    await win.click("#btn")
    await app.wait_for(lambda: win.window.get_title() == "Hello from the tour", what="the new title")


async def _open_file(app: Any, win: Any, out: Path) -> None:
    chosen = str(DEMOS_DIR / "open_file" / "main.py")
    app.on_dialog(lambda kind, window, options: {"canceled": False, "file_paths": [chosen]})
    await win.click("#btn")
    await win.wait_for_text("#file-path", chosen)


async def _legacy_reply(app: Any, win: Any, out: Path) -> None:
    await win.click("#async-btn")
    await win.wait_for_text("#async-reply", "pong: ping")
    await win.click("#sync-btn")
    await win.wait_for_text("#sync-reply", "sync pong: ping")


async def _menu_counter(app: Any, win: Any, out: Path) -> None:
    for expected in ("1", "2", "3"):
        await app.menu("Counter/Increment", win).click()
        await win.wait_for_text("#counter", expected)


async def chat_windows(app: Any) -> tuple[Any, Any]:
    """The renderer_to_renderer demo's (left, right) windows, once each has its port."""
    await app.wait_for(lambda: len(app.windows) == 2, what="both chat windows")
    by_title = {await w.title(): w for w in app.windows}
    left, right = by_title["Left window"], by_title["Right window"]
    await right.wait_for_load()
    await left.wait_for_text("#status", "connected as left")
    await right.wait_for_text("#status", "connected as right")
    return left, right


async def _renderer_to_renderer(app: Any, win: Any, out: Path) -> None:
    left, right = await chat_windows(app)
    await left.fill("#message", "hello over the port")
    await left.click("#send")
    await right.wait_for_text("#log li:last-child", "left: hello over the port")
    await right.fill("#message", "hi back")
    await right.click("#via-main")
    await left.wait_for_text("#log li:last-child", "right (via main): hi back")
    await right.screenshot(out / "renderer_to_renderer-right.png")


async def _unsaved_changes(app: Any, win: Any, out: Path) -> None:
    await win.fill("#text", "Some words I have not saved")
    await win.request_close()
    await win.wait_for_selector("#confirm:not([hidden])")


async def _progress(app: Any, win: Any, out: Path) -> None:
    await win.click("#start")
    await win.wait_for_text("#label", "Done: 17984 primes below 200000")


async def _system(app: Any, win: Any, out: Path) -> None:
    import trio

    await win.wait_for_selector("#paths li")  # the page has its status from main
    await win.fill("#text", "Copied on the tour")
    await win.click("#copy")
    await win.wait_for_text("#clip-status", "copied")
    await win.click("#paste")
    await win.wait_for_text("#pasted", "Copied on the tour")
    if "(registered)" in await win.text_content("#shortcut"):  # another app may hold the keys
        await trio.run_process(["xdotool", "key", "ctrl+alt+p"])
        await win.wait_for_text("#presses", "pressed 1 time")
    await win.click("#theme-dark")
    await win.wait_for_text("#theme", "dark")
    await win.screenshot(out / "system-dark.png")
    await win.click("#theme-system")  # the theme is process-wide: the next demos get theirs
    await win.wait_settled()


async def _window_manager(app: Any, win: Any, out: Path) -> None:
    # The main window is shown at ready-to-show (show=False until its page is drawn).
    await app.wait_for(lambda: win.window.is_visible() and win.window._surface.toplevel.winfo_ismapped(),
                       what="the main window shown once painted")
    await win.click("#grow")
    await win.wait_for_text("#last", "main: resized")
    await win.click("#child")  # (last: the window manager may place it over the buttons)
    await app.wait_for(lambda: len(app.windows) == 2, what="the child window")
    await app.wait_for(lambda: ("child", "ready-to-show") in app.module.seen, what="the child painted")
    await win.wait_settled()


async def _drag_and_drop(app: Any, win: Any, out: Path) -> None:
    await win.drag_and_drop("#task-d", "#task-a")  # the real pointer: press, move, release
    await win.wait_for_text("#order", "d a b c")


#: Demos whose screenshot is the whole window: the title they set, the menu they use.
FULL_WINDOW = {"set_title", "menu_counter", "window_manager"}

TOURS: dict[str, Visit] = {
    "renderer_to_renderer": _renderer_to_renderer,
    "unsaved_changes": _unsaved_changes,
    "progress": _progress,
    "set_title": _set_title,
    "open_file": _open_file,
    "legacy_reply": _legacy_reply,
    "menu_counter": _menu_counter,
    "system": _system,
    "window_manager": _window_manager,
    "drag_and_drop": _drag_and_drop,
}


async def _visit_launcher(out: Path) -> Path:
    from tkelectron.testing import launch

    async with launch(DEMOS_DIR / "launcher", compositor="tkhtml") as app:
        win = await app.first_window()
        first = discover()[0].name
        await win.wait_for_selector(f"#source-{first}")
        await win.click(f"#source-{first}")
        await win.wait_for_text("#source-title", f"Source of {first}")
        return Path(await win.screenshot(out / "launcher.png"))


async def _tour(out: Path) -> int:
    from tkelectron.testing import launch

    failures = 0
    for demo in discover():
        visit = TOURS.get(demo.name)
        try:
            async with launch(Path(demo.folder), compositor="tkhtml") as app:
                win = await app.first_window()
                if visit is not None:
                    await visit(app, win, out)
                path = await win.screenshot(out / f"{demo.name}.png", full=demo.name in FULL_WINDOW)
            print(f"tour: {demo.name:14} ok    screenshot {path}")
        except Exception:  # noqa: BLE001 - a failed demo is counted and reported; the tour goes on
            failures += 1
            print(f"tour: {demo.name:14} FAILED")
            traceback.print_exc()
    try:
        path = await _visit_launcher(out)
        print(f"tour: {'launcher':14} ok    screenshot {path}")
    except Exception:  # noqa: BLE001 - a failed launcher visit is counted and reported
        failures += 1
        print(f"tour: {'launcher':14} FAILED")
        traceback.print_exc()
    return failures


def run_tour(out: Path) -> int:
    """Returns 0 when every demo was visited; screenshots go to ``out``."""
    from tkelectron.testing import run_on_display

    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    # A private Xvfb gets a window manager, so whole-window screenshots have a title bar.
    failures = run_on_display(_tour, "tkhtml", window_manager=True, out=out)
    print(f"tour: screenshots saved in {out}")
    return 1 if failures else 0
