"""A light HTML tree: parse with the standard library, serialize back.

Both processes use it: the renderer builds its DOM from :func:`parse_document`
and :func:`parse_fragment`, and the headless compositor in the main process
mirrors commits with it. The tree is deliberately plain: an
:class:`HtmlElement` has a lowercase ``tag``, an ``attrs`` dict, a ``children``
list whose items are elements or ``str`` (text nodes), and a ``parent``.

The parser follows the parts of the HTML5 tree-building rules that real pages
lean on, not all of them:

- void elements (``<br>``, ``<input>``...) never take children;
- ``<p>`` is closed by a block-level start tag, ``<li>`` by the next ``<li>``
  of the same list, ``<option>`` by the next ``<option>``/``<optgroup>``,
  ``<dt>``/``<dd>`` by each other;
- ``<script>`` and ``<style>`` hold raw text, kept verbatim (no entity decoding);
- comments, doctypes and processing instructions are dropped;
- entities are decoded in text and in attribute values;
- an attribute without a value (``<input disabled>``) has the value ``""``;
- an end tag with no open element of its name is ignored, and one that closes
  an outer element closes everything opened inside it.

Both parsers can be bounded: ``max_depth`` refuses a tree nested deeper than
that (an element's depth counts ``<html>`` as 1, so ``<body>`` is 2), and
``max_elements`` refuses more elements than that. Either raises
:class:`HtmlLimitError` naming the limit, as soon as the parse passes it, so a
hostile input never costs more than the limit's worth of work. Tkhtml lays
out by recursing once per level and overflows main's C stack at some
thousands of levels; :data:`MAX_DEPTH` (Chromium's parser cap too) is the
nesting every process of tkelectron keeps to.

:func:`parse_document` always returns an ``<html>`` root with exactly one
``<head>`` and one ``<body>``; metadata tags seen before any body content go
into the head and everything else into the body, as a browser would do.
"""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = [
    "HtmlElement",
    "HtmlLimitError",
    "TreeParser",
    "MAX_DEPTH",
    "Node",
    "VOID_ELEMENTS",
    "RAW_TEXT_ELEMENTS",
    "parse_fragment",
    "parse_document",
    "serialize",
    "escape_text",
    "escape_attr",
]

VOID_ELEMENTS: frozenset[str] = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
#: The deepest an element may sit in a document (``<html>`` is depth 1).
#: Tkhtml survived 6,000 nested levels here and crashed at 12,000 (nested
#: tables recurse most); 512 keeps more than ten times that margin.
MAX_DEPTH = 512

#: Elements whose content is raw text: serialized verbatim, never escaped.
RAW_TEXT_ELEMENTS: frozenset[str] = frozenset({"script", "style"})

# Start tags that close an open <p> (HTML5 "close a p element" list).
_CLOSES_P = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "table ul".split()
)
# Elements that stop the search for an open <p> (a simplified "button scope").
_P_SCOPE = frozenset("button table td th caption html body template object marquee applet".split())
_LIST_SCOPE = frozenset("ul ol table td th html body template".split())
# Tags that belong in <head> when met before any body content.
_HEAD_TAGS = frozenset("base link meta noscript script style template title".split())


