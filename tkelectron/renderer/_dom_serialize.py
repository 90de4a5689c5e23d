"""Serializing renderer DOM nodes: for the page, and for the display.

Two flavours of the same walk:

- *page* HTML (``outer_html``/``inner_html`` of the page API): attributes as
  stored, nothing added.
- *display* HTML (what commits carry to the main process): every element
  carries its node id as ``data-tke-id="N"``, and form controls show their
  *live* state rather than their attributes: an ``<input>`` whose value was
  set gets that ``value``, ``checked`` follows the live checkedness, an
  ``<option>`` is ``selected`` as its select says, a ``<textarea>`` holds its
  live value. So a subtree built while detached displays exactly as the page
  left it, and a fresh document shows what scripts did before the first commit.

Both walks are iterative, so deep trees cannot exhaust the recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..common._html import RAW_TEXT_ELEMENTS, VOID_ELEMENTS, escape_attr, escape_text

if TYPE_CHECKING:
    from ._dom_element import Element
    from ._dom_node import Node

__all__ = ["ID_ATTR", "serialize_nodes", "serialize_one"]

#: The attribute that names an element's node id in display HTML.
ID_ATTR = "data-tke-id"


def _display_attrs(el: Element) -> dict[str, str]:
    attrs = {ID_ATTR: str(el._nid)}
    for name, value in el._attrs.items():
        if name != ID_ATTR:  # the framework's attribute cannot be forged by the page
            attrs[name] = value
    tag = el._tag
    if tag == "input":
        if el._value is not None:
            attrs["value"] = el._value
        if el._checked is not None:
            attrs.pop("checked", None)
            if el._checked:
                attrs["checked"] = ""
    elif tag == "option" and el._selected is not None:
        attrs.pop("selected", None)
        if el._selected:
            attrs["selected"] = ""
    return attrs


# Tags whose display attributes come from live state (``_display_attrs``).
_LIVE = frozenset({"input", "option"})


def _open_tag(el: Element, display: bool) -> str:
    """``<tag name="value"...>`` of ``el``."""
    tag = el._tag
    if display and not el._attrs and tag not in _LIVE:
        return f'<{tag} {ID_ATTR}="{el._nid}">'  # most elements a page builds
    attrs = _display_attrs(el) if display else el._attrs
    if not attrs:
        return f"<{tag}>"
    return "<" + tag + "".join([f' {name}="{escape_attr(value)}"' for name, value in attrs.items()]) + ">"


def serialize_one(node: Node) -> str:
    """``serialize_nodes([node], True)``, the hot case (one node appended) first:
    an element holding one text node, or nothing, is written at once, without
    the list and the walk. (No typing.cast here: it is a call at run time,
    two per row of a list.)"""
    el: Element = node  # type: ignore[assignment]  # an Element unless _is_text
    if not el._is_text:
        tag = el._tag
        kids = el._children
        if tag not in VOID_ELEMENTS and tag not in RAW_TEXT_ELEMENTS and tag != "textarea" and (
                not kids or (len(kids) == 1 and kids[0]._is_text)):
            text = kids[0]._data if kids else ""  # type: ignore[attr-defined]  # a Text
            if "&" in text or "<" in text or ">" in text:
                text = escape_text(text)
            if not el._attrs and tag not in _LIVE:  # _open_tag's common case, inline
                return f'<{tag} {ID_ATTR}="{el._nid}">{text}</{tag}>'
            return f"{_open_tag(el, True)}{text}</{tag}>"
    return serialize_nodes([node], True)


def serialize_nodes(nodes: Iterable[Node], display: bool) -> str:
    """Serialize ``nodes`` (outer HTML of each, concatenated)."""
    el: Element
    out: list[str] = []
    todo: list[Node | str] = list(nodes)
    todo.reverse()
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)  # a pending end tag
            continue
        if item._is_text:
            out.append(escape_text(item._data))  # type: ignore[attr-defined]  # a Text
            continue
        el = item  # type: ignore[assignment]  # an Element, since not _is_text
        tag = el._tag
        out.append(_open_tag(el, display))
        if tag in VOID_ELEMENTS:
            continue
        if tag in RAW_TEXT_ELEMENTS:
            out.extend(c._data for c in el._children if c._is_text)  # type: ignore[attr-defined]
            out.append(f"</{tag}>")
        elif display and tag == "textarea" and el._value is not None:
            out.append(escape_text(el._value))
            out.append("</textarea>")
        else:
            todo.append(f"</{tag}>")
            todo.extend(reversed(el._children))
    return "".join(out)
