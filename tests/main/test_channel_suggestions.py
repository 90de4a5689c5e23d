"""A channel nobody answers is told with the closest one that is answered.

Both directions, with real renderer processes: the page's invoke and
send_sync of a misspelt main channel, and main's invoke of a misspelt
renderer channel; a failing main handler is logged in main too.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tkelectron import IpcRemoteError
from tkelectron.testing import launch

IPC_PROBE = Path(__file__).resolve().parents[1] / "apps" / "ipc_probe"

pytestmark = pytest.mark.tkelectron("headless")


async def test_a_misspelt_channel_suggests_the_handled_one(compositor: str) -> None:
    async with launch(IPC_PROBE, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.web_contents

        invoked = (await wc.invoke("try-invoke", "ecoh", 1))["error"]
        assert invoked["remote_type"] == "NoHandlerError"
        assert invoked["message"] == "No handler registered for 'ecoh' (did you mean 'echo'?)"

        sent = (await wc.invoke("try-send-sync", "sync-sett", 1))["error"]
        assert sent["message"] == "No listener registered for 'sync-sett' (did you mean 'sync-set'?)"

        unrelated = (await wc.invoke("try-invoke", "zzzz"))["error"]
        assert unrelated["message"] == "No handler registered for 'zzzz'"

        with pytest.raises(IpcRemoteError) as from_main:
            await wc.invoke("try-invok", "echo")
        assert from_main.value.message == "No handler registered for 'try-invok' in the renderer (did you mean 'try-invoke'?)"


async def test_a_raising_main_handler_is_logged_in_main(compositor: str, caplog: pytest.LogCaptureFixture) -> None:
    async with launch(IPC_PROBE, compositor=compositor) as app:
        win = await app.first_window()
        with caplog.at_level(logging.ERROR, logger="tkelectron.ipc"):
            result = await win.web_contents.invoke("try-invoke", "boom", "x")
        assert result["error"]["message"] == "bad thing: x"  # the renderer got it...
        (record,) = [r for r in caplog.records if r.name == "tkelectron.ipc" and r.levelno == logging.ERROR]
        message = record.getMessage()  # ...and main logged it, with where it came from
        assert message.startswith(f"window {win.window.id}: the handler of 'boom' raised ")
        source = (IPC_PROBE / "main.py").read_text().splitlines()
        line = next(n for n, text in enumerate(source, 1) if 'raise ValueError(f"bad thing' in text)
        assert message.endswith(f"ipc_probe/main.py:{line}: ValueError: bad thing: x")
        assert record.exc_info is not None and isinstance(record.exc_info[1], ValueError)
