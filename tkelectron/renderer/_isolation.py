"""Context isolation of the page world: what page scripts may import and inspect.

Page scripts get builtins whose ``__import__`` refuses ``tkelectron`` and its
submodules, relative imports (a page has no package, so a forged
``__package__`` leads nowhere) and the import system's internals
(``_frozen_importlib``, ``_imp``, ``importlib._bootstrap``...), and hands out
narrow stand-ins for ``sys`` (no ``modules``, no frames), ``builtins``,
``importlib`` (whose ``import_module`` refuses the same) and ``gc`` (no
``garbage``, no ``callbacks``, no ``DEBUG_SAVEALL``).

Every function the page can reach this way is *sealed*: a stub whose globals
hold nothing and whose only link to the real function is a keyword-only
default (reading ``__kwdefaults__`` is refused, see below). So ``len.__self__``
is not the real ``builtins`` module, ``sys.getsizeof.__self__`` not the real
``sys``, ``__import__.__globals__`` not this module's globals.

In a renderer process (not in a test that loads a page in its own process)
the real import entry points are guarded too, for requests that come from
page code: ``builtins.__import__`` (what ``pydoc.locate`` uses) and
``importlib._bootstrap._gcd_import`` (behind ``importlib.import_module``,
``importlib.__import__`` and ``pkgutil.resolve_name``) refuse tkelectron and
the import internals, and answer ``sys``/``builtins``/``importlib``/``gc``
with the page's stand-ins when the request came straight from the page through
those by-name APIs.

:func:`isolate_page` installs an audit hook that refuses frame, code and
garbage-collector introspection (``sys._getframe``, ``tb_frame``, ``cr_frame``,
``__code__``, ``__kwdefaults__``, ``gc.get_referrers``...) while page code is
behind the request: a page frame found before any framework frame. Work the
page hands to someone else counts as the page's:

- a thread started while page code is on the stack is the page's thread for
  its whole life (``threading``, ``_thread`` and executors alike);
- in a renderer's other worker threads, a request that no frame vouches for
  (no page frame, no framework frame) is refused — e.g. a trio worker thread
  running a C function the page passed to ``trio.to_thread.run_sync``;
- the DOM's listener calls, the bridge's calls of page callbacks and the page's
  ``exec``/``eval`` act for the page unless the callable is a plain Python
  function of another world (whose own frame then decides), so a C-level
  composition (``functools.partial(box.extend, map(gc.get_referrers, ...))``)
  registered as a listener is refused when the event loop runs it later.

The error, :class:`PageIsolationError`, is also a ValueError so that
``logging`` from a page degrades to an unknown caller instead of failing.

None of this is a security boundary — in one Python process nothing is (any
stdlib module's globals lead to ``sys.modules``; see docs/threat-model.md).
The boundary is the OS sandbox around the renderer and main's validation of
every message (SECURITY.md). This keeps honest code honest and closes the
routes people try first.
"""

from __future__ import annotations

import _thread
import builtins
import dis
import gc
import importlib
import sys
import threading
import types
from collections.abc import Callable
from importlib import _bootstrap
from typing import Any

__all__ = ["PageIsolationError", "isolate_page", "page_builtins"]

_REFUSED = "page scripts cannot import tkelectron: use what the preload exposes on window"
_INTERNALS = "page scripts cannot import the import system's internals"
_RELATIVE = "page scripts have no package: relative imports are refused"


