"""A visitor's journeys through the public site, by clicking, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from events.models import Event
from tests.factories import EventFactory

from .checks import UI

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("language", "other"), [("de", "fr"), ("fr", "de")])
def test_from_home_to_the_2017_conference_and_into_the_other_language(open_page, conference, language, other):
    page = open_page(language)
    page.goto("/")
    expect(page).to_have_url(re.compile(f"/{language}/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)

    page.get_by_role("navigation", name={"de": "Hauptnavigation", "fr": "Navigation principale"}[language]).get_by_role(
        "link", name=UI[language]["past"]
    ).click()
    title = getattr(conference, f"title_{language}")
    page.get_by_role("link", name=title).click()
    expect(page).to_have_url(re.compile(f"{conference.get_absolute_url(language)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    page.get_by_role("link", name=UI[other]["language"], exact=True).click()
    expect(page).to_have_url(re.compile(f"{conference.get_absolute_url(other)}$"))
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.get_by_role("heading", level=1)).to_have_text(getattr(conference, f"title_{other}"))

    # The site remembers the choice: the bare address now opens the other language.
    page.goto("/")
    expect(page).to_have_url(re.compile(f"/{other}/$"))


def test_pagination_by_clicking(page, thirteen_upcoming_events):
    page.goto("/de/veranstaltungen/")
    cards = page.locator(".event-list .event-card")
    expect(cards).to_have_count(10)
    expect(cards.first).to_contain_text("Treffen Nummer 01")
    expect(page.get_by_text("Seite 1 von 2")).to_be_visible()

    page.get_by_role("link", name=UI["de"]["next"]).click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(cards).to_have_count(3)
    expect(cards.first).to_contain_text("Treffen Nummer 11")
    expect(page.get_by_text("Seite 2 von 2")).to_be_visible()

    page.get_by_role("link", name=UI["de"]["previous"]).click()
    expect(cards).to_have_count(10)


def test_filter_by_city_by_clicking_and_keep_it_in_the_other_language(page, thirteen_upcoming_events):
    page.goto("/fr/evenements/")
    page.get_by_label(UI["fr"]["city"]).select_option(label="Trèves")
    page.get_by_role("button", name=UI["fr"]["show"]).click()

    expect(page).to_have_url(re.compile(r"\?city=trier"))
    cards = page.locator(".event-list .event-card")
    expect(cards).to_have_count(4)
    expect(page.locator(".pagination")).to_have_count(0)
    for number in ("01", "05", "09", "13"):
        expect(page.get_by_role("link", name=f"Rencontre numéro {number}")).to_be_visible()

    page.get_by_role("link", name=UI["de"]["language"]).click()
    expect(page).to_have_url(re.compile(r"/de/veranstaltungen/\?.*city=trier"))
    expect(cards).to_have_count(4)
    expect(page.get_by_label(UI["de"]["city"])).to_have_value("trier")


def test_a_draft_is_not_found_by_a_visitor(page, transactional_db):
    draft = EventFactory(status=Event.Status.DRAFT, title_de="Noch geheim", slug_de="noch-geheim")
    response = page.goto(draft.get_absolute_url("de"))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(UI["de"]["not_found"])
    expect(page.get_by_text("Noch geheim")).to_have_count(0)

    page.goto("/de/veranstaltungen/")
    expect(page.get_by_text("Noch geheim")).to_have_count(0)
