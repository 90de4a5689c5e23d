"""The headless compositor: an in-memory mirror of each window, no display needed.

It applies the same commits as the Tk compositor to a plain
:class:`~tkelectron.common._html.HtmlElement` tree, keeps form controls' live
values beside it, and records everything a window was asked to do (title,
menu, bounds, visibility, focus, crash notice, popups; dialogs at the
compositor), in the spirit of toga's dummy backend, so UI logic is testable on
any machine.

User input is *simulated* (:meth:`HeadlessSurface.simulate_click` and
friends): each call reports through ``callbacks.on_input`` the events the Tk
compositor reports for the same real input, in the same order.
"""

from __future__ import annotations

from typing import Any

from ...common._html import HtmlElement, Node, parse_document, parse_fragment, serialize
from ...common._messages import (Focus, Insert, Op, Remove, RemoveAttr, ReplaceDocument, SetAttr,
                                 SetChecked, SetHTML, SetText, SetTitle, SetValue)
from ...common._selectors import select_all
from .base import Compositor, ElementInfo, InputEvent, Surface, SurfaceCallbacks

__all__ = ["HeadlessCompositor", "HeadlessSurface", "select_ids"]

_ID = "data-tke-id"
_UNRENDERED = frozenset("head script style title meta link template base".split())
_UNSET: Any = object()


class _Document:
    """A root for the selector engine whose only child is ``<html>``."""

    def __init__(self, root: HtmlElement) -> None:
        self.root = root

    def _sel_children(self) -> list[HtmlElement]:
        return [self.root]


def select_ids(root: HtmlElement, selector: str) -> list[int]:
    """Ids of the elements under (and including) ``root`` matching ``selector``.

    Both compositors answer ``query`` with this one selector engine, so a test
    means the same thing on either (Tkhtml's own engine lacks ``~``, ``:not``
    and ``:checked`` and misses ``+``).
    """
    found = select_all(_Document(root), selector)
    return [int(el.attrs[_ID]) for el in found if _ID in el.attrs]


def _text(node: Node) -> str:
    if isinstance(node, str):
        return node
    out: list[str] = []
    todo: list[Node] = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
        else:
            todo.extend(reversed(item.children))
    return "".join(out)


def _elements(nodes: list[Node]) -> list[HtmlElement]:
    """Every element in these subtrees, tops included, in document order."""
    out: list[HtmlElement] = []
    todo = [n for n in reversed(nodes) if isinstance(n, HtmlElement)]
    while todo:
        el = todo.pop()
        out.append(el)
        todo.extend(c for c in reversed(el.children) if isinstance(c, HtmlElement))
    return out


