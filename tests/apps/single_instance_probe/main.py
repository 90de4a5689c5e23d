"""A test app that keeps one instance: Electron's requestSingleInstanceLock pattern.

The first instance prints ``first <pid>`` when ready and writes every
``second-instance`` it gets to ``$SI_PROBE_OUT`` as one JSON line; a later
instance prints ``second`` and quits. ``$SI_PROBE_NAME`` names the app (so
tests do not share a lock).
"""

import json
import os

from tkelectron import app, hookimpl

app.set_name(os.environ.get("SI_PROBE_NAME", "single instance probe"))
got_lock = app.request_single_instance_lock({"from": os.getpid(), "note": os.environ.get("SI_PROBE_NOTE", "")})


def on_second_instance(event, argv, cwd, data):
    with open(os.environ["SI_PROBE_OUT"], "a", encoding="utf-8") as f:
        f.write(json.dumps({"argv": argv, "cwd": cwd, "data": data}) + "\n")
    print("got second-instance", flush=True)


@hookimpl
def tkelectron_ready(app):
    if not got_lock:
        print("second", flush=True)
        app.quit()
        return
    app.on("second-instance", on_second_instance)
    print(f"first {os.getpid()}", flush=True)
