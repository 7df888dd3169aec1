"""The secretariat at work: a staff member writes a bilingual event in the admin's FR/DE tabs and
its programme in the programme editor (both languages side by side), keeps it a draft, publishes
it, and finds it on both language sites."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event, Person
from tests.factories import CategoryFactory, CityFactory, PersonFactory, VenueFactory

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"
# The FR/DE tabs are named after the languages, in each language's own words (js/admin-languages.js).
TAB_NAMES = {"de": "Deutsch", "fr": "Français"}


@pytest.fixture
def staff_member(transactional_db):
    return get_user_model().objects.create_superuser("sekretariat", "sekretariat@example.org", PASSWORD)


@pytest.fixture
def reference_data(transactional_db):
    """What the secretariat has already entered: a category, a city, a venue, a speaker."""
    CategoryFactory(code="quattropole", name_de="QuattroPole", name_fr="QuattroPole")
    CityFactory(code="metz", name_de="Metz", name_fr="Metz")
    VenueFactory(name_de="Rathaus", name_fr="Hôtel de Ville", locality="Metz")
    PersonFactory(name="Dr. Anna Beispiel")


def log_in(page, username="sekretariat"):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(re.compile("/admin/$"))


def fill_translated(page, field_id, texts, keystrokes=False):
    """Puts each language's text into its tab of a translated field: clicks the tab, then fills
    the field (or types key by key, for fields whose typing other fields follow)."""
    tabs = page.locator(".ui-tabs").filter(has=page.locator(f"#{field_id}_de"))
    for language, text in texts.items():
        tab = tabs.get_by_role("tab", name=TAB_NAMES[language], exact=True)
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        field = page.locator(f"#{field_id}_{language}")
        if keystrokes:
            field.press_sequentially(text)
        else:
            field.fill(text)


def choose_in_autocomplete(page, container, text):
    """select2: open the combobox, type, pick the suggestion."""
    container.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).click()


def test_staff_writes_a_bilingual_event_with_its_programme(open_page, staff_member, reference_data):
    day = timezone.localdate() + datetime.timedelta(days=40)
    date = day.strftime("%d.%m.%Y")
    page = open_page("de")
    log_in(page)
    page.locator("tr.model-event").get_by_role("link", name="Hinzufügen").click()
    expect(page).to_have_url(re.compile("/admin/events/event/add/$"))

    fill_translated(
        page,
        "id_title",
        {"de": "Digitale Verwaltung der vier Städte", "fr": "Administration numérique"},
        keystrokes=True,
    )
    # The slugs are prepopulated from the titles, per language.
    expect(page.locator("#id_slug_fr")).to_have_value("administration-numerique")
    fill_translated(page, "id_slug", {"de": "digitale-verwaltung"})
    fill_translated(page, "id_teaser", {"de": "Ein Austausch unter Fachleuten.", "fr": "Un échange entre experts."})

    page.locator("#id_start_0").fill(date)
    page.locator("#id_start_1").fill("09:30")
    page.locator("#id_end_0").fill(date)
    page.locator("#id_end_1").fill("17:00")
    choose_in_autocomplete(page, page.locator(".field-venue"), "Rathaus")
    page.locator("#id_cities_from").select_option(label="Metz")
    page.locator("#id_cities_add").click()
    page.locator("#id_category").select_option(label="QuattroPole")
    expect(page.locator("#id_status")).to_have_value(Event.Status.DRAFT)

    # The programme: a talk with its speaker, then the workshops, both languages side by side;
    # the day is the event's (one day: nothing to choose).
    expect(page.locator("#id_slots-0-day")).to_have_count(0)
    talk, workshops = page.locator("#slots-0"), page.locator("#slots-1")
    page.locator("#id_slots-0-start").fill("10h")
    page.locator("#id_slots-0-kind").select_option(value="talk")
    page.locator("#id_slots-0-title_de").fill("Vortrag: Die Stadt als Plattform")
    page.locator("#id_slots-0-title_fr").fill("Exposé : la ville plateforme")
    talk.locator("> details > summary").click()
    talk.get_by_role("button", name="Redner/in hinzufügen").click()
    # The person is searched as you type (Django's autocomplete): a few letters, without accents.
    talk.locator(".select2-container").first.click()
    page.keyboard.type("beisp")
    page.locator(".select2-results__option", has_text="Dr. Anna Beispiel").click()
    expect(page.locator("#id_slots-0-speakers-0-person")).to_have_value(
        str(Person.objects.get(name="Dr. Anna Beispiel").pk)
    )

    page.get_by_role("button", name="Programmpunkt hinzufügen").click()
    expect(page.locator("#id_slots-1-start")).to_be_focused()
    page.keyboard.type("14:00")
    page.locator("#id_slots-1-kind").select_option(value="workshops")
    page.locator("#id_slots-1-title_de").fill("Arbeitsgruppen")
    page.locator("#id_slots-1-title_fr").fill("Ateliers")
    workshops.locator("> details > summary").click()
    workshops.get_by_role("button", name="Arbeitsgruppe hinzufügen").click()
    page.locator("#id_slots-1-workshops-0-title_de").fill("Offene Daten")
    page.locator("#id_slots-1-workshops-0-title_fr").fill("Données ouvertes")

    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich hinzugefügt")
    event = Event.objects.get(slug_de="digitale-verwaltung")
    assert event.status == Event.Status.DRAFT
    assert event.slots.count() == 2

    # A draft stays invisible to visitors.
    visitor = open_page("fr")
    for language in ("de", "fr"):
        assert visitor.goto(event.get_absolute_url(language)).status == 404
    visitor.errors.clear()  # the two 404s

    page.locator("#id_status").select_option(value=Event.Status.PUBLISHED)
    page.get_by_role("button", name="Sichern", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich geändert")

    for language, title, slot, workshop in (
        ("de", "Digitale Verwaltung der vier Städte", "Vortrag: Die Stadt als Plattform", "Offene Daten"),
        ("fr", "Administration numérique", "Exposé : la ville plateforme", "Données ouvertes"),
    ):
        visitor.goto(f"/{language}/")
        visitor.get_by_role("link", name=title).click()
        expect(visitor).to_have_url(re.compile(f"{event.get_absolute_url(language)}$"))
        expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
        programme = visitor.locator(".programme")
        expect(programme.get_by_role("heading", name=slot)).to_be_visible()
        expect(programme).to_contain_text("Dr. Anna Beispiel")
        expect(programme.get_by_text(workshop)).to_be_visible()
    assert not page.errors + visitor.errors, "the browser console reports:\n" + "\n".join(page.errors + visitor.errors)


def test_the_admin_loads_nothing_from_other_hosts(open_page, live_server, staff_member, reference_data):
    page = open_page("de")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page)
    page.goto("/admin/events/event/add/")
    page.get_by_role("button", name="Programmpunkt hinzufügen").click()
    choose_in_autocomplete(page, page.locator(".field-venue"), "Rathaus")
    page.wait_for_load_state("networkidle")

    own_host = urlsplit(live_server.url).netloc
    foreign = [url for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")]
    foreign = [url for url in foreign if urlsplit(url).netloc != own_host]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert any("/static/jquery-ui/" in url for url in requests), "jQuery UI for the tabs comes from our static files"
    assert not page.errors, "the browser console reports:\n" + "\n".join(page.errors)


def test_the_language_tabs_work_with_the_keyboard(open_page, staff_member):
    page = open_page("fr")
    log_in(page)
    page.goto("/admin/events/event/add/")
    tabs = page.locator(".ui-tabs").filter(has=page.locator("#id_title_de"))
    tabs.get_by_role("tab", name="Deutsch", exact=True).focus()
    page.keyboard.press("ArrowRight")
    french = tabs.get_by_role("tab", name="Français", exact=True)
    expect(french).to_be_focused()
    expect(french).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_title_fr")).to_be_visible()
    expect(page.locator("#id_title_de")).to_be_hidden()
    page.keyboard.press("Tab")
    expect(page.locator("#id_title_fr")).to_be_focused()
