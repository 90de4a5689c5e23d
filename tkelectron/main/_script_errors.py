"""A plain script's failure told in one line: ``python main.py`` as ``tkelectron run`` does.

A script that calls ``app.run()`` itself has no ``tkelectron run`` around it
to catch what ends the app, so Python would print the exception group trio
wraps it in: 40 to 55 lines through trio, pluggy and outcome for one mistake
in the user's hook or ``main()``. ``app.run()`` notes the exception it lets
out (:func:`note_failure`) and installs :func:`_excepthook`: if that very
exception reaches the top of the script uncaught, the script ends with one
line per error naming the user's file and line
(``tkelectron: main.py:6: FileNotFoundError: no page at …``) and exit code 1.

Everything else is Python's as usual: an exception the script catches, wraps
or raises itself is printed by the previous hook, and ``TKELECTRON_DEBUG=1``
shows the full traceback of the app's failure too.

What main logs while the app runs (a failing IPC handler or listener) is
shown as ``tkelectron run`` shows it, the user's frames only, when the script
set up no logging of its own (:func:`log_in_user_terms`); otherwise Python's
last-resort handler would print each with every framework frame.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from ..common._user_errors import DEBUG_VARIABLE, UserErrorFormatter, debug_enabled, describe

__all__ = ["log_in_user_terms", "note_failure"]

#: The mark app.run() leaves on the exception it lets out (an attribute, so a
#: caught exception is not kept alive by a list of them).
_MARK = "_tkelectron_ended_app_run"
_previous_hook = sys.excepthook


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if not getattr(exc, _MARK, False) or debug_enabled():
        _previous_hook(kind, exc, tb)
        return
    lines = describe(exc).splitlines() or [kind.__name__]
    lines[-1] += f" ({DEBUG_VARIABLE}=1 for the traceback)"
    for line in lines:
        print(f"tkelectron: {line}", file=sys.stderr, flush=True)


def note_failure(exc: BaseException) -> None:
    """Remember that ``exc`` ends ``app.run()``: told in one line if the script lets it out."""
    global _previous_hook
    try:
        setattr(exc, _MARK, True)
    except AttributeError:  # an exception class with __slots__: Python prints it as usual
        return
    if sys.excepthook is not _excepthook:
        _previous_hook = sys.excepthook
        sys.excepthook = _excepthook


def log_in_user_terms() -> None:
    """Show tkelectron's warnings and errors as ``tkelectron run`` does, if nothing else logs them.

    Only when neither the root logger nor ``tkelectron``'s has a handler (a
    script that configured logging keeps its own): the level stays Python's
    last-resort one, WARNING.
    """
    own = logging.getLogger("tkelectron")
    if logging.getLogger().handlers or own.handlers:
        return
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(UserErrorFormatter("%(levelname)s %(name)s: %(message)s"))
    own.addHandler(handler)
