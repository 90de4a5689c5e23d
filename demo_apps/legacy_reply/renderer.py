async_out = document.get_element_by_id("async-reply")
sync_out = document.get_element_by_id("sync-reply")


def show_async_reply(reply):
    async_out.inner_text = reply


def on_async(event):
    window.legacy.ping_async("ping", show_async_reply)


def on_sync(event):
    sync_out.inner_text = window.legacy.ping_sync("ping")


document.get_element_by_id("async-btn").add_event_listener("click", on_async)
document.get_element_by_id("sync-btn").add_event_listener("click", on_sync)
