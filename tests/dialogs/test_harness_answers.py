"""The harness's ``on_dialog``: an answer of None never leaves a real modal on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trio

from tkelectron.main._dialog import MessageBoxResult, OpenDialogResult, SaveDialogResult, dialog
from tkelectron.testing import launch

PROBE = Path(__file__).resolve().parents[1] / "testing" / "apps" / "probe"


@pytest.mark.tkelectron("tkhtml")
async def test_on_dialog_returning_none_answers_each_dialog_as_dismissed(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        asked: list[str] = []

        def answer(kind: str, window: Any, options: dict[str, Any]) -> None:
            asked.append(kind)

        app.on_dialog(answer)
        # With the real Tk compositor an unanswered dialog would be a real
        # modal waiting for a user: fail_after catches that.
        with trio.fail_after(10):
            box = await dialog.show_message_box(
                win.window, message="Save changes?", buttons=["Save", "Discard", "Cancel"], default_id=1,
                checkbox_label="Always", checkbox_checked=True,
            )
            opened = await dialog.show_open_dialog(win.window)
            saved = await dialog.show_save_dialog(win.window)
            await dialog.show_error_box_async("Oops", "it broke")
        assert box == MessageBoxResult(1, True)  # the default button, not cancel_id (2)
        assert opened == OpenDialogResult(True, [])
        assert saved == SaveDialogResult(True, None)
        assert asked == ["message", "open", "save", "error"]
        # The page's own message box (through ipc) gets the default too: "Yes".
        await win.click("#ask")
        assert await win.text_content("#answer") == "Yes"
