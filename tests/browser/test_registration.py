"""Registering in a real browser, in both languages: the visitor registers for the demo's
citizens' meeting, is asked to check their e-mail, follows the link of the request to confirm,
confirms, reads the confirmation in the test outbox, cancels, and the first person on the
waiting list gets the place and an e-mail in their own language. The registrant's page is
readable on a phone (320 and 390 px: no value squeezed into a narrow column). The form
works without JavaScript; its error state is announced, focused and free of axe violations;
screenshots of every state (and of the secretariat's screens) go to test-artifacts/screens/."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from events.language import shown_text
from events.models import City, Event
from registration.models import Registration
from registration.services import booking
from tests.demo import load_demo
from tests.registration.conftest import answers, run_queue

from .checks import screenshot, serious_axe_violations
from .conftest import LOCALES
from .test_accessibility import log_in_context

pytestmark = pytest.mark.browser

SLUG = "beispiel-buergertreffen-der-vier-staedte"
WORDS = {
    "de": {
        "first": "Vorname",
        "last": "Nachname",
        "email": "E-Mail-Adresse",
        "trier": "Trier",
        "lunch_yes": "Ja",
        "consent": "Ich habe den Datenschutzhinweis gelesen",
        "register": "Anmelden",
        "confirmed": "Vielen Dank: Ihre Anmeldung ist bestätigt.",
        "subject": "Anmeldung bestätigt: ",
        "cancel": "Meine Anmeldung stornieren",
        "really": "Ja, meine Anmeldung stornieren",
        "cancelled": "Ihre Anmeldung ist storniert.",
        "promoted": "Sie haben einen Platz: ",
        "error": "Fehler: ",
        "problem": "Es gibt ein Problem",
        "first_error": "Geben Sie Ihren Vornamen ein",
        "waiting": "Auf die Warteliste setzen",
        "offer": "Für Sie ist kein Platz mehr frei",
        "check": "Sehen Sie in Ihren Posteingang",
        "confirm": "Meine Anmeldung bestätigen",
        "request": "Bitte bestätigen Sie Ihre Anmeldung: ",
    },
    "fr": {
        "first": "Prénom",
        "last": "Nom",
        "email": "Adresse e-mail",
        "trier": "Trèves",
        "lunch_yes": "Oui",
        "consent": "J’ai lu la notice de confidentialité",
        "register": "M’inscrire",
        "confirmed": "Merci\u00a0: votre inscription est confirmée.",
        "subject": "Inscription confirmée\u00a0: ",
        "cancel": "Annuler mon inscription",
        "really": "Oui, annuler mon inscription",
        "cancelled": "Votre inscription est annulée.",
        "promoted": "Vous avez une place\u00a0: ",
        "error": "Erreur\u00a0: ",
        "problem": "Il y a un problème",
        "first_error": "Indiquez votre prénom",
        "waiting": "M’inscrire sur la liste d’attente",
        "offer": "Plus de place pour vous",
        "check": "Consultez vos e-mails",
        "confirm": "Confirmer mon inscription",
        "request": "Confirmez votre inscription\u00a0: ",
    },
}


@pytest.fixture
def meeting(transactional_db, settings, live_server):
    """The demo content: the citizens' meeting with its registration form (returned)."""
    settings.SITE_URL = live_server.url  # links in e-mails lead to the test server
    load_demo()
    mail.outbox.clear()
    return Event.objects.select_related("registration_settings").get(slug_de=SLUG)


def fill_in(page, language, first="Anaïs", last="Müller", email="anais@example.org", city="trier"):
    words = WORDS[language]
    form = page.locator("form.registration-form")
    form.get_by_label(words["first"], exact=True).fill(first)
    form.get_by_label(words["last"], exact=True).fill(last)
    form.get_by_label(words["email"], exact=True).fill(email)
    form.get_by_role("radio", name=words.get(city, city), exact=True).check()
    form.locator("input[name='workshop']").first.check()
    form.locator("fieldset").filter(has=page.locator("input[name='lunch']")).get_by_label(
        words["lunch_yes"], exact=True
    ).check()
    form.get_by_label(words["consent"]).check()


def fill_trier(meeting, language, count):
    trier = City.objects.get(code="trier")
    return [booking.register(meeting, answers(trier), language=language, join_waiting_list=True) for _ in range(count)]


def link_in(message):
    return re.search(r"^(http\S+/(?:anmeldung|inscription)/\S+/)$", message.body, re.M).group(1)


