"""DOM events: dispatch, bubbling, cancelling, errors and async listeners."""

from __future__ import annotations

from typing import Any

import pytest
import trio
import trio.lowlevel

from tkelectron.renderer._dom import Document, Element, Event, EventTarget


class Sink(EventTarget):
    """A stand-in for the page's window: the target after the document."""

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document

    def _event_document(self) -> Document:
        return self.document


def make(html: str, spawn: Any = None) -> tuple[Document, list[BaseException]]:
    errors: list[BaseException] = []
    doc = Document(spawn=spawn or (lambda *a: None), report_error=errors.append)
    doc.load_html(html)
    return doc, errors


def el(doc: Document, ident: str) -> Element:
    found = doc.get_element_by_id(ident)
    assert found is not None
    return found


PAGE = '<div id="outer"><p id="inner"><button id="b">x</button></p></div>'


def test_bubbles_from_target_to_document_to_window() -> None:
    doc, _ = make(PAGE)
    window = Sink(doc)
    doc.event_parent = window
    seen: list[tuple[str, str]] = []

    def record(name: str) -> Any:
        def listener(e: Event) -> None:
            assert e.target is el(doc, "b")
            seen.append((name, type(e.current_target).__name__))

        return listener

    for ident in ("b", "inner", "outer"):
        el(doc, ident).add_event_listener("click", record(ident))
    doc.add_event_listener("click", record("document"))
    window.add_event_listener("click", record("window"))
    assert el(doc, "b").dispatch_event(Event("click")) is True
    assert [s[0] for s in seen] == ["b", "inner", "outer", "document", "window"]
    assert seen[3][1] == "Document" and seen[4][1] == "Sink"


def test_non_bubbling_event_stays_on_target() -> None:
    doc, _ = make(PAGE)
    seen: list[str] = []
    el(doc, "b").add_event_listener("focus", lambda e: seen.append("b"))
    el(doc, "outer").add_event_listener("focus", lambda e: seen.append("outer"))
    el(doc, "b").dispatch_event(Event("focus", bubbles=False))
    assert seen == ["b"]


def test_stop_propagation_finishes_current_target() -> None:
    doc, _ = make(PAGE)
    seen: list[str] = []
    inner = el(doc, "inner")

    def first(e: Event) -> None:
        seen.append("inner1")
        e.stop_propagation()

    inner.add_event_listener("click", first)
    inner.add_event_listener("click", lambda e: seen.append("inner2"))
    el(doc, "outer").add_event_listener("click", lambda e: seen.append("outer"))
    el(doc, "b").dispatch_event(Event("click"))
    assert seen == ["inner1", "inner2"]


def test_stop_immediate_propagation() -> None:
    doc, _ = make(PAGE)
    seen: list[str] = []
    b = el(doc, "b")

    def first(e: Event) -> None:
        seen.append("1")
        e.stop_immediate_propagation()

    b.add_event_listener("click", first)
    b.add_event_listener("click", lambda e: seen.append("2"))
    el(doc, "outer").add_event_listener("click", lambda e: seen.append("outer"))
    b.dispatch_event(Event("click"))
    assert seen == ["1"]


def test_prevent_default() -> None:
    doc, _ = make(PAGE)
    el(doc, "outer").add_event_listener("click", lambda e: e.prevent_default())
    event = Event("click")
    assert el(doc, "b").dispatch_event(event) is False
    assert event.default_prevented and event.current_target is None
    not_cancelable = Event("click", cancelable=False)
    assert el(doc, "b").dispatch_event(not_cancelable) is True
    assert not not_cancelable.default_prevented


def test_raising_listener_is_reported_and_others_run() -> None:
    doc, errors = make(PAGE)
    seen: list[str] = []

    def bad(e: Event) -> None:
        raise ValueError("boom")

    b = el(doc, "b")
    b.add_event_listener("click", bad)
    b.add_event_listener("click", lambda e: seen.append("second"))
    el(doc, "outer").add_event_listener("click", lambda e: seen.append("outer"))
    b.dispatch_event(Event("click"))
    assert seen == ["second", "outer"]
    assert len(errors) == 1 and isinstance(errors[0], ValueError) and str(errors[0]) == "boom"