class HtmlElement:
    """One element of a parsed tree; text children are plain ``str``."""

    __slots__ = ("tag", "attrs", "children", "parent", "line")

    def __init__(
        self,
        tag: str,
        attrs: dict[str, str] | None = None,
        children: list[HtmlElement | str] | None = None,
        parent: HtmlElement | None = None,
        line: int = 0,
    ) -> None:
        self.tag = tag.lower()
        self.attrs: dict[str, str] = dict(attrs) if attrs else {}
        self.children: list[HtmlElement | str] = children if children is not None else []
        self.parent = parent
        #: The source line of the start tag (1-based), or 0 when unknown.
        self.line = line

    def append(self, node: HtmlElement | str) -> None:
        """Append ``node``, merging adjacent text and setting the parent."""
        if isinstance(node, str):
            if self.children and isinstance(self.children[-1], str):
                self.children[-1] += node
                return
        else:
            node.parent = self
        self.children.append(node)

    # -- the selector engine's adapter protocol (see common._selectors) -----

    def _sel_tag(self) -> str:
        return self.tag

    def _sel_attr(self, name: str) -> str | None:
        return self.attrs.get(name)

    def _sel_parent(self) -> HtmlElement | None:
        return self.parent

    def _sel_children(self) -> list[HtmlElement]:
        return [c for c in self.children if isinstance(c, HtmlElement)]

    def _sel_first(self) -> HtmlElement | None:
        return next((c for c in self.children if isinstance(c, HtmlElement)), None)

    def _sel_last(self) -> HtmlElement | None:
        return next((c for c in reversed(self.children) if isinstance(c, HtmlElement)), None)

    def _sel_prev(self) -> HtmlElement | None:
        if self.parent is None:
            return None
        siblings = self.parent.children
        for i in range(siblings.index(self) - 1, -1, -1):
            node = siblings[i]
            if isinstance(node, HtmlElement):
                return node
        return None

    def _sel_checked(self) -> bool:
        if self.tag == "option":
            return "selected" in self.attrs
        return "checked" in self.attrs

    def _sel_disabled(self) -> bool:
        return "disabled" in self.attrs

    def _sel_has_text(self) -> bool:
        return any(isinstance(c, str) for c in self.children)

    def __repr__(self) -> str:
        return f"<HtmlElement {self.tag} {self.attrs!r} ({len(self.children)} children)>"


Node = HtmlElement | str