#: What page code may see of ``sys``: no ``modules``, no frames, no hooks,
#: no ``stdout`` object (``print`` still works).
_SYS_VISIBLE = (
    "version", "version_info", "hexversion", "platform", "maxsize", "maxunicode", "byteorder",
    "float_info", "int_info", "hash_info", "implementation", "flags", "float_repr_style",
    "getrecursionlimit", "getsizeof", "intern", "getdefaultencoding", "getfilesystemencoding",
    "exc_info", "exception",
)  # fmt: skip
#: What page code may see of ``gc``: no ``garbage`` (with DEBUG_SAVEALL it
#: would hold every object the collector freed, the preload's included) and
#: no ``callbacks`` (run later, on whatever stack the collector is on).
_GC_VISIBLE = (
    "collect", "enable", "disable", "isenabled", "get_count", "get_threshold", "set_threshold",
    "get_stats", "get_debug", "is_tracked", "is_finalized", "freeze", "unfreeze",
    "get_freeze_count", "get_objects", "get_referrers", "get_referents",
    "DEBUG_STATS", "DEBUG_COLLECTABLE", "DEBUG_UNCOLLECTABLE",
)  # fmt: skip
_FACADE_NAMES = frozenset({"sys", "builtins", "importlib", "gc"})
#: Modules through which the import system itself can be driven by name.
_INTERNAL_MODULES = ("_frozen_importlib", "_frozen_importlib_external", "_imp", "importlib._bootstrap")
#: Modules whose functions import by name for their caller (pydoc.locate,
#: pkgutil.resolve_name, importlib.import_module): a request passing only
#: through them is the page's own request.
_BY_NAME_MODULES = frozenset({"importlib", "importlib._bootstrap", "pkgutil", "pydoc"})


#: The preload's module name: a real module in ``sys.modules`` (dataclasses and
#: typing look classes' modules up there), which page code may not import.
PRELOAD_MODULE = "__preload__"


def _refused(name: str) -> bool:
    return name == "tkelectron" or name.startswith("tkelectron.") or name == PRELOAD_MODULE


def _internal(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in _INTERNAL_MODULES)


class PageIsolationError(PermissionError, ValueError):
    """Page code tried frame, code or garbage-collector introspection."""


# -- who is asking --------------------------------------------------------------------

_page_scopes: dict[int, dict[str, Any]] = {}
_local = threading.local()
_MAIN_THREAD = threading.main_thread()
#: Code objects of framework functions that call page-provided callables (or
#: run page code) on the page's behalf -> (the local holding the callable, or
#: None for "always the page's"; the lines where it is called, or None for
#: all). Filled by _install.
_ACTING_FOR_PAGE: dict[types.CodeType, tuple[str | None, frozenset[int] | None]] = {}


def _framework_frame(globals_: dict[str, Any]) -> bool:
    name = globals_.get("__name__")
    if not isinstance(name, str) or not name.startswith("tkelectron."):
        return False
    module = sys.modules.get(name)
    return module is not None and module.__dict__ is globals_


def _is_page_scope(globals_: dict[str, Any]) -> bool:
    return _page_scopes.get(id(globals_)) is globals_


def _other_worlds_function(fn: Any) -> bool:
    """Is ``fn`` a plain Python function (or bound method) that is not page code?

    Such a callable has a frame of its own when called, and that frame
    decides; anything else (a builtin, a partial, a callable object) leaves no
    trace of who handed it over.
    """
    if type(fn) is types.MethodType:
        fn = fn.__func__
    return type(fn) is types.FunctionType and not _is_page_scope(fn.__globals__)


def _page_code_asks(depth: int) -> bool:
    """Is page code, rather than the framework on its behalf, behind this request?

    Walks outwards from the frame ``depth`` levels above the caller: a page
    frame before any framework frame means yes. Library frames in between
    (inspect, traceback...) do not count either way: they act for whoever
    called them. See the module docstring for work handed to others.
    """
    frame: types.FrameType | None = sys._getframe(depth + 1)
    while frame is not None:
        globals_ = frame.f_globals
        if _is_page_scope(globals_):
            return True
        acting = _ACTING_FOR_PAGE.get(frame.f_code)
        if acting is not None and (acting[1] is None or frame.f_lineno in acting[1]):
            local = acting[0]
            return local is None or not _other_worlds_function(frame.f_locals.get(local))
        if _framework_frame(globals_):
            return False
        frame = frame.f_back
    # Nothing vouched either way: fine on the main thread (its stack always
    # starts in the framework), refused in a renderer's worker thread, where
    # the page may have handed a C-level callable to a framework-started one.
    return _in_renderer and threading.current_thread() is not _MAIN_THREAD


def _asked_by_page(depth: int) -> bool:
    """``_page_code_asks`` for the import guards, without re-entering the audit hook."""
    if getattr(_local, "busy", False):
        return False
    _local.busy = True
    try:
        return _page_code_asks(depth + 1)
    finally:
        _local.busy = False


