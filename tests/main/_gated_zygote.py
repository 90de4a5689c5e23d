"""Start the real zygote only once a test opens the FIFO it names: its imports, held.

``python -I -B _gated_zygote.py FIFO FRAMEWORK_ROOT FD``: blocks opening
``FIFO`` until the test opens it for writing and closes it, then runs the
zygote on ``FD`` exactly as main's own command would.
"""

import sys

fifo, root, fd = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(fifo, "rb") as gate:
    gate.read()
sys.path.insert(0, root)

from tkelectron.renderer._zygote import main  # noqa: E402 - after the gate, on purpose

main(fd)
