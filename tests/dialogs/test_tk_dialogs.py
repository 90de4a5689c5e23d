"""Real Tk dialogs under Xvfb, driven with xdotool while trio runs as a guest.

``run_tk_dialog`` must show the dialog from the host loop and hand the answer
back to the awaiting trio task; these tests type into the real dialogs and
press their real buttons.
"""

from __future__ import annotations

import tkinter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import trio

from tkelectron.main._host import TkHost
from tkelectron.main.compositor._tk_dialogs import MESSAGE_BOX_PREFIX, run_tk_dialog

Until = Callable[..., Awaitable[None]]


def viewable(root: tkinter.Misc, path: str) -> bool:
    return bool(root.tk.call("winfo", "exists", path)) and bool(root.tk.call("winfo", "viewable", path))


async def xdotool(*args: str) -> None:
    await trio.run_process(["xdotool", *args])


async def focus_dialog(root: tkinter.Misc, path: str) -> None:
    """Give the toplevel ``path`` the keyboard, the way a user's hand would.

    The pointer is brought onto it first: with no window manager, a pointer
    resting where an earlier (now destroyed) window was leaves Tk without the
    Enter it needs to route input.
    """
    frame = int(str(root.tk.call("wm", "frame", path)), 16)
    x = int(root.tk.call("winfo", "rootx", path)) + 30
    y = int(root.tk.call("winfo", "rooty", path)) + 30
    await xdotool("mousemove", "--sync", str(x + 8), str(y + 8), "mousemove", "--sync", str(x), str(y))
    await xdotool("windowfocus", "--sync", str(frame))


async def type_into(root: tkinter.Misc, path: str, text: str) -> None:
    """Focus the toplevel ``path``, type, press Return."""
    await focus_dialog(root, path)
    await xdotool("type", "--delay", "5", text)
    await xdotool("key", "Return")


