"""User input on a Tkhtml page, turned into DOM events.

Two kinds of things receive input in a tkinterweb page:

- Form controls (``<input>``, ``<textarea>``, ``<select>``) are real Tk
  widgets embedded in the html widget. Each is *attached* when it appears
  (:meth:`TkInput.attach`) and watched directly: a text control's value is
  traced (every change, typed, pasted or cut, passes through its variable or
  its ``<<Modified>>`` event), checkboxes and radios report through their
  ``command`` (which Tk runs only for a user's click or key, never for a
  programmatic ``variable.set``).
- Everything else is drawn by Tkhtml. One ``<Button-1>`` binding on the html
  widget hit-tests the point and climbs to the nearest element carrying a
  ``data-tke-id`` (text nodes carry none). Clicks on an embedded widget go to
  that widget's own X window, never to the html widget, so nothing is
  reported twice.

A value set by the renderer (:meth:`TkInput.set_value`) is recorded as the
control's known value *before* the widget changes, and input is suppressed
while ops apply, so a programmatic change is never echoed back as user input.
An ``input`` event is only sent when the value differs from the last known
one; ``change`` is sent when a text control loses focus or gets Enter with a
value different from the one last committed.
"""

from __future__ import annotations

import contextlib
import functools
import tkinter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ._tk_dom import TkDom
from ._tk_keys import dom_key
from .base import InputEvent

__all__ = ["TkInput"]

@dataclass(eq=False)
class _Control:
    node: int
    handle: str
    widget: Any
    kind: str  # text, textarea, select, check, radio, other
    last: str = ""
    committed: str = ""
    var: tkinter.Variable | None = None
    extra: list[Any] = field(default_factory=list)


