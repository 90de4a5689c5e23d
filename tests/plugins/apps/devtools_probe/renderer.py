counter = {"added": 0, "pings": 0}
console.log("probe page loaded")


def on_log(event):
    console.warn("button pressed")


def on_add(event):
    counter["added"] += 1
    item = document.create_element("li")
    item.class_name = "item"
    item.set_attribute("data-n", str(counter["added"]))
    item.inner_text = f"item {counter['added']}"
    document.get_element_by_id("items").append_child(item)


def on_ping(event):
    counter["pings"] += 1
    window.probe.ping(counter["pings"])


async def on_echo(event):
    document.get_element_by_id("answer").inner_text = await window.probe.echo("hello")


async def on_fail(event):
    document.get_element_by_id("answer").inner_text = await window.probe.echo("fail")


document.get_element_by_id("log").add_event_listener("click", on_log)
document.get_element_by_id("add").add_event_listener("click", on_add)
document.get_element_by_id("ping").add_event_listener("click", on_ping)
document.get_element_by_id("echo").add_event_listener("click", on_echo)
document.get_element_by_id("fail").add_event_listener("click", on_fail)
