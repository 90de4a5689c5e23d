"""DOM event phases and listener options: capture, once, passive, on<event> handlers."""

from __future__ import annotations

from typing import Any

import pytest

from tkelectron.renderer._dom import Document, Element, Event, EventTarget
from tkelectron.renderer._dom_handlers import HANDLER_EVENTS


class Win(EventTarget):
    """A stand-in for the page's window: the target after the document."""

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document
        document.event_parent = self

    def _event_document(self) -> Document:
        return self.document


PAGE = '<body><div id="outer"><p id="inner"><button id="b">x</button></p></div></body>'


def make(html: str = PAGE) -> tuple[Document, Win, list[BaseException]]:
    errors: list[BaseException] = []
    doc = Document(spawn=lambda *a: None, report_error=errors.append)
    doc.load_html(html)
    return doc, Win(doc), errors


def el(doc: Document, ident: str) -> Element:
    found = doc.get_element_by_id(ident)
    assert found is not None
    return found


def names(doc: Document, win: Win) -> dict[int, str]:
    out = {id(doc): "document", id(win): "window"}
    for ident in ("outer", "inner", "b"):
        out[id(el(doc, ident))] = ident
    return out


def recorder(seen: list[tuple[str, int, str]], label: str, doc: Document, win: Win) -> Any:
    def listener(e: Event) -> None:
        assert e.current_target is not None
        seen.append((label, e.event_phase, names(doc, win)[id(e.current_target)]))

    return listener


def listen_everywhere(doc: Document, win: Win, seen: list[tuple[str, int, str]], type: str = "click") -> None:
    targets: list[tuple[str, EventTarget]] = [("window", win), ("document", doc)]
    targets += [(i, el(doc, i)) for i in ("outer", "inner", "b")]
    for label, target in targets:
        target.add_event_listener(type, recorder(seen, f"{label}-bubble", doc, win))
        target.add_event_listener(type, recorder(seen, f"{label}-capture", doc, win), True)


C, T, B = Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE


def test_capture_runs_from_window_down_then_target_then_bubbles_up() -> None:
    doc, win, _ = make()
    seen: list[tuple[str, int, str]] = []
    listen_everywhere(doc, win, seen)
    event = Event("click")
    assert el(doc, "b").dispatch_event(event) is True
    assert seen == [
        ("window-capture", C, "window"),
        ("document-capture", C, "document"),
        ("outer-capture", C, "outer"),
        ("inner-capture", C, "inner"),
        ("b-capture", T, "b"),  # at the target: capture listeners first (Chrome 89+)
        ("b-bubble", T, "b"),
        ("inner-bubble", B, "inner"),
        ("outer-bubble", B, "outer"),
        ("document-bubble", B, "document"),
        ("window-bubble", B, "window"),
    ]
    # After dispatch: no phase, no current target; the target stays.
    assert event.event_phase == Event.NONE and event.current_target is None
    assert event.target is el(doc, "b")
    assert event.composed_path() == []


def test_non_bubbling_event_still_has_a_capture_phase() -> None:
    doc, win, _ = make()
    seen: list[tuple[str, int, str]] = []
    listen_everywhere(doc, win, seen, "focus")
    el(doc, "b").dispatch_event(Event("focus", bubbles=False))
    assert [s[0] for s in seen] == [
        "window-capture", "document-capture", "outer-capture", "inner-capture", "b-capture", "b-bubble",
    ]


def test_stop_propagation_in_capture_keeps_the_event_from_the_target() -> None:
    doc, win, _ = make()
    seen: list[tuple[str, int, str]] = []
    listen_everywhere(doc, win, seen)
    doc.add_event_listener("click", lambda e: e.stop_propagation(), {"capture": True})
    el(doc, "b").dispatch_event(Event("click"))
    # The document's other capture listener (added earlier) still runs: the current target finishes.
    assert [s[0] for s in seen] == ["window-capture", "document-capture"]


def test_stop_propagation_in_target_capture_listener_stops_the_target_bubble_listeners() -> None:
    doc, win, _ = make()
    seen: list[tuple[str, int, str]] = []
    b = el(doc, "b")
    b.add_event_listener("click", lambda e: e.stop_propagation(), capture=True)
    listen_everywhere(doc, win, seen)
    b.dispatch_event(Event("click"))
    assert [s[0] for s in seen] == [
        "window-capture", "document-capture", "outer-capture", "inner-capture", "b-capture",
    ]


def test_stop_immediate_propagation_across_phases() -> None:
    doc, win, _ = make()
    seen: list[tuple[str, int, str]] = []
    win.add_event_listener("click", lambda e: e.stop_immediate_propagation(), True)
    listen_everywhere(doc, win, seen)
    el(doc, "b").dispatch_event(Event("click"))
    assert seen == []


