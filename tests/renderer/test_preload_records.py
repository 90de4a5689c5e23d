"""A preload is a real module: records it defines work and cross to main as data.

``dataclasses`` (and ``typing.get_type_hints``) look a class's module up in
``sys.modules``; a preload compiled with the framework's own ``__future__``
flags and run in a bare dict made ``@dataclass`` raise in every preload.
The page still cannot import the preload's module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import trio

from tkelectron.testing import launch

APP = Path(__file__).resolve().parents[1] / "apps" / "preload_records"


@pytest.mark.tkelectron
async def test_records_defined_in_a_preload_reach_main_as_their_fields(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        probe = app.module
        win = await app.first_window()
        await win.wait_for_load()
        with trio.fail_after(10):
            await probe.arrived.wait()
        assert probe.received == [
            {"x": 1, "y": 2},
            {"name": "a", "tags": ["b"]},
            {"width": 3, "height": 4},
            "__preload__",
        ]
        assert not [m for m in app.console if m[1] == "error"]
        await win.wait_for_text(
            "#import", "refused: page scripts cannot import the preload: use what it exposes on window"
        )
