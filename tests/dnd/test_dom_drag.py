"""The page's side of drag and drop (renderer/_dom_drag): DataTransfer's modes and the drag's rules."""

from __future__ import annotations

from typing import Any

import pytest

from tkelectron.common._drag_data import DragData, DroppedFile
from tkelectron.common._messages import DomEvent
from tkelectron.renderer._dom import Document, Element
from tkelectron.renderer._dom_drag import MAX_DATA

PAGE = ('<ul id="list"><li id="a" draggable="true"><b id="a-text">A</b></li><li id="b">B</li></ul>'
        '<div id="zone">zone</div><p id="plain">plain</p>')


def make() -> tuple[Document, list[BaseException]]:
    errors: list[BaseException] = []
    doc = Document(spawn=lambda *a: None, report_error=errors.append)
    doc.load_html(PAGE)
    return doc, errors


def el(doc: Document, ident: str) -> Element:
    found = doc.get_element_by_id(ident)
    assert found is not None
    return found


def send(doc: Document, type: str, ident: str, drag: DragData) -> None:
    doc.handle_input(DomEvent(seq=1, type=type, target=Document.id_of(el(doc, ident)), x=5, y=6, drag=drag))


PAGE_DRAG = DragData("page")


def dt(event: Any) -> Any:
    """The event's DataTransfer (listeners get an Event; drag events are DragEvents)."""
    return event.data_transfer


def record(doc: Document, *idents: str) -> list[tuple[str, str, Any]]:
    seen: list[tuple[str, str, Any]] = []
    for ident in idents:
        for kind in ("dragstart", "drag", "dragenter", "dragover", "dragleave", "drop", "dragend"):
            el(doc, ident).add_event_listener(
                kind, lambda e, _i=ident: seen.append((e.type, _i, dt(e).get_data("text/plain"))))
    return seen


def test_set_data_in_dragstart_get_data_in_drop_and_protected_in_between() -> None:
    doc, errors = make()
    seen = record(doc, "a", "b")
    el(doc, "a").add_event_listener("dragstart", lambda e: dt(e).set_data("text/plain", "from a"))
    el(doc, "b").add_event_listener("dragover", lambda e: e.prevent_default())
    late: list[Any] = []
    el(doc, "b").add_event_listener("dragover", lambda e: late.append(dt(e)))
    send(doc, "dragstart", "a", PAGE_DRAG)
    send(doc, "drag", "a", PAGE_DRAG)
    send(doc, "dragenter", "b", PAGE_DRAG)
    send(doc, "dragover", "b", PAGE_DRAG)
    send(doc, "drop", "b", PAGE_DRAG)
    send(doc, "dragend", "a", PAGE_DRAG)
    assert errors == []
    # dragstart's own listener ran after the recorder (added later), so it reads ""; drop reads the data.
    assert seen == [("dragstart", "a", ""), ("drag", "a", ""), ("dragenter", "b", ""), ("dragover", "b", ""),
                    ("drop", "b", "from a"), ("dragend", "a", "from a")]  # once dropped, readable (async listeners)
    transfer = late[0]
    assert transfer.types == ["text/plain"] and transfer.drop_effect == "move"
    transfer.set_data("text/plain", "changed later")  # outside dragstart: ignored
    assert transfer.get_data("text") == "from a"  # after the drop the data stays readable


def test_no_drop_where_dragover_was_not_cancelled() -> None:
    doc, _ = make()
    seen = record(doc, "a", "zone")
    send(doc, "dragstart", "a", PAGE_DRAG)
    send(doc, "dragenter", "zone", PAGE_DRAG)
    send(doc, "dragover", "zone", PAGE_DRAG)
    send(doc, "drop", "zone", PAGE_DRAG)
    dragend: list[str] = []
    el(doc, "a").add_event_listener("dragend", lambda e: dragend.append(dt(e).drop_effect))
    send(doc, "dragend", "a", DragData("page", left=True))
    assert [s[0] for s in seen] == ["dragstart", "dragenter", "dragover", "dragleave", "dragend"]
    assert dragend == ["none"]


