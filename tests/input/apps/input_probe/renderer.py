"""Records every input event the page hears into #log (JSON), for the input tests."""

import json

log = []
FIELDS = ("key", "code", "ctrl_key", "shift_key", "alt_key", "meta_key", "repeat", "client_x", "client_y",
          "button", "buttons", "detail", "delta_x", "delta_y", "char_code", "key_code")


def record(e):
    entry = {"type": e.type, "target": getattr(e.target, "id", "") or getattr(e.target, "tag_name", "")}
    for name in FIELDS:
        if hasattr(e, name):
            entry[name] = getattr(e, name)
    related = getattr(e, "related_target", None)
    if related is not None:
        entry["related"] = related.id or related.tag_name
    log.append(entry)
    document.get_element_by_id("log").text_content = json.dumps(log)


for kind in ("keydown", "keyup", "keypress", "mousedown", "mouseup", "click", "dblclick", "auxclick",
             "wheel", "focusin", "focusout", "mouseover", "mouseout"):
    document.add_event_listener(kind, record, True)
for ident in ("box", "inner"):
    for kind in ("mouseenter", "mouseleave"):
        document.get_element_by_id(ident).add_event_listener(kind, record)
field = document.get_element_by_id("field")
field.add_event_listener("focus", record)
field.add_event_listener("blur", record)


def contextmenu(e):
    record(e)
    if e.target.id == "noctx":
        e.prevent_default()  # the page's own menu: no native one


document.add_event_listener("contextmenu", contextmenu)


def toggle_moves(e):
    box = document.get_element_by_id("box")
    if box.get_attribute("data-moves"):
        box.remove_event_listener("mousemove", record)
        box.remove_attribute("data-moves")
    else:
        box.add_event_listener("mousemove", record)
        box.set_attribute("data-moves", "on")


document.get_element_by_id("listen-move").add_event_listener("click", toggle_moves)
