"""Show tkelectron menus as native Tk menus: menu bars, popups, accelerators.

:func:`attach_menu` mirrors a :class:`~tkelectron.main._menu.Menu` as a
toplevel's menu bar (``tearoff=0`` menus; cascades, separators, checkbuttons
and radiobuttons; disabled entries; invisible items left out; ``&`` marks the
mnemonic as in Electron) and binds every item's accelerator on the toplevel,
so the key works wherever the focus is inside the window. The mirror follows
the model: a field change reconfigures the entry at once, a structural change
(items added, visibility) rebuilds that one Tk menu when Tk is next idle.

A menu entry or key press does not run app code in the Tk callback: it hands
``item.click()`` to trio with ``run_sync_soon`` (when trio runs as a guest of
this Tk), so a click runs in trio's context and ``async`` handlers start as
tasks. Without trio (plain Tk) the click runs directly.

A model menu's ``menu-will-show`` is emitted from its Tk menu's
``-postcommand`` (Tk runs it before posting a drop-down, a cascade or a
popup, for a menu bar's clones too) and ``menu-will-close`` from the
``<Unmap>`` of that posted menu (one class binding on ``Menu``, which sees
the clones Tk makes for menu bars). Like clicks, both are emitted in trio's
context, so listeners run after the Tk callback returns.

Edit roles (copy, paste, ...) are delivered as Tk virtual events to the
focused widget. When an edit role's accelerator is a key Tk already maps to
that virtual event (``<Control-Key-v>`` is ``<<Paste>>``), Tk's own class
binding has handled the key, so the accelerator does nothing more (no double
paste).
"""

from __future__ import annotations

import functools
import logging
import tkinter as tk
import weakref
from collections.abc import Callable
from typing import Any

import trio

from .._accelerators import tk_sequence_matches
from .._menu import Menu, MenuChange, MenuEvent, MenuItem, split_mnemonic
from .._menu_roles import EDIT_ROLE_EVENTS, register_edit_target

__all__ = ["attach_menu", "popup_menu", "menubar_of", "popup_of"]

log = logging.getLogger("tkelectron.menu")

_attachments: weakref.WeakKeyDictionary[tk.Misc, _Attachment] = weakref.WeakKeyDictionary()
_popups: weakref.WeakKeyDictionary[tk.Misc, _MenuTree] = weakref.WeakKeyDictionary()
_roots: weakref.WeakSet[tk.Misc] = weakref.WeakSet()
_SIMPLE_FIELDS = ("label", "enabled", "accelerator", "checked")


def _in_trio(fn: Callable[[], Any], what: str) -> None:
    """Run ``fn`` in trio's context when trio is our guest, else directly."""
    try:
        token = trio.lowlevel.current_trio_token()
    except RuntimeError:
        fn()
        return
    try:
        token.run_sync_soon(fn)
    except trio.RunFinishedError:
        log.debug("%s while trio is finishing; ignored", what)


def _dispatch(item: MenuItem, event: MenuEvent) -> None:
    """Run ``item.click`` in trio's context when trio is our guest."""
    _in_trio(functools.partial(item.click, event=event), f"menu item {item!r} triggered")


def _emit(model: Menu, event: str) -> None:
    def emit() -> None:
        try:
            model.emit(event)
        except Exception:
            log.exception("%s listener of %r raised", event, model)
    _in_trio(emit, event)


#: Tk menu path -> the tree showing it, for the class-wide <Unmap> binding.
_trees_by_path: weakref.WeakValueDictionary[str, _MenuTree] = weakref.WeakValueDictionary()
_unmap_bound: weakref.WeakSet[tk.Misc] = weakref.WeakSet()


def _original_path(path: str) -> str:
    """The menu a Tk clone copies: Tk names the clone of ``.a.b`` ``...#a#b``."""
    last = path.rsplit(".", 1)[-1]
    return last.replace("#", ".") if last.startswith("#") else path


def _on_menu_unmap(event: tk.Event) -> None:
    path = str(event.widget)
    for candidate in (path, _original_path(path)):
        tree = _trees_by_path.get(candidate)
        if tree is not None:
            tree.unposted(candidate)
            return


#: A window that can show a menu bar: a Tk root or a toplevel.
_Window = tk.Tk | tk.Toplevel