@pytest.mark.parametrize(("language", "other"), [("de", "fr"), ("fr", "de")])
def test_register_follow_the_emailed_link_cancel_and_the_next_one_is_promoted(open_page, meeting, language, other):
    words = WORDS[language]
    fill_trier(meeting, other, 9)  # one place left for Trier
    page = open_page(language, width=1366)
    page.goto(meeting.get_absolute_url(language))
    fill_in(page, language)
    page.get_by_role("button", name=words["register"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["check"])
    screenshot(page, f"registration-check-email-{language}-1366")
    run_queue()
    (request,) = [m for m in mail.outbox if m.to == ["anais@example.org"]]
    assert request.subject == words["request"] + shown_text(meeting, "title", language)  # French typography
    page.goto(link_in(request))
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page.locator(".messages")).to_contain_text(words["confirmed"])
    visitor = Registration.objects.get(email="anais@example.org")
    assert visitor.status == "confirmed" and visitor.language == language
    mail.outbox.clear()

    # Trier is now full: the next person from Trier waits, and speaks the other language.
    (waiting,) = fill_trier(meeting, other, 1)
    assert waiting.status == "waitlisted"

    run_queue()
    (confirmation,) = [m for m in mail.outbox if m.to == ["anais@example.org"]]
    assert confirmation.subject == words["subject"] + shown_text(meeting, "title", language)  # French typography
    assert any(part.get_filename().endswith(".ics") for part in confirmation.attachments)

    page.goto(link_in(confirmation))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".stored")).to_contain_text("Anaïs")
    page.get_by_role("link", name=words["cancel"]).click()
    page.get_by_role("button", name=words["really"]).click()
    expect(page.locator(".messages")).to_contain_text(words["cancelled"])

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    mail.outbox.clear()
    run_queue()
    (promoted,) = [m for m in mail.outbox if m.to == [waiting.email]]
    assert promoted.subject == WORDS[other]["promoted"] + shown_text(meeting, "title", other)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["de", "fr"])
def test_error_state_is_announced_focused_accessible_and_keeps_the_input(open_page, meeting, language, width):
    words = WORDS[language]
    page = open_page(language, width=width, bypass_csp=True)
    page.goto(meeting.get_absolute_url(language))
    screenshot(page, f"registration-form-{language}-{width}")
    form = page.locator("form.registration-form")
    form.get_by_label(words["last"], exact=True).fill("Müller")
    form.get_by_label(words["email"], exact=True).fill("nicht-gueltig")
    page.get_by_role("button", name=words["register"], exact=True).click()

    expect(page).to_have_title(re.compile("^" + re.escape(words["error"])))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(words["problem"])
    expect(form.get_by_label(words["last"], exact=True)).to_have_value("Müller")
    expect(form.get_by_label(words["email"], exact=True)).to_have_value("nicht-gueltig")
    assert not page.errors, page.errors
    violations = serious_axe_violations(page)
    assert not violations, "axe-core found serious problems:\n" + "\n".join(violations)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    screenshot(page, f"registration-error-{language}-{width}")

    summary.get_by_role("link", name=words["first_error"]).click()
    expect(form.get_by_label(words["first"], exact=True)).to_be_focused()


@pytest.mark.parametrize("language", ["de", "fr"])
def test_a_full_city_is_offered_the_waiting_list(open_page, meeting, language):
    words = WORDS[language]
    fill_trier(meeting, language, 10)
    page = open_page(language, width=390, bypass_csp=True)
    page.goto(meeting.get_absolute_url(language))
    fill_in(page, language, email="spaet@example.org")
    page.get_by_role("button", name=words["register"], exact=True).click()
    offer = page.locator(".registration-offer")
    expect(offer).to_be_focused()
    expect(offer).to_contain_text(words["offer"])
    violations = serious_axe_violations(page)
    assert not violations, "\n".join(violations)
    screenshot(page, f"registration-offer-{language}-390")
    page.get_by_role("button", name=words["waiting"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["check"])
    screenshot(page, f"registration-check-email-{language}-390")
    late = Registration.objects.get(email="spaet@example.org")
    assert late.status == "pending"
    page.goto(late.get_absolute_url(language))
    screenshot(page, f"registration-confirm-{language}-390")
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page.locator(".registration-status")).to_contain_text("1")
    screenshot(page, f"registration-waiting-{language}-390")
    assert Registration.objects.get(email="spaet@example.org").status == "waitlisted"


