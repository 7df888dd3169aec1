"""The month view in the browser, with the demo content: November 2017 with the conference on the
22nd, a table on a desktop and a list of days on a phone (no script), no serious axe-core
problem at either width, every event link reached with the keyboard, and the language switcher
landing on the same month."""

import re

import pytest
from playwright.sync_api import expect

from .checks import heading_outline, heading_problems, serious_axe_violations

pytestmark = pytest.mark.browser

NOVEMBER_2017 = {"de": "/de/veranstaltungen/kalender/2017/11/", "fr": "/fr/evenements/calendrier/2017/11/"}
CONFERENCE = {"de": "Zuwanderung als Chance", "fr": "Immigrations"}
LONG_DATE = {"de": "Mittwoch, 22. November", "fr": "mercredi 22 novembre"}
OTHER = {"de": ("fr", "Français"), "fr": ("de", "Deutsch")}


@pytest.mark.parametrize("width", [320, 1366])
@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_month_is_accessible_at_both_widths(open_page, conference, language, width):
    page = open_page(language, width=width, bypass_csp=True)
    assert page.goto(NOVEMBER_2017[language]).status == 200
    violations = serious_axe_violations(page)
    assert not violations, "axe-core found serious problems:\n" + "\n".join(violations)
    outline = heading_outline(page)
    assert not heading_problems(outline), f"{heading_problems(outline)} in {outline}"
    # Nothing wider than the screen (WCAG 1.4.10 at 320 px).
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("language", ["de", "fr"])
def test_on_a_desktop_a_table_of_weeks(open_page, conference, language):
    page = open_page(language, width=1366)
    page.goto(NOVEMBER_2017[language])
    assert not page.errors, page.errors  # the site's own CSP refuses nothing
    expect(page.locator("table.month thead")).to_be_visible()
    headers = page.locator("table.month th[scope=col]")
    expect(headers).to_have_count(7)
    cell = page.locator("td:has(time[datetime='2017-11-22'])")
    expect(cell.get_by_role("link", name=CONFERENCE[language])).to_be_visible()
    wednesday = page.evaluate(
        "[...document.querySelectorAll('table.month th')].findIndex("
        "th => th.getBoundingClientRect().left <= "
        "document.querySelector(\"td:has(time[datetime='2017-11-22'])\").getBoundingClientRect().left + 1"
        " && th.getBoundingClientRect().right > "
        "document.querySelector(\"td:has(time[datetime='2017-11-22'])\").getBoundingClientRect().left + 1)"
    )
    assert wednesday == 2  # under the third column: Monday, Tuesday, Wednesday
    expect(cell.locator(".month__long")).to_be_hidden()


@pytest.mark.parametrize("language", ["de", "fr"])
def test_on_a_phone_a_list_of_the_days_with_events(open_page, conference, language):
    page = open_page(language, width=320, java_script_enabled=False)
    page.goto(NOVEMBER_2017[language])
    expect(page.locator("table.month thead")).to_be_hidden()
    shown_days = page.locator("table.month td:visible")
    days_with_events = page.locator("table.month td.month__day--events")
    expect(shown_days).to_have_count(days_with_events.count())
    assert days_with_events.count() >= 1
    conference_day = page.locator("td:has(time[datetime='2017-11-22'])")
    expect(conference_day.locator(".month__long")).to_have_text(LONG_DATE[language])
    expect(conference_day.get_by_role("link", name=CONFERENCE[language])).to_be_visible()
    # The list is as wide as the page, not seven columns squeezed.
    assert conference_day.bounding_box()["width"] > 250


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_keyboard_reaches_the_event_and_the_other_months(open_page, conference, language):
    page = open_page(language, width=1366)
    page.goto(NOVEMBER_2017[language])
    page.locator(".month-nav a[rel=prev]").focus()
    page.keyboard.press("Tab")
    expect(page.locator(".month-nav a[rel=next]")).to_be_focused()
    target = page.locator("td:has(time[datetime='2017-11-22'])").get_by_role("link", name=CONFERENCE[language])
    for _ in range(40):
        page.keyboard.press("Tab")
        if target.evaluate("link => link === document.activeElement"):
            break
    expect(target).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(CONFERENCE[language])


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_language_switcher_and_the_next_month(open_page, conference, language):
    other, name = OTHER[language]
    page = open_page(language, width=1366)
    page.goto(NOVEMBER_2017[language])
    page.locator(".lang-switch").get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(re.escape(NOVEMBER_2017[other]) + "$"))
    page.locator(".month-nav a[rel=next]").click()
    expect(page.locator("table.month caption")).to_contain_text("2017")
    assert page.url.endswith("/2017/12/")
