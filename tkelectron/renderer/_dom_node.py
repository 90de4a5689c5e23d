"""DOM nodes: :class:`Node` (what every node shares) and :class:`Text`.

Every node belongs to one :class:`~tkelectron.renderer._dom.Document` and has
an integer id unique within it. Only mutations of nodes *connected* to the
document (reachable from its root) are recorded as ops: a subtree built while
detached costs nothing until it is attached, and is then sent as ONE
``Insert`` holding its whole HTML, serialized at that moment.

The compositor can address elements only, never text nodes, so changes that
touch a text node are expressed on its parent element: ``SetText`` when the
text node is the parent's only child, ``SetHTML`` with all the parent's
children otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from ..common._messages import SetHTML, SetText
from ._dom_events import EventTarget
from ._dom_serialize import serialize_nodes

if TYPE_CHECKING:
    from ._dom import Document
    from ._dom_element import Element
    from ._dom_ops import OpLog

__all__ = ["Node", "Text"]


class Node(EventTarget):
    """What elements and text nodes share: their place in the tree."""

    __slots__ = ("_document", "_parent", "_nid", "__weakref__")
    _is_text: ClassVar[bool] = False

    def __init__(self, document: Document) -> None:
        self._listeners = None  # EventTarget's state, set here: one call less per node a page makes
        self._document = document
        self._parent: Element | None = None
        self._nid = document._new_id() if self._is_text else document._register(self)

    # -- events ---------------------------------------------------------------
    def _event_document(self) -> Document:
        return self._document

    def _event_parent(self) -> EventTarget | None:
        if self._parent is not None:
            return self._parent
        return self._document if self._document._root is self else None

    # -- where the node is ------------------------------------------------------
    def _connected(self) -> bool:
        node: Node = self
        while node._parent is not None:
            node = node._parent
        return node is self._document._root

    def _log(self) -> OpLog | None:
        """The op log if mutations of this node must be recorded, else None."""
        document = self._document
        if self._parent is None and self is not document._root:
            return None  # detached (a row being built): the common case, without the walk
        return document._log_for(self)

    @property
    def is_connected(self) -> bool:
        return self._connected()

    @property
    def owner_document(self) -> Document:
        return self._document

    @property
    def parent_element(self) -> Element | None:
        return self._parent

    @property
    def parent_node(self) -> Element | Document | None:
        if self._parent is None and self._document._root is self:
            return self._document
        return self._parent

    def _sibling(self, delta: int) -> Node | None:
        if self._parent is None:
            return None
        siblings = self._parent._children
        i = siblings.index(self) + delta
        return siblings[i] if 0 <= i < len(siblings) else None

    @property
    def next_sibling(self) -> Node | None:
        return self._sibling(1)

    @property
    def previous_sibling(self) -> Node | None:
        return self._sibling(-1)

    def remove(self) -> None:
        """Take this node out of its parent (nothing happens without one)."""
        if self._parent is not None:
            self._parent.remove_child(self)


class Text(Node):
    """A text node. Its ``data`` is the text, unescaped."""

    __slots__ = ("_data",)
    _is_text: ClassVar[bool] = True
    node_type: ClassVar[int] = 3
    node_name: ClassVar[str] = "#text"

    def __init__(self, document: Document, data: str) -> None:
        # Node's state, set here (as Element does): a list's row pays two calls less.
        self._listeners = None
        self._document = document
        self._parent: Element | None = None
        nid = document._next_id  # Document._new_id, inline: a text node is never looked up
        document._next_id = nid + 1
        self._nid = nid
        self._data = data

    @property
    def data(self) -> str:
        return self._data

    @data.setter
    def data(self, value: str) -> None:
        self._data = "" if value is None else str(value)
        parent = self._parent
        log = parent._log() if parent is not None else None
        if parent is not None and log is not None:
            if len(parent._children) == 1:
                log.add(SetText(parent._nid, self._data))
            else:
                log.add(SetHTML(parent._nid, serialize_nodes(parent._children, True)))

    node_value = data
    text_content = data

    def __repr__(self) -> str:
        return f"<Text {self._data[:30]!r}>"