def escape_text(s: str) -> str:
    """Escape ``s`` for use as element text."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(s: str) -> str:
    """Escape ``s`` for use inside a double-quoted attribute value."""
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


class HtmlLimitError(ValueError):
    """HTML nested deeper, or with more elements, than a parse allows."""


class _TreeBuilder(HTMLParser):
    """Builds :class:`HtmlElement` trees from parser callbacks."""

    def __init__(self, document: bool, max_depth: int | None = None, base_depth: int = 0,
                 max_elements: int | None = None) -> None:
        super().__init__(convert_charrefs=True)
        # In a document, <html> and <body> are never on the stack: start at 2.
        self.base_depth = base_depth + (2 if document else 0)
        self.max_depth = max_depth
        self.max_elements = max_elements
        self.elements = 0
        self.stack: list[HtmlElement] = []
        self.roots: list[Node] = []
        self.document = document
        self.html = HtmlElement("html")
        self.head = HtmlElement("head", parent=self.html)
        self.body = HtmlElement("body", parent=self.html)
        self.html.children = [self.head, self.body]
        self.in_body = False

    # Where a node goes when no element is open.
    def _append(self, node: Node) -> None:
        if self.stack:
            self.stack[-1].append(node)
        elif not self.document:
            if isinstance(node, str) and self.roots and isinstance(self.roots[-1], str):
                self.roots[-1] += node
            else:
                self.roots.append(node)
        else:
            (self.body if self.in_body else self.head).append(node)

    def _close_to(self, tag: str, scope: frozenset[str]) -> None:
        """Close the innermost open ``tag`` unless a ``scope`` element is nearer."""
        for i in range(len(self.stack) - 1, -1, -1):
            name = self.stack[i].tag
            if name == tag:
                del self.stack[i:]
                return
            if name in scope:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, "" if value is None else value)
        if self.document and tag in ("html", "head", "body"):
            target = {"html": self.html, "head": self.head, "body": self.body}[tag]
            for name, value in values.items():
                target.attrs.setdefault(name, value)
            if tag == "body":
                self.stack.clear()
                self.in_body = True
            return
        if self.document and not self.stack and not self.in_body and tag not in _HEAD_TAGS:
            self.in_body = True
        if tag in _CLOSES_P:
            self._close_to("p", _P_SCOPE)
        elif tag == "li":
            self._close_to("li", _LIST_SCOPE)
        elif tag in ("dt", "dd"):
            self._close_to("dt", _LIST_SCOPE)
            self._close_to("dd", _LIST_SCOPE)
        elif tag in ("option", "optgroup"):
            if self.stack and self.stack[-1].tag == "option":
                self.stack.pop()
            if tag == "optgroup" and self.stack and self.stack[-1].tag == "optgroup":
                self.stack.pop()
        self._check_limits(tag)
        element = HtmlElement(tag, values, line=self.getpos()[0])
        self._append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def _check_limits(self, tag: str) -> None:
        self.elements += 1
        if self.max_elements is not None and self.elements > self.max_elements:
            raise HtmlLimitError(f"more than {self.max_elements} elements")
        depth = self.base_depth + len(self.stack) + 1
        if self.max_depth is not None and depth > self.max_depth:
            raise HtmlLimitError(
                f"<{tag}> would be nested {depth} elements deep, over the limit of {self.max_depth} "
                f"(tkelectron's MAX_DEPTH; Tkhtml, which draws the page, crashes on very deep trees)"
            )

    def handle_endtag(self, tag: str) -> None:
        if self.document and tag in ("html", "head", "body"):
            if tag == "head":
                self.stack.clear()
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.document and not self.stack and not self.in_body:
            if not data.strip():
                return  # whitespace between head elements is not content
            self.in_body = True
        self._append(data)


class TreeParser(_TreeBuilder):
    """An incremental parse: :meth:`feed` pieces, then :meth:`finish`.

    Main feeds a renderer's HTML a piece at a time, so that parsing a large
    commit never holds its event loop; the limits apply as for the functions.
    """

    def __init__(self, document: bool, *, max_depth: int | None = None, base_depth: int = 0,
                 max_elements: int | None = None) -> None:
        super().__init__(document, max_depth, base_depth, max_elements)

    def finish(self) -> list[Node]:
        """Close the parse; the top-level nodes (a document: its ``<html>``)."""
        self.close()
        return [self.html] if self.document else self.roots


def parse_fragment(html: str, *, max_depth: int | None = None, base_depth: int = 0,
                   max_elements: int | None = None) -> list[Node]:
    """Parse ``html`` as a fragment (what ``innerHTML =`` takes).

    Returns the top-level nodes; their ``parent`` is None. ``base_depth`` is
    the depth of the element the fragment goes into, for ``max_depth``.
    """
    builder = _TreeBuilder(False, max_depth, base_depth, max_elements)
    builder.feed(html)
    builder.close()
    return builder.roots


def parse_document(html: str, *, max_depth: int | None = None, max_elements: int | None = None) -> HtmlElement:
    """Parse a whole page; the root is ``<html>`` with ``<head>`` and ``<body>``."""
    builder = _TreeBuilder(True, max_depth, 0, max_elements)
    builder.feed(html)
    builder.close()
    return builder.html


def serialize(nodes: Node | list[Node]) -> str:
    """Serialize ``nodes`` (one node or a list) as outer HTML.

    Void elements get no end tag; text is escaped except inside raw-text
    elements; attribute values are always double-quoted. The walk is iterative
    so deep trees cannot exhaust the recursion limit.
    """
    out: list[str] = []
    todo: list[Node | tuple[str]] = list(reversed(nodes)) if isinstance(nodes, list) else [nodes]
    while todo:
        item = todo.pop()
        if isinstance(item, tuple):
            out.append(item[0])  # a pending end tag
            continue
        if isinstance(item, str):
            out.append(escape_text(item))
            continue
        out.append("<" + item.tag)
        for name, value in item.attrs.items():
            out.append(f' {name}="{escape_attr(value)}"')
        out.append(">")
        if item.tag in VOID_ELEMENTS:
            continue
        if item.tag in RAW_TEXT_ELEMENTS:
            out.extend(c if isinstance(c, str) else serialize(c) for c in item.children)
            out.append(f"</{item.tag}>")
            continue
        todo.append((f"</{item.tag}>",))
        todo.extend(reversed(item.children))
    return "".join(out)