async def click(until: Until, widget: tkinter.Misc) -> None:
    """Click the centre of ``widget`` once Tk knows it is there on screen."""

    def centre() -> tuple[int, int]:
        return (widget.winfo_rootx() + widget.winfo_width() // 2, widget.winfo_rooty() + widget.winfo_height() // 2)

    await until(widget, lambda: widget.winfo_viewable() and widget.winfo_containing(*centre()) is widget)
    x, y = centre()
    await xdotool("mousemove", "--sync", str(x), str(y), "click", "1")


def run(main: Callable[[tkinter.Tk], Awaitable[Any]]) -> Any:
    host = TkHost()
    return host.run(main, host.root)


class Answer:
    """The answer of a dialog started as a task."""

    def __init__(self) -> None:
        self.value: Any = None
        self.done = trio.Event()

    async def collect(self, root: tkinter.Misc, kind: str, parent: Any, options: dict[str, Any]) -> None:
        self.value = await run_tk_dialog(root, kind, parent, options)
        self.done.set()


def test_open_dialog_returns_the_typed_path(display: str, tmp_path: Path, until: Until) -> None:
    chosen = tmp_path / "notes.txt"
    chosen.write_text("hi")
    (tmp_path / "other.md").write_text("x")

    async def main(root: tkinter.Tk) -> Any:
        answer = Answer()
        options = {"title": "Pick a file", "default_path": str(tmp_path), "properties": ["openFile"],
                   "filters": [{"name": "Text", "extensions": ["txt", "md"]}, {"name": "All Files", "extensions": ["*"]}]}
        async with trio.open_nursery() as nursery:
            nursery.start_soon(answer.collect, root, "open", None, options)
            await until(root, lambda: viewable(root, ".__tk_filedialog"))
            assert root.tk.call("wm", "title", ".__tk_filedialog") == "Pick a file"
            await type_into(root, ".__tk_filedialog", str(chosen))
            with trio.fail_after(10):
                await answer.done.wait()
        assert not viewable(root, ".__tk_filedialog")
        return answer.value

    assert run(main) == {"canceled": False, "file_paths": [str(chosen)]}


def test_open_dialog_multi_selection_and_escape(display: str, tmp_path: Path, until: Until) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(name)

    async def main(root: tkinter.Tk) -> list[Any]:
        answers = []
        for keys in ('"a.txt" "b.txt"', None):
            answer = Answer()
            options = {"default_path": str(tmp_path), "properties": ["openFile", "multiSelections"]}
            async with trio.open_nursery() as nursery:
                nursery.start_soon(answer.collect, root, "open", None, options)
                await until(root, lambda: viewable(root, ".__tk_filedialog"))
                if keys is None:
                    await focus_dialog(root, ".__tk_filedialog")
                    await xdotool("key", "Escape")
                else:
                    await type_into(root, ".__tk_filedialog", keys)
                with trio.fail_after(10):
                    await answer.done.wait()
            answers.append(answer.value)
        return answers

    chosen, canceled = run(main)
    assert chosen == {"canceled": False, "file_paths": [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]}
    assert canceled == {"canceled": True, "file_paths": []}


def test_save_dialog_and_directory_chooser(display: str, tmp_path: Path, until: Until) -> None:
    (tmp_path / "sub").mkdir()

    async def main(root: tkinter.Tk) -> list[Any]:
        answers = []
        for kind, options, window, typed in [
            ("save", {"default_path": str(tmp_path / "draft.txt")}, ".__tk_filedialog", str(tmp_path / "new.txt")),
            ("open", {"default_path": str(tmp_path), "properties": ["openDirectory"]}, ".__tk_choosedir", str(tmp_path / "sub")),
        ]:
            answer = Answer()
            async with trio.open_nursery() as nursery:
                nursery.start_soon(answer.collect, root, kind, None, options)
                await until(root, lambda: viewable(root, window))  # noqa: B023 - awaited in this iteration
                if kind == "save":  # the initial file name is offered, selected: typing replaces it
                    assert root.tk.call(f"{window}.contents.f2.ent", "get") == "draft.txt"
                await type_into(root, window, typed)
                if kind == "open":
                    # In Tk's folder chooser, Return on a typed folder enters
                    # it; Return again chooses the folder shown.
                    await until(root, lambda: str(root.getvar("::tk::dialog::file::__tk_choosedir(selectPath)")) == typed)  # noqa: B023
                    await xdotool("key", "Return")
                with trio.fail_after(10):
                    await answer.done.wait()
            answers.append(answer.value)
        return answers

    saved, folder = run(main)
    assert saved == {"canceled": False, "file_path": str(tmp_path / "new.txt")}
    assert folder == {"canceled": False, "file_paths": [str(tmp_path / "sub")]}


def test_cancelling_the_task_closes_the_file_dialog(display: str, tmp_path: Path, until: Until) -> None:
    async def main(root: tkinter.Tk) -> bool:
        with trio.CancelScope() as scope:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(run_tk_dialog, root, "open", None, {"default_path": str(tmp_path)})
                await until(root, lambda: viewable(root, ".__tk_filedialog"))
                scope.cancel()
        await until(root, lambda: not viewable(root, ".__tk_filedialog"))
        return scope.cancelled_caught

    assert run(main)


def message_box(root: tkinter.Misc) -> tkinter.Toplevel:
    boxes = [w for w in root.winfo_children() if w.winfo_name().startswith(MESSAGE_BOX_PREFIX)]
    assert len(boxes) == 1
    return boxes[0]


def has_message_box(root: tkinter.Misc) -> bool:
    return any(w.winfo_name().startswith(MESSAGE_BOX_PREFIX) and w.winfo_viewable() for w in root.winfo_children())


def test_message_box_with_custom_buttons_and_checkbox(display: str, until: Until) -> None:
    async def main(root: tkinter.Tk) -> tuple[Any, list[str], str]:
        answer = Answer()
        options = {"message": "Save changes?", "detail": "Your edits will be lost.", "type": "question",
                   "buttons": ["Save", "Don't Save", "Cancel"], "default_id": 0, "cancel_id": 2,
                   "title": "Editor", "checkbox_label": "Remember", "checkbox_checked": False}
        async with trio.open_nursery() as nursery:
            nursery.start_soon(answer.collect, root, "message", None, options)
            await until(root, lambda: has_message_box(root))
            box = message_box(root)
            labels = [box.nametowidget(f"buttons.button{i}").cget("text") for i in range(3)]
            box.nametowidget("body.checkbox").invoke()
            await click(until, box.nametowidget("buttons.button1"))
            with trio.fail_after(10):
                await answer.done.wait()
            title = box.title() if box.winfo_exists() else "destroyed"
        return answer.value, labels, title

    value, labels, title = run(main)
    assert value == {"response": 1, "checkbox_checked": True}
    assert labels == ["Save", "Don't Save", "Cancel"]
    assert title == "destroyed"


@pytest.mark.parametrize(("key", "response"), [("Escape", 2), ("Return", 1)])
def test_message_box_keys(display: str, until: Until, key: str, response: int) -> None:
    async def main(root: tkinter.Tk) -> Any:
        answer = Answer()
        options = {"message": "Quit?", "buttons": ["Yes", "Later", "No"], "default_id": 1, "cancel_id": 2}
        async with trio.open_nursery() as nursery:
            nursery.start_soon(answer.collect, root, "message", None, options)
            await until(root, lambda: has_message_box(root))
            box = message_box(root)
            await until(root, lambda: root.focus_get() is box.nametowidget("buttons.button1"))
            await xdotool("key", key)
            with trio.fail_after(10):
                await answer.done.wait()
        return answer.value

    assert run(main) == {"response": response, "checkbox_checked": False}


def test_error_box_waits_for_ok(display: str, until: Until) -> None:
    async def main(root: tkinter.Tk) -> tuple[Any, str, str]:
        answer = Answer()
        async with trio.open_nursery() as nursery:
            nursery.start_soon(answer.collect, root, "error", None, {"title": "Disk full", "content": "No space left"})
            await until(root, lambda: has_message_box(root))
            box = message_box(root)
            texts = (box.nametowidget("body.message").cget("text"), box.nametowidget("body.detail").cget("text"))
            assert not answer.done.is_set()
            await click(until, box.nametowidget("buttons.button0"))
            with trio.fail_after(10):
                await answer.done.wait()
        return answer.value, *texts

    assert run(main) == (None, "Disk full", "No space left")


def test_dialog_module_through_the_tk_compositor(display: str, until: Until) -> None:
    """The public path: dialog.show_message_box(window) -> tkhtml compositor ->
    a box over the window's toplevel; and the about role opens one too."""
    from tkelectron.main._app import app
    from tkelectron.main._browser_window import BrowserWindow
    from tkelectron.main._dialog import MessageBoxResult, dialog
    from tkelectron.main._menu import MenuItem

    async def main(root: tkinter.Tk) -> list[Any]:
        results: list[Any] = []
        answered = trio.Event()
        async with app.running(compositor="tkhtml", root=root, entry_points=False):
            app.set_name("Demo")
            window = BrowserWindow(width=300, height=200, title="Parent")
            toplevel = window._surface.toplevel  # type: ignore[attr-defined]
            await until(root, toplevel.winfo_viewable)

            async def ask() -> None:
                results.append(await dialog.show_message_box(window, message="Go?", buttons=["Go", "Stop"]))
                answered.set()

            app.nursery.start_soon(ask)  # type: ignore[union-attr]
            await until(root, lambda: has_message_box(root))
            box = message_box(root)
            results.append((str(box.transient()), str(toplevel)))
            await click(until, box.nametowidget("buttons.button1"))
            with trio.fail_after(10):
                await answered.wait()

            MenuItem(role="about").click(window)
            await until(root, lambda: has_message_box(root))
            box = message_box(root)
            results.append((box.title(), box.nametowidget("body.message").cget("text")))
            box.nametowidget("buttons.button0").invoke()
            await until(root, lambda: not has_message_box(root))
            window.destroy()
        return results

    transient, answer, about = run(main)
    assert transient[0] == transient[1]
    assert answer == MessageBoxResult(1, False)
    assert about[0] == "About Demo" and about[1].startswith("Demo")