class HeadlessSurface:
    """One window's content and chrome, kept in memory."""

    def __init__(self, compositor: HeadlessCompositor, *, window_id: int, width: int, height: int,
                 title: str, show: bool, callbacks: SurfaceCallbacks) -> None:
        self.compositor = compositor
        self.window_id = window_id
        self.callbacks = callbacks
        self.title = title
        self.document_title = ""
        self.bounds: tuple[int, int, int, int] = (0, 0, width, height)
        self.visible = show
        self.minimized = False
        self.focused = False
        self.destroyed = False
        self.crashed: str | None = None
        self.focused_node: int | None = None
        self.popups: list[tuple[Any, int | None, int | None]] = []
        self._menu: Any = _UNSET
        self.root = parse_document("")
        self.nodes: dict[int, HtmlElement] = {}
        self.values: dict[int, str] = {}
        self.checked: dict[int, bool] = {}
        self._committed: dict[int, str] = {}

    # -- content ------------------------------------------------------------------

    def apply(self, ops: list[Op]) -> None:
        """Apply one commit, in order; ops naming unknown nodes are skipped."""
        self.crashed = None
        for op in ops:
            if isinstance(op, ReplaceDocument):
                self.root = parse_document(op.html)
                self.nodes.clear()
                self.values.clear()
                self.checked.clear()
                self._committed.clear()
                self.focused_node = None
                self._index([self.root])
            elif isinstance(op, SetTitle):
                self.document_title = op.title
            elif isinstance(op, Insert):
                self._insert(op)
            elif op.node in self.nodes:
                self._apply_to(self.nodes[op.node], op)

    def _apply_to(self, el: HtmlElement, op: Op) -> None:
        if isinstance(op, Remove):
            if el.parent is not None:
                el.parent.children.remove(el)
                el.parent = None
            self._unindex([el])
        elif isinstance(op, SetText):
            self._set_children(el, [op.text] if op.text else [])
        elif isinstance(op, SetHTML):
            self._set_children(el, parse_fragment(op.html))
        elif isinstance(op, SetAttr):
            el.attrs[op.name] = op.value
        elif isinstance(op, RemoveAttr):
            el.attrs.pop(op.name, None)
        elif isinstance(op, SetValue):
            self.values[op.node] = self._committed[op.node] = op.value
        elif isinstance(op, SetChecked):
            self._set_checked(op.node, el, op.checked)
        elif isinstance(op, Focus):
            self.focused_node = op.node

    def _insert(self, op: Insert) -> None:
        parent = self.nodes.get(op.parent)
        if parent is None:
            return
        nodes = parse_fragment(op.html)
        before = self.nodes.get(op.before) if op.before is not None else None
        at = len(parent.children)
        if before is not None and before.parent is parent:
            at = next(i for i, c in enumerate(parent.children) if c is before)
        for node in nodes:
            if isinstance(node, HtmlElement):
                node.parent = parent
        parent.children[at:at] = nodes
        self._index(nodes)

    def _set_children(self, el: HtmlElement, nodes: list[Node]) -> None:
        self._unindex(el.children)
        el.children = []
        for node in nodes:
            el.append(node)
        self._index(el.children)

    def _index(self, nodes: list[Node]) -> None:
        for el in _elements(nodes):
            if _ID in el.attrs:
                self.nodes[int(el.attrs[_ID])] = el

    def _unindex(self, nodes: list[Node]) -> None:
        for el in _elements(nodes):
            node = int(el.attrs.get(_ID, -1))
            if self.nodes.get(node) is el:
                del self.nodes[node]
                self.values.pop(node, None)
                self.checked.pop(node, None)

    def show_crashed(self, message: str) -> None:
        self.crashed = message
        self.root = parse_document("<body><h1>This page crashed</h1><pre></pre></body>")
        pre = self.root.children[1].children[1]  # type: ignore[union-attr]
        assert isinstance(pre, HtmlElement)
        pre.append(message)
        self.nodes.clear()

    # -- live state ---------------------------------------------------------------------

    def _kind(self, el: HtmlElement) -> str:
        if el.tag == "input":
            kind = el.attrs.get("type", "text").lower()
            return kind if kind in ("checkbox", "radio") else "text"
        return el.tag if el.tag in ("textarea", "select") else ""

    def _value(self, node: int, el: HtmlElement) -> str | None:
        kind = self._kind(el)
        if kind in ("checkbox", "radio"):
            return el.attrs.get("value") or "on"
        if node in self.values:
            return self.values[node]
        if kind == "text":
            return el.attrs.get("value", "")
        if kind == "textarea":
            return _text(el)
        if kind == "select":
            options = [o for o in _elements(el.children) if o.tag == "option"]
            chosen = next((o for o in options if "selected" in o.attrs), options[0] if options else None)
            return "" if chosen is None else chosen.attrs.get("value", _text(chosen))
        return None

    def _is_checked(self, node: int, el: HtmlElement) -> bool | None:
        if self._kind(el) not in ("checkbox", "radio"):
            return None
        return self.checked.get(node, "checked" in el.attrs)

    def _set_checked(self, node: int, el: HtmlElement, checked: bool) -> None:
        self.checked[node] = checked
        if checked and self._kind(el) == "radio" and el.attrs.get("name"):
            # Tk's radio buttons share one variable per name: the others go off.
            for other_id, other in self.nodes.items():
                if other is not el and self._kind(other) == "radio" and \
                        other.attrs.get("name") == el.attrs["name"]:
                    self.checked[other_id] = False

    # -- simulated user input -------------------------------------------------------------

    def _control(self, node: int) -> HtmlElement:
        if self.destroyed:
            raise RuntimeError("the window was destroyed")
        el = self.nodes.get(node)
        if el is None:
            raise KeyError(f"node {node} is not displayed")
        return el

    def _emit(self, event: InputEvent) -> None:
        self.callbacks.on_input(event)

    def simulate_click(self, node: int) -> None:
        """Click element ``node``; a checkbox or radio toggles as in Tk."""
        el = self._control(node)
        kind = self._kind(el)
        if kind in ("checkbox", "radio"):
            self.simulate_check(node)
            return
        value = self._value(node, el) if kind else None
        self._emit(InputEvent("click", node, value=value))

    def simulate_check(self, node: int) -> None:
        """Click checkbox or radio ``node``: toggle it and report ``click`` with ``checked``."""
        el = self._control(node)
        kind = self._kind(el)
        if kind not in ("checkbox", "radio"):
            raise ValueError(f"node {node} is a <{el.tag}>, not a checkbox or radio")
        if "disabled" in el.attrs:
            raise RuntimeError(f"node {node} is disabled")
        now = True if kind == "radio" else not self._is_checked(node, el)
        self._set_checked(node, el, now)
        self._emit(InputEvent("click", node, value=self._value(node, el), checked=now))

    def simulate_fill(self, node: int, text: str) -> None:
        """Replace text control ``node``'s value: reports ``input`` then ``change``."""
        el = self._control(node)
        if self._kind(el) not in ("text", "textarea", "select"):
            raise ValueError(f"node {node} is a <{el.tag}>, not a text control")
        if "disabled" in el.attrs:
            raise RuntimeError(f"node {node} is disabled")
        self.values[node] = self._committed[node] = text
        self._emit(InputEvent("input", node, value=text))
        self._emit(InputEvent("change", node, value=text))

    def simulate_key(self, node: int, key: str) -> None:
        """Press and release DOM key ``key`` on ``node`` (Enter commits a text control)."""
        el = self._control(node)
        kind = self._kind(el)
        value = self._value(node, el) if kind not in ("", "checkbox", "radio") else None
        self._emit(InputEvent("keydown", node, value=value, key=key))
        if key == "Enter" and kind == "text" and value is not None and \
                value != self._committed.get(node, el.attrs.get("value", "")):
            self._committed[node] = value
            self._emit(InputEvent("change", node, value=value))
        self._emit(InputEvent("keyup", node, value=value, key=key))

    # -- chrome ---------------------------------------------------------------------------

    def set_title(self, title: str) -> None:
        self.title = title

    def get_title(self) -> str:
        return self.title

    def set_menu(self, menu: Any | None) -> None:
        self._menu = menu

    @property
    def has_own_menu(self) -> bool:
        return self._menu is not _UNSET

    @property
    def menu(self) -> Any | None:
        """The menu bar this window shows: its own, else the application menu."""
        return self._menu if self.has_own_menu else self.compositor.application_menu

    def popup_menu(self, menu: Any, x: int | None, y: int | None) -> None:
        self.popups.append((menu, x, y))

    def show(self) -> None:
        self.visible = True
        self.minimized = False

    def hide(self) -> None:
        self.visible = False

    def focus(self) -> None:
        """Show and focus the window; reports ``on_focus`` as a real window would."""
        self.show()
        self.focused = True
        self.callbacks.on_focus()

    def is_visible(self) -> bool:
        return self.visible and not self.minimized and not self.destroyed

    def get_bounds(self) -> tuple[int, int, int, int]:
        return self.bounds

    def set_bounds(self, x: int | None, y: int | None, width: int, height: int) -> None:
        old = self.bounds
        self.bounds = (old[0] if x is None else x, old[1] if y is None else y, width, height)

    def minimize(self) -> None:
        self.minimized = True
        self.focused = False

    def destroy(self) -> None:
        self.destroyed = True
        self.visible = False
        self.compositor._forget(self)

    # -- queries ----------------------------------------------------------------------------

    def query(self, selector: str) -> list[int]:
        return select_ids(self.root, selector)

    def element(self, node: int) -> ElementInfo | None:
        el = self.nodes.get(node)
        if el is None:
            return None
        attrs = {k: v for k, v in el.attrs.items() if k != _ID}
        return ElementInfo(node=node, tag=el.tag, text=_text(el), value=self._value(node, el),
                           checked=self._is_checked(node, el), attributes=attrs,
                           visible=self._visible(el))

    @staticmethod
    def _visible(el: HtmlElement) -> bool:
        if el.tag == "input" and el.attrs.get("type", "").lower() == "hidden":
            return False
        walk: HtmlElement | None = el
        while walk is not None:
            style = walk.attrs.get("style", "").replace(" ", "").lower()
            if walk.tag in _UNRENDERED or "hidden" in walk.attrs or "display:none" in style:
                return False
            walk = walk.parent
        return "visibility:hidden" not in el.attrs.get("style", "").replace(" ", "").lower()

    def html(self) -> str:
        return serialize(self.root)

    def screenshot(self, path: str) -> None:
        raise RuntimeError("the headless compositor draws nothing: use the tkhtml compositor for screenshots")


