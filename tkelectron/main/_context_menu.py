"""``context-menu`` on web_contents: Electron's params, built by main.

A right-click reaches main as a ``contextmenu`` input event carrying a
:class:`~tkelectron.main.compositor._context_target.ContextTarget`: what the
compositor displays at that point (main's own copy of the page, never the
renderer's word). :func:`context_menu_params` turns it into Electron's
``params`` object, so an app ports ``webContents.on('context-menu', (e, params)
=> menu.popup())`` line for line; ``params.x``/``params.y`` are window
coordinates that ``menu.popup({"x": ..., "y": ...})`` takes as they are.

The page hears its DOM ``contextmenu`` first; as in a browser, a page that
calls ``prevent_default()`` on it gets no native menu, so ``context-menu`` is
emitted only once the renderer says its listeners let it through (or at once
when the page has no ``contextmenu`` listener at all).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urljoin

from .compositor._context_target import MEDIA_TAGS, ContextTarget

__all__ = ["ContextMenuParams", "EditFlags", "context_menu_params"]

#: Schemes a link or image URL may keep; anything else is given as "" (a page
#: cannot hand the app a ``javascript:`` URL to open).
_SCHEMES = ("file:", "data:", "http:", "https:", "mailto:")


class _Fields:
    """Attribute access, and item access as on Electron's plain objects (``params["x"]``)."""

    def __getitem__(self, name: str) -> Any:
        if name.startswith("_") or name not in self.__dataclass_fields__:  # type: ignore[attr-defined]
            raise KeyError(name)
        return getattr(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload, no-any-return]  # a dataclass; mypy sees the mixin


@dataclass(frozen=True)
class EditFlags(_Fields):
    """Electron's ``params.editFlags``: what the editing commands can do here."""

    can_undo: bool = False
    can_redo: bool = False
    can_cut: bool = False
    can_copy: bool = False
    can_paste: bool = False
    can_delete: bool = False
    can_select_all: bool = True
    can_edit_rich_text: bool = False


@dataclass(frozen=True)
class ContextMenuParams(_Fields):
    """Electron's ``context-menu`` params, snake_case (``link_url``, ``edit_flags``...)."""

    x: int
    y: int
    link_url: str = ""
    link_text: str = ""
    page_url: str = ""
    frame_url: str = ""
    src_url: str = ""
    media_type: str = "none"
    has_image_contents: bool = False
    is_editable: bool = False
    selection_text: str = ""
    title_text: str = ""
    alt_text: str = ""
    suggested_filename: str = ""
    misspelled_word: str = ""
    dictionary_suggestions: list[str] = field(default_factory=list)
    frame_charset: str = "UTF-8"
    form_control_type: str = "none"
    spellcheck_enabled: bool = False
    menu_source_type: str = "mouse"
    edit_flags: EditFlags = field(default_factory=EditFlags)
    frame: None = None


def _url(raw: str, page_url: str) -> str:
    if not raw:
        return ""
    resolved = urljoin(page_url, raw.strip()) if page_url else raw.strip()
    return resolved if resolved.lower().startswith(_SCHEMES) else ""


def _form_control_type(target: ContextTarget) -> str:
    """Electron's ``formControlType`` names (``input-text``, ``text-area``, ``select-one``...)."""
    if target.control_tag == "input":
        return f"input-{target.control_type or 'text'}"
    if target.control_tag == "textarea":
        return "text-area"
    if target.control_tag == "select":
        return "select-one"
    if target.control_tag == "button":
        return f"button-{target.control_type or 'submit'}"
    return "none"


def context_menu_params(target: ContextTarget, page_url: str, link_target: str | None = None) -> ContextMenuParams:
    """Electron's params for a right-click on what ``target`` describes (page at ``page_url``).

    ``link_target`` is the href of ``target.link_node`` as main's commit rules
    keep it (links to other pages are not drawn, so the display has only
    in-page anchors); an ``<a>`` with neither is no link.
    """
    selected = bool(target.selection_text)
    editable = target.is_editable
    src = _url(target.src, page_url)
    flags = EditFlags(
        can_undo=editable and target.can_undo,
        can_redo=editable and target.can_redo,
        can_cut=editable and selected,
        can_copy=selected,
        can_paste=editable,
        can_delete=editable and selected,
        can_select_all=True,
    )
    suggested = src.rsplit("/", 1)[-1] if src and not src.startswith("data:") else ""
    link_url = _url(target.link_href or link_target or "", page_url)
    return ContextMenuParams(
        x=target.x,
        y=target.y,
        link_url=link_url,
        link_text=target.link_text if link_url else "",
        page_url=page_url,
        frame_url=page_url,
        src_url=src,
        media_type=MEDIA_TAGS.get(target.media_tag, "none"),
        has_image_contents=target.media_tag == "img" and bool(src),
        is_editable=editable,
        selection_text=target.selection_text,
        title_text=target.title,
        alt_text=target.alt,
        suggested_filename=suggested,
        form_control_type=_form_control_type(target),
        menu_source_type=target.source,
        edit_flags=flags,
    )
