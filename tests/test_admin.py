"""The secretariat's admin: FR/DE tabs on every translated model, the whole programme on the
event form (the compact programme editor: tests/test_programme_editor.py has its details), the
event list's columns, filters and search, the "duplicate" action, drafts previewed from the
admin, the Sekretariat group's rights, and errors shown on their field.

The admin speaks German here (the site's default language); assertions compare with strings
rendered in German, or with what does not depend on the language (names, URLs, values)."""

import datetime
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from events.models import Category, City, Event, Person, ProgrammeSlot, ProjectGroup, SlotSpeaker, Venue, Workshop
from tests.factories import (
    CategoryFactory,
    CityFactory,
    EventFactory,
    PersonFactory,
    ProgrammeSlotFactory,
    SlotSpeakerFactory,
    VenueFactory,
    WorkshopFactory,
    local,
)

NOW = local(2025, 5, 14, 10, 0)
JQUERY_UI = "/static/jquery-ui/jquery-ui.min.js"
TABS_JS = "/static/modeltranslation/js/tabbed_translation_fields.js"
TABS_CSS = "/static/modeltranslation/css/tabbed_translation_fields.css"
PROGRAMME_JS = "/static/js/admin-programme.js"
PROGRAMME_CSS = "/static/css/admin-programme.css"


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def changelist_url(**query):
    url = reverse("admin:events_event_changelist")
    return f"{url}?{urlencode(query)}" if query else url


class AssetParser(HTMLParser):
    """The scripts and style sheets a page loads."""

    def __init__(self):
        super().__init__()
        self.assets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.assets.append(attrs["href"])


def loaded_assets(response):
    parser = AssetParser()
    parser.feed(response.content.decode())
    return parser.assets


class FormParser(HTMLParser):
    """The values an untouched browser form would send (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "checkbox", "radio"):
            self.data[name] = attrs.get("value", "")
        elif tag == "input" and name and attrs.get("type") in ("checkbox", "radio") and "checked" in attrs:
            self.data[name] = attrs.get("value", "on")
        elif tag == "select" and name:
            self._select = name
            if "multiple" not in attrs:
                self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")  # one choice is enough here
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n")


def form_values(response):
    parser = FormParser()
    parser.feed(response.content.decode())
    # Templates for "Add another" are not sent as forms of their own.
    return {name: value for name, value in parser.data.items() if "__prefix__" not in name and "-empty-" not in name}


def management_form(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def split_datetime(name, value):
    """An admin date-and-time field's two inputs."""
    return {f"{name}_0": value.strftime("%Y-%m-%d"), f"{name}_1": value.strftime("%H:%M")}


def programme_slot(index, start, title_de="", title_fr="", kind="talk", speakers=(), workshops=(), **fields):
    """The editor's fields of one new slot (a one-day event: no day to choose), with its
    speakers (people) and workshops ((title_de, title_fr) pairs)."""
    prefix = f"slots-{index}"
    data = {
        f"{prefix}-start": start,
        f"{prefix}-kind": kind,
        f"{prefix}-title_de": title_de,
        f"{prefix}-title_fr": title_fr,
        **management_form(f"{prefix}-speakers", len(speakers)),
        **management_form(f"{prefix}-workshops", len(workshops)),
    }
    for number, person in enumerate(speakers):
        data.update({f"{prefix}-speakers-{number}-person": str(person.pk), f"{prefix}-speakers-{number}-order": number})
    for number, (workshop_de, workshop_fr) in enumerate(workshops):
        data.update(
            {
                f"{prefix}-workshops-{number}-title_de": workshop_de,
                f"{prefix}-workshops-{number}-title_fr": workshop_fr,
                f"{prefix}-workshops-{number}-order": number,
            }
        )
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return data


