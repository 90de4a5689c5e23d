"""How a click's DOM events and its answer cross the renderer socket, on both
compositors with a real sandboxed renderer (the Tk reader's probe app).

Main writes each input event as it happens: the ``click`` right behind its
``mouseup`` (both from one Tk callback, outside trio's turns), not queued for
trio's writer task. The renderer answers a DOM event in one write: what its
listeners sent, its Commit and its Settled go out together, nothing left
queued for the writer task.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _tk_reader_support import open_window, probe_app

from tkelectron.testing import launch


@pytest.mark.tkelectron
async def test_a_click_goes_out_at_once_and_comes_back_in_one_write(compositor: str, tmp_path: Path) -> None:
    module = probe_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        window = await open_window(app, module)
        handle = await app.wait_for_window(lambda h: h.window is window)
        wc = window.web_contents
        await wc.invoke("watch-clicks")
        await app.wait_for(lambda: "mouseup" in wc._page_input.listening(), what="main to know of the mouseup listener")
        clicked: list[Any] = []
        module.ipc_main.on("clicked", lambda _event, n: clicked.append(n))
        page_input = wc._page_input
        conn = wc._renderer_session.process.conn
        left_queued: list[tuple[str, int]] = []
        send = page_input.send

        def recording_send(ev: Any, drag: Any = None) -> int:
            seq = send(ev, drag)
            left_queued.append((ev.type, conn.queued))
            return seq

        page_input.send = recording_send  # type: ignore[method-assign]
        await handle.click("#status")
        await app.wait_for(lambda: clicked, what="the click's listener")
        sent = [kind for kind, _ in left_queued]
        assert sent[-2:] == ["mouseup", "click"]
        # Each event was written before the next was made: none waited for trio's writer.
        assert all(queued == 0 for _, queued in left_queued), left_queued
        writes = await wc.invoke("event-writes")
        # The click (a text change, a send, Settled) is answered in one write, with
        # nothing left for the renderer's writer task; so is the mouseup, unless its
        # Settled waited for the task telling main of the listeners.
        assert tuple(writes[-1]) == (1, 0), writes
        assert tuple(writes[-2]) in ((1, 0), (0, 0)), writes
