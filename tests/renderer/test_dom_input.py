"""User input from the main process (Document.handle_input) and el.click()."""

from __future__ import annotations

from tkelectron.common._messages import DomEvent, SetChecked
from tkelectron.renderer._dom import Document, Element, Event

PAGE = """
<form id="f">
  <input id="name" name="name" value="">
  <textarea id="ta"></textarea>
  <input id="box" type="checkbox">
  <input id="r1" type="radio" name="g" checked><input id="r2" type="radio" name="g">
  <select id="s"><option>a</option><option>b</option></select>
  <button id="go">Go</button>
  <button id="plain" type="button">No submit</button>
  <input id="sub" type="submit">
  <button id="off" disabled>Off</button>
</form>
<input id="outside">
<button id="lone">Lone</button>
"""


def setup() -> tuple[Document, list[str], list[BaseException]]:
    errors: list[BaseException] = []
    doc = Document(spawn=lambda *a: None, report_error=errors.append)
    doc.load_html(PAGE)
    doc.take_ops()
    log: list[str] = []

    def record(e: Event) -> None:
        assert isinstance(e.target, Element)
        log.append(f"{e.type}:{e.target.id}")

    for kind in ("click", "input", "change", "submit", "keydown", "keyup"):
        doc.add_event_listener(kind, record)
    return doc, log, errors


def el(doc: Document, ident: str) -> Element:
    found = doc.get_element_by_id(ident)
    assert found is not None
    return found


def ev(doc: Document, type: str, ident: str, **kw: object) -> DomEvent:
    return DomEvent(seq=1, type=type, target=Document.id_of(el(doc, ident)), **kw)  # type: ignore[arg-type]


def test_input_sets_live_value_silently_then_dispatches() -> None:
    doc, log, _ = setup()
    seen: list[str] = []
    el(doc, "name").add_event_listener("input", lambda e: seen.append(el(doc, "name").value))
    doc.handle_input(ev(doc, "input", "name", value="Ada"))
    assert seen == ["Ada"] and log == ["input:name"]
    assert el(doc, "name").value == "Ada"
    assert el(doc, "name").get_attribute("value") == ""
    assert doc.take_ops() == []  # the display already shows it
    doc.handle_input(ev(doc, "change", "ta", value="multi\nline"))
    assert el(doc, "ta").value == "multi\nline" and log[-1] == "change:ta"
    doc.handle_input(ev(doc, "change", "s", value="b"))
    assert el(doc, "s").value == "b"
    assert doc.take_ops() == []


def test_unknown_or_detached_target_is_ignored() -> None:
    doc, log, _ = setup()
    doc.handle_input(DomEvent(seq=1, type="click", target=424242))
    gone = el(doc, "lone")
    nid = Document.id_of(gone)
    gone.remove()
    doc.handle_input(DomEvent(seq=2, type="click", target=nid))
    assert log == []


def test_checkbox_click_applies_checked_then_click_input_change() -> None:
    doc, log, _ = setup()
    box = el(doc, "box")
    states: list[bool] = []
    box.add_event_listener("click", lambda e: states.append(box.checked))
    doc.handle_input(ev(doc, "click", "box", checked=True))
    assert states == [True]
    assert log == ["click:box", "input:box", "change:box"]
    assert doc.take_ops() == []


def test_cancelled_checkbox_click_reverts_and_tells_display() -> None:
    doc, log, _ = setup()
    box = el(doc, "box")
    box.add_event_listener("click", lambda e: e.prevent_default())
    doc.handle_input(ev(doc, "click", "box", checked=True))
    assert not box.checked
    assert log == ["click:box"]
    assert doc.take_ops() == [SetChecked(Document.id_of(box), False)]


def test_radio_click_unchecks_group_silently() -> None:
    doc, log, _ = setup()
    doc.handle_input(ev(doc, "click", "r2", checked=True))
    assert el(doc, "r2").checked and not el(doc, "r1").checked
    assert log == ["click:r2", "input:r2", "change:r2"]
    assert doc.take_ops() == []
    # Clicking the already checked radio changes nothing: no input/change.
    log.clear()
    doc.handle_input(ev(doc, "click", "r2", checked=True))
    assert log == ["click:r2"]


