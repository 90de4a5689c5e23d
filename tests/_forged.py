"""Forged requests from a tampered renderer: each must end it as an ``ipc-violation``.

Several suites (layout queries, page input, window.open, page notifications,
web_utils) check main's validation of a framework channel the same way: the
test's preload sends one malformed request, main must kill that renderer with
``render-process-gone`` reason ``ipc-violation``, and the window reloads with
a fresh renderer before the next case. :func:`each_kills_the_renderer` is
that loop, once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from tkelectron import RendererGoneError


async def each_kills_the_renderer(app: Any, wc: Any, cases: Iterable[tuple[str, Any]],
                                  forge: Callable[[Any], Awaitable[object]]) -> list[str]:
    """Send each ``(name, case)`` with ``forge(case)``; each must end the renderer with ``ipc-violation``.

    Returns the list of ``render-process-gone`` reasons, which keeps growing
    after the call (a later violation, or none, can still be checked).
    """
    gone: list[str] = []
    wc.on("render-process-gone", lambda _event, details: gone.append(details.reason))
    for number, (name, case) in enumerate(cases, 1):
        with contextlib.suppress(RendererGoneError):  # killed before or after it answered
            await forge(case)
        await app.wait_for(lambda n=number: len(gone) >= n, what=f"the renderer killed for {name}")
        assert gone[-1] == "ipc-violation", name
        reloading = wc.reload()
        assert reloading is not None
        await reloading
    return gone
