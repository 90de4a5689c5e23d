"""Element attributes and form state: attributes, ``id``, ``class_list``,
``style``, ``dataset``, ``hidden``, ``tab_index``, ``value``, ``checked``,
``disabled``, ``click()`` and ``focus()``.

Attribute changes (including ``style[...]``, ``class_list``, ``class_name``,
``id``, ``disabled``, ``hidden``, ``tab_index`` and ``dataset[...]``, which are
all kept as attributes) record
``SetAttr``/``RemoveAttr``. ``value`` and ``checked`` are *live* properties,
as in the DOM: they start from the markup (the ``value``/``checked``
attributes, a textarea's text, an option's ``selected``) and, once set, live
apart from it; setting them records ``SetValue``/``SetChecked``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..common._messages import RemoveAttr, SetAttr, SetChecked, SetValue
from . import _dom_input
from ._dom_dataset import DOMStringMap
from ._dom_serialize import ID_ATTR
from ._dom_style import ClassList, Style

if TYPE_CHECKING:
    from ._dom import Document
    from ._dom_element import Element
    from ._dom_node import Node
    from ._dom_ops import OpLog

__all__ = ["ElementState"]

_BAD_ATTR = re.compile(r"[\s\"'>/=\x00]")


class ElementState:
    """Attribute and form-state behaviour of :class:`Element` (a mixin)."""

    __slots__ = ()

    if TYPE_CHECKING:
        _attrs: dict[str, str]
        _children: list[Node]
        _tag: str
        _nid: int
        _document: Document
        _parent: Element | None
        _value: str | None
        _checked: bool | None
        _selected: bool | None

        def _log(self) -> OpLog | None: ...
        def _iter_elements(self) -> Iterator[Element]: ...
        def closest(self, selector: str) -> Element | None: ...
        @property
        def text_content(self) -> str: ...

    # -- attributes -------------------------------------------------------------
    def get_attribute(self, name: str) -> str | None:
        return self._attrs.get(name.lower())

    def has_attribute(self, name: str) -> bool:
        return name.lower() in self._attrs

    def set_attribute(self, name: str, value: object) -> None:
        name = name.lower()
        if not name or _BAD_ATTR.search(name):
            raise ValueError(f"invalid attribute name {name!r}")
        if name == ID_ATTR:
            raise ValueError(f"the attribute {ID_ATTR!r} is reserved for the framework")
        text = "" if value is None else str(value)
        self._attrs[name] = text
        log = self._log()
        if log is not None:
            log.add(SetAttr(self._nid, name, text))

    def remove_attribute(self, name: str) -> None:
        name = name.lower()
        if self._attrs.pop(name, None) is not None:
            log = self._log()
            if log is not None:
                log.add(RemoveAttr(self._nid, name))

    def toggle_attribute(self, name: str, force: bool | None = None) -> bool:
        want = not self.has_attribute(name) if force is None else bool(force)
        if want and not self.has_attribute(name):
            self.set_attribute(name, "")
        elif not want:
            self.remove_attribute(name)
        return want

    @property
    def attributes(self) -> dict[str, str]:
        """A copy of the attributes; changing it changes nothing."""
        return dict(self._attrs)

    @property
    def id(self) -> str:
        return self._attrs.get("id", "")

    @id.setter
    def id(self, value: str) -> None:
        self.set_attribute("id", value)

    @property
    def class_name(self) -> str:
        return self._attrs.get("class", "")

    @class_name.setter
    def class_name(self, value: str) -> None:
        self.set_attribute("class", value)

    @property
    def name(self) -> str:
        return self._attrs.get("name", "")

    @name.setter
    def name(self, value: str) -> None:
        self.set_attribute("name", value)


    @property
    def dataset(self) -> DOMStringMap:
        """The ``data-*`` attributes as a live mapping, keyed as in the DOM
        (``data-user-id`` is ``dataset["userId"]``; see ``_dom_dataset``)."""
        return DOMStringMap(self)

    @property
    def hidden(self) -> bool:
        """The ``hidden`` attribute: a hidden element is not displayed (``display: none``)."""
        return "hidden" in self._attrs

    @hidden.setter
    def hidden(self, value: bool) -> None:
        self.toggle_attribute("hidden", bool(value))

    @property
    def tab_index(self) -> int:
        """The ``tabindex`` attribute as an integer; without a valid one, 0 for
        elements that take the focus by default (links, form controls...) and
        -1 for the others, as in the DOM."""
        raw = self._attrs.get("tabindex", "").strip()
        if re.fullmatch(r"[+-]?\d+", raw):
            return int(raw)
        return 0 if self._focusable_by_default() else -1

    @tab_index.setter
    def tab_index(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"tab_index must be an int, not {type(value).__name__}")
        self.set_attribute("tabindex", str(value))

    def _focusable_by_default(self) -> bool:
        tag = self._tag
        if tag in ("a", "area"):
            return "href" in self._attrs
        if tag in ("button", "input", "select", "textarea", "iframe", "summary"):
            return not (tag == "input" and self.type == "hidden")
        return self._attrs.get("contenteditable", "false").lower() in ("", "true", "plaintext-only")

    @property
    def class_list(self) -> ClassList:
        return ClassList(self)

    @property
    def style(self) -> Style:
        return Style(self)

    @property
    def type(self) -> str:
        """The lowercase ``type`` (an input's defaults to "text", a button's to "submit")."""
        default = {"input": "text", "button": "submit"}.get(self._tag, "")
        return self._attrs.get("type", default).strip().lower() or default

    @property
    def disabled(self) -> bool:
        return "disabled" in self._attrs

    @disabled.setter
    def disabled(self, value: bool) -> None:
        if value:
            if "disabled" not in self._attrs:
                self.set_attribute("disabled", "")
        else:
            self.remove_attribute("disabled")

    # -- value ------------------------------------------------------------------
    def _options(self) -> list[Element]:
        return [el for el in self._iter_elements() if el._tag == "option"]

    def _is_selected(self) -> bool:
        return self._selected if self._selected is not None else "selected" in self._attrs

    @property
    def value(self) -> str:
        tag = self._tag
        if tag == "select":
            options = self._options()
            for option in options:
                if option._is_selected():
                    return option.value
            # With nothing marked, a drop-down shows its first option.
            if options and all(o._selected is None for o in options):
                return options[0].value
            return ""
        if self._value is not None:
            return self._value
        if tag == "textarea":
            return self.text_content
        if tag == "option" and "value" not in self._attrs:
            return " ".join(self.text_content.split())
        if tag == "input" and self.type in ("checkbox", "radio"):
            return self._attrs.get("value", "on")
        return self._attrs.get("value", "")

    @value.setter
    def value(self, value: object) -> None:
        text = "" if value is None else str(value)
        if self._tag in ("input", "textarea") and self.type not in ("checkbox", "radio"):
            self._value = text  # type: ignore[misc]  # the slot is Element's
        elif self._tag == "select":
            self._select(text)
        else:
            self.set_attribute("value", text)
            return
        log = self._log()
        if log is not None:
            log.add(SetValue(self._nid, text))

    def _select(self, value: str) -> None:
        found = False
        for option in self._options():
            option._selected = not found and option.value == value
            found = found or option._selected

    def _set_live_value(self, value: str) -> None:
        """The user changed the value: update it without recording an op."""
        if self._tag == "select":
            self._select(value)
        elif self._tag in ("input", "textarea"):
            self._value = value  # type: ignore[misc]  # the slot is Element's

    # -- checked ----------------------------------------------------------------
    @property
    def checked(self) -> bool:
        return self._checked if self._checked is not None else "checked" in self._attrs

    @checked.setter
    def checked(self, value: bool) -> None:
        self._set_checked(bool(value), record=True)

    def _radio_group(self) -> list[Element]:
        """The other radios of this radio's group (same name, same form or tree)."""
        name = self._attrs.get("name", "")
        if self._tag != "input" or self.type != "radio" or not name:
            return []
        form = self.closest("form")
        scope: ElementState = self
        if form is not None:
            scope = form
        else:
            while scope._parent is not None:
                scope = scope._parent
        return [
            el
            for el in scope._iter_elements()
            if el is not self
            and el._tag == "input"
            and el.type == "radio"
            and el._attrs.get("name") == name
            and el.closest("form") is form
        ]

    def _set_checked(self, value: bool, record: bool) -> None:
        """Set the live checkedness; a checked radio unchecks its group."""
        log = self._log() if record else None
        self._checked = value  # type: ignore[misc]  # the slot is Element's
        if log is not None:
            log.add(SetChecked(self._nid, value))
        if value:
            for other in self._radio_group():
                if other.checked:
                    other._checked = False
                    if log is not None:
                        log.add(SetChecked(other._nid, False))

    # -- user actions -----------------------------------------------------------
    def click(self) -> None:
        """Act as a user's click: toggles a checkbox, submits a form, fires events."""
        _dom_input.activate(self, checked=None, silent=False)  # type: ignore[arg-type]

    def focus(self) -> None:
        """Give this element the keyboard focus (records ``Focus``)."""
        self._document._focus(self)  # type: ignore[arg-type]