def test_composed_path_during_dispatch() -> None:
    doc, win, _ = make()
    paths: list[list[EventTarget]] = []
    doc.add_event_listener("click", lambda e: paths.append(e.composed_path()))
    el(doc, "b").dispatch_event(Event("click"))
    body = doc.body
    assert paths == [[el(doc, "b"), el(doc, "inner"), el(doc, "outer"), body, doc.document_element, doc, win]]


def test_capture_and_bubble_registrations_are_distinct_and_removed_separately() -> None:
    doc, _win, _ = make()
    calls: list[int] = []

    def fn(e: Event) -> None:
        calls.append(e.event_phase)

    outer = el(doc, "outer")
    outer.add_event_listener("click", fn)
    outer.add_event_listener("click", fn, {"capture": True})
    outer.add_event_listener("click", fn, capture=True)  # a duplicate: no-op
    outer.add_event_listener("click", fn, {"capture": False, "once": True})  # a duplicate too
    el(doc, "b").dispatch_event(Event("click"))
    assert calls == [C, B]
    outer.remove_event_listener("click", fn, True)  # only the capture one
    calls.clear()
    el(doc, "b").dispatch_event(Event("click"))
    assert calls == [B]
    outer.remove_event_listener("click", fn, {"capture": True})  # nothing left there: ignored
    outer.remove_event_listener("click", fn, {"capture": False})
    calls.clear()
    el(doc, "b").dispatch_event(Event("click"))
    assert calls == []


def test_once_as_option_dict_and_keyword() -> None:
    doc, _win, _ = make()
    calls: list[str] = []
    b = el(doc, "b")
    b.add_event_listener("click", lambda e: calls.append("dict"), {"once": True})
    b.add_event_listener("click", lambda e: calls.append("kw"), once=True)
    b.add_event_listener("click", lambda e: calls.append("capture-once"), {"capture": True, "once": True})
    for _ in range(3):
        b.dispatch_event(Event("click"))
    assert calls == ["capture-once", "dict", "kw"]


def test_once_listener_is_removed_before_it_runs() -> None:
    doc, _win, _ = make()
    b = el(doc, "b")
    calls: list[int] = []

    def again(e: Event) -> None:
        calls.append(len(calls))
        if len(calls) < 3:
            b.dispatch_event(Event("custom"))  # a new event from inside the listener

    b.add_event_listener("custom", again, once=True)
    b.dispatch_event(Event("custom"))
    assert calls == [0]


def test_prevent_default_in_a_passive_listener_is_ignored() -> None:
    doc, _win, _ = make()
    b = el(doc, "b")
    seen: list[bool] = []

    def cancel(e: Event) -> None:
        e.prevent_default()
        seen.append(e.default_prevented)

    b.add_event_listener("click", cancel, {"passive": True})
    assert b.dispatch_event(Event("click")) is True
    assert seen == [False]
    # A later, non-passive listener of the same event can still cancel it.
    b.add_event_listener("click", lambda e: e.prevent_default(), passive=False)
    assert b.dispatch_event(Event("click")) is False


def test_wheel_listeners_on_window_document_and_body_are_passive_by_default() -> None:
    doc, win, _ = make()
    body = doc.body
    assert body is not None
    for target in (win, doc, body):
        target.add_event_listener("wheel", lambda e: e.prevent_default())
    assert el(doc, "b").dispatch_event(Event("wheel")) is True  # Chrome's intervention
    body.add_event_listener("wheel", lambda e: e.prevent_default(), {"passive": False})
    assert el(doc, "b").dispatch_event(Event("wheel")) is False
    # On another element, wheel listeners are not passive.
    doc2, _, _ = make()
    el(doc2, "outer").add_event_listener("wheel", lambda e: e.prevent_default())
    assert el(doc2, "b").dispatch_event(Event("wheel")) is False


def test_bad_options_are_clear_errors() -> None:
    doc, _, _ = make()
    b = el(doc, "b")
    with pytest.raises(TypeError, match=r"unknown event listener option 'onse' \(did you mean 'once'\?\)"):
        b.add_event_listener("click", print, {"onse": True})
    with pytest.raises(TypeError, match="'signal' option is not supported"):
        b.add_event_listener("click", print, {"signal": object()})
    with pytest.raises(TypeError, match="must be a bool"):
        b.add_event_listener("click", print, "capture")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callable"):
        b.add_event_listener("click", 42)  # type: ignore[arg-type]
    b.add_event_listener("click", None)  # the DOM ignores a null listener
    assert b.dispatch_event(Event("click")) is True


# -- on<event> properties -----------------------------------------------------------


