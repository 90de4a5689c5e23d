def on_drag1(event):
    event.prevent_default()
    window.electron.start_drag("drag-and-drop-1.md")


def on_drag2(event):
    event.prevent_default()
    window.electron.start_drag("drag-and-drop-2.md")


document.get_element_by_id("drag1").ondragstart = on_drag1
document.get_element_by_id("drag2").ondragstart = on_drag2
