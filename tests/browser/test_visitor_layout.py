"""What a visitor's screen shows, measured in the browser: the header folded into a menu on a
phone (with and without JavaScript, by keyboard), the registration form in the main column on
a desktop, the printable programme on a phone with no word broken and no « » alone on a line,
and the calendar address copied with one click."""

import pytest
from playwright.sync_api import expect

from registration import demo as registration_demo
from registration.models import RegistrationSettings

from .checks import axe_violations

pytestmark = pytest.mark.browser

MENU = {"de": "Menü", "fr": "Menu"}
UPCOMING = {"de": "Kommende Veranstaltungen", "fr": "Événements à venir"}
OTHER_LANGUAGE = {"de": "Français", "fr": "Deutsch"}


def header_height(page):
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("language", ["de", "fr"])
def test_on_a_phone_the_header_folds_into_a_menu(open_page, conference, language, javascript):
    page = open_page(language, width=390, java_script_enabled=javascript)
    page.goto(conference.get_absolute_url(language))
    navigation = page.locator(".main-nav").get_by_role("link", name=UPCOMING[language])
    switcher = page.locator(".lang-switch").get_by_role("link", name=OTHER_LANGUAGE[language])
    assert header_height(page) <= 100  # was 211 px: brand, navigation and switcher on three lines
    expect(navigation).to_be_hidden()

    # By keyboard: the toggle is the second stop after the skip link and the brand.
    toggle = page.locator(".site-menu__toggle")
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    expect(toggle).to_have_text(MENU[language])
    page.keyboard.press("Enter")
    expect(navigation).to_be_visible()
    expect(switcher).to_be_visible()
    assert header_height(page) <= 100  # the menu opens over the page, nothing below moves
    for _ in range(4):  # the two links of the navigation, then the languages
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hreflang") == switcher.get_attribute("hreflang"):
            break
    expect(switcher).to_be_focused()  # the other language is reached within the menu
    if javascript:
        page.keyboard.press("Escape")
        expect(navigation).to_be_hidden()
        expect(toggle).to_be_focused()


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_desktop_the_navigation_is_always_shown(open_page, conference, javascript):
    page = open_page("fr", width=1366, java_script_enabled=javascript)
    page.goto(conference.get_absolute_url("fr"))
    expect(page.locator(".site-menu__toggle")).to_be_hidden()
    expect(page.locator(".main-nav").get_by_role("link", name=UPCOMING["fr"])).to_be_visible()
    expect(page.locator(".lang-switch").get_by_role("link", name="Deutsch")).to_be_visible()
    assert header_height(page) <= 80


@pytest.mark.parametrize("language", ["de", "fr"])
def test_on_a_desktop_the_registration_form_has_the_main_columns_width(open_page, conference, language):
    event = (
        RegistrationSettings.objects.select_related("event").get(event__slug_de=registration_demo.EVENT_SLUG_DE).event
    )
    page = open_page(language, width=1366)
    page.goto(event.get_absolute_url(language))
    form = page.locator("form.registration-form").bounding_box()
    main = page.locator(".event__main").bounding_box()
    aside = page.locator(".event__aside").bounding_box()
    assert form["width"] >= 600, form  # was squeezed into the ~340 px side column
    assert form["x"] + form["width"] <= aside["x"]  # beside the side column, not in it
    assert form["y"] > main["y"] + main["height"]  # below the description and the programme
    # The side column keeps the places left and a link to the form.
    summary = page.locator(".registration-summary")
    expect(summary.locator(".registration__places")).to_be_visible()
    summary.locator('a[href="#register"]').click()
    expect(page.locator("#register")).to_be_in_viewport()


@pytest.mark.parametrize(("language", "width"), [("de", 390), ("fr", 1366)])
def test_the_event_page_with_its_registration_form_and_menu_is_axe_clean(open_page, conference, language, width):
    event = (
        RegistrationSettings.objects.select_related("event").get(event__slug_de=registration_demo.EVENT_SLUG_DE).event
    )
    page = open_page(language, width=width, bypass_csp=True)
    page.goto(event.get_absolute_url(language))
    if width < 1024:
        page.locator(".site-menu__toggle").click()
    assert axe_violations(page) == []
    page.goto({"de": "/de/veranstaltungen/", "fr": "/fr/evenements/"}[language])
    if width < 1024:
        page.locator(".site-menu__toggle").click()
    assert axe_violations(page) == []  # the list with its subscribe box


# Every word of the programme's cells on one line (a word over two lines without a hyphen was
# broken by the browser, not hyphenated), and every « » on the line of the word next to it.
BROKEN = r"""() => {
    const broken = [];
    const walker = document.createTreeWalker(document.querySelector('.bilingual'), NodeFilter.SHOW_TEXT);
    const lines = (node, start, end) => {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, end);
        return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom))).size;
    };
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent;
        for (const match of text.matchAll(/\p{L}{2,}|«\s*\S+|\S+\s*»/gu)) {
            if (lines(node, match.index, match.index + match[0].length) > 1) broken.push(match[0]);
        }
    }
    return broken;
}"""


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_printable_programme_on_a_phone_breaks_no_word(open_page, conference, language):
    page = open_page(language, width=390)
    page.goto(conference.get_programme_url(language))
    assert page.evaluate(BROKEN) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_calendar_address_is_copied_with_one_click(open_page, conference):
    page = open_page("de", width=390, permissions=["clipboard-read", "clipboard-write"])
    page.goto("/de/veranstaltungen/")
    field = page.locator("#calendar-address")
    expect(field).to_have_attribute("readonly", "")
    page.get_by_role("button", name="Adresse kopieren").click()
    expect(page.locator("#calendar-address-status")).to_have_text("Die Adresse ist kopiert.")
    assert page.evaluate("navigator.clipboard.readText()") == field.input_value()
    assert field.input_value().endswith("/de/veranstaltungen/kalender.ics")


def test_without_javascript_the_address_is_there_to_copy(open_page, conference):
    page = open_page("fr", width=390, java_script_enabled=False)
    page.goto("/fr/evenements/")
    expect(page.get_by_label("Ou copiez l’adresse de l’agenda dans votre application d’agenda\u00a0:")).to_have_value(
        page.locator("#calendar-address").get_attribute("value")
    )
    expect(page.get_by_role("button", name="Copier l’adresse")).to_be_hidden()  # it needs a script


@pytest.mark.parametrize("width", [320, 390, 1366])
@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_api_guide_reads_without_scrolling_sideways(open_page, db, language, width):
    """The guide's parameter tables fit the screen: a table on a desktop, a block per parameter
    on a phone — every parameter's name, type and description whole in the window."""
    page = open_page(language, width=width)
    page.goto(f"/{language}/api/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    rows = page.locator(".api-guide__table tbody tr")
    assert rows.count() > 10
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.api-guide__table tbody :is(th, td)')]
            .filter(cell => { const box = cell.getBoundingClientRect();
                              return box.left < 0 || box.right > document.documentElement.clientWidth; })
            .map(cell => cell.textContent)"""
    )
    assert cut == []
    name = {"de": "Parameter von GET /api/v1/events", "fr": "Paramètres de GET /api/v1/events"}[language]
    expect(page.get_by_role("table", name=name)).to_be_visible()
    # On a phone the description comes under the parameter's name, not beside it.
    city = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="city"))
    name_box = city.get_by_role("rowheader").bounding_box()
    description_box = city.get_by_role("cell").last.bounding_box()
    assert (description_box["y"] >= name_box["y"] + name_box["height"]) == (width < 768)