def event_form_data(**fields):
    """A valid, minimal add form for an event without programme."""
    data = {
        "title_de": "Digitale Verwaltung",
        "title_fr": "Administration numérique",
        "slug_de": "digitale-verwaltung",
        "slug_fr": "administration-numerique",
        "category": str(CategoryFactory().pk),
        "status": Event.Status.DRAFT,
        # The choices the form preselects (issue 27's status, attendance, interpretation).
        "event_status": Event.EventStatus.SCHEDULED,
        "attendance_mode": Event.AttendanceMode.IN_PERSON,
        "online_url_visibility": Event.OnlineUrlVisibility.REGISTRANTS,
        "interpretation_kind": Event.Interpretation.NONE,
        **split_datetime("start", local(2025, 6, 12, 9, 30)),
        **split_datetime("end", local(2025, 6, 12, 17, 0)),
        **management_form("slots", 0),
    }
    data.update(fields)
    return data


def form_errors(response):
    assert response.status_code == 200, "the form is shown again with its errors"
    return response.context["adminform"].form.errors


# --- FR/DE tabs, with jQuery UI from our own static files ------------------------------------


@pytest.mark.parametrize("page", ["add", "change"])
def test_event_form_shows_both_languages_in_tabs_with_local_jquery_ui(admin_client, page):
    url = reverse("admin:events_event_add")
    if page == "change":
        event = EventFactory()
        ProgrammeSlotFactory(event=event)
        url = reverse("admin:events_event_change", args=[event.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("title_de", "title_fr", "teaser_de", "teaser_fr"):
        assert f'name="{name}"' in html
    assert "mt-field-title-de" in html and "mt-field-title-fr" in html, "fields marked for the tab script"
    assets = loaded_assets(response)
    assert {JQUERY_UI, TABS_JS, TABS_CSS, PROGRAMME_JS, PROGRAMME_CSS} <= set(assets)
    jquery = assets.index("/static/admin/js/jquery.init.js")
    assert jquery < assets.index(JQUERY_UI) < assets.index(TABS_JS)
    external = [url for url in assets if url.startswith(("//", "http:", "https:"))]
    assert not external, f"the admin loads from other hosts: {external}"
    for path in (JQUERY_UI, PROGRAMME_JS, PROGRAMME_CSS):
        assert finders.find(path.removeprefix("/static/")), f"{path} is among our static files"
    # The programme is edited on the same page, slots with their speakers and workshops, both
    # languages of a slot side by side (no tabs: the titles carry no tab script's marks).
    assert 'id="programme"' in html
    assert 'name="slots-0-speakers-TOTAL_FORMS"' in html and 'name="slots-0-workshops-TOTAL_FORMS"' in html
    assert 'name="slots-0-title_de"' in html and 'name="slots-0-title_fr"' in html
    assert "mt-field-title-de" not in html.split('id="programme"', 1)[1]
    if page == "change":
        assert form_values(response)["slots-0-title_fr"] == event.slots.get().title_fr


@pytest.mark.parametrize("model", [City, Category, ProjectGroup, Venue, Person])
def test_every_translated_model_has_language_tabs(admin_client, model):
    response = admin_client.get(reverse(f"admin:events_{model._meta.model_name}_add"))

    assert response.status_code == 200
    assert 'class="vTextField mt mt-field-' in response.content.decode()
    assets = loaded_assets(response)
    assert {JQUERY_UI, TABS_JS, TABS_CSS} <= set(assets)
    assert not [url for url in assets if url.startswith(("//", "http:", "https:"))]


def test_event_form_has_every_field_grouped_in_sections(admin_client):
    response = admin_client.get(reverse("admin:events_event_add"))

    adminform = response.context["adminform"]
    assert len(list(adminform)) == 6, "Text, When and where, Languages, People, Registration, Publication"
    originals = {f.translated_field.name for f in Event._meta.fields if hasattr(f, "translated_field")}
    editable = {
        f.name
        for f in Event._meta.get_fields()
        if getattr(f, "editable", False) and not f.auto_created and (f.concrete or f.many_to_many)
    }
    missing = editable - originals - set(adminform.form.fields)
    assert not missing, f"fields the secretariat cannot edit: {missing}"
    assert {"title_de", "title_fr", "is_cancelled", "cities"} <= set(adminform.form.fields)


def test_slugs_are_prepopulated_from_the_title_of_the_same_language(admin_client):
    response = admin_client.get(reverse("admin:events_event_add"))

    fields = json.loads(response.context["prepopulated_fields_json"])
    prepopulated = {field["id"]: field["dependency_ids"] for field in fields}
    assert prepopulated["#id_slug_de"] == ["#id_title_de"]
    assert prepopulated["#id_slug_fr"] == ["#id_title_fr"]


# --- The whole programme, entered on the event's page -----------------------------------------


def test_event_with_programme_entered_in_one_form_appears_on_both_language_sites(admin_client):
    category, city, venue = CategoryFactory(), CityFactory(code="metz"), VenueFactory()
    speaker = PersonFactory(name="Dr. Anna Beispiel")
    add_url = reverse("admin:events_event_add")
    assert 'name="slots-0-start"' in admin_client.get(add_url).content.decode(), "a blank row to fill in"

    data = event_form_data(
        category=str(category.pk),
        cities=[str(city.pk)],
        venue=str(venue.pk),
        status=Event.Status.PUBLISHED,
        **management_form("slots", 2),
        **programme_slot(0, "10h", "Die Stadt als Plattform", "La ville plateforme", speakers=[speaker], end="11:00"),
        **programme_slot(
            1,
            "14:00",
            "Arbeitsgruppen",
            "Ateliers",
            kind="workshops",
            workshops=[("Offene Daten", "Données ouvertes"), ("Bürgerdienste", "Services aux citoyens")],
        ),
    )
    response = admin_client.post(add_url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    event = Event.objects.get(slug_de="digitale-verwaltung")
    talk, workshops = event.slots.all()
    assert (talk.title_de, talk.title_fr, talk.kind) == ("Die Stadt als Plattform", "La ville plateforme", "talk")
    assert (talk.start, talk.end) == (local(2025, 6, 12, 10), local(2025, 6, 12, 11)), "on the event's day"
    assert list(talk.speakers.all()) == [speaker]
    assert [w.title_fr for w in workshops.workshops.all()] == ["Données ouvertes", "Services aux citoyens"]
    assert list(event.cities.all()) == [city]

    german = admin_client.get("/de/veranstaltungen/digitale-verwaltung/")
    assert german.status_code == 200
    for text in (
        "Digitale Verwaltung",
        "Die Stadt als Plattform",
        "Dr. Anna Beispiel",
        "Offene Daten",
        "Bürgerdienste",
    ):
        assert text in german.content.decode()
    french = admin_client.get("/fr/evenements/administration-numerique/")
    assert french.status_code == 200
    for text in ("Administration numérique", "La ville plateforme", "Dr. Anna Beispiel", "Données ouvertes"):
        assert text in french.content.decode()


def test_change_form_shows_and_saves_the_existing_programme(admin_client):
    event = EventFactory()
    slot = ProgrammeSlotFactory(event=event, title_de="Begrüßung")
    workshop = WorkshopFactory(slot=ProgrammeSlotFactory(event=event), title_fr="Atelier A")
    url = reverse("admin:events_event_change", args=[event.pk])
    page = admin_client.get(url)
    shown = form_values(page)
    assert "Begrüßung" in shown.values() and "Atelier A" in shown.values()

    # Posting the form back as shown, with one workshop renamed, changes only that.
    data = form_values(page)
    workshop_field = next(name for name, value in data.items() if value == "Atelier A")
    data[workshop_field] = "Atelier A bis"
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    workshop.refresh_from_db()
    assert workshop.title_fr == "Atelier A bis"
    assert ProgrammeSlot.objects.get(pk=slot.pk).title_de == "Begrüßung"


# --- The event list ------------------------------------------------------------------------------


def test_list_marks_events_with_missing_translations(admin_client):
    EventFactory(title_de="Vollständig")
    EventFactory(title_de="Halb übersetzt", teaser_fr="", kicker_fr="")

    response = admin_client.get(changelist_url())

    html = response.content.decode()
    titles = re.findall(r'<th class="field-shown_title"><a [^>]*>([^<]*)</a>', html)
    marks = re.findall(r'<td class="field-translation_status">(.*?)</td>', html, re.S)
    status = dict(zip(titles, marks, strict=True))
    assert "✓" in status["Vollständig"]
    with translation.override("de"):
        kicker, teaser = (str(Event._meta.get_field(f).verbose_name) for f in ("kicker", "teaser"))
    half = status["Halb übersetzt"]
    assert "✓" not in half
    assert "FR</abbr>: 2 Texte fehlen" in half and kicker.capitalize() in half and teaser.capitalize() in half


def test_list_links_to_the_event_page_in_each_language_also_for_drafts(admin_client, client):
    draft = EventFactory(slug_de="entwurf", slug_fr="brouillon", status=Event.Status.DRAFT)

    response = admin_client.get(changelist_url())

    html = response.content.decode()
    assert '<a href="/de/veranstaltungen/entwurf/" hreflang="de"' in html
    assert '<a href="/fr/evenements/brouillon/" hreflang="fr"' in html
    change_page = admin_client.get(reverse("admin:events_event_change", args=[draft.pk])).content.decode()
    assert 'href="/de/veranstaltungen/entwurf/"' in change_page and 'href="/fr/evenements/brouillon/"' in change_page
    # Staff see the draft as a preview; visitors do not see it at all.
    preview = admin_client.get("/fr/evenements/brouillon/")
    assert preview.status_code == 200 and preview.context["is_preview"]
    assert client.get("/fr/evenements/brouillon/").status_code == 404


def test_upcoming_and_past_filter_judges_by_the_end(admin_client):
    EventFactory(title_de="Vorbei", start=NOW - datetime.timedelta(days=2), end=NOW - datetime.timedelta(days=1))
    EventFactory(title_de="Läuft gerade", start=NOW - datetime.timedelta(days=1), end=NOW + datetime.timedelta(hours=2))
    EventFactory(title_de="Nächsten Monat", start=NOW + datetime.timedelta(days=30))

    upcoming = admin_client.get(changelist_url(timing="upcoming"))
    past = admin_client.get(changelist_url(timing="past"))

    assert {e.title_de for e in upcoming.context["cl"].result_list} == {"Läuft gerade", "Nächsten Monat"}
    assert {e.title_de for e in past.context["cl"].result_list} == {"Vorbei"}
    assert "Vorbei" not in upcoming.content.decode()
    assert admin_client.get(changelist_url(timing="nonsense")).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"o": "1"},
        {"o": "-2.4"},
        {"o": "6"},
        {"start__year": "2025", "start__month": "6"},
        {"cities__id__exact": "metz"},
        {"status__exact": "verschollen"},
        {"q": "'\"<script>"},
        {"p": "999"},
    ],
)
def test_list_survives_every_column_sort_and_odd_query(admin_client, query):
    EventFactory()

    response = admin_client.get(changelist_url(**query))

    assert response.status_code == 200


