"""The page world: ``window``, ``console`` and loading a page's HTML and scripts.

Page scripts are the app's UI code, named by ``<script src="renderer.py">`` or
written inline as ``<script type="text/python">``. They all run in one shared
globals dict holding ``window``, ``document`` and ``console``; what the preload
exposed through ``context_bridge`` is on ``window``.

Context isolation: page scripts get builtins whose ``__import__`` refuses
``tkelectron`` and its submodules, and hands out narrow stand-ins for
``sys`` (no ``modules``, no frames), ``builtins`` and ``importlib`` (whose
``import_module`` refuses tkelectron too); frame, code and garbage-collector
introspection from page code is refused (``_isolation.isolate_page``);
``console`` and the document's callbacks lead nowhere. So the page cannot
reach ``ipc_renderer`` by the obvious routes and must use what the preload
chose to expose. This separation lives inside one Python process and is NOT a
security boundary (any module's globals lead to the real ``sys.modules``; see
docs/threat-model.md); the boundary is the renderer's OS sandbox (Landlock and
seccomp) and main's validation of every message. Isolation here keeps honest
code honest, as Electron's ``contextIsolation`` design intends.

Content rules (``_csp``): the page's Content-Security-Policy decides which
scripts run, remote resources are dropped, and links ask main to navigate.
"""

from __future__ import annotations

import os
import textwrap
import weakref
from collections.abc import Callable
from typing import Any

from ..common._data_url import decode_html_data_url, is_data_url
from ..common._messages import ConsoleLevel
from ._color_scheme import install_match_media, resolve_color_scheme
from ._context_bridge import _sealed, opaque
from ._csp import ScriptPolicy, drop_remote_resources, follow_links, script_policy
from ._dom import Document, Element
from ._dom_events import Event, EventTarget
from ._dom_handlers import GlobalEventHandlers
from ._isolation import isolate_page, page_builtins
from ._page_notification import install_notification
from ._window_open import install_window_open, open_window

__all__ = ["Console", "Window", "load_page", "page_builtins"]

_PYTHON_TYPES = frozenset({"text/python", "python", "text/x-python", "application/python", "application/x-python"})
_JS_TYPES = frozenset(
    {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}
)


class _ConsoleBackend:
    """Where console calls go; reachable only from the sealed methods' defaults."""

    def __init__(self) -> None:
        self._emitters: dict[int, Callable[[ConsoleLevel, str], None]] = {}

    def attach(self, console: Console, emit: Callable[[ConsoleLevel, str], None]) -> None:
        key = id(console)
        self._emitters[key] = emit
        weakref.finalize(console, self._emitters.pop, key, None)

    def emit(self, console: Console, level: ConsoleLevel, args: tuple[object, ...]) -> None:
        self._emitters[id(console)](level, " ".join(str(a) for a in args))


_console_backend = _ConsoleBackend()


@_sealed
class Console:
    """The page's ``console``: each call becomes one ``emit(level, message)``.

    Its methods are sealed (see ``_context_bridge``): nothing on it leads to
    the renderer's runtime.
    """

    __slots__ = ("__weakref__",)

    def __init__(self, emit: Callable[[ConsoleLevel, str], None], *, _tke_console: _ConsoleBackend = _console_backend) -> None:
        _tke_console.attach(self, emit)

    def log(self, *args: object, _tke_console: _ConsoleBackend = _console_backend) -> None:
        _tke_console.emit(self, "log", args)

    def info(self, *args: object, _tke_console: _ConsoleBackend = _console_backend) -> None:
        _tke_console.emit(self, "info", args)

    def warn(self, *args: object, _tke_console: _ConsoleBackend = _console_backend) -> None:
        _tke_console.emit(self, "warning", args)

    warning = warn

    def error(self, *args: object, _tke_console: _ConsoleBackend = _console_backend) -> None:
        _tke_console.emit(self, "error", args)

    def debug(self, *args: object, _tke_console: _ConsoleBackend = _console_backend) -> None:
        _tke_console.emit(self, "debug", args)


