"""The IPC log costs nothing while nobody listens: the renderer connection's
``on_send``/``on_receive`` hooks are set only while the web contents has an
``ipc-log`` listener (``main/_ipc_log.py``), and it still logs every message
both ways when someone does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _tk_reader_support import open_window, probe_app

from tkelectron.testing import launch


def conn_of(window: Any) -> Any:
    return window.web_contents._renderer_session.process.conn


def hooked(window: Any) -> bool:
    conn = conn_of(window)
    logger = window.web_contents._renderer_session.ipc_logger
    assert logger.hooked == (conn.on_send is not None) == (conn.on_receive is not None)
    return bool(logger.hooked)


@pytest.mark.tkelectron
async def test_the_log_hooks_the_connection_only_while_someone_listens(compositor, tmp_path: Path):
    module = probe_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        window = await open_window(app, module)
        wc = window.web_contents
        assert not hooked(window)
        assert await wc.invoke("echo", 1) == 1
        assert not hooked(window)

        entries: list[Any] = []
        wc.on("ipc-log", entries.append)
        assert hooked(window)
        assert await wc.invoke("call-main", "echo", "x") == "x"
        kinds = [(e.direction, e.kind, e.channel) for e in entries]
        # main→renderer invoke, the renderer's own invoke of main and both answers.
        assert ("main→renderer", "invoke", "call-main") in kinds
        assert ("renderer→main", "invoke", "echo") in kinds
        assert ("main→renderer", "result", "echo") in kinds
        assert ("renderer→main", "result", "call-main") in kinds
        assert all(e.size > 0 for e in entries)
        assert all(e.latency is not None and e.latency >= 0 for e in entries if e.kind == "result")

        # The last listener leaves: the next message takes the hooks off, and nothing more is logged.
        wc.off("ipc-log", entries.append)
        logged = len(entries)
        assert await wc.invoke("echo", 2) == 2
        assert not hooked(window)
        assert await wc.invoke("echo", 3) == 3
        assert len(entries) == logged

        # A once listener gets one entry, then the hooks go again.
        once: list[Any] = []
        wc.once("ipc-log", once.append)
        assert hooked(window)
        assert await wc.invoke("echo", 4) == 4
        assert len(once) == 1 and once[0].kind == "invoke"
        assert await wc.invoke("echo", 5) == 5
        assert not hooked(window)

        # A listener added before a renderer starts hooks the new renderer's connection.
        wc.add_listener("ipc-log", entries.append)
        await wc.reload()
        assert hooked(window)
        assert await wc.invoke("echo", 6) == 6
        assert [e.kind for e in entries[-2:]] == ["invoke", "result"]
        wc.remove_all_listeners("ipc-log")
        assert await wc.invoke("echo", 7) == 7
        assert not hooked(window)
        window.destroy()
