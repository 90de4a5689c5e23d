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


@pytest.mark.tkelectron("headless")
async def test_the_obvious_routes_from_the_page_are_closed(compositor, probe_app: ProbeApp):
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        window = probe_app.module.open_probe("isolation.html")
        await opened(app, window)
        results = await window.web_contents.invoke("ask-page")

        wrong = {}
        for route, (kind, text) in REFUSED.items():
            got = results[route]
            if got.get("refused") != kind or text not in got.get("message", ""):
                wrong[route] = got
        assert not wrong, f"routes not refused as expected: {wrong}"

        for route in (
            "fn.__call__.__func__.__globals__",
            "type(fn).__init__.__globals__",
            "type(window.api).__init__.__globals__",
            "console.log.__func__.__globals__",
        ):
            assert results[route] == {"got": EMPTY_GLOBALS}, (route, results[route])
        assert results["type(window.api)"]["got"]["type"] == "type"
        # window.__dict__ holds the page's own objects and the exposed copies, nothing else.
        assert results["window.__dict__"]["got"]["dict"] == ["_exposed", "console", "document"]
        # An error from the other world arrives as a copy, without its original attached.
        assert results["bridged error"] == {"context": "None", "cause": "None", "args": "('inside the bridge',)"}
        # ...and what was exposed still works.
        assert results["api works"] == {"echo": {"a": [1, (2, 3)]}}
        assert results["logging works"] is True  # the guard leaves logging usable
