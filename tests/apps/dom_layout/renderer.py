import json


def box(rect):
    return [rect.x, rect.y, rect.width, rect.height, rect.bottom]


async def measure(event):
    far = document.get_element_by_id("far")
    out = {"before": box(await far.get_bounding_client_rect())}
    await far.scroll_into_view()
    out["after"] = box(await far.get_bounding_client_rect())
    out["button"] = box(await document.get_element_by_id("measure").get_bounding_client_rect())
    far.scroll_into_view(False)  # not awaited: the next question still sees it done
    out["end"] = box(await far.get_bounding_client_rect())
    out["hidden"] = box(await document.get_element_by_id("hid").get_bounding_client_rect())
    out["detached"] = box(await document.create_element("p").get_bounding_client_rect())
    document.get_element_by_id("out").text_content = json.dumps(out)


async def center(event):
    far = document.get_element_by_id("far")
    await far.scroll_into_view({"block": "center"})
    document.get_element_by_id("out").text_content = json.dumps(box(await far.get_bounding_client_rect()))


document.get_element_by_id("measure").add_event_listener("click", measure)
document.get_element_by_id("center").add_event_listener("click", center)