def test_a_year_that_is_no_number_sends_back_to_the_whole_list(admin_client):
    """Django's admin answers a lookup it cannot use with its list and the "?e=1" notice."""
    EventFactory()

    response = admin_client.get(changelist_url(start__year="zwanzig"))

    assert response.status_code == 302
    assert response["Location"] == changelist_url() + "?e=1"


def test_search_in_french_finds_the_french_title(admin_client):
    EventFactory(title_de="Kommunale Sozialpolitik", title_fr="Politique sociale communale")
    EventFactory(title_de="Digitale Verwaltung", title_fr="Administration numérique")

    response = admin_client.get(changelist_url(q="politique"))

    assert [e.title_fr for e in response.context["cl"].result_list] == ["Politique sociale communale"]
    assert "Administration numérique" not in response.content.decode()


def test_list_filters_by_status_category_and_city(admin_client):
    metz = CityFactory(code="metz")
    culture = CategoryFactory(code="culture", name_de="Kultur", name_fr="Culture")
    EventFactory(title_de="In Metz", category=culture, status=Event.Status.DRAFT).cities.add(metz)
    EventFactory(title_de="Anderswo")

    for query in ({"cities__id__exact": metz.pk}, {"category__id__exact": culture.pk}, {"status__exact": "draft"}):
        response = admin_client.get(changelist_url(**query))
        assert [e.title_de for e in response.context["cl"].result_list] == ["In Metz"]