def test_add_twice_remove_and_once() -> None:
    doc, _ = make(PAGE)
    b = el(doc, "b")
    calls: list[str] = []

    def listener(e: Event) -> None:
        calls.append("l")

    b.add_event_listener("click", listener)
    b.add_event_listener("click", listener)
    b.add_event_listener("click", lambda e: calls.append("once"), once=True)
    b.dispatch_event(Event("click"))
    b.dispatch_event(Event("click"))
    assert calls == ["l", "once", "l"]
    b.remove_event_listener("click", listener)
    b.remove_event_listener("click", listener)  # removing again is harmless
    b.dispatch_event(Event("click"))
    assert calls == ["l", "once", "l"]


def test_listener_removed_during_dispatch_does_not_run() -> None:
    doc, _ = make(PAGE)
    b = el(doc, "b")
    calls: list[str] = []

    def second(e: Event) -> None:
        calls.append("second")

    b.add_event_listener("click", lambda e: b.remove_event_listener("click", second))
    b.add_event_listener("click", second)
    b.dispatch_event(Event("click"))
    assert calls == []


def test_detached_element_event_reaches_only_its_ancestors() -> None:
    doc, _ = make(PAGE)
    seen: list[str] = []
    doc.add_event_listener("ping", lambda e: seen.append("document"))
    box = doc.create_element("div")
    child = doc.create_element("span")
    box.append_child(child)
    box.add_event_listener("ping", lambda e: seen.append("box"))
    child.dispatch_event(Event("ping"))
    assert seen == ["box"]


def test_redispatching_inside_dispatch_is_refused() -> None:
    doc, errors = make(PAGE)
    b = el(doc, "b")
    b.add_event_listener("click", lambda e: b.dispatch_event(e))
    b.dispatch_event(Event("click"))
    assert len(errors) == 1 and isinstance(errors[0], RuntimeError)


@pytest.mark.trio
async def test_async_listener_runs_as_task_via_spawn() -> None:
    done = trio.Event()
    seen: list[Any] = []
    async with trio.open_nursery() as nursery:
        doc, errors = make(PAGE, spawn=nursery.start_soon)

        async def listener(e: Event) -> None:
            seen.append(("start", e.type, e.target))
            await trio.lowlevel.checkpoint()
            seen.append("after await")
            done.set()

        b = el(doc, "b")
        b.add_event_listener("click", listener)
        b.add_event_listener("click", lambda e: seen.append("sync"))
        b.dispatch_event(Event("click"))
        # The async listener was only started: the sync one ran first.
        assert seen == ["sync"]
        await done.wait()
    assert seen == ["sync", ("start", "click", b), "after await"]
    assert errors == []


@pytest.mark.trio
async def test_async_listener_error_is_reported_not_raised() -> None:
    async with trio.open_nursery() as nursery:
        doc, errors = make(PAGE, spawn=nursery.start_soon)

        async def bad(e: Event) -> None:
            await trio.lowlevel.checkpoint()
            raise KeyError("late")

        el(doc, "b").add_event_listener("click", bad)
        el(doc, "b").dispatch_event(Event("click"))
    assert len(errors) == 1 and isinstance(errors[0], KeyError)


@pytest.mark.trio
async def test_sync_listener_returning_awaitable_is_awaited() -> None:
    done = trio.Event()

    async def work() -> None:
        done.set()

    async with trio.open_nursery() as nursery:
        doc, _ = make(PAGE, spawn=nursery.start_soon)
        el(doc, "b").add_event_listener("click", lambda e: work())
        el(doc, "b").dispatch_event(Event("click"))
        with trio.fail_after(5):
            await done.wait()
