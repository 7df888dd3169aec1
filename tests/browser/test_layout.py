"""What the layout does while and after a page loads: the poster's box is reserved before its
file arrives (nothing jumps: cumulative layout shift 0), the browser fetches the poster
rendition the layout needs and no bigger one, and the logo stays whole in forced colours
(Windows high contrast)."""

import io

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Layout shifts as Lighthouse counts them (those not caused by the visitor's own input).
RECORD_LAYOUT_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShift += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""

BOXES = """() => {
    const box = el => el.getBoundingClientRect();
    const poster = document.querySelector('.event__poster img');
    const below = document.querySelector('.event__poster + *');
    return {poster: [box(poster).width, box(poster).height], below: box(below).top,
            loaded: poster.complete && poster.naturalWidth > 0};
}"""


@pytest.mark.parametrize("width", [320, 1280])
def test_the_poster_box_is_reserved_before_the_image_arrives(open_page, conference, width):
    page = open_page("de", width=width, height=700)
    page.add_init_script(RECORD_LAYOUT_SHIFTS)
    held = []

    def hold(route):
        held.append(route)  # the poster's request waits here

    page.route(f"**{settings.MEDIA_URL}**", hold)

    page.goto(conference.get_absolute_url("de"), wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelector('.event__poster img')")
    expect(page.locator(".event__poster img")).to_be_visible()
    page.wait_for_timeout(200)  # let the page settle; the poster is still on its way
    before = page.evaluate(BOXES)
    assert held and not before["loaded"], "the poster request should be held back"

    for route in held:
        route.fallback()  # on to the context's route, which serves the file
    page.wait_for_function(
        "() => { const img = document.querySelector('.event__poster img'); return img.complete && img.naturalWidth; }"
    )
    page.wait_for_timeout(200)
    after = page.evaluate(BOXES)

    # Renditions are whole pixels, so their aspect ratios differ from the largest one's (which
    # the width and height attributes give) by a fraction of a pixel at most.
    assert after["poster"] == pytest.approx(before["poster"], abs=1), "the poster's box changed size"
    assert after["below"] == pytest.approx(before["below"], abs=1), "the text below the poster moved"
    assert before["poster"][1] > 300, f"no space reserved for the poster: {before['poster']}"
    assert page.evaluate("() => window.layoutShift") == 0


@pytest.mark.parametrize(
    ("width", "scale", "rendition"),
    [
        (1280, 1, "480w"),  # shown 26rem (416 px) wide on a desktop: the 480 px rendition suffices
        (390, 2, "800w"),  # shown 358 px wide on a phone at twice the pixel density: 716 px needed
    ],
)
def test_the_browser_fetches_the_poster_rendition_the_layout_needs(open_page, conference, width, scale, rendition):
    page = open_page("de", width=width, device_scale_factor=scale)
    page.goto(conference.get_absolute_url("de"))
    poster = page.locator(".event__poster img")
    assert poster.evaluate("img => img.currentSrc").endswith(f"/{rendition}.webp")
    shown = poster.evaluate("img => img.getBoundingClientRect().width")
    assert shown * scale <= int(rendition.removesuffix("w"))


def test_the_logo_keeps_its_four_squares_in_forced_colours(open_page, conference):
    """Windows high contrast paints the header in the system colours (here a white page): the
    logo's white squares must keep the blue behind them."""
    page = open_page("de", width=1280, forced_colors="active", color_scheme="light")
    page.goto("/de/")
    assert page.evaluate("() => matchMedia('(forced-colors: active)').matches")
    image = Image.open(io.BytesIO(page.locator(".brand__logo").screenshot())).convert("RGB")
    scale = image.width / 40  # the logo is drawn on a 40 × 40 grid (templates/includes/logo.svg)
    gap = image.getpixel((int(20 * scale), int(10 * scale)))  # between two squares: the background
    squares = [image.getpixel((int(x * scale), int(y * scale))) for x, y in ((10, 10), (30, 10), (10, 30), (30, 30))]
    invisible = [square for square in squares if sum(abs(a - b) for a, b in zip(square, gap, strict=True)) < 60]
    assert not invisible, f"squares {invisible} do not stand out from the background {gap}"
