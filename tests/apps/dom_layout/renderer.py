import json
import statistics
import time


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


async def bench(event):
    """Times the layout questions (for tests/dom/measure_layout.py; nothing asserts on them)."""
    far = document.get_element_by_id("far")
    rects, scrolls = [], []
    for _ in range(300):
        start = time.perf_counter()
        await far.get_bounding_client_rect()
        rects.append(time.perf_counter() - start)
    for i in range(30):
        start = time.perf_counter()
        await far.scroll_into_view(i % 2 == 0)
        scrolls.append(time.perf_counter() - start)

    def p(values, q):
        return sorted(values)[int(q * (len(values) - 1))] * 1e6

    document.get_element_by_id("out").text_content = json.dumps({
        "rect_p50_us": round(statistics.median(rects) * 1e6), "rect_p99_us": round(p(rects, 0.99)),
        "scroll_p50_us": round(statistics.median(scrolls) * 1e6), "scroll_p99_us": round(p(scrolls, 0.99)),
    })


document.get_element_by_id("bench").add_event_listener("click", bench)
