"""Page scripts cannot reach ``ipc_renderer`` or the preload by the obvious
routes (imports, ``sys.modules``, attributes of exposed functions, the garbage
collector, frames). In-process isolation is not a security boundary — the OS
sandbox and main's checks are (docs/threat-model.md) — but these routes are
the ones people try first, and each must be closed.
"""

from __future__ import annotations

import pytest
from _security_support import ProbeApp, opened

from tkelectron.testing import launch

REFUSED_IMPORT = "page scripts cannot import tkelectron: use what the preload exposes on window"
ISOLATED = "PageIsolationError"
#: route -> (exception type name, text its message must hold)
REFUSED = {
    "import tkelectron": ("ImportError", REFUSED_IMPORT),
    "from tkelectron.renderer import ipc_renderer": ("ImportError", REFUSED_IMPORT),
    "__import__": ("ImportError", REFUSED_IMPORT),
    "importlib.import_module": ("ImportError", REFUSED_IMPORT),
    "builtins.__import__": ("ImportError", REFUSED_IMPORT),
    "sys.modules": ("AttributeError", "modules"),
    "from sys import modules": ("ImportError", "cannot import name 'modules'"),
    "fn.__globals__": ("AttributeError", "__globals__"),
    "fn.__closure__": ("AttributeError", "__closure__"),
    "fn.__self__": ("AttributeError", "__self__"),
    "fn.__wrapped__": ("AttributeError", "__wrapped__"),
    "fn.__dict__": ("AttributeError", "__dict__"),
    "fn.__call__.__func__.__kwdefaults__": (ISOLATED, "__kwdefaults__"),
    "fn.__call__.__func__.__code__": (ISOLATED, "__code__"),
    "type(window.api).__repr__.__kwdefaults__": (ISOLATED, "__kwdefaults__"),
    "console.__dict__": ("AttributeError", "__dict__"),
    "document._spawn.__self__": ("AttributeError", "__self__"),
    "document._report_error.__self__": ("AttributeError", "__self__"),
    "sys._getframe().f_back": ("AttributeError", "_getframe"),
    "inspect.currentframe().f_back": (ISOLATED, "sys._getframe"),
    "traceback tb_frame.f_back": (ISOLATED, "tb_frame"),
    "gc.get_referents": (ISOLATED, "gc.get_referents"),
    "gc.get_referrers": (ISOLATED, "gc.get_referrers"),
}
EMPTY_GLOBALS = {"dict": ["__builtins__", "__name__"], "builtins": []}


def _assert_refused(results: dict[str, dict], expected: dict[str, tuple[str, str]]) -> None:
    """Each route was refused with the exception type and a message holding the text."""
    wrong = {}
    for route, (kind, text) in expected.items():
        got = results[route]
        if got.get("refused") != kind or text not in got.get("message", ""):
            wrong[route] = got
    assert not wrong, f"routes not refused as expected: {wrong}"


@pytest.mark.tkelectron("headless")
async def test_the_obvious_routes_from_the_page_are_closed(compositor, probe_app: ProbeApp):
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        window = probe_app.module.open_probe("isolation.html")
        await opened(app, window)
        results = await window.web_contents.invoke("ask-page")

        _assert_refused(results, REFUSED)

        for route in (
            "fn.__call__.__func__.__globals__",
            "type(fn).__init__.__globals__",
            "type(window.api).__init__.__globals__",
            "console.log.__func__.__globals__",
        ):
            assert results[route] == {"got": EMPTY_GLOBALS}, (route, results[route])
        assert results["type(window.api)"]["got"]["type"] == "type"
        # window.__dict__ holds the page's own objects and the exposed copies, nothing else.
        assert "got" in results["window.__dict__"], results["window.__dict__"]
        assert results["window.__dict__"]["got"]["dict"] == ["_exposed", "console", "document"]
        # An error from the other world arrives as a copy, without its original attached.
        assert results["bridged error"] == {"context": "None", "cause": "None", "args": "('inside the bridge',)"}
        # ...and what was exposed still works.
        assert results["api works"] == {"echo": {"a": [1, (2, 3)]}}
        assert results["logging works"] is True  # the guard leaves logging usable


