"""The renderer collects cyclic garbage once its loop is idle (``_idle_gc``)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
import trio

from tkelectron.renderer._dom import Document
from tkelectron.renderer._idle_gc import BACKSTOP, YOUNG, IdleCollector


@pytest.fixture
def thresholds() -> Iterator[None]:
    saved = gc.get_threshold()
    enabled = gc.isenabled()
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        gc.enable() if enabled else gc.disable()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _refilled_rows(doc: Document) -> weakref.ref[object]:
    """Replace a list's rows; a weak reference to one of the old ones."""
    ul = doc.get_element_by_id("u")
    assert ul is not None
    old = ul.first_child
    assert old is not None
    ul.text_content = ""
    return weakref.ref(old)


def test_install_raises_cpythons_trigger_and_keeps_the_older_ones(thresholds: None) -> None:
    gc.set_threshold(700, 11, 12)
    IdleCollector().install()
    assert gc.get_threshold() == (BACKSTOP, 11, 12)


def test_a_due_collection_waits_until_every_other_task_is_blocked(thresholds: None) -> None:
    collector = IdleCollector()
    collector.install()
    gc.collect()
    doc = Document(spawn=lambda *a: None, report_error=print)
    doc.load_html("<ul id=u>" + "<li>row</li>" * 100 + "</ul>")
    row = _refilled_rows(doc)
    assert row() is not None  # a row holds its text and the text its row: only the collector frees them
    keep = [_Cycle() for _ in range(YOUNG)]  # a page's burst: the young count passes YOUNG
    del keep
    seen: list[int] = []

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(collector.run)
            collector.check()
            for _ in range(20):  # a busy task: the collector does not run between its steps
                await trio.lowlevel.checkpoint()
                seen.append(collector.collections)
            # Woken together with the collector when all is idle, this task may
            # run first: the second wait ends once the collector is blocked again.
            await trio.testing.wait_all_tasks_blocked()
            await trio.testing.wait_all_tasks_blocked()
            seen.append(collector.collections)
            nursery.cancel_scope.cancel()

    trio.run(main)
    assert seen[:-1] == [0] * 20
    assert seen[-1] == 1
    assert row() is None  # the replaced rows are gone


def test_nothing_due_nothing_collected(thresholds: None) -> None:
    gc.collect()
    collector = IdleCollector()
    collector.install()

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(collector.run)
            collector.check()  # few young objects: not due
            await trio.testing.wait_all_tasks_blocked()
            nursery.cancel_scope.cancel()

    trio.run(main)
    assert collector.collections == 0


def test_the_generation_cpython_would_pick(thresholds: None, monkeypatch: pytest.MonkeyPatch) -> None:
    gc.set_threshold(700, 10, 10)
    collector = IdleCollector()
    picked: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: picked.append(generation) or 0)
    for count, generation in (((5, 0, 0), 0), ((5, 10, 0), 1), ((5, 10, 10), 2), ((0, 3, 10), 2)):
        monkeypatch.setattr(gc, "get_count", lambda c=count: c)
        collector.collect()
        assert picked[-1] == generation
    gc.disable()
    collector.collect()
    assert len(picked) == 4  # a page that turned the collector off keeps it off