class Window(EventTarget, GlobalEventHandlers):
    """The page's ``window``: the document, the console, events such as
    ``load``, and the keys a preload exposed (``window.api``).

    Exposed keys are read-only for the page; other attributes a page script
    sets on ``window`` are its own business.
    """

    document: Document
    console: Console

    def __init__(self, document: Document, console: Console) -> None:
        object.__setattr__(self, "_exposed", {})
        super().__init__()
        object.__setattr__(self, "document", document)
        object.__setattr__(self, "console", console)
        document.event_parent = self  # events bubble from the document to the window

    def _event_document(self) -> Document:
        return self.document

    @property
    def window(self) -> Window:
        return self

    def open(self, url: str = "", target: str = "_blank", features: str = "") -> None:
        """``window.open``: main decides and opens the window (``_window_open``); returns None, as with noopener."""
        open_window(url, target, features)

    def _expose(self, key: str, value: object) -> None:
        """Make ``value`` visible as ``window.<key>``.

        Raises ``ValueError`` if the key is already exposed or names an
        existing attribute of the window (the first value stays).
        """
        if not isinstance(key, str) or not key.isidentifier() or key.startswith("_"):
            raise ValueError(f"cannot expose {key!r} on window: not a public identifier")
        if key in self._exposed or hasattr(type(self), key) or key in self.__dict__:
            raise ValueError(f"cannot expose {key!r} on window: the key already exists")
        self._exposed[key] = value

    def __getattr__(self, name: str) -> Any:
        exposed = self.__dict__.get("_exposed", {})
        if name in exposed:
            return exposed[name]
        raise AttributeError(f"window has no attribute {name!r}")

    def __setattr__(self, name: str, value: object) -> None:
        if name in self._exposed or name in ("document", "console"):
            raise AttributeError(f"window.{name} is read-only")
        object.__setattr__(self, name, value)


def _local_path(page_dir: str, ref: str, inside: bool) -> str | None:
    """The file a relative reference names, or None for a URL (or, when
    ``inside``, for a file outside the page's folder)."""
    ref = ref.split("#", 1)[0].split("?", 1)[0].strip()
    if not ref or "://" in ref or ref.startswith(("//", "data:")):
        return None
    path = os.path.realpath(os.path.join(page_dir, ref))
    if inside and os.path.commonpath([path, page_dir]) != page_dir:
        return None
    return path


def _inline_stylesheets(document: Document, page_dir: str, console: Console) -> None:
    """Turn ``<link rel=stylesheet>`` to local files into ``<style>`` elements,
    so the main process never has to read the page's files."""
    for link in document.query_selector_all("link[rel][href]"):
        if "stylesheet" not in (link.get_attribute("rel") or "").lower().split():
            continue
        href = link.get_attribute("href") or ""
        path = _local_path(page_dir, href, inside=True)
        try:
            if path is None:
                raise OSError("only files inside the page's folder are loaded")
            with open(path, encoding="utf-8") as f:
                css = f.read()
        except OSError as exc:
            console.warn(f"stylesheet {href!r} was not loaded: {exc}")
            link.remove()
            continue
        style = document.create_element("style")
        if link.has_attribute("media"):
            style.set_attribute("media", link.get_attribute("media"))
        style.text_content = css
        parent = link.parent_element
        if parent is not None:
            parent.replace_child(style, link)


def _refuse(console: Console, what: str, directive: str) -> None:
    console.error(f'Refused to run {what} because it violates the Content-Security-Policy directive: "{directive}"')