# -- the cheap routes of issue 8 ---------------------------------------------------
#
# A page of its own (written into the test's copy of the probe app) with a
# preload that exposes an async function, so a bridged coroutine can be looked
# into. Each route is tried by the page; the control test below runs the same
# routes in plain Python, where each one works, so every refusal here is the
# isolation's doing.

ROUTES_PRELOAD = """
import trio

from tkelectron.renderer import context_bridge, ipc_renderer

_page = {}


async def slow(value):
    await trio.sleep(0)
    return value


def serve(fn):
    _page["fn"] = fn


async def ask_page(event, *args):
    return await _page["fn"](*args)


ipc_renderer.handle("ask-page", ask_page)
context_bridge.expose_in_main_world("probe", {"serve": serve, "slow": slow, "echo": lambda x: x})
"""

ROUTES_PAGE = """
# ruff: noqa: F821
import concurrent.futures
import functools
import gc
import inspect
import itertools
import json
import pkgutil
import pydoc

import trio

# Listeners the event loop runs later, made of C-level callables only (no page
# frame on the stack when they run): set.update consumes the map, which calls
# gc.get_referrers, before the event argument makes it fail.
LATER = set()
REFERRERS = map(id, itertools.chain.from_iterable(map(gc.get_referrers, [window.probe])))
document.add_event_listener("DOMContentLoaded", functools.partial(LATER.update, REFERRERS))

REAL_BUILTINS = json.dumps.__globals__["__builtins__"]  # a stdlib module's globals: open by design


def attempt(fn):
    try:
        value = fn()
    except BaseException as exc:  # noqa: BLE001 - every refusal is an answer
        return {"refused": type(exc).__name__, "message": str(exc)}
    return {"got": type(value).__name__, "repr": repr(value)[:80]}


def exec_relative():
    scope = {"__package__": "tkelectron", "__name__": "tkelectron.forged"}
    exec("from .renderer import ipc_renderer", scope)
    return scope["ipc_renderer"]


def in_a_worker_thread():
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(gc.get_referrers, window.probe).result()


def save_all():
    gc.set_debug(32)  # DEBUG_SAVEALL
    return gc.garbage


def spied_bridge():
    seen = []
    real_isawaitable, real_callable = inspect.isawaitable, REAL_BUILTINS["callable"]
    inspect.isawaitable = lambda obj: seen.append(obj) or real_isawaitable(obj)
    REAL_BUILTINS["callable"] = lambda obj: seen.append(obj) or real_callable(obj)
    try:
        window.probe.echo({"x": 1})
    finally:
        inspect.isawaitable, REAL_BUILTINS["callable"] = real_isawaitable, real_callable
    return seen


ROUTES = {
    "forged __package__": lambda: __import__("renderer", {"__package__": "tkelectron"}, None, ["ipc_renderer"], 1),
    "exec relative import": exec_relative,
    "len.__self__": lambda: len.__self__,
    "print.__self__": lambda: print.__self__,
    "sys.getsizeof.__self__": lambda: __import__("sys").getsizeof.__self__,
    "__loader__": lambda: __loader__.load_module("sys"),
    "exit.__call__.__globals__": lambda: exit.__call__.__globals__["sys"],
    "__import__.__globals__": lambda: __import__.__globals__["sys"],
    "real __import__": lambda: REAL_BUILTINS["__import__"]("tkelectron.renderer"),
    "real __import__ relative": lambda: REAL_BUILTINS["__import__"](
        "renderer", {"__package__": "tkelectron"}, None, ["ipc_renderer"], 1
    ),
    "real __import__ sys": lambda: REAL_BUILTINS["__import__"]("sys").modules,
    "pkgutil.resolve_name": lambda: pkgutil.resolve_name("tkelectron.renderer:ipc_renderer"),
    "pkgutil.resolve_name sys": lambda: pkgutil.resolve_name("sys:modules"),
    "pydoc.locate": lambda: pydoc.locate("tkelectron.renderer.ipc_renderer"),
    "importlib._bootstrap": lambda: __import__("importlib._bootstrap", fromlist=["x"]),
    "_frozen_importlib": lambda: __import__("_frozen_importlib"),
    "importlib.util": lambda: __import__("importlib.util"),
    "worker thread": in_a_worker_thread,
    "gc.garbage": lambda: gc.garbage,
    "gc.callbacks": lambda: gc.callbacks,
    "DEBUG_SAVEALL": save_all,
}


async def run_routes():
    results = {name: attempt(fn) for name, fn in ROUTES.items()}
    results["listener run later"] = {"collected": len(LATER)}
    results["spied bridge"] = {"seen": [type(obj).__name__ for obj in spied_bridge()]}
    # A bridged coroutine, driven by hand up to its first suspension.
    call = window.probe.slow(5)
    signal = call.send(None)
    awaited = call.cr_await
    results["bridged coroutine"] = {
        "signal": type(signal).__name__,
        "cr_await": type(awaited).__name__,
        "gi_yieldfrom": repr(getattr(awaited, "gi_yieldfrom", "n/a")),
        "gi_frame": attempt(lambda: awaited.gi_frame),
        "cr_frame": attempt(lambda: call.cr_frame),
    }
    call.close()
    # A C function handed to one of trio's worker threads.
    try:
        found = await trio.to_thread.run_sync(gc.get_referrers, window.probe)
        results["trio worker thread"] = {"got": type(found).__name__}
    except BaseException as exc:  # noqa: BLE001
        results["trio worker thread"] = {"refused": type(exc).__name__, "message": str(exc)}
    results["still works"] = {"echo": window.probe.echo([1, 2]), "slow": await window.probe.slow(7)}
    return results


window.probe.serve(run_routes)
document.get_element_by_id("status").text_content = "ready"
"""

