"""Test tkelectron apps like a user: ``launch(app)`` and drive its windows.

>>> async with launch("path/to/app") as app:        # doctest: +SKIP
...     win = await app.first_window()
...     await win.fill("#title", "Hello")
...     await win.click("#btn")
...     assert await win.title() == "Hello"

Run such tests with ``@pytest.mark.tkelectron`` (the pytest plugin that ships
with tkelectron): once on the real ``tkhtml`` compositor under Xvfb, once on
``headless``.

Names are loaded on first use (PEP 562): pytest imports this package for its
plugin in every project where tkelectron is installed, and that must not pull
in trio and the main process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

_EXPORTS = {
    "DEFAULT_TIMEOUT": "._harness",
    "AppHarness": "._harness",
    "launch": "._harness",
    "MenuItemHandle": "._menus",
    "run_on_display": "._runner",
    "WindowHarness": "._window",
}

__all__ = [  # literal, so type checkers read it (the same names as _EXPORTS)
    "DEFAULT_TIMEOUT",
    "AppHarness",
    "MenuItemHandle",
    "WindowHarness",
    "launch",
    "run_on_display",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)


if TYPE_CHECKING:
    from ._harness import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
    from ._harness import AppHarness as AppHarness
    from ._harness import launch as launch
    from ._menus import MenuItemHandle as MenuItemHandle
    from ._runner import run_on_display as run_on_display
    from ._window import WindowHarness as WindowHarness
