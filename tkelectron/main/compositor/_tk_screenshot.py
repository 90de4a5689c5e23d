"""PNG screenshots of one X window, taken from the X server.

Tk draws straight into X windows, so what the X server holds for a window is
what the user sees. Two tool chains can read it, tried in this order:

1. ImageMagick's ``import -window ID PNG24:file.png`` (Debian package
   ``imagemagick``);
2. ``xwd -id ID`` (package ``x11-apps``) piped into ``xwdtopnm | pnmtopng``
   (package ``netpbm``).

Both write 8-bit RGB PNGs. Nothing here pumps Tk's event loop: call it once the window has been drawn.
"""

from __future__ import annotations

import os
import shutil
import subprocess

__all__ = ["capture_window"]


def capture_window(window_id: int, display: str, path: str) -> None:
    """Write a PNG of X window ``window_id`` on ``display`` to ``path``.

    Raises ``RuntimeError`` naming the packages to install when no tool chain
    is present, or with the tool's message when the capture fails.
    """
    env = dict(os.environ, DISPLAY=display)
    wid = hex(window_id)
    if shutil.which("import"):
        done = subprocess.run(["import", "-window", wid, f"PNG24:{path}"], env=env,
                              capture_output=True, timeout=30, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"import -window {wid} failed: {done.stderr.decode(errors='replace').strip()}")
        return
    if shutil.which("xwd") and shutil.which("xwdtopnm") and shutil.which("pnmtopng"):
        with open(path, "wb") as out:
            xwd = subprocess.Popen(["xwd", "-silent", "-id", wid], env=env, stdout=subprocess.PIPE)
            pnm = subprocess.Popen(["xwdtopnm"], stdin=xwd.stdout, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
            assert xwd.stdout is not None
            xwd.stdout.close()
            png = subprocess.run(["pnmtopng"], stdin=pnm.stdout, stdout=out, stderr=subprocess.PIPE,
                                 timeout=30, check=False)
            pnm.wait(timeout=30)
            xwd.wait(timeout=30)
        if xwd.returncode or pnm.returncode or png.returncode:
            raise RuntimeError(f"xwd -id {wid} | xwdtopnm | pnmtopng failed")
        return
    raise RuntimeError(
        "taking a screenshot needs ImageMagick's `import` (apt-get install imagemagick) "
        "or xwd with netpbm (apt-get install x11-apps netpbm)"
    )
