"""Page script: every obvious route from the page world to ipc_renderer or the
preload, each tried and described, for main to check (via probe.serve)."""

# A page script: window, document and console are its globals.
# ruff: noqa: F821


def describe(value):
    if isinstance(value, dict):
        return {"dict": sorted(str(k) for k in value), "builtins": describe_builtins(value)}
    return {"type": type(value).__name__, "repr": repr(value)[:80]}


def describe_builtins(globals_):
    found = globals_.get("__builtins__")
    return sorted(found) if isinstance(found, dict) else type(found).__name__


def attempt(fn):
    try:
        return {"got": describe(fn())}
    except BaseException as exc:  # every refusal is an answer
        return {"refused": type(exc).__name__, "message": str(exc)}


def import_tkelectron():
    import tkelectron

    return tkelectron


def from_import():
    from tkelectron.renderer import ipc_renderer

    return ipc_renderer


def sys_modules():
    import sys

    return sys.modules["tkelectron.renderer"]


def from_sys_import():
    from sys import modules

    return modules


def importlib_route():
    import importlib

    return importlib.import_module("tkelectron.renderer")


def builtins_route():
    import builtins

    return builtins.__import__("tkelectron.renderer")


def getframe():
    import sys

    return sys._getframe().f_back


def inspect_frame():
    import inspect

    return inspect.currentframe().f_back


def traceback_frame():
    try:
        window.probe.fail("inside the bridge")
    except ValueError as exc:
        return exc.__traceback__.tb_next.tb_frame.f_back


def error_context():
    try:
        window.probe.fail("inside the bridge")
    except ValueError as exc:
        return {"context": repr(exc.__context__), "cause": repr(exc.__cause__), "args": repr(exc.args)}


def gc_referents():
    import gc

    return gc.get_referents(window.probe.echo)


def gc_referrers():
    import gc

    return gc.get_referrers(window.probe)


api = window.probe
echo = window.probe.echo
ROUTES = {
    "import tkelectron": import_tkelectron,
    "from tkelectron.renderer import ipc_renderer": from_import,
    "__import__": lambda: __import__("tkelectron.renderer"),
    "importlib.import_module": importlib_route,
    "builtins.__import__": builtins_route,
    "sys.modules": sys_modules,
    "from sys import modules": from_sys_import,
    "fn.__globals__": lambda: echo.__globals__,
    "fn.__closure__": lambda: echo.__closure__,
    "fn.__self__": lambda: echo.__self__,
    "fn.__wrapped__": lambda: echo.__wrapped__,
    "fn.__dict__": lambda: echo.__dict__,
    "fn.__call__.__func__.__globals__": lambda: echo.__call__.__func__.__globals__,
    "fn.__call__.__func__.__kwdefaults__": lambda: echo.__call__.__func__.__kwdefaults__,
    "fn.__call__.__func__.__code__": lambda: echo.__call__.__func__.__code__,
    "type(fn).__init__.__globals__": lambda: type(echo).__init__.__globals__,
    "type(window.api)": lambda: type(api),
    "type(window.api).__init__.__globals__": lambda: type(api).__init__.__globals__,
    "type(window.api).__repr__.__kwdefaults__": lambda: type(api).__repr__.__kwdefaults__,
    "window.__dict__": lambda: vars(window),
    "console.log.__func__.__globals__": lambda: console.log.__func__.__globals__,
    "console.__dict__": lambda: console.__dict__,
    "document._spawn.__self__": lambda: document._spawn.__self__,
    "document._report_error.__self__": lambda: document._report_error.__self__,
    "sys._getframe().f_back": getframe,
    "inspect.currentframe().f_back": inspect_frame,
    "traceback tb_frame.f_back": traceback_frame,
    "gc.get_referents": gc_referents,
    "gc.get_referrers": gc_referrers,
}


def run_routes():
    results = {name: attempt(fn) for name, fn in ROUTES.items()}
    results["bridged error"] = error_context()
    results["api works"] = {"echo": api.echo({"a": [1, (2, 3)]})}
    import logging

    logging.getLogger("page").warning("logging from a page still works")  # the guard must not break it
    results["logging works"] = True
    return results


window.probe.serve(run_routes)
document.get_element_by_id("status").text_content = "ready"
