"""What a secretary sees of the admin, measured box by box in Chromium (German and French): the
login box's header whole (nothing clipped, nothing outside the box), the event form's buttons
clear of its title, the registrations list within a laptop screen, a sign-in sheet where every
word fits its column, and German slugs pre-filled as German addresses spell them.

Screenshots of each for people to look at: test-artifacts/screens/admin-*.png."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.models import Event
from quattropole_site import roles
from registration.demo import EVENT_SLUG_DE
from registration.services import booking

from .checks import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"
LANGUAGES = ("de", "fr")


def secretariat_group():
    """The Sekretariat group with the rights the apps define (quattropole_site/roles.py; a
    transactional test may start from a flushed database)."""
    roles.sync_roles()
    return Group.objects.get(name=roles.SECRETARIAT)


@pytest.fixture
def secretary(transactional_db):
    user = get_user_model().objects.create_user("sekretariat", password=PASSWORD, is_staff=True)
    user.groups.add(secretariat_group())
    return user


def log_in(page):
    page.goto("/admin/login/")
    page.locator("#id_username").fill("sekretariat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile("/admin/$"))


# Each element's text that its own box or its container's cuts off: wider than its box
# (scrollWidth > clientWidth), or a box reaching out of the container.
CLIPPED = """([container, selectors]) => {
    const outer = document.querySelector(container).getBoundingClientRect();
    const problems = [];
    for (const el of document.querySelectorAll(selectors)) {
        const box = el.getBoundingClientRect();
        const name = `${el.tagName.toLowerCase()} “${el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40)}”`;
        if (box.width === 0) problems.push(`${name} not shown`);
        if (el.scrollWidth > el.clientWidth + 1) {
            problems.push(`${name}: text ${el.scrollWidth} px in ${el.clientWidth}`);
        }
        if (box.left < outer.left - 0.5 || box.right > outer.right + 0.5 || box.top < outer.top - 0.5
            || box.bottom > outer.bottom + 0.5) {
            problems.push(`${name} at ${Math.round(box.left)}–${Math.round(box.right)} px, outside `
                + `${container} ${Math.round(outer.left)}–${Math.round(outer.right)} px`);
        }
    }
    return problems;
}"""


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_login_box_shows_its_whole_header(open_page, transactional_db, language, width):
    page = open_page(language, width=width)
    page.goto("/admin/login/")
    page.evaluate("() => document.fonts.ready")
    screenshot(page, f"admin-login-{language}-{width}")
    header = (
        "#header #site-name a, #header .theme-toggle, #header .admin-language__label, #header .admin-language button"
    )
    assert page.locator(header).count() == 5
    assert page.evaluate(CLIPPED, ["#header", header]) == []
    assert page.evaluate(CLIPPED, ["#container", "#header"]) == []


def boxes(page, selector):
    return page.locator(selector).evaluate_all("els => els.map(el => el.getBoundingClientRect().toJSON())")


def overlap(a, b):
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("width", [390, 1366])
def test_the_event_forms_buttons_leave_its_title_free(open_page, conference, secretary, width):
    event = Event.objects.get(slug_de=EVENT_SLUG_DE)  # with registration: all six buttons
    for language in LANGUAGES:
        page = open_page(language, width=width)
        log_in(page)
        page.goto(f"/admin/events/event/{event.pk}/change/")
        screenshot(page, f"admin-event-{language}-{width}")
        tools = boxes(page, "#content-main > .object-tools a")
        titles = boxes(page, "#content > h1, #content > h2, .modeltranslation-switch")
        covered = [(tool, title) for tool in tools for title in titles if overlap(tool, title)]
        assert covered == [], f"{language}: buttons on the title"
        assert not [(a, b) for i, a in enumerate(tools) for b in tools[i + 1 :] if overlap(a, b)]
        assert len(tools) == 6 and len(titles) == 3


def register_people(event):
    workshops = [workshop for slot in event.slots.all() for workshop in slot.workshops.all()]
    cities = list(event.cities.all())
    for number in range(8):
        booking.register(
            event,
            {
                "first_name": "Jean-Baptiste" if number % 2 else "Élodie",
                "last_name": f"Müller-Lüdenscheidt {number}",
                "email": f"jean-baptiste.mueller-luedenscheidt{number}@ville-de-sarrebruck.example.org",
                "organisation": "Ville de Metz – Direction de la cohésion sociale et de la démocratie participative",
                "city": cities[number % len(cities)],
                "other_town": "",
                "workshops": [workshops[number % len(workshops)]],
                "lunch": bool(number % 2),
                "dietary_needs": "",
                "bus_city": cities[number % len(cities)],
            },
            language=LANGUAGES[number % 2],
            join_waiting_list=True,
        )


@pytest.mark.parametrize("one_event", [False, True])
def test_the_registrations_list_fits_a_laptop_screen(open_page, conference, secretary, one_event):
    event = Event.objects.get(slug_de=EVENT_SLUG_DE)
    register_people(event)
    query = f"?event__id__exact={event.pk}" if one_event else ""
    for language in LANGUAGES:
        page = open_page(language, width=1366)
        log_in(page)
        page.goto(f"/admin/registration/registration/{query}")
        screenshot(page, f"admin-registrations{'-one-event' if one_event else ''}-{language}-1366")
        results = page.locator(".results").evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert results[0] <= results[1], f"{language}: the list is {results[0]} px wide in {results[1]}"
        table, filters = boxes(page, "#result_list")[0], boxes(page, "#changelist-filter")[0]
        assert table["right"] <= filters["left"]


# Each cell's words, unbroken: with breaking inside words switched off, the lines of a cell whose
# longest word is wider than its column reach past its content box (measured to the fraction of a
# pixel: a word cut by its last letter overflows by less than one).
WORDS_CUT = """() => {
    const cells = Array.from(document.querySelectorAll('.sheet__table th, .sheet__table td'));
    cells.forEach(el => el.style.overflowWrap = 'normal');
    const problems = [];
    for (const el of cells) {
        const style = getComputedStyle(el);
        const right = el.getBoundingClientRect().right - parseFloat(style.paddingRight)
            - parseFloat(style.borderRightWidth);
        const text = document.createRange();
        text.selectNodeContents(el);
        const widest = Math.max(...Array.from(text.getClientRects(), line => line.right));
        if (widest > right + 0.01) problems.push(`${el.className} “${el.textContent.trim()}”: ${widest - right} px`);
    }
    return problems;
}"""


def test_the_sign_in_sheet_keeps_every_word_whole(open_page, conference, secretary):
    event = Event.objects.get(slug_de=EVENT_SLUG_DE)
    register_people(event)
    for language in LANGUAGES:
        page = open_page(language, width=1366, bypass_csp=True)  # the check sets a style of its own
        log_in(page)
        page.goto(f"/admin/registration/registration/event/{event.pk}/sign-in-sheet/")
        screenshot(page, f"admin-sign-in-sheet-{language}-1366")
        assert page.evaluate(WORDS_CUT) == [], language
        logo = boxes(page, ".sheet__brand .brand__logo")[0]
        assert logo["width"] > 30 and logo["height"] > 30
        assert page.locator("th.sheet__workshop").count() == page.locator("th.sheet__lunch").count() == 1
        # On a phone the sheet scrolls sideways in its frame, its columns as wide as on paper.
        page.set_viewport_size({"width": 390, "height": 800})
        screenshot(page, f"admin-sign-in-sheet-{language}-390")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert boxes(page, "th.sheet__signature")[0]["width"] > 120  # 32 mm and more


def test_german_slugs_are_prefilled_as_german_addresses_spell_them(open_page, secretary):
    page = open_page("de", width=1366)
    log_in(page)
    page.goto("/admin/events/event/add/")
    page.locator("#id_title_de").press_sequentially("Forum Mobilität und Kultur der vier Städte")
    expect(page.locator("#id_slug_de")).to_have_value("forum-mobilitaet-und-kultur-der-vier-staedte")
    page.locator(".ui-tabs").filter(has=page.locator("#id_title_fr")).get_by_role("tab", name="Français").click()
    page.locator("#id_title_fr").press_sequentially("Forum à Sarrebruck : « Übergänge »")
    expect(page.locator("#id_slug_fr")).to_have_value("forum-a-sarrebruck-ubergange")  # French spelling
    assert page.errors == []
