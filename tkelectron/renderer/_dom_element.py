"""DOM elements: the tree side of :class:`Element` (children, mutation, text
and HTML content, selectors); attributes and form state come from
:class:`~tkelectron.renderer._dom_attrs.ElementState`.

Inserting a node records ``Insert`` with the node's whole display HTML when
the parent is connected (before a text node: ``SetHTML`` of the parent, since
the compositor cannot address text). Removing an element records ``Remove``;
removing a text node, ``SetHTML`` of the parent. Setting ``text_content`` or
``inner_text`` records ``SetText``; setting ``inner_html``, ``SetHTML``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from ..common._html import MAX_DEPTH, RAW_TEXT_ELEMENTS, HtmlLimitError, parse_fragment
from ..common._messages import Remove, SetHTML, SetText
from ..common._selectors import compile_selector, select_all, select_one
from ._dom_attrs import ElementState
from ._dom_handlers import GlobalEventHandlers
from ._dom_layout import ElementLayout
from ._dom_node import Node, Text
from ._dom_serialize import serialize_nodes, serialize_one

if TYPE_CHECKING:
    from ._dom import Document

__all__ = ["Element"]


class Element(Node, ElementState, ElementLayout, GlobalEventHandlers):
    """An element: tag, attributes, children (see also ``ElementState``; its box on
    screen: ``ElementLayout``; ``on<event>`` properties: ``GlobalEventHandlers``)."""

    __slots__ = ("_tag", "_attrs", "_children", "_value", "_checked", "_selected", "_line")
    node_type: ClassVar[int] = 1

    def __init__(self, document: Document, tag: str, attrs: dict[str, str] | None = None, line: int = 0) -> None:
        # Node's state, set here: a page building a list of 1000 rows pays one
        # call per element less (Node.__init__ registers; Text uses it as is).
        self._listeners = None
        self._document = document
        self._parent = None
        self._nid = document._register(self)
        self._tag = tag.lower()
        self._attrs: dict[str, str] = dict(attrs) if attrs else {}
        self._children: list[Node] = []
        self._value: str | None = None  # live value once set; None = from markup
        self._checked: bool | None = None  # live checkedness once set
        self._selected: bool | None = None  # live selectedness of an <option>
        self._line = line  # the start tag's line in the page's source, for tracebacks

    def __repr__(self) -> str:
        ident = f"#{self._attrs['id']}" if "id" in self._attrs else ""
        return f"<Element {self._tag}{ident} node={self._nid}>"

    # -- names ----------------------------------------------------------------
    @property
    def tag_name(self) -> str:
        return self._tag.upper()

    node_name = tag_name

    @property
    def local_name(self) -> str:
        return self._tag

    # -- children -------------------------------------------------------------
    @property
    def children(self) -> list[Element]:
        """The element children (text nodes excluded), as a new list."""
        return [c for c in self._children if not c._is_text]  # type: ignore[misc]

    @property
    def child_nodes(self) -> list[Node]:
        return list(self._children)

    @property
    def first_child(self) -> Node | None:
        return self._children[0] if self._children else None

    @property
    def last_child(self) -> Node | None:
        return self._children[-1] if self._children else None

    @property
    def first_element_child(self) -> Element | None:
        return next(iter(self.children), None)

    def has_child_nodes(self) -> bool:
        return bool(self._children)

    def contains(self, other: Node | None) -> bool:
        """Whether ``other`` is this element or one of its descendants."""
        node = other
        while node is not None:
            if node is self:
                return True
            node = node._parent
        return False

    def _depth(self) -> int:
        """How deep this element sits in its tree (a root is 1)."""
        depth, node = 1, self._parent
        while node is not None:
            depth, node = depth + 1, node._parent
        return depth

    @staticmethod
    def _check_depth(node: Node, depth: int) -> None:
        """Refuse to put ``node`` under an element at ``depth`` past :data:`MAX_DEPTH`.

        Every tree is kept within the limit, detached ones too, so the walk
        up is never longer than the limit.
        """
        if node._is_text:
            return
        kids = node._children  # type: ignore[attr-defined]
        height = 1
        if not kids or (len(kids) == 1 and kids[0]._is_text):
            pass  # a row holding only its text (the common case) needs neither scan nor walk
        elif any(not c._is_text for c in kids):
            todo = [(node, 1)]
            while todo:
                el, level = todo.pop()
                height = max(height, level)
                todo.extend((c, level + 1) for c in el._children if not c._is_text)  # type: ignore[attr-defined]
        if depth + height > MAX_DEPTH:
            raise HtmlLimitError(
                f"inserting this <{node._tag}> would nest elements {depth + height} deep, over the limit of "  # type: ignore[attr-defined]
                f"{MAX_DEPTH} (tkelectron's MAX_DEPTH; Tkhtml, which draws the page, crashes on very deep trees)"
            )

    def _iter_elements(self) -> Iterator[Element]:
        """This element's descendant elements in document order."""
        todo = list(reversed(self._children))
        while todo:
            node = todo.pop()
            if not node._is_text:
                yield node  # type: ignore[misc]
                todo.extend(reversed(node._children))  # type: ignore[attr-defined]

    # -- mutation ---------------------------------------------------------------
    def append_child(self, node: Node) -> Node:
        return self.insert_before(node, None)

    def append(self, *nodes: Node | str) -> None:
        """Append nodes; strings become text nodes."""
        for node in nodes:
            self.insert_before(Text(self._document, node) if isinstance(node, str) else node, None)

    def insert_before(self, node: Node, ref: Node | None) -> Node:
        """Insert ``node`` before child ``ref`` (at the end when None); returns it.

        A node already in a tree is taken out of it first, as the DOM does.
        """
        if not isinstance(node, Node):
            raise TypeError(f"can only insert DOM nodes, not {type(node).__name__}")
        if node._document is not self._document:
            raise ValueError("the node belongs to another document")
        if ref is not None and ref._parent is not self:
            raise ValueError("the reference node is not a child of this element")
        document = self._document
        # One walk up from this element tells its depth, whether ``node`` is
        # it or one of its ancestors, and whether it is in the document (its
        # mutations are then recorded): a list of 1000 rows pays one walk per
        # row instead of three.
        depth, top, up = 1, self, self._parent
        if node is self:
            raise ValueError("cannot insert a node into itself or one of its descendants")
        while up is not None:
            if up is node:
                raise ValueError("cannot insert a node into itself or one of its descendants")
            depth, top, up = depth + 1, up, up._parent
        if node is document._root:
            raise ValueError("cannot insert a node into itself or one of its descendants")
        if ref is node:
            ref = node.next_sibling
        if not node._is_text:
            kids = node._children  # type: ignore[attr-defined]
            # A row holding only its text (the common case) is checked here, without the call.
            if depth >= MAX_DEPTH or (kids and (len(kids) > 1 or not kids[0]._is_text)):
                self._check_depth(node, depth)
        if node._parent is not None:
            node._parent._detach(node)  # never an ancestor of this element: ``top`` stands
        children = self._children
        if ref is None:
            children.append(node)
        else:
            children.insert(children.index(ref), node)
        node._parent = self
        if top is document._root and not document._pending_replace:
            log = document._ops
            if ref is not None and ref._is_text:
                log.add(SetHTML(self._nid, serialize_nodes(children, True)))
            else:
                log.add_insert(self._nid, serialize_one(node), None if ref is None else ref._nid)
        return node

    def remove_child(self, node: Node) -> Node:
        if not isinstance(node, Node) or node._parent is not self:
            raise ValueError("the node to remove is not a child of this element")
        self._detach(node)
        return node

    def replace_child(self, new: Node, old: Node) -> Node:
        """Put ``new`` where ``old`` is; returns ``old``."""
        if not isinstance(old, Node) or old._parent is not self:
            raise ValueError("the node to replace is not a child of this element")
        if new is not old:
            self.insert_before(new, old)
            self._detach(old)
        return old

    def _detach(self, node: Node) -> None:
        self._children.remove(node)
        node._parent = None
        log = self._log()
        if log is not None:
            if node._is_text:
                log.add(SetHTML(self._nid, serialize_nodes(self._children, True)))
            else:
                log.add(Remove(node._nid))
        self._document._forget_focus(node)

    def _set_children_silently(self, nodes: list[Node]) -> None:
        for child in self._children:
            child._parent = None
        for node in nodes:
            if node._parent is not None:
                node._parent._children.remove(node)
            node._parent = self
        self._children = nodes

    # -- text and HTML ----------------------------------------------------------
    def _text(self, skip_raw: bool) -> str:
        parts: list[str] = []
        todo = list(reversed(self._children))
        while todo:
            node = todo.pop()
            if node._is_text:
                parts.append(node._data)  # type: ignore[attr-defined]
            elif not (skip_raw and node._tag in RAW_TEXT_ELEMENTS):  # type: ignore[attr-defined]
                todo.extend(reversed(node._children))  # type: ignore[attr-defined]
        return "".join(parts)

    def _replace_text(self, value: object) -> None:
        text = "" if value is None else str(value)
        if not self._children and self._parent is None and self is not self._document._root:
            # A fresh element (a row being built): nothing to detach, nothing to record.
            if text:
                node = Text(self._document, text)
                node._parent = self
                self._children = [node]
            return
        self._set_children_silently([Text(self._document, text)] if text else [])
        log = self._log()
        if log is not None:
            log.add(SetText(self._nid, text))

    @property
    def text_content(self) -> str:
        return self._text(skip_raw=False)

    @text_content.setter
    def text_content(self, value: str) -> None:
        self._replace_text(value)

    @property
    def inner_text(self) -> str:
        """The text as shown: like ``text_content`` without script and style."""
        return self._text(skip_raw=True)

    @inner_text.setter
    def inner_text(self, value: str) -> None:
        self._replace_text(value)

    @property
    def inner_html(self) -> str:
        return serialize_nodes(self._children, False)

    @inner_html.setter
    def inner_html(self, html: str) -> None:
        html = "" if html is None else str(html)
        if self._tag in RAW_TEXT_ELEMENTS:
            self._replace_text(html)
            return
        nodes = parse_fragment(html, max_depth=MAX_DEPTH, base_depth=self._depth())
        self._set_children_silently(self._document._build(nodes))
        log = self._log()
        if log is not None:
            log.add(SetHTML(self._nid, serialize_nodes(self._children, True)))

    @property
    def outer_html(self) -> str:
        return serialize_nodes([self], False)

    # -- selectors --------------------------------------------------------------
    def query_selector(self, selector: str) -> Element | None:
        return select_one(self, selector)

    def query_selector_all(self, selector: str) -> list[Element]:
        return select_all(self, selector)

    def matches(self, selector: str) -> bool:
        return compile_selector(selector).matches(self)

    def closest(self, selector: str) -> Element | None:
        """This element or its nearest ancestor matching ``selector``."""
        sel = compile_selector(selector)
        node: Element | None = self
        while node is not None:
            if sel.matches(node):
                return node
            node = node._parent
        return None

    # The selector engine's adapter protocol (common._selectors).
    def _sel_tag(self) -> str:
        return self._tag

    def _sel_attr(self, name: str) -> str | None:
        return self._attrs.get(name)

    def _sel_parent(self) -> Element | None:
        return self._parent

    def _sel_children(self) -> list[Element]:
        return self.children

    def _sel_first(self) -> Element | None:
        return next((c for c in self._children if not c._is_text), None)  # type: ignore[return-value]

    def _sel_last(self) -> Element | None:
        return next((c for c in reversed(self._children) if not c._is_text), None)  # type: ignore[return-value]

    def _sel_prev(self) -> Element | None:
        if self._parent is None:
            return None
        siblings = self._parent._children
        for i in range(siblings.index(self) - 1, -1, -1):
            if not siblings[i]._is_text:
                return siblings[i]  # type: ignore[return-value]
        return None

    def _sel_checked(self) -> bool:
        if self._tag == "option":
            return self._is_selected()
        return self._tag == "input" and self.type in ("checkbox", "radio") and self.checked

    def _sel_disabled(self) -> bool:
        return "disabled" in self._attrs

    def _sel_has_text(self) -> bool:
        return any(c._is_text for c in self._children)