def _by_name_for_page(depth: int) -> bool:
    """Did the page ask directly, through nothing but the by-name import APIs?"""
    frame: types.FrameType | None = sys._getframe(depth + 1)
    while frame is not None and frame.f_globals.get("__name__") in _BY_NAME_MODULES:
        frame = frame.f_back
    return frame is not None and _is_page_scope(frame.f_globals)


# -- the introspection guard -----------------------------------------------------------

_GUARDED_EVENTS = frozenset(
    {
        "sys._getframe", "sys._current_frames", "sys.settrace", "sys.setprofile", "sys.addaudithook",
        "gc.get_referrers", "gc.get_referents", "gc.get_objects",
    }
)  # fmt: skip
_GUARDED_ATTRIBUTES = frozenset(
    {
        "tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_code", "gi_code", "cr_code", "ag_code",
        "__code__", "__defaults__", "__kwdefaults__",
    }
)  # fmt: skip


def _audit(
    event: str,
    args: tuple[Any, ...],
    _attributes: frozenset[str] = _GUARDED_ATTRIBUTES,
    _events: frozenset[str] = _GUARDED_EVENTS,
) -> None:
    # The sets are bound as defaults: audit hooks outlive module globals at
    # interpreter shutdown, when every event still passes through here.
    if event == "object.__getattr__":
        if args[1] not in _attributes:
            return
    elif event not in _events:
        return
    if getattr(_local, "busy", False):
        return  # our own sys._getframe below
    _local.busy = True
    try:
        refused = _page_code_asks(1)  # from the frame that raised the event
    finally:
        _local.busy = False
    if refused:
        what = args[1] if event == "object.__getattr__" else event
        raise PageIsolationError(f"page scripts cannot use {what}: the page world is isolated from the preload")


# -- imports ---------------------------------------------------------------------------

_real_import = builtins.__import__
# importlib._bootstrap's private functions (_gcd_import, _resolve_name) are
# not in typeshed; the ignores below say so, each with attr-defined.
_real_gcd_import: Callable[..., types.ModuleType] = _bootstrap._gcd_import  # type: ignore[attr-defined]


def _absolute(name: str, globals_: Any, level: int) -> str | None:
    """The absolute module name a (relative) import asks for, if it can be told."""
    if level == 0:
        return name
    package = None
    if isinstance(globals_, dict):
        package = globals_.get("__package__")
        if not isinstance(package, str):
            spec = globals_.get("__spec__")
            package = getattr(spec, "parent", None) if spec is not None else None
    if not isinstance(package, str):
        return None
    try:
        resolved: str = _bootstrap._resolve_name(name, package, level)  # type: ignore[attr-defined]
        return resolved
    except (ImportError, ValueError):
        return None


def _check_request(absolute: str | None, level: int, depth: int) -> Any:
    """Refuse (raise) or substitute (return a facade) for a page's request; None: go ahead."""
    sensitive = absolute is None or _refused(absolute) or _internal(absolute)
    if not sensitive and absolute not in _FACADE_NAMES:
        return None
    if not _asked_by_page(depth + 1):
        return None
    if absolute is None or level:
        raise ImportError(_RELATIVE)
    if _refused(absolute):
        raise ImportError(_REFUSED)
    if _internal(absolute):
        raise ImportError(f"{_INTERNALS} ({absolute})")
    if _by_name_for_page(depth + 1):
        return _facades[absolute]
    return None


def _guarded_import(
    name: str,
    globals: Any = None,
    locals: Any = None,
    fromlist: Any = (),
    level: int = 0,
) -> Any:
    """``builtins.__import__`` for the whole process: refuses what page code may not import."""
    if not isinstance(name, str):
        return _real_import(name, globals, locals, fromlist, level)  # its own TypeError
    if level or name.startswith(("tkelectron", "_frozen_importlib", "_imp", "importlib", "sys", "builtins", "gc")):
        facade = _check_request(_absolute(name, globals, level), level, 1)
        if facade is not None:
            return facade
    return _real_import(name, globals, locals, fromlist, level)


