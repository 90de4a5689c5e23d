"""``tkelectron run PATH``: run an app and tell the user what happened in their terms.

- One line when the app starts: which app, on which compositor, and the
  sandbox its renderers get here (``--quiet`` leaves it out).
- A path that holds no app says so (a folder without ``main.py`` included).
- An exception that ends the app — raised in a hook, by a missing page, on
  importing ``main.py`` — is one line per error naming the user's file and
  line (``main.py:6: FileNotFoundError: no page at …``), not the exception
  group trio, pluggy and outcome wrap it in. ``--verbose`` or
  ``TKELECTRON_DEBUG=1`` shows the full traceback instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..common._user_errors import debug_enabled, describe
from ..main.hookspecs import hookimpl

__all__ = ["run_app", "start_line"]

#: What a path that holds no app is told (``tkelectron run`` accepts these).
APP_FORMS = "a folder with main.py, a .py file, or a module name"


def _say(message: str) -> None:
    for line in message.splitlines():
        print(f"tkelectron run: {line}", file=sys.stderr, flush=True)


def start_line(path: str, compositor: str) -> str:
    """``started APP: compositor NAME, renderer sandbox LAYERS`` (and what is missing here)."""
    from ..common._sandbox_policy import probe

    found = probe()
    sandbox = "+".join(found["layers"]) or f"none on {found['platform']}"
    if found["layers"] and found["missing"]:
        sandbox += f" (missing {'+'.join(found['missing'])})"
    return f"started {path}: compositor {compositor}, renderer sandbox {sandbox}"


class _StartLine:
    """Prints the start line once the app is ready, before the app's own ready hook runs."""

    def __init__(self, path: str) -> None:
        self.path = path

    @hookimpl(tryfirst=True)
    def tkelectron_ready(self, app: Any) -> None:
        _say(start_line(self.path, getattr(app.compositor, "name", "?")))


def _not_an_app(path: str, exc: BaseException) -> bool:
    """Whether ``exc`` says that ``path`` names no app (not that the app itself failed)."""
    if isinstance(exc, ModuleNotFoundError):
        return exc.name == path  # the bare name is no module (an import *inside* the app names another)
    return isinstance(exc, FileNotFoundError) and str(exc).startswith("no app at ")


def run_app(path: str, compositor: str | None, *, quiet: bool = False) -> int:
    """Run the app at ``path`` like ``tkelectron run``; the exit code."""
    from ..main._app import app
    from ..main._plugins import load_app_module

    target = Path(path)
    if target.is_dir() and not (target / "main.py").is_file():
        _say(f"no app at {path}: the folder has no main.py ({APP_FORMS})")
        return 2
    if target.exists():
        app.set_app_path(target if target.is_dir() else target.parent)
    if not quiet:  # registered first, so a plain script's own app.run() prints it too
        app.register_plugin(_StartLine(path), name="tkelectron-start-line")
    try:
        module = load_app_module(path)
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        if not _not_an_app(path, exc):
            return _failed(exc)
        _say(f"no app at {path} ({APP_FORMS})")
        return 2
    except Exception as exc:  # noqa: BLE001 - main.py failed on import (or a plain script's run failed)
        return _failed(exc)
    if not any(name.startswith("tkelectron_") for name in vars(module)):
        return 0  # a plain script: it ran app.run() itself when imported
    app.register_plugin(module, name=getattr(module, "__name__", None))
    try:
        return app.run(compositor=compositor)
    except RuntimeError as exc:
        if str(exc).startswith("cannot open Tk"):
            _say(str(exc))
            return 2
        return _failed(exc)
    except Exception as exc:  # noqa: BLE001 - the app's error is reported as the run's failure
        return _failed(exc)


def _failed(exc: Exception) -> int:
    if debug_enabled():
        raise exc  # the full traceback, as Python prints it
    _say(describe(exc) + " (--verbose for the traceback)")
    return 1
