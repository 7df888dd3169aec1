"""Bilingual publishing as a secretary does it in the browser: the question before an incomplete
event goes out (and none for a complete one), the side-by-side translation page with the keyboard
alone, the admin's FR/DE switch, and screenshots of every admin page this work added or changed."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Event, Workshop
from tests.factories import EventFactory, ProgrammeSlotFactory, SlotSpeakerFactory, WorkshopFactory, local

from .checks import axe_violations, screenshot, serious_axe_violations
from .test_accessibility import log_in_context, tab_to

pytestmark = pytest.mark.browser

WORDS = {
    "de": {
        "save": "Sichern",
        "question": "Mit fehlenden Texten veröffentlichen?",
        "anyway": "Trotzdem veröffentlichen",
    },
    "fr": {"save": "Enregistrer", "question": "Publier avec des textes manquants", "anyway": "Publier quand même"},
}


def make_event(title_de, title_fr, day=12, **fields):
    """A draft next year with a talk (and its speaker) and a workshop slot, complete in both languages."""
    event = EventFactory(
        title_de=title_de,
        title_fr=title_fr,
        start=local(2031, 6, day, 9, 30),
        end=local(2031, 6, day, 17),
        status=Event.Status.DRAFT,
        **fields,
    )
    talk = ProgrammeSlotFactory(event=event, start=local(2031, 6, day, 10), title_de="Vortrag", title_fr="Exposé")
    SlotSpeakerFactory(slot=talk)
    slot = ProgrammeSlotFactory(
        event=event, start=local(2031, 6, day, 14), kind="workshops", title_de="Arbeitsgruppen", title_fr="Ateliers"
    )
    WorkshopFactory(slot=slot, title_de="Offene Daten", title_fr="Données ouvertes")
    return event


@pytest.fixture
def events(transactional_db):
    complete = make_event("Vollständige Tagung", "Colloque complet", day=12)
    incomplete = make_event("Halbe Tagung", "Demi-colloque", day=13)
    Workshop.objects.filter(slot__event=incomplete).update(title_fr="")
    return complete, incomplete


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def publish_in_form(page, event, language):
    page.goto(change_url(event))
    page.locator("#id_status").select_option(value=Event.Status.PUBLISHED)
    page.get_by_role("button", name=WORDS[language]["save"], exact=True).click()


@pytest.mark.parametrize("language", ["de", "fr"])
def test_publishing_asks_when_texts_are_missing_and_not_otherwise(open_page, live_server, events, language):
    complete, incomplete = events
    page = open_page(language)
    log_in_context(page, live_server)

    # Complete: published at once.
    publish_in_form(page, complete, language)
    expect(page).to_have_url(re.compile(r"/admin/events/event/$"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Event.objects.get(pk=complete.pk).status == Event.Status.PUBLISHED

    # Incomplete: asked, with the list; what was typed stays.
    page.goto(change_url(incomplete))
    page.locator("#id_status").select_option(value=Event.Status.PUBLISHED)
    page.locator(".ui-tabs").filter(has=page.locator("#id_interpretation_de")).get_by_role(
        "tab", name="Deutsch", exact=True
    ).click()
    page.locator("#id_interpretation_de").fill("Simultanübersetzung")
    page.get_by_role("button", name=WORDS[language]["save"], exact=True).click()

    question = page.locator(".completeness--question")
    expect(question.get_by_role("heading", level=2)).to_contain_text(WORDS[language]["question"])
    expect(question).to_contain_text("Offene Daten")
    expect(page.locator("#id_status")).to_have_value(Event.Status.PUBLISHED)
    expect(page.locator("#id_interpretation_de")).to_have_value("Simultanübersetzung")
    assert Event.objects.get(pk=incomplete.pk).status == Event.Status.DRAFT
    screenshot(page, f"admin-publish-question-{language}")

    # Each missing text links to its field: the French tab opens and the field has the focus.
    question.get_by_role("link", name=re.compile("Offene Daten")).click()
    workshop_title = page.locator("#id_slots-1-workshops-0-title_fr")
    expect(workshop_title).to_be_visible()
    expect(workshop_title).to_be_focused()

    page.get_by_label(WORDS[language]["anyway"]).check()
    page.get_by_role("button", name=WORDS[language]["save"], exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    event = Event.objects.get(pk=incomplete.pk)
    assert event.status == Event.Status.PUBLISHED and event.interpretation_de == "Simultanübersetzung"
    assert not page.errors, "the browser console reports:\n" + "\n".join(page.errors)


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_translation_page_works_with_the_keyboard_and_is_axe_clean(open_page, live_server, events, language):
    _complete, incomplete = events
    page = open_page(language, bypass_csp=True)
    log_in_context(page, live_server)
    page.goto(change_url(incomplete))
    page.locator(".object-tools .translatelink").click()
    expect(page).to_have_url(re.compile(r"/translate/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    violations = axe_violations(page)
    assert not violations, "axe-core found problems:\n" + "\n".join(violations)
    screenshot(page, f"admin-translate-{language}")

    workshop = Workshop.objects.get(slot__event=incomplete)
    field_id = f"id_workshop-{workshop.pk}-title_fr"
    expect(page.locator(f"#{field_id}")).to_have_attribute("aria-describedby", f"{field_id}_missing")
    # Past the admin's side bar, which lists every model of every app (the site pages' too).
    tab_to(page, lambda focus: focus["id"] == field_id, limit=120)
    page.keyboard.type("Données ouvertes")
    page.keyboard.press("Enter")  # submits the whole page

    expect(page.locator(".messagelist .success")).to_be_visible()
    workshop.refresh_from_db()
    assert workshop.title_fr == "Données ouvertes"
    expect(page.locator(".translate-missing")).to_have_count(0)
    assert not page.errors, "the browser console reports:\n" + "\n".join(page.errors)


def test_the_admin_switches_language_on_the_same_page_and_names_the_tabs(open_page, live_server, events):
    complete, _incomplete = events
    page = open_page("de")
    log_in_context(page, live_server)
    page.goto(change_url(complete))
    title_tabs = page.locator(".ui-tabs").filter(has=page.locator("#id_title_de"))
    expect(title_tabs.get_by_role("tab", name="Deutsch", exact=True)).to_be_visible()
    expect(title_tabs.get_by_role("tab", name="Français", exact=True)).to_be_visible()
    # The city picker in German (texts Django's own German catalogue lacks).
    expect(page.locator("#id_cities_add_all")).to_have_text("Alle auswählen: beteiligte Städte")
    expect(page.locator("#id_cities_add")).to_have_text(re.compile("^Markierte .* auswählen$"))

    page.locator(".admin-language").get_by_role("button", name="Français").click()

    expect(page).to_have_url(re.compile(f"{change_url(complete)}$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Enregistrer", exact=True)).to_be_visible()
    expect(title_tabs.get_by_role("tab", name="Français", exact=True)).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_cities_add")).to_have_text(re.compile("sélectionnées"))
    page.locator(".admin-language").get_by_role("button", name="Deutsch").focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_url(re.compile(f"{change_url(complete)}$"))
    assert not page.errors, "the browser console reports:\n" + "\n".join(page.errors)


@pytest.mark.parametrize("language", ["de", "fr"])
def test_screenshots_of_the_admin_pages(open_page, live_server, events, language, client):
    """The events list, the change form with its completeness panel, the history with its
    differences and the restore form, the recover list, and the 410 page: looked at by people,
    audited by axe-core."""
    complete, incomplete = events
    page = open_page(language, bypass_csp=True)
    log_in_context(page, live_server)
    # Two saves through the admin, so that the history has a difference to show.
    for title in ("Demi-colloque", "Demi-colloque de printemps"):
        page.goto(change_url(incomplete))
        tabs = page.locator(".ui-tabs").filter(has=page.locator("#id_title_de"))
        tabs.get_by_role("tab", name="Français", exact=True).click()
        page.locator("#id_title_fr").fill(title)
        page.get_by_role("button", name=WORDS[language]["save"], exact=True).click()
        expect(page.locator(".messagelist .success")).to_be_visible()

    pages = {
        "list": reverse("admin:events_event_changelist"),
        "change": change_url(incomplete),
        "history": reverse("admin:events_event_history", args=[incomplete.pk]),
        "recover": reverse("admin:events_event_recoverlist"),
    }
    for name, url in pages.items():
        assert page.goto(url).status == 200
        violations = serious_axe_violations(page) if name in ("list", "change") else axe_violations(page)
        assert not violations, f"{name}: axe-core found problems:\n" + "\n".join(violations)
        screenshot(page, f"admin-{name}-{language}")
    page.goto(pages["history"])
    expect(page.locator(".history ins").first).to_contain_text("Demi-colloque de printemps")
    page.locator(".history__restore").first.click()
    expect(page.locator(".restore-note")).to_be_visible()
    screenshot(page, f"admin-restore-{language}")

    complete.status = Event.Status.PUBLISHED
    complete.save()
    complete.status = Event.Status.DRAFT
    complete.save()
    visitor = open_page(language, bypass_csp=True)
    response = visitor.goto(complete.get_absolute_url(language))
    assert response.status == 410
    violations = axe_violations(visitor)
    assert not violations, "410: axe-core found problems:\n" + "\n".join(violations)
    screenshot(visitor, f"gone-{language}")
