"""What a compositor shows under a right-click: the facts behind ``context-menu``.

Electron's ``context-menu`` params describe the page at the point the user
clicked: the link there, the image, the selected text, whether the element is
editable. Main builds them (``main/_context_menu``) from a
:class:`ContextTarget` that the compositor fills in from *its own* view of
the page — the elements it displays, the text selected in its widgets — never
from anything the renderer says.

:func:`describe` reads the facts off a chain of elements, innermost first, as
each compositor walks its tree; both compositors use it, so a right-click
means the same on either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["ContextTarget", "describe"]

#: The attribute carrying the renderer's node id (common._messages).
ID_ATTR = "data-tke-id"
#: Elements whose ``src`` is media, and Electron's ``media_type`` for each.
MEDIA_TAGS = {"img": "image", "video": "video", "audio": "audio", "canvas": "canvas"}
#: Input types a user cannot type into.
_NOT_TEXT = frozenset("checkbox radio submit button reset file image hidden color range".split())


@dataclass(frozen=True, slots=True)
class ContextTarget:
    """The page under the pointer at a right-click, as the compositor shows it.

    ``x``/``y`` are viewport coordinates. ``link_href`` and ``src`` are the
    attributes as displayed (main resolves them against the page's URL);
    ``link_node`` is the nearest ``<a>`` (main's commit rules keep the targets
    of links that are not drawn, so main looks the href up by this id).
    ``control_tag``/``control_type`` name the form control clicked, if any.
    ``selection_text`` is what is selected: in the control when one was
    clicked, else in the page.
    """

    x: int
    y: int
    link_href: str = ""
    link_text: str = ""
    link_node: int = 0
    media_tag: str = ""
    src: str = ""
    alt: str = ""
    title: str = ""
    control_tag: str = ""
    control_type: str = ""
    is_editable: bool = False
    selection_text: str = ""
    can_undo: bool = False
    can_redo: bool = False
    source: str = "mouse"


def describe(
    chain: Iterable[tuple[str, dict[str, str], Callable[[], str]]],
    x: int,
    y: int,
    *,
    selection_text: str = "",
    can_undo: bool = False,
    can_redo: bool = False,
) -> ContextTarget:
    """A :class:`ContextTarget` from ``chain``: (tag, attributes, text getter)
    of the clicked element and each of its ancestors, innermost first.

    The nearest ``<a>`` is the link (its text read only then), the
    nearest media element gives the media, the nearest ``title`` attribute
    the title text; a text ``<input>`` or a ``<textarea>`` that is the
    clicked element (or holds it) is editable unless disabled.
    """
    link_href = link_text = media_tag = src = alt = title = ""
    control_tag = control_type = ""
    editable = False
    link_node = 0
    for tag, attrs, text in chain:
        if not link_node and tag == "a" and attrs.get(ID_ATTR, "").isdigit():
            link_node = int(attrs[ID_ATTR])
            link_href, link_text = attrs.get("href", ""), " ".join(text().split())
        if not media_tag and tag in MEDIA_TAGS:
            media_tag, src, alt = tag, attrs.get("src", ""), attrs.get("alt", "")
        if not title and attrs.get("title"):
            title = attrs["title"]
        if not control_tag and tag in ("input", "textarea", "select", "button"):
            control_tag, control_type = tag, attrs.get("type", "text" if tag == "input" else "").lower()
            texty = tag == "textarea" or (tag == "input" and control_type not in _NOT_TEXT)
            editable = texty and "disabled" not in attrs and "readonly" not in attrs
    return ContextTarget(
        x, y, link_href, link_text, link_node, media_tag, src, alt, title, control_tag, control_type,
        editable, selection_text, can_undo, can_redo,
    )