def _tk_root(widget: tk.Misc) -> tk.Misc:
    """The Tk root of ``widget``'s application (tkinter's ``_root()``, which typeshed leaves out)."""
    root: tk.Misc = widget.nametowidget(".")
    return root


def _bind_unmap(root: tk.Misc) -> None:
    if root not in _unmap_bound:
        root.bind_class("Menu", "<Unmap>", _on_menu_unmap, add="+")
        _unmap_bound.add(root)


class _View:
    """One Tk menu showing one model Menu."""

    def __init__(self, model: Menu, widget: tk.Menu) -> None:
        self.model = model
        self.widget = widget
        self.entries: dict[int, tuple[MenuItem, int]] = {}  # id(item) -> (item, index)
        self.vars: dict[int, tuple[tk.BooleanVar | tk.StringVar, str]] = {}  # id(item) -> (var, on-value)
        self.children: list[_View] = []


class _MenuTree:
    """Tk menus mirroring a model menu tree; follows the model until closed."""

    def __init__(self, master: tk.Misc, model: Menu, on_accelerators: Callable[[], None]) -> None:
        self.master = master
        self.model = model
        self._on_accelerators = on_accelerators
        self._views: dict[int, list[_View]] = {}
        self._pending: dict[int, _View] = {}
        self._idle_id: str | None = None
        self._models_by_path: dict[str, Menu] = {}
        self._posted: dict[str, int] = {}  # path -> posts not yet closed
        _bind_unmap(_tk_root(master))
        self.root = self._build(master, model)
        model.add_listener(self._on_change)

    def _build(self, master: tk.Misc, model: Menu) -> _View:
        widget = tk.Menu(master, tearoff=0)
        path = str(widget)
        widget.configure(postcommand=functools.partial(self._posting, path))
        self._models_by_path[path] = model
        _trees_by_path[path] = self
        view = _View(model, widget)
        self._views.setdefault(id(model), []).append(view)
        self._fill(view)
        return view

    def _posting(self, path: str) -> None:
        model = self._models_by_path.get(path)
        if model is None:
            return
        self._posted[path] = self._posted.get(path, 0) + 1
        _emit(model, "menu-will-show")

    def unposted(self, path: str) -> None:
        """A Tk menu showing ``path`` (or a clone of it) was taken down."""
        model = self._models_by_path.get(path)
        if model is None or not self._posted.get(path):
            return  # never posted (a menu bar unmapped with its window)
        self._posted[path] -= 1
        _emit(model, "menu-will-close")

    def _drop(self, view: _View) -> None:
        for child in view.children:
            self._drop(child)
        path = str(view.widget)
        self._models_by_path.pop(path, None)
        self._posted.pop(path, None)
        if _trees_by_path.get(path) is self:
            del _trees_by_path[path]
        views = self._views.get(id(view.model), [])
        if view in views:
            views.remove(view)
        self._pending.pop(id(view), None)

    def _fill(self, view: _View) -> None:
        """(Re)create every entry of ``view`` from its model menu."""
        for child in view.children:
            self._drop(child)
            child.widget.destroy()
        view.children.clear()
        view.entries.clear()
        view.vars.clear()
        view.widget.delete(0, "end")
        radio_vars: dict[int, tk.StringVar] = {}
        index = 0
        for item in view.model.items:
            if not item.visible:
                continue
            if item.type == "separator":
                view.widget.add_separator()
                index += 1
                continue
            text, underline = split_mnemonic(item.label)
            acc = item.parsed_accelerator()
            opts: dict[str, Any] = {
                "label": text, "underline": underline,
                "state": "normal" if item.enabled else "disabled",
                "accelerator": acc.label if acc else "",
            }
            if item.type == "submenu":
                assert item.submenu is not None
                child = self._build(view.widget, item.submenu)
                view.children.append(child)
                view.widget.add_cascade(menu=child.widget, **opts)
            elif item.type == "checkbox":
                var = tk.BooleanVar(self.master, value=item.checked)
                view.vars[id(item)] = (var, "1")
                view.widget.add_checkbutton(variable=var, onvalue=True, offvalue=False,
                                            command=functools.partial(self._invoked, view, item), **opts)
            elif item.type == "radio":
                group = item.radio_group()
                svar = radio_vars.setdefault(id(group[0]), tk.StringVar(self.master, value=""))
                value = str(id(item))
                if item.checked:
                    svar.set(value)
                view.vars[id(item)] = (svar, value)
                view.widget.add_radiobutton(variable=svar, value=value,
                                            command=functools.partial(self._invoked, view, item), **opts)
            else:
                view.widget.add_command(command=functools.partial(self._invoked, view, item), **opts)
            view.entries[id(item)] = (item, index)
            index += 1

    def _sync_var(self, view: _View, item: MenuItem) -> None:
        pair = view.vars.get(id(item))
        if pair is None:
            return
        var, on_value = pair
        if isinstance(var, tk.BooleanVar):
            var.set(item.checked)
        elif item.checked:
            var.set(on_value)
        elif var.get() == on_value:
            var.set("")

    def _invoked(self, view: _View, item: MenuItem) -> None:
        # Tk has already flipped the check/radio variable; the model decides,
        # so show the model's state until the click changes it.
        self._sync_var(view, item)
        _dispatch(item, MenuEvent())

    def _on_change(self, change: MenuChange) -> None:
        if change.field in ("items", "accelerator"):
            self._on_accelerators()
        for view in list(self._views.get(id(change.menu), [])):
            entry = view.entries.get(id(change.item))
            if change.field not in _SIMPLE_FIELDS or (entry is None and change.item.visible):
                self._schedule_fill(view)
                continue
            if entry is None:
                continue
            item, index = entry
            try:
                if change.field == "checked":
                    self._sync_var(view, item)
                elif change.field == "label":
                    text, underline = split_mnemonic(item.label)
                    view.widget.entryconfigure(index, label=text, underline=underline)
                elif change.field == "enabled":
                    view.widget.entryconfigure(index, state="normal" if item.enabled else "disabled")
                else:
                    acc = item.parsed_accelerator()
                    view.widget.entryconfigure(index, accelerator=acc.label if acc else "")
            except tk.TclError:
                log.debug("menu update after its window was destroyed", exc_info=True)

    def _schedule_fill(self, view: _View) -> None:
        self._pending[id(view)] = view
        if self._idle_id is None:
            try:
                self._idle_id = self.master.after_idle(self._flush)
            except tk.TclError:
                self._pending.clear()

    def _flush(self) -> None:
        self._idle_id = None
        pending, self._pending = list(self._pending.values()), {}
        for view in pending:
            if view in self._views.get(id(view.model), []):
                try:
                    self._fill(view)
                except tk.TclError:
                    log.debug("menu rebuild after its window was destroyed", exc_info=True)

    def close(self) -> None:
        """Stop following the model and destroy the Tk menus (a menu still
        posted is closing now: its ``menu-will-close`` is emitted)."""
        self.model.remove_listener(self._on_change)
        for path, count in list(self._posted.items()):
            model = self._models_by_path.get(path)
            if count and model is not None:
                _emit(model, "menu-will-close")
        self._posted.clear()
        if self._idle_id is not None:
            try:
                self.master.after_cancel(self._idle_id)
            except tk.TclError:
                pass
        self._drop(self.root)
        self._views.clear()
        self._pending.clear()
        try:
            self.root.widget.destroy()
        except tk.TclError:
            pass


