"""Child-process side of the sandbox tests: lock down, run one attempt, print JSON.

Run as ``python -I _child.py CONFIG_JSON``.  The config names the repository
root, the app folder, the sandbox mode, the layers to disable, the attempt and
its parameters.  The child runs the attempt's setup (things that must happen
before lockdown, e.g. filling a memfd), calls
``lock_down(readable_paths(app), mode, disable=...)``, runs the attempt and
prints one JSON line::

    {"phase": "attempt", "ok": true, "value": ..., "report": {...}}
    {"phase": "attempt", "ok": false, "error": "PermissionError", "errno": 13, ...}

``phase`` is ``"lockdown"`` when lock_down itself raised.  Attempts that exec a
program on success exec ``echo`` with the success line, so a successful exec
is reported the same way.
"""

from __future__ import annotations

import json
import os
import sys
import types
from typing import Any


def _emit(payload: dict[str, Any]) -> None:
    # One write on the inherited pipe: stdout must not be a regular file here,
    # since RLIMIT_FSIZE=0 forbids growing any file.
    os.write(1, (json.dumps(payload, default=repr) + "\n").encode())


def _failure(phase: str, exc: BaseException) -> dict[str, Any]:
    return {
        "phase": phase,
        "ok": False,
        "error": type(exc).__name__,
        "errno": getattr(exc, "errno", None),
        "message": str(exc),
    }


def _lean_packages(repo: str) -> None:
    """Make tkelectron's sandbox modules importable without the package ``__init__``s.

    The top-level ``tkelectron/__init__.py`` imports the main-process API (and
    with it trio, ssl, lzma, decimal...), which costs ~0.2 s per child and
    preloads the very modules the keep-working tests import fresh.  The
    sandbox modules are stdlib-only by design, so empty parent packages are
    enough.  Tests that want the whole framework loaded pass ``"lean": false``.
    """
    for name in ("tkelectron", "tkelectron.common", "tkelectron.renderer"):
        package = types.ModuleType(name)
        package.__path__ = [os.path.join(repo, *name.split("."))]
        sys.modules[name] = package


def main() -> None:
    config: dict[str, Any] = json.loads(sys.argv[1])
    sys.path.insert(0, config["repo"])
    if config.get("lean", True):
        _lean_packages(config["repo"])
    sys.path.extend(config.get("extra_path", []))  # site-packages for a stand-in interpreter
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import _attempts

    from tkelectron.common._sandbox_policy import readable_paths
    from tkelectron.renderer._sandbox import lock_down

    name: str = config["attempt"]
    params: dict[str, Any] = dict(config.get("params", {}))
    params["app"] = config["app"]
    attempt, setup = _attempts.lookup(name)
    if setup is not None:
        params["state"] = setup(params)
    mode = config.get("mode", True)
    if "platform" in config:
        sys.platform = config["platform"]  # to exercise the non-Linux branch on Linux
    try:
        report = lock_down(
            readable_paths(config["app"]), mode, disable=set(config.get("disable", ())), limits=config.get("limits")
        )
    except BaseException as exc:  # noqa: BLE001 - reported to the test, which asserts on it
        _emit(_failure("lockdown", exc) | {"state": _attempts.process_state()})
        return
    try:
        value = attempt(params)
    except BaseException as exc:  # noqa: BLE001
        _emit(_failure("attempt", exc) | {"report": report})
        return
    _emit({"phase": "attempt", "ok": True, "value": value, "report": report})


if __name__ == "__main__":
    main()
