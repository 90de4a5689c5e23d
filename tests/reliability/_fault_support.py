"""Shared by the fault, backpressure, fairness and fuzz tests: the fault probe
app (a private copy per test) and a victim/bystander pair of windows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from _app_copy import load_private_copy

FAULT_APP = Path(__file__).resolve().parent / "apps" / "fault_probe"


def fault_app(root: Path) -> ModuleType:
    """A private copy of the fault probe, loaded (its module state is per test)."""
    return load_private_copy(FAULT_APP, root / "fault_probe")


@dataclass
class Pair:
    """A victim window (the one that misbehaves) and a bystander."""

    app: Any
    module: ModuleType
    victim: Any
    bystander: Any
    gone: list[Any] = field(default_factory=list)

    @property
    def wc(self) -> Any:
        return self.victim.web_contents

    async def bystander_answers(self, token: Any) -> None:
        """The other window still answers both ways, and its renderer lived on."""
        other = self.bystander.web_contents
        assert not other.is_crashed()
        assert await other.invoke("echo", token) == [token]  # main -> renderer
        assert await other.invoke("call-main", "echo", token) == [token]  # renderer -> main

    async def wait_gone(self) -> Any:
        await self.app.wait_for(lambda: self.gone, what="render-process-gone")
        return self.gone[0]


async def open_pair(app: Any, module: ModuleType, **victim_prefs: Any) -> Pair:
    """Open the victim (with ``victim_prefs``) and a bystander, both loaded."""
    victim = module.open_probe(**victim_prefs)
    await app.wait_for_window(lambda h: h.window is victim)
    bystander = module.open_probe()
    await app.wait_for_window(lambda h: h.window is bystander)
    pair = Pair(app, module, victim, bystander)
    victim.web_contents.on("render-process-gone", lambda event, details: pair.gone.append(details))
    return pair
