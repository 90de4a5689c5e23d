"""The app process of ``tkelectron run --watch``: ``tkelectron run`` plus the reload plugin.

``python -m tkelectron.tools._watch_child PATH [--compositor NAME]`` registers
:class:`~tkelectron.tools._watch_plugin.ReloadOnChange` and then runs the app
exactly as ``tkelectron run PATH`` does, so an app cannot tell the difference
except that its windows reload when their files change.

An exception that ends the app (a syntax error just saved, a failing import,
a hook that raised) is told by ``tkelectron run`` in one line naming the
user's file and line; what still escapes it is printed without the
framework's own frames. ``--verbose`` / ``TKELECTRON_DEBUG=1`` shows the
full traceback.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

__all__ = ["app_traceback", "main"]

_FRAMEWORK = str(Path(__file__).resolve().parents[1])


def app_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` without frames of tkelectron or the import machinery."""
    info = traceback.TracebackException.from_exception(exc)
    info.stack = traceback.StackSummary.from_list(
        [f for f in info.stack if not (f.filename.startswith((_FRAMEWORK, "<frozen")))]
    )
    return "".join(info.format())


def main(argv: Sequence[str]) -> int:
    from ..cli import main as cli_main
    from ..main._app import app
    from ._watch_plugin import ReloadOnChange

    target = Path(argv[0]) if argv else None
    root = None if target is None or not target.exists() else target if target.is_dir() else target.parent
    app.register_plugin(ReloadOnChange(root), name="tkelectron-watch")
    try:
        return cli_main(["run", *argv])
    except Exception as exc:
        from ..common._user_errors import debug_enabled

        if debug_enabled():
            raise  # --verbose / TKELECTRON_DEBUG=1: the full traceback, as `tkelectron run` shows it
        sys.stderr.write(app_traceback(exc))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
