"""The main pages on a phone (390 px) and a desktop (1280 px), in both languages: screenshots
for people to look at (test-artifacts/screens/), and no page wider than the screen."""

import pytest

from .checks import screenshot
from .test_accessibility import public_url

pytestmark = pytest.mark.browser

PAGES = ["home", "upcoming", "past", "conference", "not-found"]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["de", "fr"])
def test_main_pages_fit_the_screen(open_page, conference, language, width):
    page = open_page(language, width=width)
    too_wide = {}
    for name in PAGES:
        page.goto(public_url(name, language, conference))
        page.evaluate("() => document.fonts.ready")
        screenshot(page, f"{name}-{language}-{width}")
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[name] = scroll_width
    assert not too_wide, f"pages wider than the {width} px screen (scrollWidth): {too_wide}"
