"""Accessibility, as assistive technology and keyboard users meet the site: axe-core finds no
serious or critical problem, headings read in order, images speak the page's language, and
the skip link, language switcher and list filters work with the keyboard alone."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from events.templatetags.events_tags import written_in

from .checks import UI, focus_style, heading_outline, heading_problems, image_problems, serious_axe_violations

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["home", "upcoming", "past", "conference", "programme", "not-found", "api-guide", "embed"]


def public_url(name, language, conference):
    with translation.override(language):
        if name == "conference":
            return conference.get_absolute_url(language)
        if name == "programme":
            return conference.get_programme_url(language)
        if name == "not-found":
            return reverse("events:list") + "gibt-es-nicht-existe-pas/"
        names = {"home": "home", "upcoming": "events:list", "past": "events:past", "api-guide": "api_docs"}
        return reverse(names.get(name, name))


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_is_accessible(open_page, conference, name, language):
    page = open_page(language, bypass_csp=True)
    response = page.goto(public_url(name, language, conference))
    assert response.status == (404 if name == "not-found" else 200)
    expect(page.locator("html")).to_have_attribute("lang", language)
    errors = [error for error in page.errors if not (name == "not-found" and "404 (Not Found)" in error)]
    assert not errors, "the browser console reports:\n" + "\n".join(errors)

    violations = serious_axe_violations(page)
    assert not violations, "axe-core found serious problems:\n" + "\n".join(violations)
    outline = heading_outline(page)
    assert not heading_problems(outline), f"{heading_problems(outline)} in {outline}"
    assert not image_problems(page), image_problems(page)


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_poster_is_described_in_the_page_language(open_page, conference, language):
    page = open_page(language)
    page.goto(conference.get_absolute_url(language))
    poster = page.locator(".event__poster img")
    # As the language is written: in French with its no-break spaces and apostrophes (events/typography.py).
    expect(poster).to_have_attribute("alt", written_in(getattr(conference, f"poster_alt_{language}"), language))
    assert poster.evaluate("img => (img.closest('[lang]') || document.documentElement).lang") == language


def log_in_context(page, live_server):
    """Gives the page's browser a staff session without going through the login form."""
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "a-long-test-password")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.parametrize("language", ["de", "fr"])
def test_admin_event_form_is_accessible(open_page, live_server, transactional_db, language):
    page = open_page(language, bypass_csp=True)
    log_in_context(page, live_server)
    response = page.goto("/admin/events/event/add/")
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    violations = serious_axe_violations(page)
    assert not violations, "axe-core found serious problems:\n" + "\n".join(violations)


# --- Keyboard --------------------------------------------------------------------------------


def tab_to(page, is_target, limit=40):
    """Presses Tab until ``is_target(focus)`` holds; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focus_style(page)
        assert focus["visible"], f"no visible focus on {focus}"
        if is_target(focus):
            return focus
    raise AssertionError("not reachable with Tab")


@pytest.mark.parametrize("language", ["de", "fr"])
def test_skip_link_is_the_first_tab_stop_and_moves_to_the_content(open_page, conference, language):
    page = open_page(language)
    page.goto(conference.get_absolute_url(language))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=UI[language]["skip"])
    expect(skip).to_be_focused()
    assert focus_style(page)["visible"]
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "the focused skip link is off screen"

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize(("language", "other"), [("de", "fr"), ("fr", "de")])
def test_language_switcher_works_with_the_keyboard(open_page, conference, language, other):
    page = open_page(language)
    page.goto(conference.get_absolute_url(language))
    tab_to(page, lambda focus: focus["tag"] == "a" and focus["text"] == UI[other]["language"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"{conference.get_absolute_url(other)}$"))
    expect(page.locator("html")).to_have_attribute("lang", other)


def test_list_filters_work_with_the_keyboard(page, thirteen_upcoming_events):
    page.goto("/de/veranstaltungen/")
    tab_to(page, lambda focus: focus["tag"] == "select" and focus["name"] == "city")
    page.keyboard.type("Trier")  # type-ahead selects the option, as a keyboard user would
    expect(page.get_by_label(UI["de"]["city"])).to_have_value("trier")
    tab_to(page, lambda focus: focus["tag"] == "button" and focus["text"] == UI["de"]["show"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?.*city=trier"))
    expect(page.locator(".event-list .event-card")).to_have_count(4)
