"""The public pages at the narrowest phone WCAG reflow asks for (320 px), a common phone
(390 px) and a desktop (1280 px), in both languages: screenshots for people to look at
(test-artifacts/screens/), no page wider than the screen, and navigation links big enough to
hit with a finger (WCAG 2.2, 2.5.8: at least 24 × 24 px)."""

import pytest

from .checks import screenshot
from .test_accessibility import PUBLIC_PAGES, public_url

pytestmark = pytest.mark.browser

# The elements that stick out of the page, to name them when a page is too wide.
WIDER_THAN_THE_SCREEN = """() => Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .map(el => {
        const classes = typeof el.className === 'string' && el.className.trim()
            ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
        return `${el.tagName.toLowerCase()}${classes} (${Math.round(el.getBoundingClientRect().right)} px)`;
    })
    .slice(-3)"""

SMALL_NAVIGATION_TARGETS = """() => Array.from(document.querySelectorAll('nav a, .pagination a'))
    .map(a => [a.textContent.trim(), a.getBoundingClientRect()])
    .filter(([text, box]) => box.width > 0 && (box.height < 24 || box.width < 24))
    .map(([text, box]) => `“${text}” ${Math.round(box.width)}×${Math.round(box.height)} px`)"""


@pytest.mark.parametrize("width", [320, 390, 1280])
@pytest.mark.parametrize("language", ["de", "fr"])
def test_public_pages_fit_the_screen(open_page, conference, language, width):
    page = open_page(language, width=width)
    too_wide, small_targets = {}, {}
    for name in PUBLIC_PAGES:
        page.goto(public_url(name, language, conference))
        page.evaluate("() => document.fonts.ready")
        screenshot(page, f"{name}-{language}-{width}")
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[name] = f"{scroll_width} px: {', '.join(page.evaluate(WIDER_THAN_THE_SCREEN))}"
        if small := page.evaluate(SMALL_NAVIGATION_TARGETS):
            small_targets[name] = small
    assert not too_wide, f"pages wider than the {width} px screen (scrollWidth): {too_wide}"
    assert not small_targets, f"navigation links smaller than 24 × 24 px at {width} px: {small_targets}"
