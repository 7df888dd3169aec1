"""No text can break a page, a feed, a calendar file or an e-mail (core/text.py):
text is cleaned on every save, whoever saves it, and every output with rules of its own (the Atom
feed and the sitemap are XML 1.0, calendar files iCalendar, e-mails MIME, JSON-LD a data block in
HTML) is written within those rules whatever the database holds."""

import email
import email.policy
import json
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.urls import reverse

from core.text import identifier, multi_line, one_line, xml_text
from events.models import Event, Person, ProgrammeSlot, Venue, Workshop
from registration import emails, links
from registration.models import Email, Registration, StatusChange, WorkshopChoice

from .factories import (
    CityFactory,
    EventFactory,
    PersonFactory,
    ProgrammeSlotFactory,
    ProjectGroupFactory,
    SlotSpeakerFactory,
    WorkshopFactory,
)
from .helpers import url
from .registration.factories import RegistrationFactory, RegistrationSettingsFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engines]

# Every C0 and C1 control, DEL, the Unicode line and paragraph separators and a lone surrogate.
NASTY = "".join(map(chr, range(0x00, 0x20))) + "".join(map(chr, range(0x7F, 0xA0))) + "\u2028\u2029\ud800"
# What may stand in an XML 1.0 document, an iCalendar content line, an HTML page.
FORBIDDEN_IN_OUTPUT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
LANGUAGES = ("de", "fr")


# --- The cleaning functions ---------------------------------------------------------------------


def test_a_one_line_text_gets_its_line_breaks_as_spaces():
    assert one_line("Titel\x0b2. Zeile") == "Titel 2. Zeile"  # Word's Shift+Enter
    assert one_line("Zuwanderung \r\n als Chance") == "Zuwanderung als Chance"
    assert one_line("\n Zuwanderung\u2028als\u2029Chance \n") == "Zuwanderung als Chance"
    assert one_line("Metz\tTrier") == "Metz Trier"
    assert one_line("Ate\x00lier\x07 \x85Nord\x9f\ud800") == "Atelier Nord"


def test_a_text_of_several_lines_keeps_its_lines():
    assert multi_line("Erste Zeile\r\nZweite\rDritte\x0bVierte") == "Erste Zeile\nZweite\nDritte\nVierte"
    assert multi_line("Absatz\u2029Nächster\u2028Zeile") == "Absatz\n\nNächster\nZeile"
    assert multi_line("**Fett**\t\x00\x1b[31mrot\x7f\x9b") == "**Fett** [31mrot"


def test_an_identifier_loses_every_control_and_space_character():
    assert identifier("zuwanderung-als-chance" + NASTY) == "zuwanderung-als-chance"
    assert identifier("anna@example.org\r\nBcc: x@example.org") == "anna@example.orgBcc: x@example.org"


def test_xml_text_keeps_what_xml_allows():
    assert xml_text("a\tb\nc\rd" + NASTY) == "a\tb\nc\rd\t\n\r\u2028\u2029"


# --- The reproductions of issue 21 ------------------------------------------------------------------


