"""A compromised renderer for adversarial tests: a real sandboxed renderer
whose preload (``tests/apps/compromised``) writes raw commits, console
messages and stderr of the test's choosing, beside a bystander window.

Use it from any suite::

    from _compromised import compromised_app   # tests/security on sys.path

    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        reason = await c.violation("commit", [["Insert", ids["body"], "<p data-tke-id='x'>", None]])
        await c.bystander_answers()

:meth:`Compromised.violation` expects the attacker killed as an
``ipc-violation`` (and reloads it, so the next attack gets a fresh renderer);
:meth:`Compromised.contained` expects the attacker to survive.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tkelectron import BrowserWindow, RendererGoneError
from tkelectron.main._plugins import load_app_module
from tkelectron.testing import launch

APP = Path(__file__).resolve().parents[1] / "apps" / "compromised"
#: Node ids far above any the page's own renderer hands out.
_FRESH = itertools.count(1_000_000)


def fresh_id() -> int:
    """A node id the attacker can use for an element it makes up."""
    return next(_FRESH)


class Compromised:
    """The attacker window, the bystander window and how to drive them."""

    def __init__(self, app: Any, module: Any, attacker: BrowserWindow, bystander: BrowserWindow,
                 caplog: pytest.LogCaptureFixture) -> None:
        self.app = app
        self.module = module
        self.attacker = attacker
        self.bystander = bystander
        self.caplog = caplog
        self.gone: list[Any] = []
        self._echo = itertools.count()
        attacker.web_contents.on("render-process-gone", lambda _e, details: self.gone.append(details))

    @property
    def surface(self) -> Any:
        """The attacker's surface (what main displays for it)."""
        return self.attacker._surface

    async def send(self, what: str, *args: Any) -> Any:
        """Have the attacker's preload do ``what`` (see its handlers)."""
        return await self.attacker.web_contents.invoke(what, *args)

    async def ids(self) -> dict[str, int]:
        """Node ids of the attacker page's html, head, body, #status, #target."""
        return await self.send("ids")

    async def bystander_answers(self) -> None:
        """The other window's renderer still answers, and main relays it."""
        value = f"still here {next(self._echo)}"
        assert await self.bystander.web_contents.invoke("echo", value) == value
        assert not self.bystander.web_contents.is_crashed()

    async def violation(self, what: str, *args: Any) -> str:
        """Run an attack that main must refuse by killing the attacker.

        Checks the ``render-process-gone`` reason, returns what main logged
        about it, then checks the bystander and reloads the attacker.
        """
        before = len(self.gone)
        start = len(self.caplog.records)
        with pytest.raises(RendererGoneError):
            await self.send(what, *args)
        await self.app.wait_for(lambda: len(self.gone) > before, what="render-process-gone")
        assert self.gone[-1].reason == "ipc-violation"
        logged = [r.getMessage() for r in self.caplog.records[start:] if "broke the protocol" in r.getMessage()]
        assert logged, "main logged no reason for the kill"
        await self.bystander_answers()
        await self.attacker.web_contents.reload()
        return logged[-1]

    async def contained(self, what: str, *args: Any) -> Any:
        """Run an attack that main must contain: the attacker lives on."""
        before = len(self.gone)
        result = await self.send(what, *args)
        await self.bystander_answers()
        assert len(self.gone) == before and not self.attacker.web_contents.is_crashed()
        return result


@contextlib.asynccontextmanager
async def compromised_app(compositor: str, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Compromised]:
    """Launch the compromised app with an attacker and a bystander window."""
    caplog.set_level(logging.WARNING, logger="tkelectron")
    module = load_app_module(APP)
    if str(APP) in sys.path:  # load_app_module put it there; nothing else should find it
        sys.path.remove(str(APP))
    async with launch(module, compositor=compositor) as app:
        attacker = module.open_window()
        await app.wait_for_window(lambda h: h.window is attacker)
        bystander = module.open_window()
        await app.wait_for_window(lambda h: h.window is bystander)
        yield Compromised(app, module, attacker, bystander, caplog)
