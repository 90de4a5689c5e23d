"""Pattern 2: the page asks main for a file; main shows the open dialog."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.testing import launch

DEMOS = Path(__file__).resolve().parents[2] / "demo_apps"


@pytest.mark.tkelectron
async def test_a_dialog_answered_by_the_harness_reaches_the_page(compositor: str, tmp_path: Path) -> None:
    chosen = tmp_path / "notes.txt"
    chosen.write_text("hello")
    async with launch(DEMOS / "open_file", compositor=compositor) as app:
        seen = []

        def answer(kind, window, options):
            seen.append((kind, window, options.get("title")))
            return {"canceled": False, "file_paths": [str(chosen)]}

        app.on_dialog(answer)
        win = await app.first_window()
        await win.click("#btn")
        await win.wait_for_text("#file-path", str(chosen))
        assert seen == [("open", win.window, "Open a file")]


@pytest.mark.tkelectron
async def test_canceling_the_dialog_shows_canceled(compositor: str) -> None:
    async with launch(DEMOS / "open_file", compositor=compositor) as app:
        app.on_dialog(lambda kind, window, options: {"canceled": True, "file_paths": []})
        win = await app.first_window()
        await win.click("#btn")
        await win.wait_for_text("#file-path", "(canceled)")


@pytest.mark.tkelectron("tkhtml")
async def test_the_real_tk_open_dialog_driven_with_xdotool(compositor: str, tmp_path: Path) -> None:
    """No hook answers: main shows Tk's own open dialog; we type a path into it."""
    import trio

    from tkelectron.testing._xinput import xdotool

    chosen = tmp_path / "picked.txt"
    chosen.write_text("hello")
    async with launch(DEMOS / "open_file", compositor=compositor) as app:
        win = await app.first_window()
        root = win._surface.toplevel._root()

        def dialog_shown() -> str | None:
            for path in root.tk.splitlist(root.tk.call("winfo", "children", ".")):
                for child in (path, *root.tk.splitlist(root.tk.call("winfo", "children", path))):
                    if str(child).endswith("__tk_filedialog") and root.tk.call("winfo", "ismapped", child):
                        return str(child)
            return None

        async with trio.open_nursery() as nursery:
            nursery.start_soon(win.click, "#btn")  # settles once the page shows the path
            dialog = await app.wait_for(dialog_shown, what="the native open dialog")
            entry = f"{dialog}.contents.f2.ent"
            x = int(root.tk.call("winfo", "rootx", entry)) + 20
            y = int(root.tk.call("winfo", "rooty", entry)) + 5
            await xdotool("mousemove", "--sync", str(x), str(y), "click", "1")
            await xdotool("type", "--delay", "2", str(chosen))
            await xdotool("key", "Return")
        await win.wait_for_text("#file-path", str(chosen))
