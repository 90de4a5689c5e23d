"""Starting a helper process of main's in isolation (a renderer, the zygote).

What both a directly started renderer and the zygote get: ``python -I -B``
(isolated: no PYTHON* variables, no user site, no current directory on the
path) with :data:`FRAMEWORK_ROOT` on its path, a minimal environment, no
stdin, stdout on /dev/null, its own session and one descriptor passed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["FRAMEWORK_ROOT", "isolated_environment", "isolated_popen"]

#: The folder that holds the ``tkelectron`` package (put on the renderer's path).
FRAMEWORK_ROOT = str(Path(__file__).resolve().parents[2])


def isolated_environment() -> dict[str, str]:
    """The whole environment such a process gets (a fresh dict each call)."""
    from ..common._sandbox_policy import DISABLE_ENV

    env = {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    if os.environ.get(DISABLE_ENV):  # the testing knob reaches the renderer too
        env[DISABLE_ENV] = os.environ[DISABLE_ENV]
    if sys.platform == "win32":  # Python cannot start on Windows without these
        for key in ("SYSTEMROOT", "TEMP"):
            if key in os.environ:
                env[key] = os.environ[key]
    return env


def isolated_popen(
    command: list[str], fd: int, stderr: int | None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start ``command`` holding only ``fd`` (and stdio), in its own session.

    stdin and stdout are never a regular file: the sandbox's RLIMIT_FSIZE=0
    would make every write to one fail (stdout is replaced by console
    messages). The environment is ``env``, :func:`isolated_environment`'s
    by default.
    """
    return subprocess.Popen(
        command,
        pass_fds=(fd,),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        env=isolated_environment() if env is None else env,
        start_new_session=True,
    )
