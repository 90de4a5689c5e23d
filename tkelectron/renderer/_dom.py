"""The page's DOM, in pure Python: the renderer owns it, the main process
only displays it.

The page world sees the snake_case DOM (:class:`Document`, ``Element``,
``Text``, :class:`Event`). The framework sees, besides, what it needs to keep
the display in step:

- :meth:`Document.take_ops` returns the ops recorded since the last call
  (after :meth:`Document.load_html`, first one ``ReplaceDocument``);
- :meth:`Document.handle_input` applies a user's :class:`DomEvent`;
- :meth:`Document.node_by_id` and :meth:`Document.serialize_for_display`.

Every node has an integer id unique within its document, never reused; the
first page's ``<html>`` is 1. Display HTML names each element's id in a
``data-tke-id`` attribute that the page API never shows. Only elements can be
looked up by id (:meth:`Document.node_by_id`): main addresses nothing else,
and a list of 1000 rows has as many text nodes again.

This module never imports tkinter: it runs in the sandboxed renderer.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from ..common._html import MAX_DEPTH, parse_document
from ..common._html import Node as HtmlNode
from ..common._messages import DomEvent, Focus, Op, ReplaceDocument, SetTitle
from ..common._selectors import select_all, select_one
from ._dom_element import Element
from ._dom_events import Event, EventTarget
from ._dom_handlers import GlobalEventHandlers
from ._dom_input import handle_input
from ._dom_node import Node, Text
from ._dom_ops import OpLog
from ._dom_serialize import ID_ATTR, serialize_nodes
from ._dom_style import ClassList, Style

__all__ = ["Document", "Element", "Text", "Node", "Event", "EventTarget", "ClassList", "Style", "ID_ATTR"]

Spawn = Callable[..., Any]
_TAG = re.compile(r"[A-Za-z][A-Za-z0-9-]*\Z")
# Tag names already matched by ``_TAG`` (bounded: a page could make up any number).
_VALID_TAGS: set[str] = set()


class Document(EventTarget, GlobalEventHandlers):
    """A page's document.

    ``spawn(async_fn, *args)`` starts async listeners as tasks (the renderer
    passes a trio nursery's ``start_soon``); ``report_error(exc)`` receives
    what listeners raise. ``event_parent`` is where events go after the
    document when they bubble: the page world sets it to its ``window``.
    """

    __slots__ = (
        "_spawn", "_report_error", "_root", "_next_id", "_nodes", "_sweep_at", "_ops",
        "_pending_replace", "event_parent", "_active", "_on_ops",
    )

    def __init__(
        self,
        *,
        spawn: Callable[..., Any] | Callable[[Callable[..., Awaitable[Any]]], Any],
        report_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__()
        self._spawn: Spawn = spawn
        self._report_error = report_error
        self._root: Element | None = None
        self._next_id = 1
        # Element id -> a weak reference to it. Not a WeakValueDictionary: its
        # per-entry callback object made registering the largest cost of
        # building a list; dead entries are swept instead, once there are as
        # many entries again as were alive at the last sweep.
        self._nodes: dict[int, weakref.ref[Node]] = {}
        self._sweep_at = 1024
        self._ops = OpLog(self._notify)
        self._pending_replace = False
        #: Called (no arguments) whenever something is recorded for the next
        #: commit; the renderer uses it to schedule a flush.
        self._on_ops: Callable[[], None] | None = None
        self.event_parent: EventTarget | None = None
        self._active: Element | None = None

    # -- framework side -------------------------------------------------------
    def _notify(self) -> None:
        if self._on_ops is not None:
            self._on_ops()

    def _new_id(self) -> int:
        """A fresh node id (a text node's: it is never looked up)."""
        nid = self._next_id
        self._next_id = nid + 1
        return nid

    def _register(self, node: Node) -> int:
        """A fresh id for element ``node``, which :meth:`node_by_id` finds by it."""
        nid = self._next_id
        self._next_id = nid + 1
        nodes = self._nodes
        nodes[nid] = weakref.ref(node)
        if len(nodes) >= self._sweep_at:
            self._sweep()
        return nid

    def _sweep(self) -> None:
        """Drop the entries of elements that are gone (amortized: see ``_nodes``)."""
        self._nodes = {nid: ref for nid, ref in self._nodes.items() if ref() is not None}
        self._sweep_at = max(1024, 2 * len(self._nodes))

    def _log_for(self, node: Node) -> OpLog | None:
        if self._pending_replace or self._root is None or not node._connected():
            return None
        return self._ops

    def _build(self, nodes: list[HtmlNode]) -> list[Node]:
        """DOM nodes for parsed ones; ids are given in document order."""
        out: list[Node] = []
        todo: list[tuple[HtmlNode, Element | None]] = [(n, None) for n in reversed(nodes)]
        while todo:
            src, parent = todo.pop()
            node: Node
            if isinstance(src, str):
                node = Text(self, src)
            else:
                attrs = {k: v for k, v in src.attrs.items() if k != ID_ATTR}
                node = Element(self, src.tag, attrs, src.line)
                todo.extend((child, node) for child in reversed(src.children))
            if parent is None:
                out.append(node)
            else:
                parent._children.append(node)
                node._parent = parent
        return out

    def load_html(self, html: str) -> None:
        """Replace the whole document with the page ``html``.

        Nothing is recorded until the next :meth:`take_ops`, which returns the
        whole document (as it is then) in one ``ReplaceDocument``. A page
        nested deeper than :data:`~tkelectron.common._html.MAX_DEPTH` raises
        ``HtmlLimitError`` naming the limit (main would refuse to draw it).
        """
        root = self._build([parse_document(html, max_depth=MAX_DEPTH)])[0]
        assert isinstance(root, Element)
        self._root = root
        self._active = None
        self._ops.clear()
        self._pending_replace = True
        self._notify()

    def take_ops(self) -> list[Op]:
        """The ops recorded since the last call, in order; clears them."""
        ops = self._ops.take()
        if self._pending_replace:
            self._pending_replace = False
            ops.insert(0, ReplaceDocument(self.serialize_for_display()))
        return ops

    def serialize_for_display(self) -> str:
        """The whole document as display HTML (ids and live form state)."""
        return serialize_nodes([self._root], True) if self._root is not None else ""

    def node_by_id(self, nid: int) -> Node | None:
        """The connected element with id ``nid``, or None (always for a text node's id)."""
        ref = self._nodes.get(nid)
        node = ref() if ref is not None else None
        return node if node is not None and node._connected() else None

    @staticmethod
    def id_of(node: Node) -> int:
        """The node's id (the ``data-tke-id`` of its display HTML)."""
        return node._nid

    def handle_input(self, ev: DomEvent) -> None:
        """Apply the user's event ``ev`` and dispatch the DOM events it means."""
        handle_input(self, ev)

    def _focus(self, el: Element) -> None:
        self._active = el
        if self._root is not None and el._connected():
            self._ops.add(Focus(el._nid))  # recorded even before the first commit

    def _forget_focus(self, node: Node) -> None:
        if self._active is not None and (node is self._active or (
            isinstance(node, Element) and node.contains(self._active)
        )):
            self._active = None

    # -- events ---------------------------------------------------------------
    def _event_document(self) -> Document:
        return self

    def _event_parent(self) -> EventTarget | None:
        return self.event_parent

    # -- page side ------------------------------------------------------------
    @property
    def document_element(self) -> Element | None:
        return self._root

    def _top(self, tag: str) -> Element | None:
        if self._root is None:
            return None
        return next((c for c in self._root.children if c._tag == tag), None)

    @property
    def head(self) -> Element | None:
        return self._top("head")

    @property
    def body(self) -> Element | None:
        return self._top("body")

    @property
    def active_element(self) -> Element | None:
        """The focused element, else the body."""
        if self._active is not None and self._active._connected():
            return self._active
        return self.body

    @property
    def title(self) -> str:
        el = select_one(self, "title")
        return " ".join(el.text_content.split()) if el is not None else ""

    @title.setter
    def title(self, value: str) -> None:
        text = "" if value is None else str(value)
        el = select_one(self, "title")
        if el is None and self.head is not None:
            el = self.create_element("title")
            self.head._set_children_silently([*self.head._children, el])
        if el is not None:
            # The window title travels as SetTitle; the <title> element is not
            # displayed, so it is updated without an op of its own.
            el._set_children_silently([Text(self, text)] if text else [])
        self._ops.add(SetTitle(text))

    def create_element(self, tag: str) -> Element:
        if type(tag) is not str or tag not in _VALID_TAGS:  # exactly str: a subclass could fake its hash
            if not isinstance(tag, str) or not _TAG.match(tag):
                raise ValueError(f"invalid tag name {tag!r}")
            if len(_VALID_TAGS) < 256:
                _VALID_TAGS.add(tag)  # a page uses a handful: the match runs once for each
        return Element(self, tag)

    def create_text_node(self, data: str) -> Text:
        return Text(self, "" if data is None else str(data))

    def get_element_by_id(self, element_id: str) -> Element | None:
        if self._root is None:
            return None
        if self._root._attrs.get("id") == element_id:
            return self._root
        return next((el for el in self._root._iter_elements() if el._attrs.get("id") == element_id), None)

    def query_selector(self, selector: str) -> Element | None:
        return select_one(self, selector)

    def query_selector_all(self, selector: str) -> list[Element]:
        return select_all(self, selector)

    def _sel_children(self) -> list[Element]:
        return [self._root] if self._root is not None else []

    def __repr__(self) -> str:
        return f"<Document elements={sum(ref() is not None for ref in self._nodes.values())}>"