ROUTES_HTML = """<!DOCTYPE html>
<html><body><p id="status">loading</p><script src="routes.py"></script></body></html>
"""

REFUSED_ROUTES = {
    "forged __package__": ("ImportError", "relative imports are refused"),
    "exec relative import": ("ImportError", "relative imports are refused"),
    "len.__self__": ("AttributeError", "__self__"),
    "print.__self__": ("AttributeError", "__self__"),
    "sys.getsizeof.__self__": ("AttributeError", "__self__"),
    "__loader__": ("NameError", "__loader__"),
    "exit.__call__.__globals__": ("NameError", "exit"),
    "__import__.__globals__": ("KeyError", "sys"),
    "real __import__": ("ImportError", REFUSED_IMPORT),
    "real __import__ relative": ("ImportError", "relative imports are refused"),
    "real __import__ sys": ("AttributeError", "modules"),
    "pkgutil.resolve_name": ("ImportError", REFUSED_IMPORT),
    "pkgutil.resolve_name sys": ("AttributeError", "modules"),
    "pydoc.locate": ("ErrorDuringImport", REFUSED_IMPORT),
    "importlib._bootstrap": ("ImportError", "import system's internals"),
    "_frozen_importlib": ("ImportError", "import system's internals"),
    "importlib.util": ("ImportError", "importlib.util"),
    "worker thread": (ISOLATED, "gc.get_referrers"),
    "gc.garbage": ("AttributeError", "garbage"),
    "gc.callbacks": ("AttributeError", "callbacks"),
    "DEBUG_SAVEALL": (ISOLATED, "DEBUG_SAVEALL"),
    "trio worker thread": (ISOLATED, "gc.get_referrers"),
}


def _write_routes_app(probe_app: ProbeApp, page: str = ROUTES_PAGE) -> None:
    (probe_app.folder / "routes_preload.py").write_text(ROUTES_PRELOAD)
    (probe_app.folder / "routes.py").write_text(page)
    (probe_app.folder / "routes.html").write_text(ROUTES_HTML)
    probe_app.module.autostart = False


