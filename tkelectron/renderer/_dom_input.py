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

Keys arrive as :class:`~._dom_ui_events.KeyboardEvent`; a ``keydown`` that
produces a character (or Enter) without Control, Alt or Meta, and that no
listener prevented, is followed by ``keypress``, as in browsers. The pointer's
events are :class:`~._dom_ui_events.MouseEvent` (``WheelEvent`` for the
wheel). Main reports a hover change as one ``mouseover`` naming the element
left (``related``); the DOM's sequence is derived here from the tree:
``mouseout`` on the old element, ``mouseleave`` on each of its ancestors the
pointer left (innermost first), ``mouseover`` on the new one, ``mouseenter``
on each ancestor entered (outermost first). A ``contextmenu`` no listener
prevented lets main show the app's native menu (``_input_listeners``).
Focus moves as ``focus``/``blur`` (not bubbling) followed by
``focusin``/``focusout`` (bubbling).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..common._messages import DomEvent
from . import _input_listeners
from ._dom_drag import handle_drag, swallowed_by_drag
from ._dom_events import Event
from ._dom_ui_events import FocusEvent, KeyboardEvent, MouseEvent, WheelEvent

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


def activate(el: Element, *, checked: bool | None, silent: bool, x: int = 0, y: int = 0,
             user: DomEvent | None = None) -> None:
    """A click on ``el``, by the user (``silent``: the display already shows it)
    or by ``el.click()``.

    A checkbox or radio takes its new state first (``checked`` when the user's
    event says it, else a toggle), then ``click`` is dispatched; if a listener
    cancels it the old state comes back, otherwise ``input`` and ``change``
    follow when the state changed. A disabled control gets no click at all.
    The click is a :class:`MouseEvent` with what the user's event ``user`` says
    of the pointer (zeros, ``detail`` 0, for ``el.click()``).
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
    if user is not None:
        click = MouseEvent.of("click", user)
    else:
        click = MouseEvent("click", client_x=x, client_y=y)
    proceed = el.dispatch_event(click)
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


_MOUSE = frozenset({"mousedown", "mouseup", "mousemove", "dblclick", "auxclick"})


def handle_input(document: Document, ev: DomEvent) -> None:
    """Apply and dispatch one user event; an unknown target is ignored."""
    if ev.type == "mouseover":
        _hover(document, ev)
        return
    el = document.node_by_id(ev.target)
    if el is None or el._is_text:
        return
    target: Element = el  # type: ignore[assignment]
    if ev.drag is not None:  # drag and drop: _dom_drag
        handle_drag(document, target, ev, ev.drag)
        return
    if swallowed_by_drag(document, ev.type):  # no mouse events while the page drags, as in browsers
        return
    if ev.type in ("input", "change"):
        if ev.value is not None:
            target._set_live_value(ev.value)
        if ev.checked is not None:
            target._set_checked(ev.checked, record=False)
        target.dispatch_event(Event(ev.type, bubbles=True, cancelable=False, x=ev.x, y=ev.y))
    elif ev.type == "click":
        activate(target, checked=ev.checked, silent=True, x=ev.x, y=ev.y, user=ev)
    elif ev.type in ("keydown", "keyup"):
        _key(target, ev)
    elif ev.type in _MOUSE:
        target.dispatch_event(MouseEvent.of(ev.type, ev))
    elif ev.type == "wheel":
        target.dispatch_event(WheelEvent("wheel", delta_x=ev.delta_x, delta_y=ev.delta_y, client_x=ev.x,
                                         client_y=ev.y, buttons=ev.buttons, modifiers=ev.modifiers))
    elif ev.type == "contextmenu":
        if target.dispatch_event(MouseEvent.of("contextmenu", ev)):
            _input_listeners.allow_context_menu(ev.seq)
    elif ev.type in ("focus", "blur"):
        # The display moved the focus itself: follow it silently.
        other = document.node_by_id(ev.related) if ev.related else None
        document._active = target if ev.type == "focus" else None
        target.dispatch_event(FocusEvent(ev.type, related_target=other))
        target.dispatch_event(FocusEvent("focusin" if ev.type == "focus" else "focusout",
                                         related_target=other, bubbles=True))
    else:
        target.dispatch_event(Event(ev.type, bubbles=True, cancelable=True, key=ev.key, x=ev.x, y=ev.y))


def _key(target: Element, ev: DomEvent) -> None:
    key = ev.key or ""
    event = KeyboardEvent(ev.type, key=key, code=ev.code or "", modifiers=ev.modifiers, repeat=ev.repeat)
    proceed = target.dispatch_event(event)
    if not proceed or ev.type != "keydown":
        return
    if (len(key) == 1 or key == "Enter") and not (event.ctrl_key or event.alt_key or event.meta_key):
        press = KeyboardEvent("keypress", key=key, code=ev.code or "", modifiers=ev.modifiers, repeat=ev.repeat)
        proceed = target.dispatch_event(press)
    if proceed and key == "Enter" and target._tag == "input" and target.type not in _NOT_TEXT_INPUTS:
        _submit(target)


def _chain(el: Element | None) -> list[Element]:
    out: list[Element] = []
    while el is not None:
        out.append(el)
        el = el.parent_element
    return out


def _hover(document: Document, ev: DomEvent) -> None:
    """The pointer moved from element ``ev.related`` to ``ev.target`` (either may be none)."""
    old_node = document.node_by_id(ev.related) if ev.related else None
    new_node = document.node_by_id(ev.target) if ev.target else None
    old: Element | None = None if old_node is None or old_node._is_text else old_node  # type: ignore[assignment]
    new: Element | None = None if new_node is None or new_node._is_text else new_node  # type: ignore[assignment]
    old_chain, new_chain = _chain(old), _chain(new)
    kept = set(map(id, old_chain)) & set(map(id, new_chain))
    if old is not None:
        old.dispatch_event(MouseEvent.of("mouseout", ev, related_target=new))
        for el in old_chain:
            if id(el) not in kept:
                el.dispatch_event(MouseEvent.of("mouseleave", ev, related_target=new, bubbles=False,
                                                cancelable=False))
    if new is not None:
        new.dispatch_event(MouseEvent.of("mouseover", ev, related_target=old))
        for el in reversed(new_chain):
            if id(el) not in kept:
                el.dispatch_event(MouseEvent.of("mouseenter", ev, related_target=old, bubbles=False,
                                                cancelable=False))
