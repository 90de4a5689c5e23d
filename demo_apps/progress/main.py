"""Progress: a long job in main streams its progress to the page.

Electron has no stream primitive (apps send one message per update, with no
backpressure); Tauri has Channel. Here the handler is an async generator:
the page iterates it, each update arrives in order, a slow page slows the job
instead of piling up messages, and breaking out of the loop (Cancel) stops
the job in main.
"""

from __future__ import annotations

from pathlib import Path

import trio

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent
TITLE = "Progress"
PATTERN = "main to renderer streaming (async generator handler / ipc_renderer.stream)"
DESCRIPTION = "Start counts primes in main in 100 steps, streaming progress to a bar; Cancel stops the job."

#: How each job ended ("finished" or "cancelled"), for tests and the console.
jobs: list[str] = []


def _primes_in(start: int, stop: int, small: list[int]) -> int:
    """How many primes lie in [start, stop), by a segmented sieve."""
    flags = bytearray([1]) * (stop - start)
    for p in small:
        if p * p >= stop:
            break
        first = max(p * p, (start + p - 1) // p * p)
        flags[first - start :: p] = bytearray(len(flags[first - start :: p]))
    if start <= 1:
        flags[: 2 - start] = bytearray(2 - start)
    return sum(flags)


async def count_primes(event, limit: int):
    """Yield {"percent", "primes"} a hundred times while counting primes below ``limit``."""
    root = int(limit**0.5) + 1
    small = [n for n in range(2, root) if all(n % d for d in range(2, int(n**0.5) + 1))]
    step = max(1, limit // 100)
    found = 0
    try:
        for i, start in enumerate(range(0, limit, step), 1):
            found += _primes_in(start, min(start + step, limit), small)
            yield {"percent": min(100, i * 100 // ((limit + step - 1) // step)), "primes": found}
            await trio.sleep(0.01)  # pace the demo so a person can press Cancel
        jobs.append("finished")
    except BaseException:
        jobs.append("cancelled")
        raise


@hookimpl
def tkelectron_ready(app) -> None:
    jobs.clear()
    ipc_main.handle("job:count-primes", count_primes)
    window = BrowserWindow(width=560, height=320, web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")


if __name__ == "__main__":
    import sys

    from tkelectron import app

    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
