bar = document.get_element_by_id("bar")
label = document.get_element_by_id("label")
start_button = document.get_element_by_id("start")
cancel_button = document.get_element_by_id("cancel")
state = {"cancel": False}


async def on_start(event):
    state["cancel"] = False
    start_button.disabled = True
    cancel_button.disabled = False
    label.text_content = "Starting..."
    progress = window.job.count_primes(200_000)
    last = None
    async for update in progress:
        last = update
        bar.style["width"] = f"{update['percent']}%"
        label.text_content = f"{update['percent']}% - {update['primes']} primes so far"
        if state["cancel"]:
            break
    await progress.aclose()  # stops the job in main if we broke out early
    if state["cancel"]:
        label.text_content = f"Cancelled at {last['percent'] if last else 0}%"
    else:
        label.text_content = f"Done: {last['primes']} primes below 200000"
    start_button.disabled = False
    cancel_button.disabled = True


def on_cancel(event):
    state["cancel"] = True


start_button.add_event_listener("click", on_start)
cancel_button.add_event_listener("click", on_cancel)