@pytest.mark.tkelectron("headless")
async def test_the_cheap_routes_of_issue_8_are_closed(compositor, probe_app: ProbeApp):
    _write_routes_app(probe_app)
    async with launch(probe_app.module, compositor=compositor) as app:
        window = probe_app.module.open_probe("routes.html", preload=probe_app.folder / "routes_preload.py")
        await opened(app, window)
        results = await window.web_contents.invoke("ask-page")

        _assert_refused(results, REFUSED_ROUTES)
        # The listener (a C-level composition the event loop called later) was refused.
        assert results["listener run later"] == {"collected": 0}
        # A page that monkeypatched inspect and the real builtins saw nothing of the bridge's work.
        assert results["spied bridge"] == {"seen": []}
        # The bridged coroutine leads to the bridge's own driver, not to the preload's coroutine.
        coroutine = results["bridged coroutine"]
        assert coroutine["signal"] not in ("NoneType", "str"), coroutine  # trio's own trap object
        assert (coroutine["cr_await"], coroutine["gi_yieldfrom"]) == ("generator", "None"), coroutine
        for frame in ("gi_frame", "cr_frame"):
            assert coroutine[frame]["refused"] == ISOLATED, coroutine
        assert results["still works"] == {"echo": [1, 2], "slow": 7}


def test_control_the_same_routes_work_in_plain_python() -> None:
    """Each route above is real: in an ordinary namespace (real builtins, no
    isolation) the same code reaches what the page is refused."""
    import asyncio
    import builtins
    import concurrent.futures
    import gc
    import pkgutil
    import pydoc

    from tkelectron import renderer

    assert len.__self__ is builtins and print.__self__ is builtins
    assert exit.__call__.__globals__["sys"] is __import__("sys")
    forged = __import__("renderer", {"__package__": "tkelectron"}, None, ["ipc_renderer"], 1)
    assert forged.ipc_renderer is renderer.ipc_renderer
    assert pkgutil.resolve_name("tkelectron.renderer:ipc_renderer") is renderer.ipc_renderer
    assert pydoc.locate("tkelectron.renderer.ipc_renderer") is renderer.ipc_renderer
    assert __import__("importlib._bootstrap", fromlist=["x"]).sys.modules is __import__("sys").modules
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert isinstance(pool.submit(gc.get_referrers, renderer).result(), list)
    assert isinstance(gc.garbage, list) and isinstance(gc.callbacks, list)

    async def inner() -> None:
        await asyncio.sleep(0)

    async def outer() -> None:
        await inner()

    call = outer()
    call.send(None)
    assert type(call.cr_await).__name__ == "coroutine" and call.cr_await.cr_code.co_name == "inner"
    call.close()


TRIO_CALLBACK_PAGE = """
# ruff: noqa: F821
import functools
import gc
import itertools

import trio

SOON = set()
referrers = map(id, itertools.chain.from_iterable(map(gc.get_referrers, [window.probe])))
trio.lowlevel.current_trio_token().run_sync_soon(functools.partial(SOON.update, ITEMS))


async def report():
    return len(SOON)


window.probe.serve(report)
"""


@pytest.mark.tkelectron("headless")
@pytest.mark.parametrize("items", ["referrers", "[1, 2]"])
async def test_a_callback_handed_to_trio_s_loop_is_refused_and_only_its_renderer_pays(
    compositor, probe_app: ProbeApp, items: str
):
    # trio runs run_sync_soon callbacks with only its own frames on the stack;
    # the guard counts its callback runner as the page's. A refused callback is
    # an internal error for trio: that renderer ends, main and other windows go
    # on. The control (a callback that introspects nothing) shows the route is
    # real: it runs, and the page reports what it collected.
    _write_routes_app(probe_app, TRIO_CALLBACK_PAGE.replace("ITEMS", items))
    async with launch(probe_app.module, compositor=compositor) as app:
        window = probe_app.module.open_probe("routes.html", preload=probe_app.folder / "routes_preload.py")
        if items == "[1, 2]":
            await opened(app, window)
            assert await window.web_contents.invoke("ask-page") == 2
            assert app.gone == []
            return
        await app.changes.wait_until(lambda: app.gone, 30, "the renderer to end")
        assert [window_id for window_id, _ in app.gone] == [window.id]
        other = probe_app.module.open_probe()
        await opened(app, other)
        assert await other.web_contents.invoke("pid") == other.web_contents.get_os_process_id()


