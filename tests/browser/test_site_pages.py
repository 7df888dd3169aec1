"""The site pages (pages/) in the browser, in both languages at phone and desktop widths: axe-core
finds nothing, nothing is wider than the window, the headings read in order, the footer's links
work with the keyboard; the feedback form's errors are announced and keep what was typed."""

import pytest
from playwright.sync_api import expect

from pages import demo

from .checks import axe_violations, heading_outline, heading_problems

pytestmark = pytest.mark.browser

ADDRESSES = {
    "de": ["/de/impressum/", "/de/datenschutz/", "/de/barrierefreiheit/", "/de/leichte-sprache/", "/de/rueckmeldung/"],
    "fr": [
        "/fr/mentions-legales/",
        "/fr/donnees-personnelles/",
        "/fr/accessibilite/",
        "/fr/falc/",
        "/fr/contact-accessibilite/",
    ],
}


@pytest.fixture
def site_pages(transactional_db):
    return demo.load()


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_site_page_is_accessible_at_each_width(open_page, site_pages, language, width):
    page = open_page(language, width=width, bypass_csp=True)
    for address in ADDRESSES[language]:
        response = page.goto(address)
        assert response.status == 200, address
        assert axe_violations(page) == [], address
        assert page.evaluate("document.documentElement.scrollWidth") <= width, address
        assert heading_problems(heading_outline(page)) == [], address
    assert page.errors == []


@pytest.mark.parametrize("language, sent, error", [("fr", "Envoyer", "Il y a un problème")])
def test_the_feedback_forms_errors_are_announced_and_keep_what_was_typed(open_page, site_pages, language, sent, error):
    page = open_page(language, width=390)
    page.goto("/fr/contact-accessibilite/")
    page.fill("#id_message", "Le plan de la salle n’a pas de texte.")
    page.fill("#id_email", "pas-une-adresse")
    page.get_by_role("button", name=sent).click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(error)
    expect(summary).to_be_focused()
    expect(page.locator("#id_message")).to_have_value("Le plan de la salle n’a pas de texte.")
    assert axe_violations(page) == []