class _Attachment:
    """A toplevel's menu bar and its accelerator bindings."""

    def __init__(self, toplevel: _Window, menu: Menu) -> None:
        self.toplevel = toplevel
        self.menu = menu
        self._bindings: list[tuple[str, str]] = []
        self.tree = _MenuTree(toplevel, menu, self.rebind)
        toplevel.configure(menu=self.tree.root.widget)
        self.rebind()
        self._destroy_id = toplevel.bind("<Destroy>", self._on_destroy, add="+")

    def _on_destroy(self, event: tk.Event) -> None:
        # <Destroy> on a toplevel also fires for each child widget.
        if str(event.widget) == str(self.toplevel) and _attachments.get(self.toplevel) is self:
            _attachments.pop(self.toplevel, None)
            self.tree.close()

    def rebind(self) -> None:
        """Bind one handler per accelerator sequence; replaces ours only."""
        self.unbind()
        table: dict[str, list[MenuItem]] = {}
        for item in self.menu.walk():
            acc = item.parsed_accelerator()
            for seq in acc.tk_sequences() if acc else ():
                table.setdefault(seq, []).append(item)
        for seq, items in table.items():
            funcid = self.toplevel.bind(seq, functools.partial(self._on_key, items), add="+")
            self._bindings.append((seq, funcid))

    def unbind(self) -> None:
        for seq, funcid in self._bindings:
            _unbind_one(self.toplevel, seq, funcid)
        self._bindings.clear()

    def _on_key(self, items: list[MenuItem], event: tk.Event) -> str | None:
        for item in items:
            if not (item.visible and item.enabled):
                continue
            state = int(event.state) if isinstance(event.state, int) else 0
            virtual = EDIT_ROLE_EVENTS.get(item.role or "")
            if virtual and _tk_maps_key(self.toplevel, virtual, event.keysym, state):
                return None  # Tk's class bindings already performed it
            _dispatch(item, MenuEvent(
                shift_key=bool(state & 0x1), ctrl_key=bool(state & 0x4), alt_key=bool(state & 0x8),
                meta_key=bool(state & 0x40), triggered_by_accelerator=True,
            ))
            return "break"
        return None

    def detach(self) -> None:
        self.unbind()
        _unbind_one(self.toplevel, "<Destroy>", self._destroy_id)
        try:
            self.toplevel.configure({"menu": ""})  # no menu bar: Tk's empty name, outside configure's keyword types
        except tk.TclError:
            pass
        self.tree.close()


