"""The renderer's answer to a message it delivers inline wakes no flusher.

``Runtime.handle`` flushes a DomEvent's (and a Message's) changes itself, in
the same write as the event's Settled; the flusher task is for changes made
outside such a delivery (a task's). Waking it anyway cost the renderer a loop
iteration and a checkpoint right after the answer left, on a core main may be
sharing just as it wakes to read that answer.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
import trio
import trio.testing

from tkelectron.common._connection import Connection
from tkelectron.common._messages import Commit, DomEvent, Init, Message, RendererToMain, SetText, Settled
from tkelectron.renderer import _ipc_renderer
from tkelectron.renderer._dom import Document, Element
from tkelectron.renderer._runtime import Runtime
from tkelectron.renderer._send_batch import BatchingConnection

PAGE = '<p><button id="btn">Go</button> <span id="out">0</span></p>'


def _element(doc: Document, ident: str) -> Element:
    found = doc.get_element_by_id(ident)
    assert found is not None
    return found


async def _read(main: Connection[Any], count: int) -> list[Any]:
    """The next ``count`` messages main reads."""
    with trio.fail_after(5):
        return [await main.receive() for _ in range(count)]


@pytest.fixture
def pair() -> Any:
    a, b = socket.socketpair()
    renderer: BatchingConnection[Any] = BatchingConnection(a, Any)
    main: Connection[Any] = Connection(b, RendererToMain)
    yield renderer, main
    renderer.close()
    main.close()


async def _runtime(conn: BatchingConnection[Any], nursery: trio.Nursery) -> Runtime:
    rt = Runtime(conn, Init(window_id=1, app_root="/", page=None, preload=None), nursery)
    rt.document.load_html(PAGE)
    nursery.start_soon(rt.writer)
    nursery.start_soon(rt.flusher)
    await trio.testing.wait_all_tasks_blocked()  # the flusher sent the page and waits again
    assert not rt._dirty.is_set()
    return rt


@pytest.mark.trio
@pytest.mark.parametrize("kind", ["click", "message"])
async def test_a_delivery_answered_inline_leaves_the_flusher_asleep(pair: Any, kind: str) -> None:
    conn, main = pair
    async with trio.open_nursery() as nursery:
        rt = await _runtime(conn, nursery)
        out = _element(rt.document, "out")
        if kind == "click":
            _element(rt.document, "btn").add_event_listener("click", lambda e: setattr(out, "text_content", "1"))
            rt.handle(DomEvent(seq=7, type="click", target=Document.id_of(_element(rt.document, "btn"))))
        else:
            _ipc_renderer.ipc_renderer.on("set", lambda event, text: setattr(out, "text_content", text))
            try:
                rt.handle(Message("set", ["1"]))
            finally:
                _ipc_renderer.ipc_renderer.remove_all_listeners("set")
        assert not rt._dirty.is_set()  # the flusher has nothing to do and is not woken
        # The page's load, then the delivery's answer: its commit (and a click's Settled).
        _, commit, *rest = await _read(main, 3 if kind == "click" else 2)
        assert isinstance(commit, Commit) and commit.ops == [SetText(Document.id_of(out), "1")]
        assert rest == ([Settled(7)] if kind == "click" else [])
        nursery.cancel_scope.cancel()


@pytest.mark.trio
async def test_changes_a_failed_delivery_left_go_out_with_the_flusher(pair: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    conn, main = pair
    async with trio.open_nursery() as nursery:
        rt = await _runtime(conn, nursery)
        out = _element(rt.document, "out")

        def change_then_fail(doc: Document, ev: DomEvent) -> None:
            out.text_content = "3"
            raise RuntimeError("the delivery broke before its flush")

        monkeypatch.setattr(Document, "handle_input", change_then_fail)
        with pytest.raises(RuntimeError):
            rt.handle(DomEvent(seq=8, type="click", target=Document.id_of(out)))
        assert rt._dirty.is_set()  # the flusher sends it
        _, commit = await _read(main, 2)
        assert isinstance(commit, Commit) and commit.ops == [SetText(Document.id_of(out), "3")]
        nursery.cancel_scope.cancel()
