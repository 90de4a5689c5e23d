"""The headless compositor's document: commits applied to a plain HTML tree.

:class:`MirrorDocument` keeps the renderer's DOM as
:class:`~tkelectron.common._html.HtmlElement` nodes, an id -> element map
refreshed for every inserted subtree, and form controls' live values beside
the tree (a DOM's ``value`` and ``checked`` are not attributes). It answers the
query API (``query``, ``element``, ``html``) with the shared selector engine.
"""

from __future__ import annotations

from ...common._html import HtmlElement, Node, parse_document, parse_fragment, serialize
from ...common._messages import (
    Focus,
    Insert,
    Op,
    Remove,
    RemoveAttr,
    ReplaceDocument,
    SetAttr,
    SetChecked,
    SetHTML,
    SetText,
    SetTitle,
    SetValue,
)
from ...common._selectors import select_all
from .base import ElementInfo

__all__ = ["MirrorDocument", "select_ids"]

_ID = "data-tke-id"
_UNRENDERED = frozenset("head script style title meta link template base".split())


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


class MirrorDocument:
    """A window's document, mirrored in memory and addressed by node id."""

    def __init__(self) -> None:
        self.document_title = ""
        self.crashed: str | None = None
        self.focused_node: int | None = None
        self.root = parse_document("")
        self.nodes: dict[int, HtmlElement] = {}
        self.values: dict[int, str] = {}
        self.checked: dict[int, bool] = {}
        self._committed: dict[int, str] = {}

    def free_removed(self) -> None:
        """Nothing to do: a removed node is gone with its last reference."""

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
        body = self.root.children[1]
        assert isinstance(body, HtmlElement)
        pre = body.children[1]
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
