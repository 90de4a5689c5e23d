"""Keeping the garbage collector's pauses short in main.

CPython's full (generation 2) collection walks every tracked object. At
start-up main holds a few hundred thousand of them that live as long as the
process — its modules (trio, tkinter, msgspec, pluggy, the framework, the
app's), the Tk root and their caches — so under a flood of messages one full
collection held main's loop for ~50 ms (measured with
``python -m tkelectron.tools._bench_limits 10``: a bystander's worst invoke
while another window floods was +55 ms over its quiet worst with the
collector as it was, +18 ms with it off, +2 to +29 ms after this freeze). ``gc.freeze()`` moves what
exists at start-up out of the collector's reach: later collections walk only
what the running app made since, and nothing else changes (frozen objects are
still freed when their last reference goes).
"""

from __future__ import annotations

import gc

__all__ = ["freeze_startup_heap"]


def freeze_startup_heap() -> None:
    """Collect once, then freeze what is left: the process's long-lived start-up objects."""
    gc.collect()
    gc.freeze()
