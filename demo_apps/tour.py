"""``tkelectron demo --tour``: every demo, driven like a user, screenshotted.

Runs on the real tkhtml compositor; with no display it starts Xvfb. Each
demo gets a short scripted visit (the same steps a person would take), then a
PNG of its window is saved to the output folder.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, Awaitable, Callable

from demo_apps.catalog import DEMOS_DIR, discover

__all__ = ["run_tour", "TOURS"]

Visit = Callable[[Any, Any, Path], Awaitable[None]]


async def _set_title(app: Any, win: Any, out: Path) -> None:
    await win.fill("#title", "Hello from the tour")
    await win.click("#btn")
    await app.wait_for(lambda: win.title() == "Hello from the tour", what="the new title")


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


TOURS: dict[str, Visit] = {
    "set_title": _set_title,
    "open_file": _open_file,
    "legacy_reply": _legacy_reply,
    "menu_counter": _menu_counter,
}


async def _visit_launcher(out: Path) -> Path:
    from tkelectron.testing import launch

    async with launch(DEMOS_DIR / "launcher", compositor="tkhtml") as app:
        win = await app.first_window()
        first = discover()[0].name
        await win.wait_for_selector(f"#source-{first}")
        await win.click(f"#source-{first}")
        await win.wait_for_text("#source-title", f"Source of {first}")
        return Path(win.screenshot(str(out / "launcher.png")))


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
                path = win.screenshot(str(out / f"{demo.name}.png"))
            print(f"tour: {demo.name:14} ok    screenshot {path}")
        except Exception:
            failures += 1
            print(f"tour: {demo.name:14} FAILED")
            traceback.print_exc()
    try:
        path = await _visit_launcher(out)
        print(f"tour: {'launcher':14} ok    screenshot {path}")
    except Exception:
        failures += 1
        print(f"tour: {'launcher':14} FAILED")
        traceback.print_exc()
    return failures


def run_tour(out: Path) -> int:
    """Returns 0 when every demo was visited; screenshots go to ``out``."""
    from tkelectron.testing._runner import close_session_display, run_in_app_loop

    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    try:
        failures = run_in_app_loop(_tour, "tkhtml", {"out": out})
    finally:
        close_session_display()
    print(f"tour: screenshots saved in {out}")
    return 1 if failures else 0
