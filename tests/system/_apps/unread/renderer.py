unread = document.get_element_by_id("unread")
status = document.get_element_by_id("status")


async def on_receive(event):
    count = await window.mail.receive(3)
    unread.text_content = f"{count} unread"


def on_read():
    unread.text_content = "0 unread"
    status.text_content = "all read"


def on_clicked():
    status.text_content = "notification clicked"


document.get_element_by_id("receive").add_event_listener("click", on_receive)
window.mail.on_read(on_read)
window.mail.on_clicked(on_clicked)