def test_a_vertical_tab_in_a_teaser_does_not_break_the_feed(client):
    EventFactory(teaser_de="Zeile eins\x0bZeile zwei")
    response = client.get(url("events:feed", "de"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    summary = root.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert "Zeile eins\nZeile zwei" in summary.text


def test_a_vertical_tab_stored_without_a_save_does_not_break_the_feed(client):
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(
        teaser_de="Zeile eins\x0bZeile zwei", title_de="Titel\x0cmit Seitenumbruch"
    )
    response = client.get(url("events:feed", "de"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entry = root.find("{http://www.w3.org/2005/Atom}entry")
    assert entry.findtext("{http://www.w3.org/2005/Atom}title") == "Titel mit Seitenumbruch"
    assert "Zeile einsZeile zwei" in entry.findtext("{http://www.w3.org/2005/Atom}summary")


def test_a_line_break_in_a_title_does_not_break_the_calendar_file(client):
    event = EventFactory(title_de="Zuwanderung\nals Chance")
    response = client.get(event.get_calendar_url("de"))
    assert response.status_code == 200
    (vevent,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["summary"]) == "Zuwanderung als Chance"


def test_a_line_break_stored_without_a_save_does_not_break_the_calendar_files(client):
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(title_de="Zuwanderung\nals Chance", teaser_de="Eins\x0bZwei\u2028Drei")
    for address in (event.get_calendar_url("de"), url("events:calendar", "de")):
        response = client.get(address)
        assert response.status_code == 200
        assert_valid_icalendar(response.content)
    (vevent,) = icalendar.Calendar.from_ical(client.get(event.get_calendar_url("de")).content).walk("VEVENT")
    assert str(vevent["summary"]) == "Zuwanderung als Chance"
    assert str(vevent["description"]).startswith("Eins\nZwei\nDrei\n\n")


def test_a_line_break_in_a_title_does_not_stop_the_registration_emails():
    registration = RegistrationFactory(event=EventFactory(title_de="Zuwanderung"))
    RegistrationSettingsFactory(event=registration.event)
    Event.objects.filter(pk=registration.event_id).update(title_de="Zuwanderung\nals Chance")
    registration = Registration.objects.get(pk=registration.pk)
    for kind in Email.Kind.values:
        message = emails.build(Email.objects.create(registration=registration, kind=kind, position=1))
        parsed = assert_valid_email(message)
        assert parsed["Subject"].endswith("Zuwanderung als Chance")


# --- Where text enters: the admin, the paste import, the translation page, the registration form -------


def test_text_typed_in_the_admin_is_stored_clean(admin_client):
    from .test_admin import event_form_data

    data = event_form_data(title_de="Digitale\x0bVerwaltung\x07", teaser_de="Zeile eins\x0bZeile zwei\u2028drei")
    assert admin_client.post(reverse("admin:events_event_add"), data).status_code == 302
    event = Event.objects.get(slug_de="digitale-verwaltung")
    assert (event.title_de, event.teaser_de) == ("Digitale Verwaltung", "Zeile eins\nZeile zwei\ndrei")


def test_a_pasted_programme_is_stored_clean(admin_client):
    from .factories import conference_2017
    from .test_programme_paste_admin import confirm, preview

    event = conference_2017(status=Event.Status.DRAFT)
    pasted = "9h30\tAccueil\x07 des participants\x1f\t9:30\tEmpfang der \x0eTeilnehmenden\x7f"
    assert confirm(admin_client, event, preview(admin_client, event, pasted)).status_code == 302
    slot = event.slots.get()
    assert (slot.title_fr, slot.title_de) == ("Accueil des participants", "Empfang der Teilnehmenden")


def test_a_translation_is_stored_clean(admin_client):
    from .test_admin import form_values

    slot = ProgrammeSlotFactory(title_de="Vortrag")
    address = reverse("admin:events_event_translate", args=[slot.event.pk])
    data = form_values(admin_client.get(address))
    data[f"programmeslot-{slot.pk}-title_fr"] = "Exposé\x0b: la ville\x1b"
    assert admin_client.post(address, data).status_code == 302
    slot.refresh_from_db()
    assert slot.title_fr == "Exposé : la ville"


def test_a_registration_is_stored_clean(client):
    from .registration.factories import event_with_form
    from .registration.test_views import form_data, register_url

    event = event_with_form(ask_dietary_needs=True)
    data = form_data(city="other", other_town="Nancy\x0b", first_name="Ana\x1bïs", dietary_needs="vegan\r\nglutenfrei")
    assert client.post(register_url(event), data).status_code == 302
    registration = Registration.objects.get()
    assert (registration.first_name, registration.other_town, registration.dietary_needs) == (
        "Anaïs",
        "Nancy",
        "vegan glutenfrei",
    )


def test_a_save_of_a_partly_loaded_object_leaves_the_rest_unread():
    """Fields not loaded are not saved either: the cleaning does not load them (a query each)."""
    person = Person.objects.only("pk", "name").get(pk=PersonFactory().pk)
    person.name = "Anne\x0bMuster"
    person.save(update_fields=["name"])
    assert {"role_de", "role_fr", "affiliation_de", "affiliation_fr", "phone"} <= person.get_deferred_fields()
    assert Person.objects.get(pk=person.pk).name == "Anne Muster"


# --- Every text field of every model, every output ---------------------------------------------------


def text_fields(model):
    """The text fields of ``model`` as the database holds them: each language of a translated one
    (``title_de``, ``title_fr``), not its original (``title``, which stands for the active one)."""
    names = {field.name for field in model._meta.concrete_fields}
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and f"{field.name}_de" not in names
    ]


def is_identifier(field):
    return isinstance(field, models.SlugField) or bool(field.choices)


@pytest.fixture
def world():
    """One object of every model of events and registration, all linked as the pages show them: an
    event with venue, category, project group, cities, people, a programme with a speaker and a
    workshop, a registration form with its quota and seats, and a registration with a workshop
    choice, a history line and an e-mail."""
    cities = [CityFactory(code="metz", name_de="Metz", name_fr="Metz")]
    event = EventFactory(
        project_group=ProjectGroupFactory(),
        moderator=PersonFactory(),
        contact=PersonFactory(email="kontakt@example.org", phone="+49 681 000"),
        host=PersonFactory(),
        description_de="**Programm**\n\nMit Absatz.",
        description_fr="**Programme**\n\nAvec paragraphe.",
        host_letter_de="Liebe Gäste",
        host_letter_fr="Chers invités",
        poster_alt_de="Plakat",
        poster_alt_fr="Affiche",
        interpretation_de="Simultanübersetzung",
        interpretation_fr="Traduction simultanée",
        registration_url_de="https://example.org/anmelden",
        registration_url_fr="https://example.org/inscription",
    )
    event.cities.set(cities)
    talk = ProgrammeSlotFactory(event=event, description_de="Vortrag.", description_fr="Exposé.")
    SlotSpeakerFactory(slot=talk)
    workshop = WorkshopFactory(
        slot=ProgrammeSlotFactory(event=event, kind="workshops"), description_de="Mehr", description_fr="Plus"
    )
    form = RegistrationSettingsFactory(event=event, workshop_choice="one")
    form.quotas.create(city=cities[0], places=10)
    form.workshop_seats.create(workshop=workshop, seats=20)
    registration = RegistrationFactory(
        event=event, city=cities[0], organisation="Stadt Metz", other_town="", dietary_needs="vegetarisch"
    )
    WorkshopChoice.objects.create(registration=registration, workshop=workshop)
    StatusChange.objects.create(registration=registration, action="registered", new_status="confirmed", note="Notiz")
    Email.objects.create(registration=registration, kind="confirmation", last_error="SMTP 451")
    return event


def objects_of(event):
    """Every object of the world, by model."""
    registration = event.registrations.get()
    found = {
        Event: [event],
        Venue: [event.venue],
        Person: [event.moderator, event.contact, event.host, *Person.objects.filter(slots__event=event)],
        ProgrammeSlot: list(event.slots.all()),
        Workshop: list(Workshop.objects.filter(slot__event=event)),
        Registration: [registration],
        StatusChange: list(registration.history.all()),
        Email: list(registration.emails.all()),
    }
    for model in (*apps.get_app_config("events").get_models(), *apps.get_app_config("registration").get_models()):
        if model not in found:
            found[model] = list(model.objects.all())
    return found


def test_the_world_has_every_model_of_the_site(world):
    """So that a model added later is in the tests below (or this test says it is missing)."""
    empty = [model.__name__ for model, objects in objects_of(world).items() if not objects]
    assert empty == []


def test_every_text_saved_with_every_control_character_is_stored_clean(world):
    """Through the ORM, bypassing every form: the save cleans (PostgreSQL would refuse the NUL byte
    and the surrogate with an error; nothing reaches it)."""
    objects = objects_of(world)
    for model, instances in objects.items():
        for instance in instances:
            for field in text_fields(model):
                value = getattr(instance, field.attname)
                setattr(instance, field.attname, f"{value}{NASTY}" if is_identifier(field) else f"{value}{NASTY}Ende")
            instance.save()
    for model, instances in objects.items():
        fields = text_fields(model)
        stored_rows = model.objects.filter(pk__in=[i.pk for i in instances]).values(*[f.attname for f in fields])
        for stored in stored_rows:
            for field in fields:
                assert FORBIDDEN_IN_OUTPUT.search(stored[field.attname]) is None, (model.__name__, field.name)
                assert "\t" not in stored[field.attname] and "\r" not in stored[field.attname]
                if not isinstance(field, models.TextField):
                    assert "\n" not in stored[field.attname], (model.__name__, field.name)
    event = Event.objects.get(pk=world.pk)
    assert event.title_de.endswith(" Ende") and event.slug_de == world.slug_de and event.status == "published"
    assert "\n" in event.description_de

    assert_every_output_holds(event)


def accepted_by_the_database():
    """The characters of NASTY the database stores in a text column, each tried on its own."""
    venue = Venue.objects.create(name_de="Probe", locality_de="Metz")
    accepted = ""
    for character in NASTY:
        try:
            with transaction.atomic():
                Venue.objects.filter(pk=venue.pk).update(street=f"a{character}b")
            accepted += character
        except Exception:  # each database refuses in its own way (DataError, UnicodeEncodeError)
            pass
    venue.delete()
    return accepted


def test_what_the_database_stores_without_a_save():
    """A lone surrogate cannot even be encoded; PostgreSQL also refuses the NUL byte (SQLite keeps
    it). Everything else is stored as it is when no save cleans it (an update, raw SQL)."""
    refused = {"sqlite": "\ud800", "postgresql": "\x00\ud800"}[connection.vendor]
    assert accepted_by_the_database() == "".join(c for c in NASTY if c not in refused)


def test_every_output_holds_whatever_the_database_holds(world):
    """Every text of every object stored with every control character the database accepts (as
    many as the field holds), by ``update()`` (no save, no cleaning): every page, feed, calendar,
    sitemap and e-mail still works, and those with rules of their own keep them. (Slugs and
    choices are identifiers the save keeps clean: stored broken, they name no page and no state,
    so they are left out.)"""
    accepted = accepted_by_the_database()
    for model, instances in objects_of(world).items():
        fields = [field for field in text_fields(model) if not is_identifier(field)]
        for values in model.objects.filter(pk__in=[instance.pk for instance in instances]).values(
            "pk", *[field.attname for field in fields]
        ):
            # As much as the column holds (PostgreSQL refuses more; a short one gets some characters).
            changes = {field.attname: f"{values[field.attname]}{accepted}Ende"[: field.max_length] for field in fields}
            model.objects.filter(pk=values["pk"]).update(**changes)
    event = Event.objects.get(pk=world.pk)
    assert event.teaser_de.endswith(f"{accepted}Ende")

    assert_every_output_holds(event, html_clean=False)


def assert_every_output_holds(event, html_clean=True):
    """Every page, feed, calendar file, sitemap and registration e-mail of ``event``, in both
    languages: answered (no 500), XML and iCalendar parse, JSON-LD is valid JSON escaped for HTML,
    e-mails build and parse strictly. ``html_clean``: the pages hold no forbidden character either."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    registration = event.registrations.get()
    city, category = event.cities.get(), event.category
    for language in LANGUAGES:
        pages = [
            url("home", language),
            url("events:list", language),
            url("events:list", language) + f"?city={city.code}&category={category.code}&year={event.start.year}",
            url("events:past", language),
            event.get_absolute_url(language),
            event.get_programme_url(language),
            url("registration:resend", language, slug=event.slug_in(language)),
            links.manage_url(registration, language),
            links.manage_url(registration, language, "registration:change"),
            links.manage_url(registration, language, "registration:cancel"),
        ]
        for address in pages:
            response = client.get(address)
            assert response.status_code == 200, address
            page = response.content.decode()
            if html_clean:
                assert FORBIDDEN_IN_OUTPUT.search(page) is None, address
            for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S):
                assert json.loads(data)["@type"] == "Event"
                assert not re.search("[<>&\u2028\u2029\x7f-\x9f]", data)
        for address in (event.get_calendar_url(language), url("events:calendar", language)):
            response = client.get(address)
            assert response.status_code == 200, address
            assert_valid_icalendar(response.content)
        feed = client.get(url("events:feed", language))
        assert feed.status_code == 200
        assert len(ET.fromstring(feed.content).findall("{http://www.w3.org/2005/Atom}entry")) == 1
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    ET.fromstring(sitemap.content)
    for language in LANGUAGES:
        Registration.objects.filter(pk=registration.pk).update(language=language)
        registration.refresh_from_db()
        for kind in Email.Kind.values:
            # A reminder and an event-cancelled notice exist once per registration.
            email, _new = Email.objects.get_or_create(registration=registration, kind=kind, defaults={"position": 1})
            assert_valid_email(emails.build(email))


def assert_valid_icalendar(content):
    """Parsed by icalendar, and every content line free of what RFC 5545 forbids (all controls but
    the tab; lines end with CRLF, in an e-mail's calendar part too)."""
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar.walk("VEVENT")
    for line in content.decode().split("\r\n"):
        assert not re.search("[\x00-\x08\x0a-\x1f\x7f-\x9f]", line), repr(line)
    return calendar


def assert_valid_email(message):
    """The message as a mail server receives it, read by Python's strict parser (which raises on
    any defect); one-line headers; the calendar file, if any, valid."""
    raw = message.message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.strict)
    for name in ("Subject", "From", "To", "Reply-To"):
        assert "\n" not in (parsed[name] or "") and "\r" not in (parsed[name] or "")
    for part in parsed.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            assert FORBIDDEN_IN_OUTPUT.search(part.get_content()) is None
        elif part.get_content_type() == "text/calendar":
            assert_valid_icalendar(part.get_payload(decode=True))
    return parsed