IDIOM_PRELOAD = """
from tkelectron.renderer import context_bridge, ipc_renderer

_page = {}


def serve(fn):
    _page["fn"] = fn


async def ask_page(event, *args):
    return await _page["fn"](*args)


ipc_renderer.handle("ask-page", ask_page)
context_bridge.expose_in_main_world("api", {
    "serve": serve,
    # Electron's usual idiom: ``on`` returns ipc_renderer, which the bridge must not hand over.
    "on_update": lambda cb: ipc_renderer.on("update", lambda e, v: cb(v)),
    # The page's callback gets the event itself.
    "on_raw": lambda cb: ipc_renderer.on("raw", cb),
    "leak": lambda: {"ipc": ipc_renderer, "nested": [ipc_renderer.on]},
})
"""

IDIOM_PAGE = """
# ruff: noqa: F821
seen = {"updates": [], "events": []}
seen["on_update returned"] = repr(window.api.on_update(lambda value: seen["updates"].append(value)))


def attempt(fn):
    try:
        return {"got": repr(fn())}
    except BaseException as exc:  # noqa: BLE001
        return {"refused": type(exc).__name__}


def on_raw(event, value):
    row = {"value": value, "members": sorted(vars(event)), "sender_id": event.sender_id,
           "ports": len(event.ports), "sender": attempt(lambda: event.sender)}
    for port in event.ports:
        row["port members"] = sorted(vars(port))
        row["port.on returned"] = repr(port.on("message", lambda m: port.post_message(["echo", m.data, sorted(vars(m))])))
        port.start()
    seen["events"].append(row)


window.api.on_raw(on_raw)
leaked = window.api.leak()
seen["leak"] = {"ipc": repr(leaked["ipc"]), "nested": repr(leaked["nested"][0])}


async def report():
    return seen


window.api.serve(report)
"""


@pytest.mark.tkelectron("headless")
async def test_electrons_preload_idiom_works_and_the_page_gets_safe_copies(compositor, probe_app: ProbeApp):
    from tkelectron import MessageChannelMain

    (probe_app.folder / "idiom_preload.py").write_text(IDIOM_PRELOAD)
    (probe_app.folder / "routes.py").write_text(IDIOM_PAGE)
    (probe_app.folder / "routes.html").write_text(ROUTES_HTML)
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        window = probe_app.module.open_probe("routes.html", preload=probe_app.folder / "idiom_preload.py")
        await opened(app, window)
        wc = window.web_contents
        wc.send("update", {"n": 1})
        wc.send("raw", "plain")
        port1, port2 = MessageChannelMain()
        echoes: list = []
        port1.on("message", lambda event: echoes.append(event.data))
        port1.start()
        wc.post_message("raw", "with a port", transfer=[port2])
        port1.post_message("hi")
        await app.wait_for(lambda: echoes, what="the page's echo on the port it was handed")
        seen = await wc.invoke("ask-page")
        port1.close()

    # The idiom ran and the page got None, not ipc_renderer; updates reach the page's callback.
    assert seen["on_update returned"] == "None"
    assert seen["updates"] == [{"n": 1}]
    assert seen["leak"] == {"ipc": "None", "nested": "<bridged function on>"}
    # The event is a copy: sender_id and ports, no sender (no path back to ipc_renderer).
    plain, ported = seen["events"]
    assert plain == {"value": "plain", "members": ["ports", "sender_id"], "sender_id": 0, "ports": 0,
                     "sender": {"refused": "AttributeError"}}
    assert ported["value"] == "with a port" and ported["ports"] == 1
    assert ported["port members"] == ["close", "on", "once", "postMessage", "post_message", "start"]
    assert ported["port.on returned"].startswith("<exposed api: close, on")  # the port's stand-in, again
    # The port works both ways through its stand-in; its MessageEvent is a copy too.
    assert echoes == [["echo", "hi", ["data", "ports"]]]
    assert app.gone == []
