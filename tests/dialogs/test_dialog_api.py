"""The ``dialog`` module: validation, answers from plugins, result types."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import trio
import trio.lowlevel

from tkelectron.main._app import app
from tkelectron.main._dialog import (
    MessageBoxResult,
    OpenDialogResult,
    SaveDialogResult,
    dialog,
    normalize_result,
)
from tkelectron.main.hookspecs import hookimpl


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("open", {"canceled": False, "filePaths": ["/a", "/b"]}, OpenDialogResult(False, ["/a", "/b"])),
        ("open", {"canceled": False, "file_paths": ["/a"]}, OpenDialogResult(False, ["/a"])),
        ("open", {"canceled": True}, OpenDialogResult(True, [])),
        ("open", ["/x"], OpenDialogResult(False, ["/x"])),
        ("open", "/x", OpenDialogResult(False, ["/x"])),
        ("open", None, OpenDialogResult(True, [])),
        ("save", {"canceled": False, "filePath": "/s"}, SaveDialogResult(False, "/s")),
        ("save", {"file_path": "/s"}, SaveDialogResult(False, "/s")),
        ("save", {"canceled": True, "filePath": ""}, SaveDialogResult(True, None)),
        ("save", "/s", SaveDialogResult(False, "/s")),
        ("message", {"response": 2, "checkboxChecked": True}, MessageBoxResult(2, True)),
        ("message", {"response": 1}, MessageBoxResult(1, False)),
        ("message", 3, MessageBoxResult(3, False)),
        ("message", None, MessageBoxResult(1, False)),  # canceled: cancel_id
        ("error", "anything", None),
    ],
)
def test_answers_are_normalised(kind: str, raw: Any, expected: Any) -> None:
    assert normalize_result(kind, raw, {"buttons": ["OK", "Cancel"], "cancel_id": 1}) == expected


def test_unusable_answers_are_rejected() -> None:
    with pytest.raises(TypeError, match="'open' dialog"):
        normalize_result("open", 42, {})


@pytest.mark.trio
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: dialog.show_open_dialog(properties=["openFile", "openWindow"]), "unknown open dialog properties: openWindow"),
        (lambda: dialog.show_open_dialog(filters=[{"name": "Text"}]), "must be a dict with 'name' and a list of 'extensions'"),
        (lambda: dialog.show_message_box(message="hi", type="fancy"), "unknown message box type 'fancy'"),
        (lambda: dialog.show_message_box(message="hi", buttons=["A"], default_id=3), "default_id 3 is not a button index"),
    ],
)
async def test_bad_options_raise_value_error(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        await call()


class Answers:
    """A plugin that answers dialogs and records what it was asked."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.asked: list[tuple[str, Any, dict[str, Any]]] = []
        #: Set once a dialog of that kind was asked for.
        self.seen: defaultdict[str, trio.Event] = defaultdict(trio.Event)

    @hookimpl
    def tkelectron_dialog(self, kind: str, window: Any, options: dict[str, Any]) -> Any:
        self.asked.append((kind, window, options))
        self.seen[kind].set()
        return self.answer(kind) if callable(self.answer) else self.answer


def run_app(plugin: Any, body: Any) -> Any:
    async def main() -> Any:
        app.register_plugin(plugin)
        async with app.running(compositor="headless", entry_points=False):
            return await body()

    return trio.run(main)


def test_a_plugin_answers_with_electron_keys() -> None:
    plugin = Answers({"canceled": False, "filePaths": ["/tmp/a.txt"]})

    async def body() -> Any:
        return await dialog.show_open_dialog(
            title="Open", default_path="/tmp", filters=[{"name": "Text", "extensions": [".txt"]}],
            properties=["openFile", "multiSelections"])

    assert run_app(plugin, body) == OpenDialogResult(False, ["/tmp/a.txt"])
    kind, window, options = plugin.asked[0]
    assert (kind, window) == ("open", None)
    assert options == {"title": "Open", "default_path": "/tmp", "filters": [{"name": "Text", "extensions": ["txt"]}],
                       "properties": ["openFile", "multiSelections"], "button_label": None}


def test_a_plugin_may_answer_with_an_awaitable() -> None:
    async def later(kind: str) -> Any:
        await trio.lowlevel.checkpoint()
        return {"response": 1, "checkbox_checked": True}

    plugin = Answers(later)

    async def body() -> Any:
        return await dialog.show_message_box(message="Sure?", buttons=["Yes", "No"], checkbox_label="Remember")

    assert run_app(plugin, body) == MessageBoxResult(1, True)
    options = plugin.asked[0][2]
    assert options["cancel_id"] == 1  # Electron's default: the button labelled No
    assert options["buttons"] == ["Yes", "No"] and options["type"] == "none"


def test_save_dialog_answer_and_error_box() -> None:
    plugin = Answers(lambda kind: {"canceled": False, "filePath": "/tmp/out.txt"} if kind == "save" else True)

    async def body() -> Any:
        saved = await dialog.show_save_dialog(title="Save", default_path="out.txt")
        dialog.show_error_box("Oops", "It broke")  # returns at once
        assert [a[0] for a in plugin.asked] == ["save"]
        with trio.fail_after(5):
            await plugin.seen["error"].wait()
        assert [a[0] for a in plugin.asked] == ["save", "error"]
        return saved

    assert run_app(plugin, body) == SaveDialogResult(False, "/tmp/out.txt")
    assert plugin.asked[1] == ("error", None, {"title": "Oops", "content": "It broke"})


def test_unanswered_dialogs_reach_the_compositor() -> None:
    plugin = Answers(None)

    async def body() -> Any:
        with pytest.raises(RuntimeError, match="headless compositor cannot show a 'message' dialog"):
            await dialog.show_message_box(message="hi")
        return app.compositor.dialogs[-1][0]

    assert run_app(plugin, body) == "message"


def test_error_box_without_a_running_app_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert dialog.show_error_box("Title", "Content") is None
    assert capsys.readouterr().err == "Title\nContent\n"
