"""IPC with real renderer processes: errors keep their shape, bad input is refused
at the sender, and a dying renderer never takes main down."""

from __future__ import annotations

import datetime as dt
import decimal
import os
import signal
import uuid
from pathlib import Path

import pytest
import trio

from tkelectron import DataCloneError, IpcRemoteError, RendererGoneError
from tkelectron.testing import launch

APP = Path(__file__).resolve().parents[1] / "apps" / "ipc_probe"



@pytest.mark.tkelectron
async def test_a_handler_exception_reaches_the_renderer_with_type_message_channel_traceback(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.web_contents
        result = await wc.invoke("try-invoke", "boom", "x")
        err = result["error"]
        assert err["remote_type"] == "ValueError"
        assert err["message"] == "bad thing: x"
        assert err["channel"] == "boom"
        assert err["is_value_error"] is True  # `except ValueError:` works in the renderer
        assert err["has_traceback"] is True  # development mode
        assert err["str"] == "ValueError: bad thing: x (channel 'boom')"
        missing = (await wc.invoke("try-invoke", "missing"))["error"]
        assert missing["remote_type"] == "FileNotFoundError" and missing["is_file_not_found"]


@pytest.mark.tkelectron
async def test_invoking_an_unknown_channel_names_it(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        err = (await win.web_contents.invoke("try-invoke", "nope"))["error"]
        assert err["remote_type"] == "NoHandlerError"
        assert err["message"] == "No handler registered for 'nope'"


@pytest.mark.tkelectron
async def test_values_cross_intact(compositor):
    value = (
        1, 2.5, "s", b"\x00\xff", None, True, [1, (2, 3)], {"k": {1, 2}}, frozenset({"a"}),
        {1: "int key"}, dt.datetime(2026, 1, 2, 3, 4, 5), dt.date(2026, 1, 2), dt.timedelta(seconds=90),
        uuid.UUID(int=7), decimal.Decimal("1.10"), 2**80, ValueError("kept"),
    )
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        result = await win.web_contents.invoke("try-invoke", "echo", *value)
        back = result["ok"]
        assert back[:-1] == value[:-1]
        assert type(back) is tuple and type(back[6][1]) is tuple and type(back[7]["k"]) is set
        assert isinstance(back[-1], ValueError) and back[-1].args == ("kept",)


@pytest.mark.tkelectron
async def test_uncloneable_values_fail_at_the_sender_naming_the_path(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        err = (await win.web_contents.invoke("try-send-uncloneable"))["error"]
        assert err["class"] == "DataCloneError"
        assert err["str"] == 'args[1]["cb"]: function is not cloneable'
        with pytest.raises(DataCloneError, match=r'args\[0\]\["w"\]: .*BrowserWindow is not cloneable'):
            win.web_contents.send("say", {"w": win.window})
        assert app.module.heard == []  # nothing was sent


@pytest.mark.tkelectron
async def test_send_sync_returns_the_value_or_fails_fast(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.web_contents
        assert await wc.invoke("try-send-sync", "sync-set", [1, 2]) == {"ok": [1, 2]}
        with trio.fail_after(5):  # a listener that forgets return_value must not hang the renderer
            forgot = (await wc.invoke("try-send-sync", "sync-forget", 1))["error"]
        assert "set event.return_value" in forgot["message"]
        nobody = (await wc.invoke("try-send-sync", "nobody-listens"))["error"]
        assert nobody["message"] == "No listener registered for 'nobody-listens'"


@pytest.mark.tkelectron
async def test_main_to_renderer_messages_and_invoke_errors(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        heard = app.module.heard
        win.web_contents.send("say", "hello")
        await app.wait_for(lambda: ("note", ("heard", "hello")) in heard, what="the renderer's answer")
        with pytest.raises(IpcRemoteError) as info:
            await win.web_contents.invoke("fail")
        assert isinstance(info.value, ZeroDivisionError)
        assert info.value.remote_type == "ZeroDivisionError" and info.value.channel == "fail"


@pytest.mark.tkelectron
async def test_a_page_script_that_raises_is_reported_and_the_page_stays_usable(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        errors = [m for (_, level, m) in app.console if level == "error"]
        assert any("RuntimeError: this page script fails on purpose" in m for m in errors), app.console
        assert (await win.text_content("#status")).strip() == "ready"
        await win.click("#btn")
        await app.wait_for(lambda: ("note", ("clicked",)) in app.module.heard, what="the click to reach main")


@pytest.mark.tkelectron
async def test_killing_a_renderer_mid_invoke_fails_the_call_and_main_goes_on(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.web_contents
        gone = []
        wc.on("render-process-gone", lambda event, details: gone.append(details))
        pid = await wc.invoke("pid")
        assert pid == wc.get_os_process_id()
        state = app.module.state
        outcome = {}

        async def call_blocking():
            try:
                await wc.invoke("try-invoke", "block")
            except RendererGoneError as exc:
                outcome["error"] = exc

        async with trio.open_nursery() as nursery:
            nursery.start_soon(call_blocking)
            await app.wait_for(lambda: state.get("blocked"), what="main's handler to start")
            assert len(wc._answers)  # main's handler is running for the renderer
            os.kill(pid, signal.SIGKILL)
        assert "renderer" in str(outcome["error"])
        await app.wait_for(lambda: gone, what="render-process-gone")
        assert gone[0].reason == "killed" and gone[0].exit_code == -signal.SIGKILL
        assert not len(wc._answers)  # main's handler was cancelled
        assert wc.is_crashed()
        html = await win.html()
        assert "<h1>This page crashed</h1>" in html
        assert f"renderer process is gone (killed, exit code {-signal.SIGKILL})." in html
        # Main keeps serving; reload brings the page back with a fresh renderer.
        await wc.reload()
        new_pid = await wc.invoke("pid")
        assert new_pid != pid
        assert (await win.text_content("#status")).strip() == "ready"
