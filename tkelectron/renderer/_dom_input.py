"""User input: turning the main process's :class:`DomEvent` into DOM events.

The display already shows what the user did (typed text, a ticked box), so the
state the event carries is applied to the DOM *without* recording ops; only
when the page cancels a checkbox click is the old state recorded back, since
the display would otherwise keep showing the tick.

Default actions, done after dispatch unless a listener called
``prevent_default()``: a click on a ``<button>`` (type ``submit`` by default)
or an ``<input type=submit>`` inside a ``<form>`` dispatches ``submit`` on the
form, and so does Enter pressed in a text ``<input>`` inside a form.
``submit`` never navigates: the page handles it in a listener.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..common._messages import DomEvent
from ._dom_drag import handle_drag
from ._dom_events import Event

if TYPE_CHECKING:
    from ._dom import Document
    from ._dom_element import Element

__all__ = ["activate", "handle_input"]

_NOT_TEXT_INPUTS = frozenset(
    "checkbox radio submit button reset file image hidden color range".split()
)
_FORM_CONTROLS = frozenset({"button", "input", "select", "textarea", "option", "optgroup", "fieldset"})


def _submits(el: Element) -> bool:
    if el._tag == "button":
        return el.type == "submit"
    return el._tag == "input" and el.type in ("submit", "image")


def _submit(el: Element) -> None:
    form = el.closest("form")
    if form is not None:
        form.dispatch_event(Event("submit", bubbles=True, cancelable=True))


def activate(el: Element, *, checked: bool | None, silent: bool, x: int = 0, y: int = 0) -> None:
    """A click on ``el``, by the user (``silent``: the display already shows it)
    or by ``el.click()``.

    A checkbox or radio takes its new state first (``checked`` when the user's
    event says it, else a toggle), then ``click`` is dispatched; if a listener
    cancels it the old state comes back, otherwise ``input`` and ``change``
    follow when the state changed. A disabled control gets no click at all.
    """
    if el._tag in _FORM_CONTROLS and el.disabled:
        return
    toggles = el._tag == "input" and el.type in ("checkbox", "radio")
    before: list[Element] = []
    old = False
    if toggles:
        old = el.checked
        group = el._radio_group()
        before = [r for r in group if r.checked]
        new = checked if checked is not None else (True if el.type == "radio" else not old)
        el._set_checked(new, record=not silent)
    proceed = el.dispatch_event(Event("click", bubbles=True, cancelable=True, x=x, y=y))
    if toggles:
        if not proceed:
            el._set_checked(old, record=True)
            for radio in before:
                radio._set_checked(True, record=True)
        elif el.checked != old:
            el.dispatch_event(Event("input", bubbles=True, cancelable=False))
            el.dispatch_event(Event("change", bubbles=True, cancelable=False))
        return
    if proceed and _submits(el):
        _submit(el)


def handle_input(document: Document, ev: DomEvent) -> None:
    """Apply and dispatch one user event; an unknown target is ignored."""
    el = document.node_by_id(ev.target)
    if el is None or el._is_text:
        return
    target: Element = el  # type: ignore[assignment]
    if ev.drag is not None:  # drag and drop: _dom_drag
        handle_drag(document, target, ev, ev.drag)
        return
    if ev.type in ("input", "change"):
        if ev.value is not None:
            target._set_live_value(ev.value)
        if ev.checked is not None:
            target._set_checked(ev.checked, record=False)
        target.dispatch_event(Event(ev.type, bubbles=True, cancelable=False, x=ev.x, y=ev.y))
    elif ev.type == "click":
        activate(target, checked=ev.checked, silent=True, x=ev.x, y=ev.y)
    elif ev.type in ("keydown", "keyup"):
        proceed = target.dispatch_event(Event(ev.type, bubbles=True, cancelable=True, key=ev.key))
        if (
            proceed
            and ev.type == "keydown"
            and ev.key == "Enter"
            and target._tag == "input"
            and target.type not in _NOT_TEXT_INPUTS
        ):
            _submit(target)
    elif ev.type in ("focus", "blur"):
        # The display moved the focus itself: follow it silently. Neither bubbles.
        document._active = target if ev.type == "focus" else None
        target.dispatch_event(Event(ev.type, bubbles=False, cancelable=False))
    else:
        target.dispatch_event(Event(ev.type, bubbles=True, cancelable=True, key=ev.key, x=ev.x, y=ev.y))
