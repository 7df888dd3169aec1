"""What an event still lacks in one language, down to a workshop title: events.programme.completeness, the
panel on the change form and the column of the events list."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from events.models import Event
from events.programme import completeness

from .factories import (
    CategoryFactory,
    CityFactory,
    EventFactory,
    PersonFactory,
    ProgrammeSlotFactory,
    ProjectGroupFactory,
    SlotSpeakerFactory,
    VenueFactory,
    WorkshopFactory,
    local,
)

pytestmark = pytest.mark.django_db


def complete_event(slots=1):
    """An event complete in both languages, with a programme of ``slots`` slots, each with a speaker
    and a workshop, and every related object named in both languages."""
    event = EventFactory(
        start=local(2025, 6, 12, 9, 30),
        end=local(2025, 6, 12, 17),
        project_group=ProjectGroupFactory(),
        moderator=PersonFactory(name="Moderatorin"),
    )
    event.cities.add(CityFactory(code="metz", name_de="Metz", name_fr="Metz"))
    for number in range(slots):
        slot = ProgrammeSlotFactory(event=event, start=local(2025, 6, 12, 10 + number))
        SlotSpeakerFactory(slot=slot)
        WorkshopFactory(slot=slot)
    return event


def missing(event):
    with translation.override("de"):
        return [(item.language, item.label) for item in completeness.missing_texts(event)]


def test_a_complete_event_lacks_nothing():
    assert missing(complete_event(slots=2)) == []


def test_every_visitor_facing_text_is_checked_down_to_a_workshop_title():
    event = complete_event()
    slot = event.slots.get()
    slot.description_de = "Mit Diskussion."
    slot.save()
    workshop = slot.workshops.get()
    workshop.title_fr = ""
    workshop.save()
    speaker = slot.speakers.get()
    speaker.affiliation_fr = ""
    speaker.save()
    event.moderator.role_de = ""
    event.moderator.save()
    Event.objects.filter(pk=event.pk).update(teaser_fr="", interpretation_de="Simultanübersetzung")
    event.venue.locality_fr = ""
    event.venue.save()
    event.category.name_fr = ""  # the admin requires both; the database may still hold one
    event.category.save()
    event.project_group.name_fr = ""
    event.project_group.save()
    city = event.cities.get()
    city.name_fr = ""
    city.save()

    found = missing(Event.objects.get(pk=event.pk))

    assert found == [
        ("fr", "Anreißer"),
        ("fr", "Hinweis zur Verdolmetschung"),
        ("fr", f"Programm 10:00 „{slot.title_de}“: Beschreibung"),
        ("fr", f"Arbeitsgruppe „{workshop.title_de}“ (10:00): Titel"),
        ("fr", f"Redner/in {speaker.name}: Institution"),
        ("de", "Moderation Moderatorin: Funktion"),
        ("fr", "Veranstaltungsort „Rathaus, Metz“: Ort"),
        ("fr", "Kategorie „QuattroPole“: Name"),
        ("fr", "Projektgruppe „Kommunale Sozialpolitik“: Name"),
        ("fr", "Stadt „Metz“: Name"),
    ]


def test_each_missing_text_says_where_to_fix_it():
    event = complete_event(slots=2)
    second = event.slots.all()[1]
    workshop = second.workshops.get()
    workshop.title_fr = ""
    workshop.save()
    person = second.speakers.get()
    person.role_fr = ""
    person.save()
    Event.objects.filter(pk=event.pk).update(kicker_de="")

    items = {item.field_id or item.url: item for item in completeness.missing_texts(Event.objects.get(pk=event.pk))}

    change = reverse("admin:events_event_change", args=[event.pk])
    assert items["id_kicker_de"].url == f"{change}#id_kicker_de"
    # The second slot's first workshop, as the change form numbers its inlines.
    assert items["id_slots-1-workshops-0-title_fr"].url == f"{change}#id_slots-1-workshops-0-title_fr"
    person_url = reverse("admin:events_person_change", args=[person.pk]) + "#id_role_fr"
    assert items[person_url].field_id == "", "a person is fixed on its own page"
    assert {item.language for item in items.values()} == {"fr", "de"}


def test_a_text_empty_in_both_languages_is_not_missing():
    event = complete_event()
    Event.objects.filter(pk=event.pk).update(description_de="", description_fr="", kicker_de="", kicker_fr="")
    assert missing(Event.objects.get(pk=event.pk)) == []


def test_a_person_named_twice_is_listed_once():
    event = complete_event(slots=2)
    person = PersonFactory(name="Überall", role_fr="")
    for slot in event.slots.all():
        SlotSpeakerFactory(slot=slot, person=person)
    event.host = person
    event.save()
    assert missing(Event.objects.get(pk=event.pk)) == [("fr", "Redner/in Überall: Funktion")]


@pytest.mark.parametrize("slots", [1, 6])
def test_query_count_does_not_grow_with_the_programme(slots, django_assert_num_queries):
    event = complete_event(slots=slots)
    Workshop = event.slots.first().workshops.model
    Workshop.objects.filter(slot__event=event).update(title_fr="")
    # event, cities, slots, workshops, speaker links with people
    with django_assert_num_queries(5):
        loaded = completeness.with_texts().get(pk=event.pk)
        found = completeness.missing_texts(loaded)
    assert len(found) == slots


def changelist_html(admin_client, **query):
    response = admin_client.get(reverse("admin:events_event_changelist"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_events_list_shows_per_language_what_the_whole_event_lacks(admin_client):
    complete = complete_event()
    incomplete = complete_event()
    Event.objects.filter(pk=incomplete.pk).update(title_de="Halb übersetzt")
    workshop = incomplete.slots.get().workshops.get()
    workshop.title_fr = ""
    workshop.save()

    html = changelist_html(admin_client)

    rows = dict(re.findall(r'<th class="field-shown_title"><a [^>]*>([^<]*)</a></th>(.*?)</tr>', html, re.S))
    assert "vollständig" in rows[complete.title_de]
    half = rows["Halb übersetzt"]
    assert "vollständig" not in half
    assert '<abbr title="Français">FR</abbr>: 1 Text fehlt' in half
    assert f"Arbeitsgruppe „{workshop.title_de}“" in half
    translate = reverse("admin:events_event_translate", args=[incomplete.pk])
    assert f'href="{translate}"' in half


def test_the_events_list_query_count_is_the_same_for_one_and_many(admin_client):
    def count():
        admin_client.get(reverse("admin:events_event_changelist"))
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(reverse("admin:events_event_changelist"))
        return len(queries)

    complete_event(slots=1)
    one = count()
    for _ in range(4):
        complete_event(slots=4)
    assert count() == one


def test_the_change_form_lists_what_is_missing_each_linking_to_its_field(admin_client):
    event = complete_event(slots=2)
    slot = event.slots.all()[1]
    slot.title_fr = ""
    slot.save()
    event.venue.name_fr = ""
    event.venue.save()

    html = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()

    assert "Fehlende Übersetzungen" in html
    assert "Français: 2 Texte fehlen" in html
    assert (
        f'<a href="#id_slots-1-title_fr" data-field="id_slots-1-title_fr">Programm 11:00 „{slot.title_de}“: Titel</a>'
        in html
    )
    venue_url = reverse("admin:events_venue_change", args=[event.venue.pk])
    assert f'<a href="{venue_url}#id_name_fr">Veranstaltungsort „Rathaus, Metz“: Name</a>' in html
    assert 'id="id_slots-1-title_fr"' in html, "the link's target is on the page"


def test_the_change_form_of_a_complete_event_says_so(admin_client):
    event = complete_event()
    html = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "liegen in beiden Sprachen vor" in html
    assert "Fehlende Übersetzungen" not in html


def test_unused_reference_data_is_not_checked():
    event = complete_event()
    CategoryFactory(code="other", name_de="Andere", name_fr="Autre")
    VenueFactory(name_fr="")
    assert missing(event) == []


def test_the_venue_accessibility_note_is_checked_in_both_languages():
    """Issue 27: the accessibility note a visitor reads on every event at the venue."""
    event = complete_event()
    event.venue.accessibility_note_de = "Stufenloser Eingang über den Hof."
    event.venue.save()
    assert missing(Event.objects.get(pk=event.pk)) == [
        ("fr", "Veranstaltungsort „Rathaus, Metz“: Hinweis zur Barrierefreiheit"),
    ]
    with translation.override("fr"):
        (item,) = completeness.missing_texts(Event.objects.get(pk=event.pk))
        assert item.label.endswith("note sur l’accessibilité")