# --- Duplicate as new draft ---------------------------------------------------------------------


def test_duplicate_copies_event_and_programme_as_a_draft_with_new_slugs(admin_client, client):
    metz = CityFactory(code="metz")
    event = EventFactory(title_de="Konferenz", title_fr="Conférence", slug_de="konferenz", slug_fr="conference")
    event.cities.add(metz)
    talk = ProgrammeSlotFactory(event=event, title_de="Vortrag")
    SlotSpeakerFactory(slot=talk, person=PersonFactory(name="Anna"), order=0)
    SlotSpeakerFactory(slot=talk, person=PersonFactory(name="Bert"), order=1)
    workshops = ProgrammeSlotFactory(event=event, title_de="Arbeitsgruppen")
    WorkshopFactory(slot=workshops, title_fr="Atelier 1", order=0)
    WorkshopFactory(slot=workshops, title_fr="Atelier 2", order=1)

    response = admin_client.post(
        changelist_url(), {"action": "duplicate_as_draft", "_selected_action": [event.pk]}, follow=True
    )

    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.status == Event.Status.DRAFT
    assert (copy.title_de, copy.title_fr) == ("Konferenz (Kopie)", "Conférence (copie)")
    assert (copy.slug_de, copy.slug_fr) == ("konferenz-kopie", "conference-copie")
    assert list(copy.cities.all()) == [metz]
    assert [s.title_de for s in copy.slots.all()] == ["Vortrag", "Arbeitsgruppen"]
    copied_talk, copied_workshops = copy.slots.all()
    assert [link.person.name for link in SlotSpeaker.objects.filter(slot=copied_talk)] == ["Anna", "Bert"]
    assert [w.title_fr for w in copied_workshops.workshops.all()] == ["Atelier 1", "Atelier 2"]
    # The original keeps its programme; the copy is not shown to visitors.
    assert Workshop.objects.filter(slot__event=event).count() == 2
    assert client.get(copy.get_absolute_url("de")).status_code == 404
    messages = [str(m) for m in response.context["messages"]]
    assert any(reverse("admin:events_event_change", args=[copy.pk]) in m for m in messages)
    assert reverse("admin:events_event_change", args=[copy.pk]) in response.content.decode()

    # Duplicating again finds the next free slug.
    admin_client.post(changelist_url(), {"action": "duplicate_as_draft", "_selected_action": [event.pk]})
    assert Event.objects.filter(slug_de="konferenz-kopie-2", slug_fr="conference-copie-2").exists()


