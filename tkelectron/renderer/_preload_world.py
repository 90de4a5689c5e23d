"""What a preload script finds besides its imports: ``window``, ``document``, ``versions``, ``process``.

As in Electron, a preload can touch the page's DOM once it is ready::

    def on_ready(event):
        for name in ("python", "tk", "tkhtml", "tkelectron"):
            element = document.get_element_by_id(f"{name}-version")
            if element is not None:
                element.inner_text = versions[name]

    window.add_event_listener("DOMContentLoaded", on_ready)

The preload runs before the page is loaded (``document`` has no elements
yet; ``DOMContentLoaded`` and ``load`` come once the page's scripts ran).

- ``window`` and ``document`` are the preload's *views* of the page's: every
  read passes through to the page's objects, but attributes the preload sets
  stay on its view (the page does not see them: Electron's isolated worlds),
  and the listeners and ``on<event>`` handlers it adds through them are
  wrapped so that nothing the page can read leads back to the preload's
  functions (their globals hold ``ipc_renderer``). Elements reached through
  ``document`` are the page's own (the DOM is shared, as in Electron): a
  listener the preload adds directly on an element is visible to the page.
- ``versions`` is a read-only mapping like Electron's ``process.versions``
  (``versions["tk"]`` or ``versions.tk``):
  ``python``, ``tk``, ``tkhtml`` (``""`` when pages are not drawn by Tkhtml:
  the headless compositor), ``tkelectron``. Main, which runs Tk, sends them in
  the renderer's ``Init``; the renderer never imports tkinter.
- ``process`` has ``versions``, ``platform`` (``sys.platform``) and ``type``
  (``"renderer"``), for code written against Electron's ``process``.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ._context_bridge import opaque
from ._dom_events import ListenerOptions
from ._dom_handlers import HANDLER_EVENTS

__all__ = ["preload_globals"]

_HANDLER_NAMES = frozenset("on" + t for t in HANDLER_EVENTS)


class _PreloadView:
    """The preload's view of the page's ``window`` or ``document`` (see the module docstring)."""

    __slots__ = ("__dict__", "_target", "_wrapped")

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_target", target)
        #: The preload's listener -> the opaque callable the page's object holds.
        object.__setattr__(self, "_wrapped", {})

    def _wrap(self, listener: Callable[..., Any] | None) -> Callable[..., Any] | None:
        if listener is None or not callable(listener):
            return listener  # the target's own checks answer (TypeError, or nothing added)
        wrapped: dict[Any, Callable[..., Any]] = self._wrapped
        if listener not in wrapped:
            wrapped[listener] = opaque(listener)
        return wrapped[listener]

    def add_event_listener(self, type: str, listener: Any, options: ListenerOptions = None, **flags: Any) -> None:
        self._target.add_event_listener(type, self._wrap(listener), options, **flags)

    def remove_event_listener(self, type: str, listener: Any, options: ListenerOptions = None, **flags: Any) -> None:
        wrapped = self._wrapped.get(listener) if callable(listener) else None
        if wrapped is not None:
            self._target.remove_event_listener(type, wrapped, options, **flags)

    def __getattr__(self, name: str) -> Any:
        if name in self.__dict__:
            return self.__dict__[name]
        value = getattr(self._target, name)
        if name in _HANDLER_NAMES and value is not None:
            return next((fn for fn, w in self._wrapped.items() if w is value), value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HANDLER_NAMES:
            setattr(self._target, name, self._wrap(value))
        else:
            self.__dict__[name] = value  # the preload's own: the page does not see it

    def __repr__(self) -> str:
        return f"<preload view of {self._target!r}>"


class _PreloadWindow(_PreloadView):
    __slots__ = ("document",)

    def __init__(self, window: Any, document: _PreloadView) -> None:
        super().__init__(window)
        object.__setattr__(self, "document", document)


class Versions(Mapping[str, str]):
    """A read-only mapping that also reads as attributes: ``versions["tk"]`` or ``versions.tk``
    (as JavaScript's ``process.versions.node`` does)."""

    __slots__ = ("_values",)
    _values: dict[str, str]

    def __init__(self, values: Mapping[str, str]) -> None:
        object.__setattr__(self, "_values", dict(values))

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> str:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"versions has no {name!r} (it has {', '.join(self._values)})") from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("versions is read-only")

    def __repr__(self) -> str:
        return f"versions({self._values!r})"


def preload_globals(window: Any, document: Any, versions: Mapping[str, str]) -> dict[str, Any]:
    """The names a preload script starts with (its module's globals)."""
    frozen = Versions(versions)
    doc = _PreloadView(document)
    return {
        "window": _PreloadWindow(window, doc),
        "document": doc,
        "versions": frozen,
        "process": types.SimpleNamespace(versions=frozen, platform=sys.platform, type="renderer"),
    }
