"""Running a scenario under a real window manager, and asking the X server about windows.

The suite's Xvfb has no window manager (on purpose: focus and placement stay
simple for everyone else), and one Tk per process means a test cannot move to
another display. So :func:`run_under_window_manager` runs one scenario — an
``async def scenario_*(app)`` of a test module — in a child process with its
own Xvfb and openbox (``session_display(window_manager=True)``, as the tour
does); the scenario asserts, and the child's exit status and output are the
test's. The child starts the app with ``launch()`` as any tkhtml test does.

The helpers here are the window manager's side and another client's:
geometry as the X server reports it (``xwininfo``), properties (python-xlib,
a connection of its own), and the EWMH/ICCCM requests a taskbar or pager
sends (``_NET_WM_STATE``, ``WM_CHANGE_STATE``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEMO = REPO / "demo_apps" / "window_manager"


def run_under_window_manager(module_file: str, scenario: str, timeout: float = 150) -> dict[str, Any]:
    """Run ``scenario`` of ``module_file`` in a child with Xvfb + openbox; return what it returned."""
    assert shutil.which("openbox"), "openbox is not installed (scripts/setup.sh installs it)"
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # a private Xvfb, with openbox
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), str(REPO / "tests"), env.get("PYTHONPATH", "")) if p)
    done = subprocess.run([sys.executable, __file__, module_file, scenario], capture_output=True, text=True,
                          timeout=timeout, env=env, check=False, cwd=REPO)
    assert done.returncode == 0, f"{scenario} failed:\n{done.stdout[-6000:]}\n{done.stderr[-6000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- what the X server says --------------------------------------------------------------------


def xwininfo(window: int) -> dict[str, int]:
    """Absolute x, y and the width, height of ``window``, from ``xwininfo``."""
    out = subprocess.run(["xwininfo", "-id", str(window)], capture_output=True, text=True, check=True).stdout
    field = {k: int(re.search(rf"{k}:\s+(-?\d+)", out).group(1))  # type: ignore[union-attr]
             for k in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")}
    return {"x": field["Absolute upper-left X"], "y": field["Absolute upper-left Y"],
            "width": field["Width"], "height": field["Height"]}


class OtherClient:
    """Another X client (a taskbar, a pager): reads properties and sends the window manager requests."""

    def __init__(self) -> None:
        self._connect()

    def _connect(self) -> None:
        from Xlib import display

        self.display = display.Display(os.environ["DISPLAY"])
        self.root = self.display.screen().root

    def close(self) -> None:
        self.display.close()

    def _read(self, ask: Callable[[], T]) -> T:
        """``ask()`` on this connection, on a fresh one if the reply could not be parsed.

        While the window manager reworks a window, python-xlib has been seen
        to misread the reply of a property read as an extension's error (a
        ``BadRRModeError`` without ``sequence_number``, raised as
        AttributeError), which leaves the connection out of step. A pager
        would reconnect; so does this, at most twice.
        """
        from Xlib import error

        for attempt in range(3):
            try:
                return ask()
            except (error.XError, error.ConnectionClosedError, AttributeError):
                if attempt == 2:
                    raise
                with contextlib.suppress(Exception):
                    self.display.close()
                self._connect()
        raise AssertionError("unreachable")

    def atom(self, name: str) -> int:
        return self.display.intern_atom(name)

    def window(self, wid: int) -> Any:
        return self.display.create_resource_object("window", wid)

    def parent(self, wid: int) -> int:
        return self._read(lambda: int(self.window(wid).query_tree().parent.id))

    def cardinals(self, wid: int, name: str) -> list[int]:
        from Xlib import X

        def ask() -> list[int]:
            prop = self.window(wid).get_full_property(self.atom(name), X.AnyPropertyType)
            return list(prop.value) if prop is not None else []

        return self._read(ask)

    def net_state(self, wid: int) -> set[str]:
        return self.atom_names(self.cardinals(wid, "_NET_WM_STATE"))

    def atom_names(self, atoms: list[int]) -> set[str]:
        return self._read(lambda: {self.display.get_atom_name(a) for a in atoms})

    def urgent(self, wid: int) -> bool:
        hints = self._read(lambda: self.window(wid).get_wm_hints())
        return hints is not None and bool(int(hints.flags) & (1 << 8))

    def _message(self, wid: int, kind: str, data: list[int]) -> None:
        from Xlib import X
        from Xlib.protocol import event

        message = event.ClientMessage(window=self.window(wid), client_type=self.atom(kind),
                                      data=(32, (data + [0] * 5)[:5]))
        self.root.send_event(message, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
        self.display.flush()

    def request_state(self, wid: int, add: bool, *atoms: str) -> None:
        """EWMH: ask the window manager to add or remove ``_NET_WM_STATE`` atoms (as a pager does)."""
        names = [self.atom(a) for a in atoms] + [0, 0]
        self._message(wid, "_NET_WM_STATE", [1 if add else 0, names[0], names[1], 2])

    def iconify(self, wid: int) -> None:
        """ICCCM 4.1.4: WM_CHANGE_STATE IconicState (a taskbar's minimize)."""
        self._message(wid, "WM_CHANGE_STATE", [3])

    def activate(self, wid: int) -> None:
        """EWMH ``_NET_ACTIVE_WINDOW`` from a pager (a taskbar click)."""
        self._message(wid, "_NET_ACTIVE_WINDOW", [2, 0, 0])


def _main() -> None:
    module_file, scenario = sys.argv[1], sys.argv[2]
    from tkelectron.testing._runner import close_session_display, run_in_app_loop, session_display

    spec = importlib.util.spec_from_file_location("wm_scenarios", module_file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    session_display(window_manager=True)
    try:
        result = run_in_app_loop(getattr(module, scenario), "tkhtml")
    finally:
        close_session_display()
    print(json.dumps(result if result is not None else {}))


if __name__ == "__main__":
    _main()