class TkInput:
    """Captures input on one html widget and reports it as :class:`InputEvent`."""

    def __init__(self, html: Any, dom: TkDom, emit: Callable[[InputEvent], None],
                 page_target: Callable[[], int | None]) -> None:
        self.html = html
        self.dom = dom
        self._emit = emit
        self._page_target = page_target
        self._suppress = 0
        self._deferred_focus: tuple[Any, int | None] | None = None
        self._by_handle: dict[str, _Control] = {}
        self._by_node: dict[int, _Control] = {}
        self._pressed: dict[int, str] = {}  # keycode -> DOM key, so keyup names match keydown
        self._by_widget: dict[str, _Control] = {}
        self._tag = tag = f"TkeInput{id(self)}"
        for seq, handler in (
            ("<KeyPress>", lambda c, e: self._on_control_key(c, e, "keydown")),
            ("<KeyRelease>", lambda c, e: self._on_control_key(c, e, "keyup")),
            ("<Button-1>", self._on_widget_click),
            ("<FocusOut>", lambda c, e: self._commit(c) if c.kind in ("text", "textarea") else None),
            ("<<Modified>>", self._on_modified),
        ):
            html.bind_class(tag, seq, functools.partial(self._dispatch, handler))
        html.bind("<Button-1>", self._on_page_click, add="+")
        html.bind("<KeyPress>", lambda e: self._on_key(e, "keydown", self._page_target()), add="+")
        html.bind("<KeyRelease>", lambda e: self._on_key(e, "keyup", self._page_target()), add="+")

    # -- the set of controls ----------------------------------------------------

    def attach(self, node: int, handle: str) -> None:
        """Start watching the control of element ``node`` if it has a widget."""
        widget = self.html.widget_manager.get_node_widget(handle)
        if widget is None or handle in self._by_handle:
            return
        tag = self.dom.tag(handle).lower()
        kind_attr = self.dom.attr(handle, "type").lower()
        if tag == "textarea":
            kind = "textarea"
        elif tag == "select":
            kind = "select"
        elif kind_attr in ("checkbox", "radio"):
            kind = "check" if kind_attr == "checkbox" else "radio"
        elif isinstance(widget, (tkinter.Entry, tkinter.Spinbox)):
            kind = "text"
        else:
            kind = "other"
        if kind == "select":
            self._select_initial(handle, widget)
        c = _Control(node, handle, widget, kind)
        c.last = c.committed = self._read(c)
        self._by_handle[handle] = c
        self._by_node[node] = c
        keys = self.key_widget(c)
        # Our tag goes first: the widget's own bindings (tkinterweb binds
        # <Return> on entries) would otherwise shadow a <KeyPress> binding on
        # the same tag, and ours must see the value before the key changes it.
        keys.bindtags((self._tag,) + tuple(keys.bindtags()))
        self._by_widget[str(keys)] = c
        if kind in ("check", "radio"):
            widget.configure(command=lambda: self._on_toggle(c))
        elif kind == "text":
            var = getattr(widget, "variable", None)
            if not isinstance(var, tkinter.Variable):
                # FormEntry has no variable: give it one so every change is traced.
                var = tkinter.StringVar(widget, value=tkinter.Entry.get(widget))
                tkinter.Entry.configure(widget, textvariable=var)
            c.var = var
            var.trace_add("write", lambda *_: self._on_change(c))

    def forget_all(self) -> None:
        """Stop watching every control (the document is being replaced)."""
        for handle in list(self._by_handle):
            self.forget(handle)

    def close(self) -> None:
        """Drop the bindings this object made on the Tk interpreter."""
        for seq in ("<KeyPress>", "<KeyRelease>", "<Button-1>", "<FocusOut>", "<<Modified>>"):
            self.html.unbind_class(self._tag, seq)

    def _dispatch(self, handler: Callable[[_Control, Any], None], event: Any) -> None:
        c = self._by_widget.get(str(event.widget))
        if c is not None and c.node in self._by_node:
            handler(c, event)

    def _select_initial(self, handle: str, widget: Any) -> None:
        # tkinterweb takes `selected` for false when it has no value (the usual
        # <option selected>): choose the option as a browser would.
        for option in self.dom.search("option", root=handle):
            if self.dom.attr(option, "selected", "-tke-absent-") != "-tke-absent-":
                widget.set(self.dom.attr(option, "value"))
                return

    def forget(self, handle: str) -> Any | None:
        """Stop watching the control at ``handle``; returns its widget."""
        c = self._by_handle.pop(handle, None)
        if c is None:
            return None
        self._by_widget.pop(str(self.key_widget(c)), None)
        if self._by_node.get(c.node) is c:
            del self._by_node[c.node]
        c.var = None
        return c.widget

    def control(self, node: int) -> _Control | None:
        return self._by_node.get(node)

    @staticmethod
    def key_widget(c: _Control) -> Any:
        """The widget that takes keyboard focus for control ``c``."""
        return getattr(c.widget, "tbox", c.widget)

    # -- state, read and written by the renderer ---------------------------------

    @contextlib.contextmanager
    def suppressed(self) -> Iterator[None]:
        """Changes made inside are the renderer's, not the user's: report none."""
        self._suppress += 1
        try:
            yield
        finally:
            self._suppress -= 1

    def value(self, node: int) -> str | None:
        c = self._by_node.get(node)
        if c is None:
            return None
        if c.kind in ("check", "radio"):
            return self.dom.attr(c.handle, "value") or "on"
        return self._read(c)

    def checked(self, node: int) -> bool | None:
        c = self._by_node.get(node)
        if c is None or c.kind not in ("check", "radio"):
            return None
        return self._checked(c)

    def set_value(self, node: int, value: str) -> bool:
        c = self._by_node.get(node)
        if c is None or c.kind in ("check", "radio"):
            return False
        c.last = c.committed = value
        keys = self.key_widget(c)
        state = str(keys.cget("state"))
        with self.suppressed():
            if state == "disabled":
                keys.configure(state="normal")  # a disabled widget ignores inserts
            if hasattr(c.widget, "set"):
                c.widget.set(value)
            else:
                c.widget.delete(0, "end")
                c.widget.insert(0, value)
            if state == "disabled":
                keys.configure(state="disabled")
        if c.kind == "textarea":
            self.key_widget(c).edit_modified(False)
        return True

    def set_checked(self, node: int, checked: bool) -> bool:
        c = self._by_node.get(node)
        if c is None or c.kind not in ("check", "radio"):
            return False
        with self.suppressed():
            if c.kind == "check":
                c.widget.variable.set(1 if checked else 0)
            elif checked:
                c.widget.variable.set(str(c.widget.cget("value")))
            elif self._checked(c):
                c.widget.variable.set("")
        return True

    def set_disabled(self, node: int, disabled: bool) -> None:
        c = self._by_node.get(node)
        if c is not None:
            self.key_widget(c).configure(state="disabled" if disabled else "normal")

    def focus(self, node: int) -> bool:
        c = self._by_node.get(node)
        if c is None:
            return False
        self.take_focus(self.key_widget(c), node)
        return True

    def take_focus(self, widget: Any, node: int | None = None) -> None:
        """Focus ``widget`` unless another of the app's windows has the keyboard.

        A page focusing one of its controls must never move the keyboard out
        of the window the user is typing in (a renderer could read what was
        meant for another window). Tk would move it: its ``focus`` takes the
        display's focus whenever the app has it. So while another toplevel
        has it, the request waits and is carried out when this window next
        gets the focus (:meth:`focus_arrived`).
        """
        try:
            current = widget.focus_get()
        except (KeyError, tkinter.TclError):  # focus in a widget tkinter does not know (a menu)
            current = None
        if current is not None and current.winfo_toplevel() is not widget.winfo_toplevel():
            self._deferred_focus = (widget, node)
            return
        self._deferred_focus = None
        widget.focus_set()

    def focus_arrived(self) -> None:
        """This window got the keyboard: carry out a focus request that waited."""
        deferred, self._deferred_focus = self._deferred_focus, None
        if deferred is None:
            return
        widget, node = deferred
        if node is not None and self._by_node.get(node) is None:
            return  # the control went away meanwhile
        try:
            widget.focus_set()
        except tkinter.TclError:
            pass

    # -- event handlers ------------------------------------------------------------

    def _read(self, c: _Control) -> str:
        if c.kind in ("check", "radio"):
            return "1" if self._checked(c) else ""
        try:
            return str(c.widget.get())
        except (IndexError, tkinter.TclError):
            return ""  # an empty <select>, or a widget already gone

    @staticmethod
    def _checked(c: _Control) -> bool:
        got = c.widget.variable.get()
        if c.kind == "check":
            return bool(int(got or 0))
        return bool(got) and str(got) == str(c.widget.cget("value"))

    def _send(self, event: InputEvent) -> None:
        if not self._suppress:
            self._emit(event)

    def _on_change(self, c: _Control) -> None:
        if c.node not in self._by_node:
            return
        value = self._read(c)
        if value == c.last:
            return
        c.last = value
        if self._suppress:
            c.committed = value  # the renderer's value is the new baseline for `change`
            return
        self._send(InputEvent("input", c.node, value=value))
        if c.kind in ("select", "other"):
            c.committed = value
            self._send(InputEvent("change", c.node, value=value))

    def _on_modified(self, c: _Control, event: Any) -> None:
        if c.kind == "textarea":
            # Text's <<Modified>> fires once per false->true flip: re-arm it each time.
            self.key_widget(c).edit_modified(False)
        if c.kind not in ("text", "check", "radio"):
            self._on_change(c)

    def _commit(self, c: _Control) -> None:
        self._on_change(c)  # a textarea's <<Modified>> may still be queued
        if c.last != c.committed:
            c.committed = c.last
            self._send(InputEvent("change", c.node, value=c.last))

    def _on_toggle(self, c: _Control) -> None:
        c.last = self._read(c)
        self._send(InputEvent("click", c.node, value=self.value(c.node), checked=self._checked(c)))

    def _viewport_xy(self, widget: Any, x: int, y: int) -> tuple[int, int]:
        return (widget.winfo_rootx() - self.html.winfo_rootx() + x,
                widget.winfo_rooty() - self.html.winfo_rooty() + y)

    def _on_widget_click(self, c: _Control, event: Any) -> None:
        if c.kind not in ("text", "textarea", "select"):
            return  # checkboxes and radios report through their command
        x, y = self._viewport_xy(event.widget, event.x, event.y)
        self._send(InputEvent("click", c.node, value=self._read(c), x=x, y=y))

    def _on_page_click(self, event: Any) -> None:
        target = self.dom.hit(event.x, event.y)
        if target is None:
            target = self._page_target()
        if target is not None:
            self._send(InputEvent("click", target, x=event.x, y=event.y))

    def _on_key(self, event: Any, kind: str, target: int | None) -> None:
        if target is None:
            return
        if kind == "keydown":
            key = self._pressed[event.keycode] = dom_key(event.keysym, event.char)
        else:
            key = self._pressed.pop(event.keycode, "") or dom_key(event.keysym, event.char)
        self._send(InputEvent(kind, target, key=key))

    def _on_control_key(self, c: _Control, event: Any, kind: str) -> None:
        value = None if c.kind in ("check", "radio") else self._read(c)
        if kind == "keydown":
            key = self._pressed[event.keycode] = dom_key(event.keysym, event.char)
        else:
            key = self._pressed.pop(event.keycode, "") or dom_key(event.keysym, event.char)
        self._send(InputEvent(kind, c.node, value=value, key=key))
        if kind == "keydown" and key == "Enter" and c.kind == "text":
            self._commit(c)
