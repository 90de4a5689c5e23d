NOTIFICATION_TITLE = "Title"
NOTIFICATION_BODY = "Notification from the Renderer process. Click to log to console."
CLICK_MESSAGE = "Notification clicked!"


def on_click(event):
    document.get_element_by_id("output").inner_text = CLICK_MESSAGE


window.Notification(NOTIFICATION_TITLE, {"body": NOTIFICATION_BODY}).onclick = on_click
