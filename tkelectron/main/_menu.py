"""Native menus: Electron's ``Menu`` and ``MenuItem`` as a toolkit-free model.

A :class:`Menu` is a list of :class:`MenuItem`; an item may carry a submenu.
The model knows nothing about Tk: compositors display it (``_tk_menus`` for
Tk) and subscribe to its changes with :meth:`Menu.add_listener`, so setting
``item.enabled = False`` updates every place the menu is shown.

``item.click()`` triggers an item as a user would: nothing happens when it is
disabled; a checkbox toggles ``checked``; a radio item becomes checked and
unchecks the other radio items of its group (the radio items of its menu
between the nearest separators, as in Electron); then the role's behaviour
runs, or the ``click`` handler is called as ``click(menu_item, window,
event)``. Handlers may accept fewer arguments (``click=lambda item: ...``).
An ``async def`` handler runs as a task in the app's nursery. A handler that
raises is logged and the app goes on.

Template fields this model does not use (Electron's ``icon``, ``before``,
``registerAccelerator``..., or an app's own keys) are kept on the item, as
Electron keeps them: ``item["icon"]``, ``item.get("icon")`` and, when the
name is not one of MenuItem's own attributes, ``item.icon``.

A menu is also an event emitter (``on``, ``once``, ``off``): the Tk display
emits ``menu-will-show`` when it is about to post the menu (a menu bar's
drop-down, a cascade or a popup; from the Tk menu's ``-postcommand``) and
``menu-will-close`` when it is taken down, each with one ``event`` argument,
as Electron does. (``add_listener`` is the model's change subscription, not
an event listener.)
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..common._emitter import EventEmitter, PreventableEvent
from ._accelerators import Accelerator, parse_accelerator
from ._context import current_session
from ._menu_roles import RoleSpec, focused_window, lookup_role, perform_role, spawn

__all__ = ["Menu", "MenuItem", "MenuEvent", "MenuChange", "ITEM_TYPES", "split_mnemonic"]

log = logging.getLogger("tkelectron.menu")

ITEM_TYPES = ("normal", "separator", "submenu", "checkbox", "radio")
_FIELDS = frozenset({
    "label", "click", "submenu", "role", "accelerator", "type", "enabled",
    "visible", "checked", "id", "tooltip", "sublabel",
})
# Fields whose changes are announced to listeners (and so to the display).
_OBSERVED = frozenset({"label", "enabled", "visible", "checked", "accelerator", "sublabel", "tooltip"})
# Electron's Menu.popup options; those after "callback" mean nothing on Linux Tk.
_POPUP_OPTIONS = frozenset({"window", "x", "y", "callback", "positioningItem", "sourceType", "frame"})
_BOOL_FIELDS = frozenset({"enabled", "visible", "checked"})
_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class MenuEvent:
    """The ``event`` argument of a click handler (Electron's KeyboardEvent)."""

    shift_key: bool = False
    ctrl_key: bool = False
    alt_key: bool = False
    meta_key: bool = False
    triggered_by_accelerator: bool = False


@dataclass(frozen=True, slots=True)
class MenuChange:
    """One change in a menu tree, as told to listeners.

    ``field`` is the item field that changed (``enabled``, ``label``...) or
    ``"items"`` when ``menu`` gained items (then ``item`` is the new item).
    """

    menu: Menu
    item: MenuItem
    field: str


Listener = Callable[[MenuChange], None]
EventListener = Callable[..., Any]


def _positional_arity(fn: Callable[..., Any]) -> int:
    """How many of (menu_item, window, event) ``fn`` accepts positionally."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 3
    count = 0
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            return 3
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return min(count, 3)


class MenuItem:
    """One menu entry, made from Electron's template fields as keywords.

    Fields: ``label, click, submenu, role, accelerator, type, enabled,
    visible, checked, id, tooltip, sublabel``. ``type`` is ``normal``,
    ``separator``, ``submenu``, ``checkbox`` or ``radio``, and defaults to
    ``submenu`` when a submenu is given. A role supplies the default label and
    accelerator (every Electron role is accepted; see ``_menu_roles``). Any
    other field is kept as given (see the module docstring). Unknown types
    and roles and bad accelerators or values raise ValueError naming them.
    ``label``, ``enabled``, ``visible``, ``checked``, ``accelerator``,
    ``sublabel``, ``tooltip`` and the kept extra fields may be changed later.
    A kept field reads as an attribute too (``item.icon``); typed code reads
    it as ``item["icon"]`` or ``item.get("icon")``, since only the declared
    fields below are attributes to a type checker.
    """

    # Changeable (announced to the menu's listeners, so to the display).
    label: str
    enabled: bool
    visible: bool
    checked: bool
    accelerator: str | None
    sublabel: str | None
    tooltip: str | None
    # Fixed when the item is made.
    type: str  # one of ITEM_TYPES
    role: str | None
    id: str | None
    submenu: Menu | None
    _menus: list[Menu]  # the menus the item was added to
    _extra: dict[str, Any]  # the kept template fields
    _ready: bool  # __init__ finished: later changes are announced
    _role_spec: RoleSpec | None
    _click: Callable[..., Any] | None
    _arity: int  # how many of (item, window, event) the click handler takes

    def __init__(self, **fields: Any) -> None:
        role = fields.get("role")
        spec: RoleSpec | None = lookup_role(role) if role is not None else None
        submenu = fields.get("submenu")
        if submenu is None and spec is not None and spec.submenu is not None:
            submenu = spec.submenu()
        item_type = fields.get("type") or ("submenu" if submenu is not None else "normal")
        if item_type not in ITEM_TYPES:
            raise ValueError(f"unknown menu item type {item_type!r} (expected one of {', '.join(ITEM_TYPES)})")
        if item_type == "submenu" and submenu is None:
            raise ValueError("menu item of type 'submenu' needs a 'submenu'")
        if submenu is not None and item_type != "submenu":
            raise ValueError(f"menu item of type {item_type!r} cannot have a submenu")
        click = fields.get("click")
        if click is not None and not callable(click):
            raise ValueError(f"menu item 'click' must be callable, not {type(click).__name__}")
        d = object.__setattr__
        d(self, "_menus", [])
        d(self, "_extra", {k: v for k, v in fields.items() if k not in _FIELDS})
        d(self, "_ready", False)
        d(self, "type", item_type)
        d(self, "role", spec.name if spec else None)
        d(self, "_role_spec", spec)
        d(self, "id", fields.get("id"))
        d(self, "_click", click)
        d(self, "_arity", _positional_arity(click) if click is not None else 0)
        d(self, "submenu", None)
        if submenu is not None:
            menu = submenu if isinstance(submenu, Menu) else Menu.build_from_template(submenu)
            menu._owners.append(self)
            d(self, "submenu", menu)
        default_label = spec.default_label() if spec else ""
        self.label = fields.get("label", default_label) if item_type != "separator" else ""
        self.accelerator = fields.get("accelerator", spec.accelerator if spec else None)
        self.enabled = fields.get("enabled", True)
        self.visible = fields.get("visible", True)
        self.checked = fields.get("checked", False)
        self.sublabel = fields.get("sublabel")
        self.tooltip = fields.get("tooltip")
        d(self, "_ready", True)

    # -- fields --------------------------------------------------------------

    if not TYPE_CHECKING:  # to a type checker only the declared fields are attributes

        def __getattr__(self, name: str) -> Any:
            # Only reached when normal lookup fails: the kept template fields.
            extra = self.__dict__.get("_extra", {})
            if name in extra:
                return extra[name]
            raise AttributeError(f"'MenuItem' object has no attribute {name!r}")

    def __getitem__(self, name: str) -> Any:
        """A template field by name, Electron-style: ``item["label"]``,
        ``item["icon"]`` (a kept extra field). KeyError when absent."""
        if name in self._extra:
            return self._extra[name]
        if name in _FIELDS:
            return self._click if name == "click" else getattr(self, name)
        raise KeyError(name)

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    @property
    def extra_fields(self) -> dict[str, Any]:
        """The template fields kept as given (a copy)."""
        return dict(self._extra)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.__dict__.get("_extra", {}):
            self._extra[name] = value
            return
        if name not in _OBSERVED:
            raise AttributeError(f"MenuItem.{name} cannot be set")
        if name in _BOOL_FIELDS and not isinstance(value, bool):
            raise ValueError(f"menu item '{name}' must be a bool, not {type(value).__name__}")
        if name == "label" and not isinstance(value, str):
            raise ValueError(f"menu item 'label' must be a str, not {type(value).__name__}")
        if name == "accelerator" and value is not None:
            parse_accelerator(value)
        if not self._ready:
            object.__setattr__(self, name, value)
            return
        if getattr(self, name) == value:
            return
        object.__setattr__(self, name, value)
        if name == "checked" and value and self.type == "radio":
            # Electron: checking a radio item unchecks the rest of its group.
            for other in self.radio_group():
                if other is not self and other.checked:
                    other.checked = False
        for menu in list(self._menus):
            menu._notify(MenuChange(menu, self, name), set())

    @property
    def click_handler(self) -> Callable[..., Any] | None:
        """The ``click`` function given in the template, if any."""
        return self._click

    @property
    def menu(self) -> Menu | None:
        """The menu this item was added to (the first, if several)."""
        return self._menus[0] if self._menus else None

    def parsed_accelerator(self) -> Accelerator | None:
        return parse_accelerator(self.accelerator) if self.accelerator else None

    def radio_group(self) -> list[MenuItem]:
        """The radio items of this item's group, this one included."""
        menu = self.menu
        if self.type != "radio" or menu is None:
            return [self] if self.type == "radio" else []
        items = menu._items
        pos = items.index(self)
        start, end = pos, pos
        while start > 0 and items[start - 1].type != "separator":
            start -= 1
        while end + 1 < len(items) and items[end + 1].type != "separator":
            end += 1
        return [i for i in items[start:end + 1] if i.type == "radio"]

    # -- triggering ------------------------------------------------------------

    def click(self, window: Any = _UNSET, event: MenuEvent | None = None) -> None:
        """Trigger the item as a user would (see the module docstring).

        ``window`` defaults to the focused BrowserWindow (None if none).
        Must be called from trio context when the handler is ``async``.
        """
        if not self.enabled or self.type in ("separator", "submenu"):
            return
        if self.type == "checkbox":
            self.checked = not self.checked
        elif self.type == "radio":
            self.checked = True
        if window is _UNSET:
            window = focused_window()
        event = event if event is not None else MenuEvent()
        what = f"menu item {self.label or self.role or self.id!r}"
        try:
            if self._role_spec is not None and perform_role(self._role_spec, self, window, event):
                return
            if self._click is None:
                return
            args = (self, window, event)[: self._arity]
            if inspect.iscoroutinefunction(self._click):
                spawn(self._click, *args, what=f"click handler of {what}")
                return
            result = self._click(*args)
            if inspect.isawaitable(result):
                spawn(_await, result, what=f"click handler of {what}")
        except Exception:
            log.exception("click handler of %s raised", what)

    def __repr__(self) -> str:
        return f"MenuItem(type={self.type!r}, label={self.label!r}, role={self.role!r}, id={self.id!r})"


async def _await(awaitable: Any) -> None:
    await awaitable


class Menu:
    """An ordered list of menu items; a menu bar, a submenu or a popup.

    The application menu is the app session's (``_context``): set before a
    run, that run shows it; a new run starts without one.
    """

    def __init__(self) -> None:
        self._items: list[MenuItem] = []
        self._listeners: list[Listener] = []
        self._owners: list[MenuItem] = []
        self._events = EventEmitter()

    # -- events (menu-will-show / menu-will-close) -------------------------------

    def on(self, event: str, listener: EventListener) -> Menu:
        """Call ``listener(event)`` on ``menu-will-show`` / ``menu-will-close``."""
        self._events.on(event, listener)
        return self

    def once(self, event: str, listener: EventListener) -> Menu:
        self._events.once(event, listener)
        return self

    def off(self, event: str, listener: EventListener) -> Menu:
        self._events.off(event, listener)
        return self

    def listener_count(self, event: str) -> int:
        return self._events.listener_count(event)

    def emit(self, event: str, *args: Any) -> bool:
        """Emit ``event``; with no arguments listeners get a fresh event object."""
        return self._events.emit(event, *(args or (PreventableEvent(sender=self),)))

    @classmethod
    def build_from_template(cls, template: Iterable[Mapping[str, Any] | MenuItem]) -> Menu:
        """A menu from a list of item dicts (Electron's ``buildFromTemplate``)."""
        if isinstance(template, (str, bytes, Mapping)) or not isinstance(template, Iterable):
            raise ValueError("a menu template must be a list of menu item dicts")
        menu = cls()
        for index, entry in enumerate(template):
            if isinstance(entry, MenuItem):
                menu.append(entry)
            elif isinstance(entry, Mapping):
                try:
                    menu.append(MenuItem(**entry))
                except ValueError as exc:
                    raise ValueError(f"menu template item {index}: {exc}") from None
            else:
                raise ValueError(f"menu template item {index} must be a dict, not {type(entry).__name__}")
        return menu

    @property
    def items(self) -> list[MenuItem]:
        """The items, in order (a copy: use append/insert to change them)."""
        return list(self._items)

    def append(self, item: MenuItem) -> None:
        self.insert(len(self._items), item)

    def insert(self, pos: int, item: MenuItem) -> None:
        if not isinstance(item, MenuItem):
            raise TypeError(f"Menu.insert expects a MenuItem, not {type(item).__name__}")
        self._items.insert(pos, item)
        item._menus.append(self)
        if item.type == "radio" and item.checked:
            for other in item.radio_group():
                if other is not item and other.checked:
                    other.checked = False
        self._notify(MenuChange(self, item, "items"), set())

    def get_menu_item_by_id(self, item_id: str) -> MenuItem | None:
        """The first item with ``id`` in this menu or its submenus, depth first."""
        for item in self.walk():
            if item.id == item_id:
                return item
        return None

    def walk(self) -> Iterator[MenuItem]:
        """Every item of this menu and its submenus, depth first."""
        for item in self._items:
            yield item
            if item.submenu is not None:
                yield from item.submenu.walk()

    # -- change notification ---------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(change)`` on every change in this menu's tree."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, change: MenuChange, seen: set[int]) -> None:
        # Changes bubble up through the items that own this menu as a
        # submenu, so one listener on a menu bar sees its whole tree.
        if id(self) in seen:
            return
        seen.add(id(self))
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:
                log.exception("menu listener %r raised", listener)
        for owner in self._owners:
            for menu in owner._menus:
                menu._notify(change, seen)

    # -- showing -----------------------------------------------------------------

    def popup(self, window: Any = None, x: int | None = None, y: int | None = None, *,
              callback: Callable[[], Any] | None = None) -> None:
        """Show this menu as a context menu in ``window`` (default: the focused
        window) at window coordinates ``x, y`` (default: at the pointer).

        Electron's options object works too: ``popup({"window": win, "x": 5,
        "y": 7, "callback": fn})``. ``callback()`` is called once, when the
        menu closes (the Tk display's ``menu-will-close``). Other Electron
        options (``positioningItem``, ``sourceType``, ``frame``) are accepted
        and have no effect here; any other key is a ValueError naming it.
        """
        if isinstance(window, Mapping):
            options = dict(window)
            unknown = sorted(set(options) - _POPUP_OPTIONS)
            if unknown:
                raise ValueError(f"unknown Menu.popup option(s): {', '.join(map(str, unknown))}")
            window = options.get("window")
            x = options.get("x", x)
            y = options.get("y", y)
            callback = options.get("callback", callback)
        if callback is not None and not callable(callback):
            raise ValueError(f"Menu.popup 'callback' must be callable, not {type(callback).__name__}")
        if window is None:
            window = focused_window()
        if window is None:
            log.warning("Menu.popup: no window to show the menu in")
            return
        if callback is not None:
            self.once("menu-will-close", lambda *_: callback())
        window._surface.popup_menu(self, x, y)

    @classmethod
    def set_application_menu(cls, menu: Menu | None) -> None:
        """Show ``menu`` in every window that has no menu of its own."""
        if menu is not None and not isinstance(menu, Menu):
            raise TypeError(f"set_application_menu expects a Menu or None, not {type(menu).__name__}")
        session = current_session()
        session.application_menu = menu
        if session.compositor is not None:
            session.compositor.set_application_menu(menu)

    @classmethod
    def get_application_menu(cls) -> Menu | None:
        menu: Menu | None = current_session().application_menu
        return menu


def split_mnemonic(label: str) -> tuple[str, int]:
    """Electron's ``&File`` -> ("File", 0): the text and the index of the
    mnemonic letter (-1 for none); ``&&`` is a literal ``&``."""
    out: list[str] = []
    underline = -1
    i = 0
    while i < len(label):
        ch = label[i]
        if ch == "&" and i + 1 < len(label):
            if label[i + 1] != "&" and underline < 0:
                underline = len(out)
            i += 1
            ch = label[i]
        out.append(ch)
        i += 1
    return "".join(out), underline
