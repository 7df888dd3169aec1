"""The site pages (pages/) in the browser, in both languages at phone and desktop widths: axe-core
finds nothing, nothing is wider than the window, the headings read in order, the footer's links
work with the keyboard; the feedback form's errors are announced and keep what was typed; the
side-by-side translation page of a site page, for a member of the Sekretariat."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from pages import demo
from pages.models import Organisation, SitePage

from .checks import axe_violations, heading_outline, heading_problems, screenshot

pytestmark = pytest.mark.browser

ADDRESSES = {
    "de": [
        "/de/impressum/",
        "/de/datenschutz/",
        "/de/barrierefreiheit/",
        "/de/leichte-sprache/",
        "/de/gebaerdensprache/",
        "/de/rueckmeldung/",
    ],
    "fr": [
        "/fr/mentions-legales/",
        "/fr/donnees-personnelles/",
        "/fr/accessibilite/",
        "/fr/falc/",
        "/fr/langue-des-signes/",
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


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_translation_page_of_a_site_page_reads_at_each_width(open_page, live_server, site_pages, language, width):
    Organisation.objects.filter(pk=1).update(register_court_fr="")
    legal_notice = SitePage.objects.get(kind=SitePage.Kind.LEGAL_NOTICE)
    page = open_page(language, width=width, bypass_csp=True)
    user = get_user_model().objects.create_user("sekretariat", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Sekretariat"))
    client = Client()
    client.force_login(user)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    page.context.add_cookies([{**cookie, "url": live_server.url}])

    page.goto(reverse("admin:pages_sitepage_change", args=[legal_notice.pk]))
    page.locator(".object-tools .translatelink").click()

    expect(page.locator("html")).to_have_attribute("lang", language)
    missing = page.locator("#id_organisation-1-register_court_fr")
    expect(missing).to_have_attribute("aria-describedby", "id_organisation-1-register_court_fr_missing")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Every text field is wide enough to read a line in (no column squeezed to a letter or two).
    narrowest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.translate-cell input, .translate-cell textarea')]"
        ".map((field) => field.getBoundingClientRect().width))"
    )
    assert narrowest >= min(300, width * 0.8)
    screenshot(page, f"admin-sitepage-translate-{language}-{width}")
    assert page.errors == []


@pytest.mark.parametrize(
    "language, address, caption",
    [
        ("de", "/de/gebaerdensprache/", "Beispiel: Hier steht später ein Video in Deutscher Gebärdensprache."),
        ("fr", "/fr/langue-des-signes/", "Exemple\u00a0: ici figurera une vidéo en langue des signes française."),
    ],
)
def test_the_sign_language_video_plays_with_its_captions_under_the_sites_policy(
    open_page, site_pages, language, address, caption
):
    page = open_page(language, width=390)
    page.goto(address)
    played = page.evaluate(
        """async () => {
            const video = document.querySelector("video");
            video.muted = true;
            await video.play();
            await new Promise((done) => setTimeout(done, 800));
            const track = video.textTracks[0];
            return {time: video.currentTime, language: track.language, cue: track.activeCues[0]?.text ?? null};
        }"""
    )
    assert played["time"] > 0
    assert played["language"] == language
    assert played["cue"] == caption
    assert page.errors == []
