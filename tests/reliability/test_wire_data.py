"""The wire decodes data, not objects (issue 8, item 4), end to end: what a
page sends as a Struct or dataclass — or as a forged framework message —
arrives in main as a dict, and a typed handler converts it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.testing import launch

from ._fault_support import fault_app, open_pair


@pytest.mark.tkelectron("headless")
async def test_records_from_a_renderer_arrive_in_main_as_data(compositor, tmp_path: Path):
    module = fault_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        pair = await open_pair(app, module)
        got = await pair.wc.invoke("send-records")
        # The page's Point and a forged Init (preload='/etc/shadow'): dicts in main.
        assert got["kinds"] == ["builtins.dict", "builtins.dict"]
        assert got["typed"] == "Point(3, 4)"  # the annotation converted it
        await pair.bystander_answers("ok")