def test_onclick_property_runs_set_replace_and_remove() -> None:
    doc, _win, _ = make()
    b = el(doc, "b")
    calls: list[str] = []

    def first(e: Event) -> None:
        calls.append("first")

    def second(e: Event) -> None:
        calls.append("second")

    assert b.onclick is None
    b.onclick = first
    assert b.onclick is first
    b.dispatch_event(Event("click"))
    b.onclick = second
    b.dispatch_event(Event("click"))
    b.onclick = None
    b.dispatch_event(Event("click"))
    assert calls == ["first", "second"]
    assert b.onclick is None


def test_handler_keeps_its_place_among_listeners() -> None:
    doc, _win, _ = make()
    b = el(doc, "b")
    calls: list[str] = []
    b.add_event_listener("click", lambda e: calls.append("L1"))
    b.onclick = lambda e: calls.append("H1")
    b.add_event_listener("click", lambda e: calls.append("L2"))
    b.dispatch_event(Event("click"))
    assert calls == ["L1", "H1", "L2"]
    calls.clear()
    b.onclick = lambda e: calls.append("H2")  # replaced in place
    b.dispatch_event(Event("click"))
    assert calls == ["L1", "H2", "L2"]
    calls.clear()
    b.onclick = None
    b.onclick = lambda e: calls.append("H3")  # re-added: now last
    b.dispatch_event(Event("click"))
    assert calls == ["L1", "L2", "H3"]


def test_handler_is_not_a_listener_for_add_and_remove() -> None:
    doc, _win, _ = make()
    b = el(doc, "b")
    calls: list[str] = []

    def fn(e: Event) -> None:
        calls.append("fn")

    b.onclick = fn
    b.add_event_listener("click", fn)  # a second, separate call
    b.dispatch_event(Event("click"))
    assert calls == ["fn", "fn"]
    b.remove_event_listener("click", fn)  # removes the listener, never the handler
    b.remove_event_listener("click", fn)
    calls.clear()
    b.dispatch_event(Event("click"))
    assert calls == ["fn"] and b.onclick is fn


def test_handler_returning_false_cancels_and_bubbles_as_a_listener() -> None:
    doc, win, _ = make()
    seen: list[int] = []
    el(doc, "outer").onclick = lambda e: False
    doc.onclick = lambda e: seen.append(e.event_phase)
    win.add_event_listener("click", lambda e: seen.append(-1))
    assert el(doc, "b").dispatch_event(Event("click")) is False
    assert seen == [B, -1]
    # None (or anything but False) does not cancel.
    el(doc, "outer").onclick = lambda e: None
    assert el(doc, "b").dispatch_event(Event("click")) is True


def test_document_onkeydown_and_bad_handler_values() -> None:
    doc, _win, _ = make()
    keys: list[str | None] = []
    doc.onkeydown = lambda e: keys.append(e.key)
    el(doc, "b").dispatch_event(Event("keydown", key="a"))
    assert keys == ["a"]
    with pytest.raises(TypeError, match="onclick must be a function or None, not str"):
        el(doc, "b").onclick = "alert(1)"
    assert el(doc, "b").onclick is None


def test_every_handler_name_is_a_property_of_elements_and_documents() -> None:
    doc, _, _ = make()
    b = el(doc, "b")
    for type in HANDLER_EVENTS:
        assert getattr(b, "on" + type) is None
        assert getattr(doc, "on" + type) is None
    assert not hasattr(b, "oncustom")  # a page's own event type has no property, as in the DOM


def test_page_script_sets_window_onload_and_capture_listener(tmp_path: Any) -> None:
    """In a real page world: ``window.onload`` and a window capture listener seeing DOMContentLoaded."""
    from tkelectron.renderer._page import Console, Window, load_page

    logs: list[str] = []
    errors: list[BaseException] = []
    document = Document(spawn=lambda *a: None, report_error=errors.append)
    console = Console(lambda level, msg: logs.append(msg))
    window = Window(document, console)
    (tmp_path / "index.html").write_text(
        "<html><body><p id='p'>x</p><script type='text/python'>\n"
        "window.add_event_listener('DOMContentLoaded', lambda e: console.log('capture', e.event_phase), True)\n"
        "window.onload = lambda e: console.log('onload', e.type)\n"
        "document.get_element_by_id('p').onclick = lambda e: console.log('p clicked')\n"
        "</script></body></html>",
        encoding="utf-8",
    )
    load_page(str(tmp_path / "index.html"), document, window, console, errors.append)
    assert errors == []
    assert logs == ["capture 1", "onload load"]
    found = document.get_element_by_id("p")
    assert found is not None
    found.click()
    assert logs[-1] == "p clicked"
    assert callable(window.onload)
