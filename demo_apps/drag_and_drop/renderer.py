def by_id(name):
    return document.get_element_by_id(name)


# -- files in from another application ------------------------------------------------
zone = by_id("drop-zone")


def on_zone_over(event):
    event.prevent_default()  # "a drop is welcome here": without it there is no drop event
    zone.class_list.add("over")


def on_zone_leave(event):
    zone.class_list.remove("over")


async def show_paths(files):
    answers = await window.dnd.dropped(files)  # main alone knows where they are
    by_id("dropped").text_content = "\n".join(f"{a['name']}: {a['path']}" for a in answers)


def on_zone_drop(event):
    event.prevent_default()
    zone.class_list.remove("over")
    files = event.data_transfer.files
    by_id("dropped").text_content = "\n".join(f"{f.name} ({f.size} bytes, {f.type or 'unknown type'})" for f in files)
    return show_paths(files)  # a listener may return an awaitable: it runs as a task


zone.add_event_listener("dragenter", on_zone_over)
zone.add_event_listener("dragover", on_zone_over)
zone.add_event_listener("dragleave", on_zone_leave)
zone.add_event_listener("drop", on_zone_drop)


# -- in-page reordering ------------------------------------------------------------------
tasks = by_id("tasks")


def show_order():
    by_id("order").text_content = " ".join(li.id.removeprefix("task-") for li in tasks.children)


def on_task_start(event):
    event.data_transfer.set_data("text/plain", event.current_target.id)
    event.data_transfer.effect_allowed = "move"


def on_task_over(event):
    if "text/plain" in event.data_transfer.types:
        event.prevent_default()
        event.current_target.class_list.add("target")


def on_task_leave(event):
    event.current_target.class_list.remove("target")


def on_task_drop(event):
    event.prevent_default()
    target = event.current_target
    target.class_list.remove("target")
    moved = by_id(event.data_transfer.get_data("text/plain"))
    if moved is not None and moved is not target and moved.parent_element is tasks:
        tasks.insert_before(moved, target)
        show_order()


for li in tasks.children:
    li.add_event_listener("dragstart", on_task_start)
    li.add_event_listener("dragenter", on_task_over)
    li.add_event_listener("dragover", on_task_over)
    li.add_event_listener("dragleave", on_task_leave)
    li.add_event_listener("drop", on_task_drop)


# -- a file out: the page asks, main starts the drag -------------------------------------
def on_export_start(event):
    window.dnd.drag_out("notes.txt")


by_id("export").add_event_listener("dragstart", on_export_start)
window.dnd.on_drag_end(lambda action: setattr(by_id("drag-end"), "text_content", action))
