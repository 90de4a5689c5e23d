# Refills the page's list with the DOM API (its replaced rows are cyclic
# garbage) and reports what the cycle collector did, and when.
import gc
import weakref

from tkelectron.renderer import ipc_renderer

state = {"inside": False, "during_refill": 0, "collections": 0, "old": None}


def on_gc(phase, info):
    if phase == "start":
        state["collections"] += 1
        if state["inside"]:
            state["during_refill"] += 1


gc.callbacks.append(on_gc)


def refill(event, rows):
    state["inside"] = True
    try:
        ul = document.get_element_by_id("list")  # noqa: F821 - a preload global
        if ul.first_child is not None and state["old"] is None:
            state["old"] = weakref.ref(ul.first_child)  # a row of the first list replaced
        ul.text_content = ""
        for i in range(rows):
            li = document.create_element("li")  # noqa: F821 - a preload global
            li.text_content = f"row {i}"
            ul.append_child(li)
    finally:
        state["inside"] = False
    return rows


def report(event):
    old = state["old"]
    return {"collections": state["collections"], "during_refill": state["during_refill"],
            "old_row_alive": old is not None and old() is not None}


ipc_renderer.handle("refill", refill)
ipc_renderer.handle("report", report)