def test_duplicate_keeps_a_missing_language_missing_and_long_texts_within_bounds(admin_client):
    event = EventFactory(title_de="T" * 200, slug_de="s" * 200, title_fr="", slug_fr=None, is_cancelled=True)

    admin_client.post(changelist_url(), {"action": "duplicate_as_draft", "_selected_action": [event.pk]})

    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.title_fr == "" and copy.slug_fr is None
    assert len(copy.title_de) == 200 and copy.title_de.endswith(" (Kopie)")
    assert len(copy.slug_de) == 200 and copy.slug_de.endswith("-kopie")
    assert not copy.is_cancelled, "a copy is a new event, not a cancelled one"


# --- Errors on their field, never a server error -------------------------------------------------


def test_event_needs_only_one_language(admin_client):
    data = event_form_data(title_de="", slug_de="", title_fr="Seulement en français")

    response = admin_client.post(reverse("admin:events_event_add"), data)

    assert response.status_code == 302
    assert Event.objects.get().title_fr == "Seulement en français"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({**split_datetime("end", local(2025, 6, 12, 8, 0))}, "end"),
        ({"title_de": "", "title_fr": ""}, "title_de"),
        # Empty slugs are made from the titles (test_slugs.py); titles of punctuation only give none.
        ({"title_de": "„…“", "slug_de": "", "title_fr": "« … »", "slug_fr": ""}, "slug_de"),
        ({"slug_fr": "calendrier"}, "slug_fr"),
        ({"registration_deadline": "2025-06-20"}, "registration_deadline"),
        ({"start_0": "2025-13-45"}, "start"),
    ],
)
def test_event_errors_are_shown_on_their_field(admin_client, fields, field):
    response = admin_client.post(reverse("admin:events_event_add"), event_form_data(**fields))

    assert field in form_errors(response)
    assert not Event.objects.exists()


