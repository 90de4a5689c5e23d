def by_id(name):
    return document.get_element_by_id(name)


clicks = [0]
lines = []


def on_click(event):
    clicks[0] += 1
    if by_id("clicks") is not None:  # the main page counts its clicks; the other windows have none
        by_id("clicks").text_content = str(clicks[0])
    window.wm.act(event.target.id)


for name in ("child", "modal", "frameless", "maximize", "minimize", "fullscreen", "center", "grow", "on-top",
             "flash", "close"):
    button = by_id(name)
    if button is not None:
        button.add_event_listener("click", on_click)


def on_event(name, event, state):
    lines.append(f"{name}: {event}")
    del lines[:-10]
    by_id("log").text_content = "\n".join(lines)
    by_id("last").text_content = f"{name}: {event}"
    if name == "main" and state:
        by_id("state").text_content = state


if by_id("log") is not None:
    window.wm.on_event(on_event)
