"""window_state under kill -9: the state file is never missing or torn, and the
next start removes the temporary files a killed save left behind."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
from pathlib import Path

from tkelectron.plugins.window_state import WindowStateStore

STORE = Path(__file__).resolve().parents[2] / "plugins" / "window_state" / "_store.py"
CYCLES = 25

# Loads the store module on its own (no Tk, no trio: a fast child) and saves
# forever, printing each width once its save returned.
SAVER = f"""
import importlib.util, sys
spec = importlib.util.spec_from_file_location("store", {str(STORE)!r})
store = importlib.util.module_from_spec(spec)
spec.loader.exec_module(store)
s = store.WindowStateStore(store.Path(sys.argv[1]))
width = int(sys.argv[2])
while True:
    width += 1
    s.put("main", {{"x": 1, "y": 2, "width": width, "height": 100}})
    print(width, flush=True)
"""


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_kill_9_mid_save_never_loses_the_file_and_the_next_start_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "window-state.json"
    WindowStateStore(path).put("main", {"x": 1, "y": 2, "width": 10, "height": 100})
    rng = random.Random(9)  # seeded: the same kill points every run
    width = 10
    left_behind = 0
    for _ in range(CYCLES):
        child = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(width)], stdout=subprocess.PIPE,
                                 text=True)
        assert child.stdout is not None
        for _ in range(rng.randint(1, 20)):  # let it finish a few saves, then kill it mid-way through another
            line = child.stdout.readline()
            assert line, "the saver died on its own"
            width = int(line)
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()  # saves it finished while we were reading
        width = max([width, *(int(line) for line in rest.split())])
        # Whatever the moment of the kill: the last save the child finished, or the one after it.
        saved = json.loads(path.read_text())["windows"]["main"]
        assert saved["width"] in (width, width + 1) and saved["height"] == 100
        width = saved["width"]
        left_behind += len(temp_files(tmp_path))
        store = WindowStateStore(path)  # the next start
        assert temp_files(tmp_path) == []
        assert store.get("main") == saved
    print(f"{left_behind} of {CYCLES} kills left a temporary file behind; all were removed")
