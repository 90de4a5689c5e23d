"""``on<event>`` properties: ``el.onclick = fn``, ``document.onkeydown = fn``, ``window.onload = fn``.

Each property is an *event handler* in the HTML standard's sense, kept in the
target's listener list beside ``add_event_listener``'s listeners:

- setting a function when there is none adds it as a (non-capture) listener
  at the end of the list; setting another function later replaces it *in
  its place*, so a handler keeps its order among the listeners added before
  and after it, as in browsers;
- setting ``None`` removes it (set again, it goes to the end);
- ``remove_event_listener`` never removes a handler, and adding the same
  function as a listener adds a second, separate call;
- a handler that returns ``False`` cancels the event (``prevent_default()``),
  as ``onclick = () => false`` does in a browser.

The properties are the HTML ``GlobalEventHandlers`` names (plus the
``focusin``/``focusout`` pair); a page's own event types have none, as in the
DOM (use ``add_event_listener``). Setting anything but a callable or ``None``
is a ``TypeError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._dom_events import EventTarget, Listener, _Entry, watched

__all__ = ["HANDLER_EVENTS", "GlobalEventHandlers"]

#: The event types with an ``on<type>`` property.
HANDLER_EVENTS = (
    "abort", "auxclick", "beforeinput", "blur", "cancel", "change", "click", "close", "contextmenu",
    "copy", "cut", "dblclick", "drag", "dragend", "dragenter", "dragleave", "dragover", "dragstart",
    "drop", "error", "focus", "focusin", "focusout", "input", "invalid", "keydown", "keypress", "keyup",
    "load", "mousedown", "mouseenter", "mouseleave", "mousemove", "mouseout", "mouseover", "mouseup",
    "paste", "pointerdown", "pointermove", "pointerup", "reset", "resize", "scroll", "scrollend",
    "select", "submit", "toggle", "wheel",
)  # fmt: skip


class _Handler:
    """The descriptor behind one ``on<type>`` property."""

    __slots__ = ("type",)

    def __init__(self, type: str) -> None:
        self.type = type

    def _entry(self, target: EventTarget) -> _Entry | None:
        entries = target._listeners.get(self.type) if target._listeners else None
        return next((e for e in entries if e.handler), None) if entries else None

    def __get__(self, target: EventTarget | None, owner: type | None = None) -> Any:
        if target is None:
            return self
        entry = self._entry(target)
        return entry.fn if entry is not None else None

    def __set__(self, target: EventTarget, value: Listener | None) -> None:
        if value is not None and not callable(value):
            raise TypeError(f"on{self.type} must be a function or None, not {type(value).__name__}")
        entry = self._entry(target)
        if value is None:
            if entry is not None:
                target._drop(self.type, entry)
        elif entry is not None:
            entry.fn = value  # the same place among the listeners
        else:
            if target._listeners is None:
                target._listeners = {}
            target._listeners.setdefault(self.type, []).append(_Entry(value, False, False, False, handler=True))
            watched(self.type, 1)


class GlobalEventHandlers:
    """The ``on<event>`` properties of elements, the document and the window (a mixin)."""

    __slots__ = ()

    if TYPE_CHECKING:
        onabort: Any
        onauxclick: Any
        onbeforeinput: Any
        onblur: Any
        oncancel: Any
        onchange: Any
        onclick: Any
        onclose: Any
        oncontextmenu: Any
        oncopy: Any
        oncut: Any
        ondblclick: Any
        ondrag: Any
        ondragend: Any
        ondragenter: Any
        ondragleave: Any
        ondragover: Any
        ondragstart: Any
        ondrop: Any
        onerror: Any
        onfocus: Any
        onfocusin: Any
        onfocusout: Any
        oninput: Any
        oninvalid: Any
        onkeydown: Any
        onkeypress: Any
        onkeyup: Any
        onload: Any
        onmousedown: Any
        onmouseenter: Any
        onmouseleave: Any
        onmousemove: Any
        onmouseout: Any
        onmouseover: Any
        onmouseup: Any
        onpaste: Any
        onpointerdown: Any
        onpointermove: Any
        onpointerup: Any
        onreset: Any
        onresize: Any
        onscroll: Any
        onscrollend: Any
        onselect: Any
        onsubmit: Any
        ontoggle: Any
        onwheel: Any


for _type in HANDLER_EVENTS:
    setattr(GlobalEventHandlers, "on" + _type, _Handler(_type))
del _type
