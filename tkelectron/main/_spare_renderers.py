"""Spare renderers: started ahead of need, forked from the zygote when it is on.

``app.spare_renderers`` renderers wait for a window (Chromium's spare
renderer). With the zygote on (:mod:`._zygote`), :func:`refill` starts the
zygote — the app is starting, so its imports overlap main's own start-up —
and forks the spares from it in a task of the run once it is ready, so the
loop never waits for it; before the run has a nursery (``app.run()`` calls
this before Tk starts) only the zygote starts, and the run's own call forks
the spares. With the zygote off, or when it cannot serve, a spare is
started directly, as before.
"""

from __future__ import annotations

import logging
import weakref

from . import _zygote
from ._context import AppSession
from ._renderer_process import RendererProcess

__all__ = ["refill"]

log = logging.getLogger("tkelectron.app")

#: Sessions whose spares a task is forking now (one task per session).
_refilling: weakref.WeakSet[AppSession] = weakref.WeakSet()


def _wanted(session: AppSession) -> bool:
    return len(session.spares) < session.spare_renderers and session.state not in ("quitting", "done")


def refill(session: AppSession) -> None:
    """Top ``session.spares`` up to ``session.spare_renderers`` (see the module)."""
    if session.state in ("quitting", "done"):
        return
    if _zygote.enabled():
        _zygote.start()
        if session.nursery is not None and session not in _refilling and _wanted(session):
            _refilling.add(session)
            session.start_soon(_refill_from_zygote, session)
        return
    while _wanted(session):
        try:
            session.spares.append(RendererProcess.start())
        except OSError:
            log.exception("could not start a spare renderer")
            return


async def _refill_from_zygote(session: AppSession) -> None:
    try:
        # A spare is not in a hurry: give a starting zygote its full start-up time.
        await _zygote.wait_ready(_zygote.START_TIMEOUT)
        while _wanted(session):
            try:
                proc = await RendererProcess.start_async()
            except OSError:
                log.exception("could not start a spare renderer")
                return
            if not _wanted(session):  # quitting, or the count went down meanwhile
                proc.discard()
                return
            session.spares.append(proc)
    finally:
        _refilling.discard(session)