def test_a_cancelled_dragstart_means_no_drag_and_only_draggable_elements_start_one() -> None:
    doc, _ = make()
    seen = record(doc, "a", "b", "plain")
    el(doc, "a").add_event_listener("dragstart", lambda e: e.prevent_default())
    send(doc, "dragstart", "a", PAGE_DRAG)
    send(doc, "dragover", "b", PAGE_DRAG)
    send(doc, "dragend", "a", PAGE_DRAG)
    send(doc, "dragstart", "plain", PAGE_DRAG)  # a lying main: <p> is not draggable
    send(doc, "drag", "plain", PAGE_DRAG)
    assert seen == [("dragstart", "a", "")]


def test_a_drag_started_inside_a_draggable_element_counts() -> None:
    doc, _ = make()
    seen = record(doc, "a-text")
    send(doc, "dragstart", "a-text", PAGE_DRAG)
    assert seen == [("dragstart", "a-text", "")]


def test_set_data_is_bounded() -> None:
    doc, errors = make()
    el(doc, "a").add_event_listener("dragstart", lambda e: dt(e).set_data("text/plain", "x" * MAX_DATA))
    el(doc, "a").add_event_listener("dragstart", lambda e: dt(e).set_data("text/html", "y"))
    send(doc, "dragstart", "a", PAGE_DRAG)
    assert len(errors) == 1 and "at most" in str(errors[0])


def test_files_are_listed_in_drop_only_and_types_say_files_all_along() -> None:
    doc, _ = make()
    got: list[tuple[str, list[str], list[Any]]] = []
    zone = el(doc, "zone")
    for kind in ("dragenter", "dragover", "drop"):
        zone.add_event_listener(kind, lambda e: got.append((e.type, dt(e).types, dt(e).files)))
    zone.add_event_listener("dragover", lambda e: e.prevent_default())
    file = DroppedFile(7, "notes.txt", 12, "text/plain", 1700000000000)
    send(doc, "dragenter", "zone", DragData("files"))
    send(doc, "dragover", "zone", DragData("files"))
    send(doc, "drop", "zone", DragData("files", [file]))
    assert got == [("dragenter", ["Files"], []), ("dragover", ["Files"], []), ("drop", ["Files"], [file])]
    [dropped] = got[-1][2]
    assert (dropped.name, dropped.size, dropped.type, dropped.last_modified) == ("notes.txt", 12, "text/plain",
                                                                                  1700000000000)
    assert not hasattr(dropped, "path")


def test_files_dragged_away_leave_no_drag_behind() -> None:
    doc, _ = make()
    got: list[str] = []
    zone = el(doc, "zone")
    for kind in ("dragenter", "dragover", "dragleave", "drop"):
        zone.add_event_listener(kind, lambda e: got.append(e.type))
    zone.add_event_listener("dragover", lambda e: e.prevent_default())
    send(doc, "dragenter", "zone", DragData("files"))
    send(doc, "dragover", "zone", DragData("files"))
    send(doc, "dragleave", "zone", DragData("files", left=True))
    send(doc, "drop", "zone", DragData("files"))  # a new drag begins with this drop: no dragover was cancelled
    assert got == ["dragenter", "dragover", "dragleave", "dragleave"]


@pytest.mark.parametrize("effect", ["copy", "link", "move", "none"])
def test_drop_effect_takes_the_dom_s_values_only(effect: str) -> None:
    from tkelectron.renderer._dom_drag import DataTransfer

    transfer = DataTransfer()
    transfer.drop_effect = effect
    transfer.drop_effect = "explode"
    assert transfer.drop_effect == effect


def test_no_click_or_mouseup_while_the_page_drags() -> None:
    doc, _ = make()
    got: list[str] = []
    for kind in ("mouseup", "click", "mousemove"):
        el(doc, "list").add_event_listener(kind, lambda e: got.append(e.type))
    target = Document.id_of(el(doc, "b"))
    send(doc, "dragstart", "a", PAGE_DRAG)
    for kind in ("mousemove", "mouseup", "click"):  # what the pointer reports on release, before drop/dragend
        doc.handle_input(DomEvent(seq=2, type=kind, target=target, button=0))
    send(doc, "dragend", "a", PAGE_DRAG)
    assert got == []
    doc.handle_input(DomEvent(seq=3, type="click", target=target, button=0))
    assert got == ["click"]