def _guarded_gcd_import(name: str, package: str | None = None, level: int = 0) -> Any:
    """``importlib._bootstrap._gcd_import`` (import_module, pkgutil.resolve_name...), guarded the same way."""
    if not isinstance(name, str):
        return _real_gcd_import(name, package, level)
    absolute: str | None = name
    if level:
        try:
            absolute = _bootstrap._resolve_name(name, package or "", level)  # type: ignore[attr-defined]
        except (ImportError, ValueError):
            absolute = None
    facade = _check_request(absolute, level, 1)
    if facade is not None:
        return facade
    return _real_gcd_import(name, package, level)


class _PageImports:
    """What the page's ``__import__`` and ``importlib.import_module`` do."""

    def import_(self, name: str, globals_: Any, locals_: Any, fromlist: Any, level: int) -> Any:
        if level:
            raise ImportError(_RELATIVE)
        if not isinstance(name, str):
            raise TypeError(f"module name must be str, not {type(name).__name__}")
        if name == PRELOAD_MODULE:
            raise ImportError("page scripts cannot import the preload: use what it exposes on window")
        if _refused(name):
            raise ImportError(_REFUSED)
        if _internal(name):
            raise ImportError(f"{_INTERNALS} ({name})")
        top = name.partition(".")[0]
        if top in _facades:
            if name != top:
                raise ImportError(f"page scripts cannot import {name!r}: only the page's {top!r} is available")
            facade = _facades[top]
            for item in fromlist or ():
                if not hasattr(facade, item):
                    raise ImportError(f"cannot import name {item!r} from {top!r} in a page script")
            return facade
        return _real_import(name, globals_, locals_, fromlist or (), 0)

    def import_module(self, name: str, package: str | None = None) -> Any:
        if not isinstance(name, str):
            raise TypeError(f"module name must be str, not {type(name).__name__}")
        if name.startswith("."):
            raise ImportError(_RELATIVE)
        return self.import_(name, None, None, ("__name__",), 0)  # a fromlist: the leaf module


_imports = _PageImports()


# -- sealed stand-ins ---------------------------------------------------------------------

# Globals of the stubs the page holds: nothing to find, no builtins to import with.
_SEALED_GLOBALS: dict[str, Any] = {"__builtins__": {}, "__name__": "tkelectron.page-world"}


def _seal(template: Callable[..., Any], name: str, doc: str | None, **defaults: Any) -> Callable[..., Any]:
    """``template`` rebuilt with empty globals, under ``name``, its hidden links in ``defaults``."""
    code = template.__code__.replace(co_name=name, co_qualname=name)
    stub = types.FunctionType(code, _SEALED_GLOBALS, name, template.__defaults__)
    stub.__kwdefaults__ = defaults
    stub.__doc__ = doc
    return stub


def _call_template(*args: Any, _tke_real: Any = None, **kwargs: Any) -> Any:
    return _tke_real(*args, **kwargs)


def _sealed_call(fn: Callable[..., Any]) -> Callable[..., Any]:
    return _seal(_call_template, fn.__name__, fn.__doc__, _tke_real=fn)


def _import_template(
    name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0, *, _tke: Any = None
) -> Any:
    return _tke.import_(name, globals, locals, fromlist, level)


def _import_module_template(name: str, package: Any = None, *, _tke: Any = None) -> Any:
    return _tke.import_module(name, package)


_DEBUG_SAVEALL = gc.DEBUG_SAVEALL


class _FrameBuiltins:
    """``globals``/``locals``/``vars``/``dir``/``exec``/``eval`` for the page.

    They read their caller's frame, so a stub cannot simply forward to the
    real ones (which would see the stub's frame). ``exec`` and ``eval`` run
    the code *for the page* (see _ACTING_FOR_PAGE) and give globals without
    ``__builtins__`` the page's builtins, not the real ones.
    """

    def __init__(self) -> None:
        self.table: dict[str, Any] = {}

    def globals(self) -> Any:
        return sys._getframe(2).f_globals

    def locals(self) -> Any:
        return sys._getframe(2).f_locals

    def vars(self, *args: Any) -> Any:
        return vars(*args) if args else sys._getframe(2).f_locals

    def dir(self, *args: Any) -> Any:
        return dir(*args) if args else sorted(sys._getframe(2).f_locals)

    def _scopes(self, globals_: Any, locals_: Any) -> tuple[Any, Any]:
        if globals_ is None:
            caller = sys._getframe(3)
            globals_ = caller.f_globals
            locals_ = caller.f_locals if locals_ is None else locals_
        if isinstance(globals_, dict) and "__builtins__" not in globals_:
            globals_["__builtins__"] = self.table
        return globals_, locals_

    def exec(self, source: Any, globals_: Any = None, locals_: Any = None, **kwargs: Any) -> Any:
        globals_, locals_ = self._scopes(globals_, locals_)
        return exec(source, globals_, locals_, **kwargs)

    def eval(self, source: Any, globals_: Any = None, locals_: Any = None) -> Any:
        globals_, locals_ = self._scopes(globals_, locals_)
        return eval(source, globals_, locals_)


