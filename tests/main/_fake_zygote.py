"""A zygote that misbehaves, started by main in place of the real one.

``python -I -B _fake_zygote.py MODE FD``: ``FD`` is its channel to main.
MODE says how it fails: ``exit`` (ends before it is ready), ``bad-ready``
(a wrong ready byte), ``not-a-child`` (answers a request with its own pid
and a pidfd of itself), ``no-fd`` (a pid without a pidfd), ``hang`` (ready,
then never answers). Main must end it and start the renderer directly.
"""

import os
import socket
import sys
import time

mode, fd = sys.argv[1], int(sys.argv[2])
channel = socket.socket(fileno=fd)
if mode == "exit":
    sys.exit(1)
channel.sendall(b"X" if mode == "bad-ready" else b"R")
while True:
    msg, fds, _flags, _addr = socket.recv_fds(channel, 16, 3)
    for passed in fds:
        os.close(passed)
    if not msg:
        sys.exit(0)
    if mode == "not-a-child":
        pidfd = os.pidfd_open(os.getpid())
        socket.send_fds(channel, [os.getpid().to_bytes(4, "little")], [pidfd])
        os.close(pidfd)
    elif mode == "no-fd":
        channel.sendall((os.getpid() + 1).to_bytes(4, "little"))
    elif mode == "hang":
        time.sleep(3600)