def _script_code(
    script: Element, page_path: str, page_dir: str, console: Console, policy: ScriptPolicy
) -> tuple[str | bytes, str] | None:
    """The source and filename of a Python script element, or None to skip it."""
    kind = (script.get_attribute("type") or "").strip().lower()
    src = script.get_attribute("src")
    if src is not None:
        path = _local_path(page_dir, src, inside=False)
        is_python = kind in _PYTHON_TYPES or (kind in _JS_TYPES and src.split("?")[0].endswith(".py"))
        if is_python and path is None:
            console.warn(f"script {src!r} was skipped: only local files are loaded")
        elif is_python and path is not None:
            refused = policy.file_refusal(path, page_dir)
            if refused is not None:
                _refuse(console, f"the script {src!r}", refused)
                return None
            with open(path, "rb") as f:  # bytes: compile() honours coding cookies
                return f.read(), path
        elif kind in _JS_TYPES:
            console.warn(f"script {src!r} was skipped: tkelectron pages run Python scripts only")
        return None
    text = script.text_content
    if kind in _PYTHON_TYPES:
        refused = policy.inline_refusal(script.get_attribute("nonce"))
        if refused is not None:
            _refuse(console, "an inline script", refused)
            return None
        # Pad so line numbers in tracebacks are those of the HTML file.
        return "\n" * max(script._line - 1, 0) + textwrap.dedent(text), page_path
    if kind in _JS_TYPES and text.strip():
        console.warn("an inline JavaScript <script> was skipped: tkelectron pages run Python scripts only")
    return None


def _hide_runtime(document: Document) -> None:
    """The document's callbacks are the runtime's bound methods: make them
    opaque so ``document._spawn.__self__`` does not lead to it."""
    for slot in ("_spawn", "_report_error", "_on_ops"):
        fn = getattr(document, slot, None)
        if fn is not None:
            setattr(document, slot, opaque(fn))


def load_page(
    path: str,
    document: Document,
    window: Window,
    console: Console,
    report_error: Callable[[BaseException], None],
    send: Callable[[Any], None] | None = None,
) -> None:
    """Load the page at ``path`` into ``document`` and run its scripts.

    Reading the HTML file may raise ``OSError`` (the caller reports a failed
    load). Then, in order: the DOM is built; local stylesheets are inlined and
    remote resources dropped; every Python script the page's CSP allows runs
    in document order, each compiled with its real filename, a raising script
    being reported through ``report_error`` without stopping the next;
    ``DOMContentLoaded`` is dispatched on the document (it bubbles to the
    window) and finally ``load`` on the window. Async listeners the scripts
    add run later, as tasks. Clicks on links ask main to navigate through
    ``send`` (by default, the renderer's connection to main).
    """
    if is_data_url(path):
        # A data: page (web_contents.load_url): main checked the URL; its
        # relative references start at the app's folder (the working directory).
        page_dir = os.getcwd()
        page_path = os.path.join(page_dir, "<data: URL>")
        html = decode_html_data_url(path)
    else:
        page_path = os.path.realpath(path)
        page_dir = os.path.dirname(page_path)
        with open(page_path, encoding="utf-8") as f:
            html = f.read()
    document.load_html(html)
    document.event_parent = window
    _inline_stylesheets(document, page_dir, console)
    drop_remote_resources(document, console.warn)
    policy = script_policy(document)
    follow_links(window, document, page_dir, send or _send_to_main)
    _hide_runtime(document)
    scope: dict[str, Any] = {
        "window": window,
        "document": document,
        "console": console,
        "__name__": "__page__",
        "__builtins__": page_builtins(),
    }
    install_notification(window, document, scope)  # the page's Notification (_page_notification)
    install_window_open(None if is_data_url(path) else page_path, page_dir)  # window.open (_window_open)
    install_match_media(window, document, scope)  # window.match_media, prefers-color-scheme (_color_scheme)
    isolate_page(scope)
    for script in document.query_selector_all("script"):
        try:
            found = _script_code(script, page_path, page_dir, console, policy)
            if found is not None:
                source, filename = found
                exec(compile(source, filename, "exec", dont_inherit=True), scope)  # not this file's __future__ flags
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - one broken script must not stop the page
            report_error(exc)
    document.dispatch_event(Event("DOMContentLoaded", bubbles=True, cancelable=False))
    window.dispatch_event(Event("load", bubbles=False, cancelable=False))
    resolve_color_scheme(document)  # Tkhtml ignores @media: resolve prefers-color-scheme here


def _send_to_main(msg: Any) -> None:
    from ._ipc_renderer import ipc_renderer

    rt = ipc_renderer._rt
    if rt is not None and not rt.conn.closed:
        rt.conn.send(msg)