def _tk_maps_key(widget: tk.Misc, virtual: str, keysym: str, state: int) -> bool:
    """True when Tk's own ``event add`` makes this key press ``virtual``."""
    return any(tk_sequence_matches(seq, keysym, state) for seq in widget.event_info(virtual))


def _unbind_one(widget: tk.Misc, seq: str, funcid: str) -> None:
    """Remove one ``bind(..., add="+")`` binding, keeping the others.

    tkinter's ``unbind(seq, funcid)`` drops every binding of ``seq`` (other
    code's too), so cut just our line out of the binding script.
    """
    try:
        script = widget.bind(seq)
        kept = "\n".join(line for line in script.split("\n") if funcid not in line)
        widget.tk.call("bind", str(widget), seq, kept)
        widget.deletecommand(funcid)
    except tk.TclError:
        pass


def _deliver_edit(virtual_event: str) -> bool:
    for root in list(_roots):
        try:
            path = str(root.tk.call("focus"))
            if path:
                root.tk.call("event", "generate", path, virtual_event)
                return True
        except tk.TclError:
            continue
    return False


register_edit_target(_deliver_edit)


def attach_menu(toplevel: _Window, menu: Menu | None) -> None:
    """Show ``menu`` as ``toplevel``'s menu bar with its accelerators bound;
    ``None`` removes the menu bar and the bindings."""
    old = _attachments.pop(toplevel, None)
    if old is not None:
        old.detach()
    _roots.add(_tk_root(toplevel))
    if menu is None:
        return
    _attachments[toplevel] = _Attachment(toplevel, menu)


def menubar_of(toplevel: tk.Misc) -> tk.Menu | None:
    """The Tk menu currently shown as ``toplevel``'s menu bar (for tests)."""
    attachment = _attachments.get(toplevel)
    return attachment.tree.root.widget if attachment else None


def popup_of(toplevel: tk.Misc) -> tk.Menu | None:
    """The Tk menu of ``toplevel``'s last popup (for tests)."""
    tree = _popups.get(toplevel)
    return tree.root.widget if tree else None


def popup_menu(toplevel: tk.Misc, menu: Menu, x: int | None = None, y: int | None = None) -> None:
    """Post ``menu`` as a context menu at window coordinates ``x, y`` of
    ``toplevel``, or at the pointer when either is None. The previous popup
    of this toplevel is destroyed."""
    old = _popups.pop(toplevel, None)
    if old is not None:
        old.close()
    _roots.add(_tk_root(toplevel))
    tree = _MenuTree(toplevel, menu, lambda: None)
    _popups[toplevel] = tree
    if x is None or y is None:
        px, py = toplevel.winfo_pointerxy()
    else:
        px, py = toplevel.winfo_rootx() + x, toplevel.winfo_rooty() + y
    tree.root.widget.tk_popup(px, py)
