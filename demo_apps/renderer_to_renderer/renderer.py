log = document.get_element_by_id("log")
status = document.get_element_by_id("status")


def add_line(text):
    item = document.create_element("li")
    item.text_content = text
    log.append_child(item)


def on_connected(name):
    status.text_content = f"connected as {name}"


def on_send(event):
    field = document.get_element_by_id("message")
    if field.value:
        window.chat.send(field.value)
        add_line(f"me: {field.value}")
        field.value = ""


def on_send_via_main(event):
    field = document.get_element_by_id("message")
    window.chat.send_via_main(field.value or "hello")


window.chat.on_connected(on_connected)
window.chat.on_message(lambda text: add_line(str(text)))
window.chat.on_broker_message(add_line)
document.get_element_by_id("send").add_event_listener("click", on_send)
document.get_element_by_id("via-main").add_event_listener("click", on_send_via_main)
