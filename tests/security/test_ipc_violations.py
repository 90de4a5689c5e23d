"""A renderer that breaks the protocol is killed (Chromium's bad-message
kill): ``render-process-gone`` with reason ``ipc-violation``, main logs why,
and only that renderer goes — the app's other window keeps working.

Each abuse is written by the probe's preload straight onto its socket, as a
compromised renderer would.
"""

from __future__ import annotations

import logging

import pytest
from _security_support import ProbeApp, opened

from tkelectron import RendererGoneError
from tkelectron.testing import launch

#: kind of abuse -> what main's log must say about it
ABUSES = {
    "malformed": "undecodable frame",
    "oversized": "frame of 2147483648 bytes is over the limit of 67108864",
    "unknown-type": "undecodable frame: ValidationError: Invalid value 'Bogus'",
    "internal-channel": "user message on the reserved channel 'tke:x'",
}


async def _abuse(app, probe_app: ProbeApp, caplog, kind: str, size: int, **prefs) -> None:
    """Open two windows, abuse the first; check that only the first went."""
    victim = probe_app.module.open_probe(**prefs)
    await opened(app, victim)
    bystander = probe_app.module.open_probe()
    await opened(app, bystander)
    wc = victim.web_contents
    gone = []
    wc.on("render-process-gone", lambda event, details: gone.append(details))
    with pytest.raises(RendererGoneError):
        await wc.invoke("raw", kind, size)
    await app.wait_for(lambda: gone, what="render-process-gone")
    assert gone[0].reason == "ipc-violation"
    assert [window_id for window_id, _ in app.gone] == [victim.id]
    assert f"window {victim.id}: renderer broke the protocol (" in caplog.text
    # The other window's renderer never noticed.
    other = bystander.web_contents
    assert not other.is_crashed()
    assert await other.invoke("try-invoke", "ok:echo", "still here") == {"ok": ["still here"]}
    other.send("ok:ping", 1)
    await app.wait_for(lambda: ("ok:note", ("pong", 1)) in probe_app.module.heard)
    # Main goes on: the victim's page comes back in a fresh renderer.
    await wc.reload()
    assert await wc.invoke("try-invoke", "ok:echo", 2) == {"ok": [2]}


@pytest.mark.tkelectron("headless")
@pytest.mark.parametrize("kind", list(ABUSES))
async def test_protocol_abuse_kills_only_that_renderer(compositor, kind, probe_app: ProbeApp, caplog):
    caplog.set_level(logging.ERROR, logger="tkelectron")
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        await _abuse(app, probe_app, caplog, kind, 2**31)
        assert ABUSES[kind] in caplog.text


@pytest.mark.tkelectron("headless")
async def test_max_frame_is_configurable_per_window(compositor, probe_app: ProbeApp, caplog):
    caplog.set_level(logging.ERROR, logger="tkelectron")
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        # A legitimate send of 8 KB is fine by default...
        window = probe_app.module.open_probe()
        await opened(app, window)
        await window.web_contents.invoke("raw", "big-send", 8000)
        await app.wait_for(lambda: any(ch == "ok:big" for ch, _ in probe_app.module.heard))
        # ...and a violation in a window that accepts at most 4 KB per frame.
        await _abuse(app, probe_app, caplog, "big-send", 8000, max_frame=4096)
        assert "is over the limit of 4096" in caplog.text