def test_taken_slug_is_reported_on_the_slug_of_that_language(admin_client):
    EventFactory(slug_fr="administration-numerique")

    response = admin_client.post(reverse("admin:events_event_add"), event_form_data())

    assert set(form_errors(response)) == {"slug_fr"}


def test_programme_errors_are_shown_on_the_slot_and_workshop_fields(admin_client):
    data = event_form_data(
        **management_form("slots", 1),
        **programme_slot(0, "18:00", "Zu spät", workshops=[("", "")]),  # the event ends at 17:00
        **{"slots-0-workshops-0-description_de": "Ohne Titel"},
    )

    response = admin_client.post(reverse("admin:events_event_add"), data)

    assert response.status_code == 200
    slot_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "start" in slot_form.errors
    workshop_form = slot_form.workshops.forms[0]
    assert "title_de" in workshop_form.errors
    assert "Ohne Titel" in response.content.decode(), "what was typed is kept"
    assert not Event.objects.exists()


def test_same_speaker_twice_in_a_slot_is_an_error_not_a_crash(admin_client):
    person = PersonFactory()
    data = event_form_data(
        **management_form("slots", 1),
        **programme_slot(0, "10:00", "Vortrag", speakers=[person, person]),
    )

    response = admin_client.post(reverse("admin:events_event_add"), data)

    assert response.status_code == 200
    assert response.context["errors"], "the duplicate is pointed out"
    assert f"{person.name} ist bereits Redner/in dieses Programmpunkts." in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        None,
        {"slots-TOTAL_FORMS": "x", "slots-INITIAL_FORMS": "y"},
        {"slots-TOTAL_FORMS": "1", "slots-0-title_de": "Ohne Zeit und ohne innere Formulare"},
        {"start_0": "?", "start_1": "25:99", "category": "999", "cities": "metz", "venue": "-1"},
        {"status": "gelöscht", "registration_url_de": "javascript:alert(1)", "slug_de": "mit leerzeichen"},
    ],
)
def test_garbage_posted_to_the_event_form_is_answered_with_the_form(admin_client, fields):
    data = {} if fields is None else event_form_data(**fields)

    response = admin_client.post(reverse("admin:events_event_add"), data)

    assert response.status_code == 200
    assert response.context["errors"]
    assert not Event.objects.exists()


@pytest.mark.parametrize(("fields", "field"), [({"latitude": "95"}, "latitude"), ({"longitude": "6.17"}, "latitude")])
def test_venue_coordinates_errors_are_shown_on_their_field(admin_client, fields, field):
    data = {"name_de": "Rathaus", "locality": "Metz", "time_zone": "Europe/Paris", "longitude": "", **fields}

    response = admin_client.post(reverse("admin:events_venue_add"), data)

    assert field in form_errors(response)
    assert not Venue.objects.exists()


# --- The Sekretariat group -------------------------------------------------------------------------


def test_secretariat_can_create_an_event_but_not_manage_users(secretary):
    add_url = reverse("admin:events_event_add")
    assert secretary.get(add_url).status_code == 200
    person = PersonFactory(name="Dr. Anna Beispiel")
    data = event_form_data(
        **management_form("slots", 1),
        **programme_slot(0, "10:00", "Vortrag", speakers=[person]),
    )

    response = secretary.post(add_url, data)

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.slots.get().speakers.get() == person
    # Speakers are chosen by name among the people known (a list to type into).
    page = secretary.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert f'<option value="{person.pk}" selected>Dr. Anna Beispiel</option>' in page
    # Users and groups are not theirs to manage.
    assert secretary.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert secretary.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert reverse("admin:auth_user_changelist") not in secretary.get(reverse("admin:index")).content.decode()
