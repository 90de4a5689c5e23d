import trio

probe = window.probe


def by_id(name):
    return document.get_element_by_id(name)


async def on_greet(event):
    by_id("greeting").text_content = await probe.greet(by_id("name").value)


def on_key(event):
    if event.key == "Enter":
        by_id("pressed").text_content = f"Enter pressed with {by_id('entry').value!r}"


requests = [0]


async def on_slow_input(event):
    # One request per keystroke; answers may come back in any order, so only
    # the latest request's answer is shown (as a real page must do).
    requests[0] += 1
    mine = requests[0]
    upper = await probe.slow_upper(by_id("slow").value)
    if mine == requests[0]:
        by_id("slow-out").text_content = upper


async def on_ask(event):
    by_id("answer").text_content = await probe.ask()


def on_open_second(event):
    probe.open_second()


def on_said(text):
    by_id("menu-out").text_content = text


async def add_late(text):
    await trio.sleep(0.2)  # the page adds it later, on its own
    late = document.create_element("p")
    late.id = "late"
    late.text_content = text
    by_id("late-box").append_child(late)


by_id("greet").add_event_listener("click", on_greet)
by_id("entry").add_event_listener("keydown", on_key)
by_id("slow").add_event_listener("input", on_slow_input)
by_id("ask").add_event_listener("click", on_ask)
by_id("open-second").add_event_listener("click", on_open_second)
probe.on("said", on_said)
probe.on("add-late", add_late)
