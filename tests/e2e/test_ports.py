"""MessagePorts between main and renderers: transfer, queueing, close on death."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tkelectron import DataCloneError, MessageChannelMain, ipc_main
from tkelectron.testing import launch

APP = Path(__file__).resolve().parents[1] / "apps" / "ports_probe"



@pytest.mark.tkelectron("headless")
async def test_several_ports_in_one_message_each_reach_the_renderer(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        counts = []
        ipc_main.on("got-ports", lambda event, n: counts.append(n))
        channels = [MessageChannelMain() for _ in range(3)]
        replies: list = []
        for channel in channels:
            channel.port1.on("message", lambda event: replies.append(event.data))
        # Queued before start(): nothing is delivered until the port starts.
        channels[0].port1.post_message("early")
        win.web_contents.post_message("ports", "p", transfer=[c.port2 for c in channels])
        await app.wait_for(lambda: counts == [3], what="the renderer to get 3 ports")
        for i, channel in enumerate(channels):
            channel.port1.post_message(i * 10)
        assert replies == []  # main's ends are not started yet
        for channel in channels:
            channel.port1.start()
        await app.wait_for(lambda: len(replies) == 4, what="4 echoes")
        assert sorted(replies, key=repr) == sorted(
            [["p-0", "early", 0], ["p-0", 0, 0], ["p-1", 10, 0], ["p-2", 20, 0]], key=repr
        )
        assert replies.index(["p-0", "early", 0]) < replies.index(["p-0", 0, 0])  # in order per port
        for channel in channels:
            channel.port1.close()


@pytest.mark.tkelectron("headless")
async def test_a_port_closes_on_the_survivor_when_the_other_window_crashes(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        port1, port2 = MessageChannelMain()
        closed = []
        port1.on("close", lambda *args: closed.append(True))
        port1.start()
        counts = []
        ipc_main.on("got-ports", lambda event, n: counts.append(n))
        win.web_contents.post_message("ports", "c", transfer=[port2])
        await app.wait_for(lambda: counts == [1], what="the port to arrive")
        os.kill(win.web_contents.get_os_process_id(), signal.SIGKILL)
        await app.wait_for(lambda: closed, what="close on the surviving port")
        assert port1.closed


@pytest.mark.tkelectron("headless")
async def test_a_renderer_can_hand_main_a_port_it_made(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.web_contents.invoke("give-port")
        given = app.module.given
        await app.wait_for(lambda: given, what="main to get the port")
        message, ports = given[0]
        assert message == "from the renderer" and len(ports) == 1
        replies = []
        ports[0].on("message", lambda event: replies.append(event.data))
        ports[0].start()
        ports[0].post_message({"n": 1})
        await app.wait_for(lambda: replies, what="the renderer's echo")
        assert replies == [["renderer-made", {"n": 1}, 0]]
        ports[0].close()


@pytest.mark.tkelectron("headless")
async def test_transfer_rules_fail_at_the_sender(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        port1, port2 = MessageChannelMain()
        port1.start()
        with pytest.raises(DataCloneError, match=r"transfer\[0\]: a started port cannot be transferred"):
            win.web_contents.post_message("ports", "x", transfer=[port1])
        with pytest.raises(DataCloneError, match=r"transfer\[1\]: the same port is listed twice"):
            win.web_contents.post_message("ports", "x", transfer=[port2, port2])
        with pytest.raises(DataCloneError, match=r"transfer\[0\]: str is not a transferable port"):
            win.web_contents.post_message("ports", "x", transfer=["nope"])
        port1.close()
        port1.post_message(1)  # a closed port drops what is posted on it, as in Electron
        with pytest.raises(DataCloneError):  # but the message is still checked
            port1.post_message(object())
        port2.post_message(2)  # its other end is closed: dropped too
        port2.close()
        kept, sent = MessageChannelMain()
        win.web_contents.post_message("ports", "t", transfer=[sent])
        with pytest.raises(RuntimeError, match="cannot post on a transferred port"):
            sent.post_message(1)  # lost with no one told otherwise: a bug of the caller
        kept.close()


@pytest.mark.tkelectron("headless")
async def test_a_renderer_posting_on_a_closed_port_is_a_silent_no_op(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        counts, closed = [], []
        ipc_main.on("got-ports", lambda event, n: counts.append(n))
        ipc_main.on("port-closed", lambda event, tag: closed.append(tag))
        port1, port2 = MessageChannelMain()
        win.web_contents.post_message("ports", "q", transfer=[port2])
        await app.wait_for(lambda: counts == [1], what="the port to arrive")
        # The renderer posts on its port when it hears ``close`` (its peer is gone):
        # it reports only if that post did not raise.
        port1.close()
        await app.wait_for(lambda: closed == ["q-0"], what="the renderer to post on its closed port")
        # And on a port it closed itself.
        assert await win.web_contents.invoke("post-on-closed") == "posted"
