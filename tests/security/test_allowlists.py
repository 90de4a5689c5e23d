"""Channel allowlists (``web_preferences["channels"]``) and the app's
``tkelectron_validate_ipc`` hook: checked in the renderer at the call and,
authoritatively, in main — a renderer that skips its own check is still refused.
"""

from __future__ import annotations

import logging

import pytest
from _security_support import ProbeApp, opened

from tkelectron.testing import launch

CHANNELS = {"send": ["ok:*"], "invoke": ["ok:*"], "receive": ["ok:*"]}


async def _window(app, probe_app: ProbeApp, **prefs):
    window = probe_app.module.open_probe(**prefs)
    await opened(app, window)
    return window.web_contents


@pytest.mark.tkelectron("headless")
async def test_allowed_channels_work(compositor, probe_app: ProbeApp):
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        wc = await _window(app, probe_app, channels=CHANNELS)
        assert await wc.invoke("try-invoke", "ok:echo", 1, "two") == {"ok": [1, "two"]}
        assert (await wc.invoke("try-send", "ok:note", "hi"))["sent"] == 1
        wc.send("ok:ping", 7)  # receive: allowed
        heard = probe_app.module.heard
        await app.wait_for(lambda: ("ok:note", ("pong", 7)) in heard and ("ok:note", ("hi",)) in heard)


@pytest.mark.tkelectron("headless")
async def test_a_refused_invoke_fails_in_the_renderer_before_anything_is_sent(compositor, probe_app: ProbeApp):
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        wc = await _window(app, probe_app, channels=CHANNELS)
        invoked = await wc.invoke("try-invoke", "denied:echo", 1)
        assert invoked["error"] == "PermissionError" and invoked["sent"] == 0
        assert "may not invoke on 'denied:echo'" in invoked["message"]
        sent = await wc.invoke("try-send", "denied:note", 1)
        assert sent["error"] == "PermissionError" and sent["sent"] == 0
        assert probe_app.module.handled == [] and probe_app.module.heard == []


@pytest.mark.tkelectron("headless")
async def test_a_send_is_checked_on_every_call_whatever_went_through_before(compositor, probe_app: ProbeApp):
    # ipc_renderer.send keeps the channels it let through, so a page's next
    # send on one skips both checks' work; what it refuses, it refuses each time.
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        wc = await _window(app, probe_app, channels=CHANNELS)
        for _ in range(2):
            assert (await wc.invoke("try-send", "ok:note", "hi"))["sent"] == 1
            denied = await wc.invoke("try-send", "denied:note", 1)
            assert denied["error"] == "PermissionError" and denied["sent"] == 0
            reserved = await wc.invoke("try-send", "tke:note", 1)
            assert reserved["error"] == "ValueError" and "reserved" in reserved["message"] and reserved["sent"] == 0
            not_str = await wc.invoke("try-send", 7, 1)
            assert not_str["error"] == "TypeError" and not_str["sent"] == 0
        assert await wc.invoke("sendable") == ["ok:note"]  # only what passed is kept
        await app.wait_for(lambda: probe_app.module.heard.count(("ok:note", ("hi",))) == 2, what="both sends")
        assert {channel for channel, _ in probe_app.module.heard} == {"ok:note"}


@pytest.mark.tkelectron("headless")
async def test_main_refuses_a_tampered_renderer_that_skips_its_check(compositor, probe_app: ProbeApp, caplog):
    caplog.set_level(logging.WARNING, logger="tkelectron")
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        wc = await _window(app, probe_app, channels=CHANNELS)
        result = await wc.invoke("tampered-invoke", "denied:echo", 1)
        assert result["error"].startswith("IpcRemoteError") and result["permission"] is True
        assert "may not invoke on 'denied:echo'" in result["message"]
        await wc.invoke("tampered-send", "denied:note", 2)
        # A refused one-way send comes back as a console error in the renderer.
        await app.wait_for(lambda: any("main refused a message" in m for (_, _, m) in app.console))
        assert probe_app.module.handled == [] and probe_app.module.heard == []
        assert "refused: window" in caplog.text and "'denied:echo'" in caplog.text and "'denied:note'" in caplog.text
        assert not wc.is_crashed()  # refusing is not a violation: the renderer lives on
        assert await wc.invoke("try-invoke", "ok:echo", 3) == {"ok": [3]}


@pytest.mark.tkelectron("headless")
async def test_main_may_not_send_a_window_what_it_may_not_receive(compositor, probe_app: ProbeApp):
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        wc = await _window(app, probe_app, channels=CHANNELS)
        with pytest.raises(PermissionError, match="may not receive 'secret'"):
            wc.send("secret", 1)
        with pytest.raises(PermissionError, match="may not receive"):
            wc.post_message("secret", 1)


@pytest.mark.tkelectron("headless")
async def test_the_validate_hook_refuses_logs_and_fails_at_the_caller(compositor, probe_app: ProbeApp, caplog):
    caplog.set_level(logging.WARNING, logger="tkelectron")
    async with launch(probe_app.module, compositor=compositor) as app:
        wc = (await app.first_window()).web_contents  # no allowlist: the hook alone decides
        result = await wc.invoke("try-invoke", "ok:vetoed", 1)
        assert result["error"].startswith("IpcRemoteError") and result["permission"] is True
        assert "tkelectron_validate_ipc" in result["message"]
        assert probe_app.module.handled == []
        assert "a plugin refused 'ok:vetoed'" in caplog.text
        assert await wc.invoke("try-invoke", "ok:echo", 1) == {"ok": [1]}
        assert probe_app.module.handled == ["ok:echo"]