def test_button_click_submits_its_form() -> None:
    doc, log, _ = setup()
    doc.handle_input(ev(doc, "click", "go", x=3, y=4))
    assert log == ["click:go", "submit:f"]
    log.clear()
    doc.handle_input(ev(doc, "click", "sub"))
    assert log == ["click:sub", "submit:f"]


def test_button_type_button_and_lone_button_do_not_submit() -> None:
    doc, log, _ = setup()
    doc.handle_input(ev(doc, "click", "plain"))
    doc.handle_input(ev(doc, "click", "lone"))
    assert log == ["click:plain", "click:lone"]


def test_prevented_click_does_not_submit() -> None:
    doc, log, _ = setup()
    el(doc, "go").add_event_listener("click", lambda e: e.prevent_default())
    doc.handle_input(ev(doc, "click", "go"))
    assert log == ["click:go"]


def test_disabled_button_gets_no_click() -> None:
    doc, log, _ = setup()
    doc.handle_input(ev(doc, "click", "off"))
    assert log == []


def test_click_coordinates_reach_the_event() -> None:
    doc, _, _ = setup()
    got: list[tuple[int, int]] = []
    el(doc, "plain").add_event_listener("click", lambda e: got.append((e.x, e.y)))
    doc.handle_input(ev(doc, "click", "plain", x=10, y=20))
    assert got == [(10, 20)]


def test_enter_in_text_input_submits_form() -> None:
    doc, log, _ = setup()
    keys: list[str | None] = []
    el(doc, "name").add_event_listener("keydown", lambda e: keys.append(e.key))
    doc.handle_input(ev(doc, "keydown", "name", key="a"))
    doc.handle_input(ev(doc, "keyup", "name", key="a"))
    doc.handle_input(ev(doc, "keydown", "name", key="Enter"))
    assert keys == ["a", "Enter"]
    assert log == ["keydown:name", "keyup:name", "keydown:name", "submit:f"]


def test_enter_elsewhere_or_prevented_does_not_submit() -> None:
    doc, log, _ = setup()
    doc.handle_input(ev(doc, "keydown", "outside", key="Enter"))
    doc.handle_input(ev(doc, "keydown", "ta", key="Enter"))
    el(doc, "name").add_event_listener("keydown", lambda e: e.prevent_default())
    doc.handle_input(ev(doc, "keydown", "name", key="Enter"))
    assert "submit:f" not in log


def test_submit_listener_can_prevent_and_nothing_navigates() -> None:
    doc, _, _ = setup()
    got: list[Event] = []

    def on_submit(e: Event) -> None:
        e.prevent_default()
        got.append(e)

    el(doc, "f").add_event_listener("submit", on_submit)
    doc.handle_input(ev(doc, "click", "go"))
    assert len(got) == 1 and got[0].default_prevented
    assert doc.get_element_by_id("f") is not None  # the document is still there


def test_element_click_toggles_checkbox_and_records_op() -> None:
    doc, log, _ = setup()
    box = el(doc, "box")
    box.click()
    assert box.checked
    assert log == ["click:box", "input:box", "change:box"]
    assert doc.take_ops() == [SetChecked(Document.id_of(box), True)]
    box.click()
    assert not box.checked


def test_element_click_on_submit_button() -> None:
    doc, log, _ = setup()
    el(doc, "go").click()
    assert log == ["click:go", "submit:f"]


def test_focus_from_display_is_followed_without_op() -> None:
    doc, _, _ = setup()
    got: list[str] = []
    el(doc, "outside").add_event_listener("focus", lambda e: got.append("focus"))
    doc.add_event_listener("focus", lambda e: got.append("bubbled"))
    doc.handle_input(ev(doc, "focus", "outside"))
    assert got == ["focus"] and doc.active_element is el(doc, "outside")
    doc.handle_input(ev(doc, "blur", "outside"))
    assert doc.active_element is doc.body
    assert doc.take_ops() == []


def test_other_event_types_are_dispatched_plainly() -> None:
    doc, _, _ = setup()
    got: list[str] = []
    el(doc, "lone").add_event_listener("dblclick", lambda e: got.append(e.type))
    doc.handle_input(ev(doc, "dblclick", "lone"))
    assert got == ["dblclick"]