def test_the_form_works_without_javascript(browser, live_server, meeting):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale=LOCALES["de"])
    try:
        page = context.new_page()
        page.goto(meeting.get_absolute_url("de"))
        page.get_by_role("button", name="Anmelden", exact=True).click()
        expect(page.locator(".error-summary")).to_contain_text("Geben Sie Ihren Vornamen ein")
        fill_in(page, "de", city="trier")
        page.get_by_role("button", name="Anmelden", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("Wir haben eine E-Mail an anais@example.org geschickt.")
        page.goto(Registration.objects.get(email="anais@example.org").get_absolute_url("de"))
        page.get_by_role("button", name=WORDS["de"]["confirm"]).click()
        expect(page.locator(".messages")).to_contain_text(WORDS["de"]["confirmed"])
    finally:
        context.close()
    assert Registration.objects.filter(email="anais@example.org", status="confirmed").exists()


# What a value of "What we store about you" must have at least: about eight characters.
NARROWEST_VALUE = "abcdefgh"


@pytest.mark.parametrize("width", [320, 390, 1366])
@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_registrants_page_is_readable_on_a_phone(open_page, meeting, language, width):
    """At 390 px the values once stood in a column one or two characters wide ("É/lo/di/e", the
    e-mail address one letter per line, the page 3,850 px tall)."""
    trier = City.objects.get(code="trier")
    registration = booking.register(
        meeting,
        answers(
            trier,
            first_name="Élodie",
            last_name="Schmidt-Lefèvre",
            email="elodie.schmidt-lefevre@verwaltung.example.org",
            organisation="Communauté d'agglomération Portes de France-Thionville",
            workshops=[meeting.slots.filter(workshops__isnull=False).first().workshops.first()],
            lunch=True,
            dietary_needs="végétarienne, sans gluten",
            bus_city=trier,
        ),
        language=language,
    )
    page = open_page(language, width=width)
    page.goto(registration.get_absolute_url(language))
    measures = page.evaluate(
        """(sample) => {
            const values = [...document.querySelectorAll('.stored dd')];
            const probe = document.createElement('span');
            probe.textContent = sample;
            probe.style.position = 'absolute';  // its own width, whatever the column's
            probe.style.whiteSpace = 'nowrap';
            values[0].appendChild(probe);
            const sampleWidth = probe.getBoundingClientRect().width;
            probe.remove();
            return {
                sampleWidth,
                narrowest: Math.min(...values.map((dd) => dd.getBoundingClientRect().width)),
                emailLines: Math.round(values[2].getBoundingClientRect().height
                    / parseFloat(getComputedStyle(values[2]).lineHeight)),
                height: document.documentElement.scrollHeight,
                scrollWidth: document.documentElement.scrollWidth,
            };
        }""",
        NARROWEST_VALUE,
    )
    screenshot(page, f"registration-manage-{language}-{width}")
    assert measures["narrowest"] >= measures["sampleWidth"], measures
    assert measures["emailLines"] <= 2, measures  # the address on one line, or two at 320 px
    assert measures["height"] <= 2600, measures  # was 3,850 px at 390 px
    assert measures["scrollWidth"] <= width, measures


@pytest.mark.parametrize("language", ["de", "fr"])
def test_registrants_page_is_accessible(open_page, meeting, language):
    (registration,) = fill_trier(meeting, language, 1)
    page = open_page(language, bypass_csp=True)
    page.goto(registration.get_absolute_url(language))
    violations = serious_axe_violations(page)
    assert not violations, "\n".join(violations)
    screenshot(page, f"registration-manage-{language}-1280")


@pytest.mark.parametrize("language", ["de", "fr"])
def test_secretariat_screens(open_page, live_server, meeting, language):
    fill_trier(meeting, "de", 10)
    fill_trier(meeting, "fr", 2)  # waiting list
    page = open_page(language, bypass_csp=True)
    log_in_context(page, live_server)
    screens = {
        "overview": f"/admin/registration/registration/event/{meeting.pk}/",
        "list": f"/admin/registration/registration/?event__id__exact={meeting.pk}",
        "form": f"/admin/registration/registrationsettings/{meeting.pk}/change/",
        "sheet": f"/admin/registration/registration/event/{meeting.pk}/sign-in-sheet/",
    }
    for name, path in screens.items():
        response = page.goto(path)
        assert response.status == 200, path
        assert not page.errors, page.errors
        screenshot(page, f"admin-registration-{name}-{language}")
    # The sign-in sheet is our own page: no axe violation; printed on A4 in portrait.
    violations = serious_axe_violations(page)
    assert not violations, "\n".join(violations)
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
