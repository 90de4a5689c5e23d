"""User input on a Tkhtml page, turned into DOM events.

Two kinds of things receive input in a tkinterweb page:

- Form controls (``<input>``, ``<textarea>``, ``<select>``) are real Tk
  widgets embedded in the html widget. Each is *attached* when it appears
  (:meth:`TkInput.attach`) and watched directly: a text control's value is
  traced (every change, typed, pasted or cut, passes through its variable or
  its ``<<Modified>>`` event), checkboxes and radios report through their
  ``command`` (which Tk runs only for a user's click or key, never for a
  programmatic ``variable.set``).
- Everything else is drawn by Tkhtml. The pointer's events on the html
  widget (:mod:`._tk_pointer`) hit-test the point and climb to the nearest
  element carrying a ``data-tke-id`` (text nodes carry none). Events on an
  embedded widget go to that widget's own X window, never to the html widget,
  so nothing is reported twice; its bindings forward them with its node.

Keys, on controls and on the page, go to :class:`~._tk_keyboard.TkKeyboard`
(the DOM's ``key``, ``code``, modifiers and ``repeat``; a key main consumed is
kept from the widget too).

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
from ._tk_keyboard import TkKeyboard
from ._tk_pointer import TkPointer, page_selection
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

    def __init__(self, html: Any, dom: TkDom, emit: Callable[[InputEvent], bool | None],
                 page_target: Callable[[], int | None], hears: Callable[[str], bool] = lambda kind: True) -> None:
        self.html = html
        self.dom = dom
        self._emit = emit
        #: Whether the page would hear input of a kind now (SurfaceCallbacks.hears).
        self.hears = hears
        self._page_target = page_target
        self._suppress = 0
        self._deferred_focus: tuple[Any, int | None] | None = None
        self._by_handle: dict[str, _Control] = {}
        self._by_node: dict[int, _Control] = {}
        self._by_widget: dict[str, _Control] = {}
        self._focused = 0  # the control that has the keyboard (0: none)
        self._blurred = 0  # the control that lost it last, until another takes it
        self.pointer = TkPointer(self)
        self.keyboard = TkKeyboard(self)
        self._tag = tag = f"TkeInput{id(self)}"
        handlers: tuple[tuple[str, Callable[[_Control, Any], str | None]], ...] = (
            ("<KeyPress>", lambda c, e: self.keyboard.press(e, c.node, c)),
            ("<KeyRelease>", lambda c, e: self.keyboard.release(e, c.node, c)),
            ("<ButtonPress>", lambda c, e: self._on_control_press(c, e, 1)),
            ("<Double-ButtonPress>", lambda c, e: self._on_control_press(c, e, 2)),
            ("<ButtonRelease>", lambda c, e: self.pointer.release(e, c.node, *self._xy(e))),
            ("<Motion>", lambda c, e: self.pointer.motion(e, c.node, *self._xy(e))),
            ("<Enter>", lambda c, e: self.pointer.motion(e, c.node, *self._xy(e))),
            ("<Leave>", self._on_control_leave),
            ("<<Modified>>", self._on_modified),
        )
        self._sequences = [seq for seq, _ in handlers] + ["<FocusIn>", "<FocusOut>"]
        for seq, handler in handlers:
            html.bind_class(tag, seq, functools.partial(self._dispatch, handler))
        # tkinter's events carry no focus detail (%d): these are bound in Tcl.
        self._focus_cmd = html.register(self._on_focus_change)
        html.bind_class(tag, "<FocusIn>", f"{self._focus_cmd} in %W %d")
        html.bind_class(tag, "<FocusOut>", f"{self._focus_cmd} out %W %d")
        page_keys = self.pointer.tag  # first in the html widget's bindtags
        html.bind_class(page_keys, "<KeyPress>", lambda e: self.keyboard.press(e, self.page_target() or 0, None))
        html.bind_class(page_keys, "<KeyRelease>", lambda e: self.keyboard.release(e, self.page_target() or 0, None))

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
        keys.bindtags((self._tag, *keys.bindtags()))
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
        self.keyboard.close()
        for seq in self._sequences:
            self.html.unbind_class(self._tag, seq)
        for seq in ("<KeyPress>", "<KeyRelease>"):
            self.html.unbind_class(self.pointer.tag, seq)
        self.html.deletecommand(self._focus_cmd)
        self.pointer.close()

    def _dispatch(self, handler: Callable[[_Control, Any], str | None], event: Any) -> str | None:
        c = self._by_widget.get(str(event.widget))
        if c is not None and c.node in self._by_node:
            return handler(c, event)
        return None

    def page_target(self) -> int | None:
        """The element page-level input goes to (the body)."""
        return self._page_target()

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
        self.send(event)

    def send(self, event: InputEvent) -> bool:
        """Report ``event`` (unless the renderer's changes are applying); True: main consumed it."""
        if self._suppress:
            return False
        return bool(self._emit(event))

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

    def _xy(self, event: Any) -> tuple[int, int]:
        return self._viewport_xy(event.widget, event.x, event.y)

    # -- the pointer on controls ------------------------------------------------------

    def clicks_itself(self, node: int) -> bool:
        """Whether control ``node`` reports its own clicks (checkboxes and radios
        through their command, a ``<select>`` when its list opens)."""
        c = self._by_node.get(node)
        return c is not None and c.kind in ("check", "radio", "select")

    def _on_control_press(self, c: _Control, event: Any, detail: int) -> None:
        x, y = self._xy(event)
        self.pointer.press(event, c.node, x, y, detail)
        if c.kind == "select" and int(event.num) == 1:
            self._send(InputEvent("click", c.node, value=self._read(c), x=x, y=y, button=0, buttons=1,
                                  detail=detail))

    def _on_control_leave(self, c: _Control, event: Any) -> None:
        html = self.html
        x = event.x_root - html.winfo_rootx()
        y = event.y_root - html.winfo_rooty()
        if not (0 <= x < html.winfo_width() and 0 <= y < html.winfo_height()):
            self.pointer.left(int(event.state), x, y)  # out of the window, not back onto the page

    def selection(self, node: int) -> tuple[str, bool, bool]:
        """(selected text, can undo, can redo) where ``node`` is: its control's, else the page's."""
        c = self._by_node.get(node)
        if c is None or c.kind not in ("text", "textarea"):
            return page_selection(self.html), False, False
        widget = self.key_widget(c)
        try:
            if c.kind == "text":
                text = str(widget.selection_get()) if widget.selection_present() else ""
                return text, False, False
            ranges = widget.tag_ranges("sel")
            text = str(widget.get(ranges[0], ranges[1])) if ranges else ""
            undo = bool(widget.edit("canundo")) if widget.cget("undo") else False
            redo = bool(widget.edit("canredo")) if widget.cget("undo") else False
        except tkinter.TclError:
            return "", False, False
        return text, undo, redo

    # -- focus ----------------------------------------------------------------------------

    def _on_focus_change(self, kind: str, path: str, detail: str) -> None:
        c = self._by_widget.get(path)
        if c is None or c.node not in self._by_node or detail in _FOCUS_NOISE:
            return
        if kind == "in":
            if self._focused != c.node:
                # The element that lost the keyboard just before (its blur came first).
                previous = self._focused or self._blurred
                self._focused, self._blurred = c.node, 0
                self._send(InputEvent("focus", c.node, related=previous))
            return
        if c.kind in ("text", "textarea"):
            self._commit(c)
        if self._focused == c.node:
            self._focused, self._blurred = 0, c.node
            self._send(InputEvent("blur", c.node))

    # -- keys (``_tk_keyboard``) ---------------------------------------------------------

    def flush_keys(self) -> None:
        """Report the key release still held back (a later event shows it was real)."""
        self.keyboard.flush()


#: Focus changes that are not the keyboard moving (X's pointer and no-detail notifications).
_FOCUS_NOISE = frozenset({"NotifyPointer", "NotifyPointerRoot", "NotifyDetailNone"})
