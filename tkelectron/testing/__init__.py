"""Test tkelectron apps like a user: ``launch(app)`` and drive its windows.

>>> async with launch("path/to/app") as app:        # doctest: +SKIP
...     win = await app.first_window()
...     await win.fill("#title", "Hello")
...     await win.click("#btn")
...     assert win.title() == "Hello"

Run such tests with ``@pytest.mark.tkelectron`` (the pytest plugin that ships
with tkelectron): once on the real ``tkhtml`` compositor under Xvfb, once on
``headless``.
"""

from __future__ import annotations

from ._harness import DEFAULT_TIMEOUT, AppHarness, launch
from ._menus import MenuItemHandle
from ._window import WindowHarness

__all__ = ["DEFAULT_TIMEOUT", "AppHarness", "MenuItemHandle", "WindowHarness", "launch"]