class HeadlessCompositor(Compositor):
    """Makes :class:`HeadlessSurface` windows; records the app-wide chrome."""

    name = "headless"

    def __init__(self) -> None:
        self.surfaces: list[HeadlessSurface] = []
        self.application_menu: Any | None = None
        #: Every dialog that was asked for: (kind, surface, options).
        self.dialogs: list[tuple[str, Surface | None, dict[str, Any]]] = []
        self.closed = False

    def create_surface(self, *, window_id: int, width: int, height: int, title: str, show: bool,
                       callbacks: SurfaceCallbacks) -> HeadlessSurface:
        surface = HeadlessSurface(self, window_id=window_id, width=width, height=height, title=title,
                                  show=show, callbacks=callbacks)
        self.surfaces.append(surface)
        return surface

    def set_application_menu(self, menu: Any | None) -> None:
        self.application_menu = menu

    async def run_dialog(self, kind: str, surface: Surface | None, options: dict[str, Any]) -> Any:
        self.dialogs.append((kind, surface, dict(options)))
        raise RuntimeError(
            f"the headless compositor cannot show a {kind!r} dialog: answer it with a "
            "`tkelectron_dialog` hook implementation (or the test harness's on_dialog)"
        )

    def _forget(self, surface: HeadlessSurface) -> None:
        if surface in self.surfaces:
            self.surfaces.remove(surface)

    def close(self) -> None:
        self.closed = True