_frames = _FrameBuiltins()


def _exec_template(source: Any, globals: Any = None, locals: Any = None, *, _tke_real: Any = None) -> Any:
    return _tke_real(source, globals, locals)


class _PageGc:
    """The page's ``gc.set_debug``: everything but DEBUG_SAVEALL."""

    def set_debug(self, flags: int) -> None:
        if flags & _DEBUG_SAVEALL:
            raise PageIsolationError("page scripts cannot use gc.DEBUG_SAVEALL: the page world is isolated")
        gc.set_debug(flags)


def _set_debug_template(flags: int, *, _tke: Any = None) -> Any:
    return _tke.set_debug(flags)


def _facade(name: str, members: dict[str, Any]) -> types.ModuleType:
    module = types.ModuleType(name, f"the page world's view of {name}")
    module.__dict__.update(members)
    return module


def _sealed_members(module: types.ModuleType, names: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        if hasattr(module, name):
            value = getattr(module, name)
            out[name] = _sealed_call(value) if isinstance(value, types.BuiltinFunctionType) else value
    return out


def _build_table() -> dict[str, Any]:
    table: dict[str, Any] = {}
    for name, value in builtins.__dict__.items():
        if name in ("__loader__", "__spec__", "__import__", "__package__"):
            continue  # BuiltinImporter.load_module("sys") would hand out the real sys
        if type(value).__module__ == "_sitebuiltins":
            continue  # exit, quit, help...: the interactive prompt's, whose methods' globals hold sys
        # A sealed call: len.__self__ would be the real builtins module, open.__self__ _io.
        table[name] = _sealed_call(value) if isinstance(value, types.BuiltinFunctionType) else value
    # Stubs hold only their parameters: their globals (and builtins) are empty.
    for name in ("globals", "locals", "vars", "dir"):
        table[name] = _seal(_call_template, name, getattr(builtins, name).__doc__, _tke_real=getattr(_frames, name))
    for name in ("exec", "eval"):
        table[name] = _seal(_exec_template, name, getattr(builtins, name).__doc__, _tke_real=getattr(_frames, name))
    table["__import__"] = _seal(_import_template, "__import__", builtins.__import__.__doc__, _tke=_imports)
    return table


_table: dict[str, Any] = {}
_facades: dict[str, types.ModuleType] = {}


def _build() -> None:
    table = _build_table()
    _frames.table = table
    gc_members = _sealed_members(gc, _GC_VISIBLE)
    gc_members["set_debug"] = _seal(_set_debug_template, "set_debug", gc.set_debug.__doc__, _tke=_PageGc())
    importlib_members = {
        "import_module": _seal(
            _import_module_template, "import_module", importlib.import_module.__doc__, _tke=_imports
        ),
        "invalidate_caches": _seal(_call_template, "invalidate_caches", None, _tke_real=importlib.invalidate_caches),
    }
    _facades.update(
        sys=_facade("sys", _sealed_members(sys, _SYS_VISIBLE)),
        importlib=_facade("importlib", importlib_members),
        gc=_facade("gc", gc_members),
        builtins=_facade("builtins", table),
    )
    _table.update(table)


def page_builtins() -> dict[str, Any]:
    """Builtins for page scripts: ``import tkelectron`` (or a submodule) fails,
    and ``sys``, ``builtins``, ``importlib`` and ``gc`` are narrow stand-ins.
    One table, shared by every page of this renderer."""
    if not _table:
        _build()
    return _table


# -- installation -------------------------------------------------------------------------

_installed = False
_in_renderer = False


def _run_page_thread(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    return function(*args, **kwargs)


def _start_new_thread(function: Callable[..., Any], args: tuple[Any, ...], kwargs: Any = None) -> int:
    """``_thread.start_new_thread``: a thread started by page code runs for the page."""
    if _asked_by_page(1):
        return _real_start_new_thread(_run_page_thread, (function, tuple(args), dict(kwargs or {})))
    return _real_start_new_thread(function, args, *(() if kwargs is None else (kwargs,)))


_real_start_new_thread = _thread.start_new_thread


def _trio_callback_runners() -> list[types.CodeType]:
    """The code of trio's ``run_sync_soon`` callback runner (a closure in EntryQueue.task).

    A callable the page handed to ``TrioToken.run_sync_soon`` runs there,
    with nothing but trio's frames above the framework's. Not found (another
    trio version): nothing is added, and the route stays as open as before.
    """
    try:
        from trio._core._entry_queue import EntryQueue
    except ImportError:
        return []
    consts = getattr(EntryQueue.task, "__code__", None)
    found = consts.co_consts if consts is not None else ()
    return [c for c in found if isinstance(c, types.CodeType) and c.co_name == "run_cb"]


def _call_lines(code: types.CodeType, name: str) -> frozenset[int] | None:
    """The lines of ``code`` that call the local ``name`` (``name(...)``), or None if none are found.

    A dispatcher acts for the page only while it calls the page's callable,
    not while it looks at it first (``inspect.iscoroutinefunction(fn)``).
    A call of a local compiles to PUSH_NULL next to LOAD_FAST/LOAD_DEREF of it.
    """
    found: set[int] = set()
    previous = None
    for instruction in dis.get_instructions(code):
        loads = instruction.opname in ("LOAD_FAST", "LOAD_DEREF") and instruction.argval == name
        if previous is not None:
            pair = {previous.opname, instruction.opname}
            if "PUSH_NULL" in pair and (
                loads or (previous.opname in ("LOAD_FAST", "LOAD_DEREF") and previous.argval == name)
            ):
                line = instruction.positions.lineno if instruction.positions else None
                if line is not None:
                    found.add(line)
        previous = instruction
    return frozenset(found) or None


def _acting(code: types.CodeType, local: str | None) -> None:
    _ACTING_FOR_PAGE[code] = (local, _call_lines(code, local) if local else None)


def _renderer_process() -> bool:
    """Is this a renderer process (its entry point on the stack), not a test loading a page in-process?"""
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None:
        if _framework_frame(frame.f_globals) and frame.f_globals["__name__"] == "tkelectron.renderer.__main__":
            return True
        frame = frame.f_back
    return False


def _install() -> None:
    """Install the audit hook; in a renderer process also the import and thread guards.

    A test that loads a page in its own process gets the hook only: the
    process-wide replacements (``builtins.__import__``, ``_gcd_import``,
    ``_thread.start_new_thread``) and the worker-thread rule are for the
    renderer, whose every other thread the framework started.
    """
    global _in_renderer
    from . import _context_bridge, _dom_events

    _acting(_dom_events._call.__code__, "fn")
    _acting(_dom_events._run_async.__code__, "fn")
    _acting(_context_bridge._call_for_page.__code__, "fn")
    _acting(_FrameBuiltins.exec.__code__, None)
    _acting(_FrameBuiltins.eval.__code__, None)
    _acting(_run_page_thread.__code__, None)
    for code in _trio_callback_runners():
        _acting(code, "sync_fn")
    sys.addaudithook(_audit)
    _in_renderer = _renderer_process()
    if _in_renderer:
        builtins.__import__ = _guarded_import
        _bootstrap._gcd_import = _guarded_gcd_import  # type: ignore[attr-defined]
        _thread.start_new_thread = _start_new_thread
        threading._start_new_thread = _start_new_thread  # type: ignore[attr-defined]  # threading's private hook, not in typeshed


def isolate_page(scope: dict[str, Any]) -> None:
    """Treat code running with globals ``scope`` as page code from now on."""
    global _installed
    _page_scopes[id(scope)] = scope
    if not _installed:
        _install()
        _installed = True
