"""An event joined online: the link reaches registrants with a place (their own page and their
e-mails) when staff keep it for registrants only — not the waiting list until a place is theirs —
and an event held only online is never shown at a venue as if
people went there (page header, list entry, e-mail, calendar file)."""

import icalendar
import pytest
from django.test import Client

from registration import links
from registration.services import booking, notifications
from tests.factories import VenueFactory
from tests.helpers import html_of

from .factories import event_with_form
from .test_emails import parts

pytestmark = pytest.mark.django_db

LINK = "https://example.org/raum-42"


def online_event(mode="online", **fields):
    event = event_with_form(capacity=1)
    event.attendance_mode, event.online_url, event.online_url_visibility = mode, LINK, "registrants"
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    return event


@pytest.mark.parametrize(("language", "words"), [("de", "Online teilnehmen"), ("fr", "Participer en ligne")])
def test_the_registrants_page_and_email_carry_the_private_link(register, deliver, cities, language, words):
    event = online_event("mixed")
    assert LINK not in html_of(Client().get(event.get_absolute_url(language)))
    registration = register(event, cities["metz"], language=language)
    page = html_of(Client().get(links.manage_url(registration, language)))
    assert f'<a class="button" href="{LINK}" rel="noopener">{words}</a>' in page
    text, html, _ = parts(deliver()[0])
    assert f"{words}:" in text.replace("\u00a0", "").replace("\u202f", "")
    assert LINK in text and LINK in html


@pytest.mark.parametrize(("language", "words"), [("de", "Online teilnehmen"), ("fr", "Participer en ligne")])
def test_the_registrants_calendar_file_carries_the_private_link(register, deliver, cities, language, words):
    """The calendar file a registrant with a place gets holds the link they were given, not the
    public calendar's "registrants receive the link": their calendar is where they look for it."""
    event = online_event("mixed")
    register(event, cities["metz"], language=language)
    _text, _html, attachments = parts(deliver()[0])
    (vevent,) = icalendar.Calendar.from_ical(next(iter(attachments.values()))).walk("VEVENT")
    description = str(vevent["description"]).replace("\u00a0", "").replace("\u202f", "")
    assert f"{words}: {LINK}" in description
    public = Client().get(event.get_calendar_url(language)).content.decode()
    assert LINK not in public


SUBJECTS = {
    "de": ("Warteliste, Platz 1", "Veranstaltung geändert", "Sie haben einen Platz"),
    "fr": ("Liste d’attente, numéro 1", "Événement modifié", "Vous avez une place"),
}


@pytest.mark.parametrize(("language", "words"), [("de", "Online teilnehmen"), ("fr", "Participer en ligne")])
def test_the_waiting_list_gets_the_link_with_the_place_not_before(register, deliver, cities, commit, language, words):
    event = online_event("mixed")  # one place
    first = register(event, cities["metz"], language=language)
    waiting = register(event, cities["trier"], language=language)
    with commit():
        notifications.tell_event_changed(event)  # the waiting list hears of a change too

    def to_waiting():
        return [message for message in deliver() if message.to == [waiting.email]]

    waitlisted, changed = to_waiting()
    for message, subject in zip((waitlisted, changed), SUBJECTS[language][:2], strict=True):
        assert message.subject.startswith(subject)
        text, html, attachments = parts(message)
        assert LINK not in text and LINK not in html and attachments == {}
    page = html_of(Client().get(links.manage_url(waiting, language)))
    assert LINK not in page and words not in page
    with commit():
        booking.cancel(first)  # the place goes to the first on the waiting list
    promoted = to_waiting()[2]
    assert promoted.subject.startswith(SUBJECTS[language][2])
    text, html, attachments = parts(promoted)
    assert f"{words}:" in text.replace("\u00a0", "").replace("\u202f", "")
    assert LINK in text and LINK in html
    promoted_calendar = icalendar.Calendar.from_ical(next(iter(attachments.values())))
    assert promoted_calendar["method"] == "PUBLISH"
    assert LINK in str(promoted_calendar.walk("VEVENT")[0]["description"])
    page = html_of(Client().get(links.manage_url(waiting, language)))
    assert f'<a class="button" href="{LINK}" rel="noopener">{words}</a>' in page


@pytest.mark.parametrize("language", ["de", "fr"])
def test_no_link_to_join_an_event_called_off(register, deliver, cities, commit, language):
    event = online_event("mixed")
    registration = register(event, cities["metz"], language=language)
    with commit():
        booking.cancel_event(event)
    cancelled = deliver()[-1]
    assert cancelled.subject.startswith({"de": "Veranstaltung abgesagt", "fr": "Événement annulé"}[language])
    text, html, _ = parts(cancelled)
    assert LINK not in text and LINK not in html
    assert LINK not in html_of(Client().get(links.manage_url(registration, language)))


def test_no_link_on_the_page_of_someone_without_a_confirmed_address(register, cities, commit):
    from .conftest import answers

    event = online_event()
    with commit():
        held = booking.request_place(event, answers(cities["metz"]), language="de")
    assert LINK not in html_of(Client().get(links.manage_url(held, "de")))


@pytest.mark.parametrize(("language", "online"), [("de", "Online"), ("fr", "En ligne")])
def test_an_online_only_event_says_online_not_its_venue(register, deliver, cities, language, online):
    venue = VenueFactory(name_de="Rathaus Trier", name_fr="Hôtel de ville de Trèves")
    event = online_event(venue=venue)
    name = getattr(venue, f"name_{language}")
    page = html_of(Client().get(event.get_absolute_url(language)))
    header = page.split('<p class="event__when">', 1)[1].split("</p>", 1)[0]
    assert header.endswith(f" · {online}") and name not in page
    listing = html_of(Client().get(f"/{language}/"))
    assert f"<span>{online}</span>" in listing
    registration = register(event, cities["metz"], language=language)
    text, html, attachments = parts(deliver()[0])
    assert name not in text and online in text
    (vevent,) = icalendar.Calendar.from_ical(next(iter(attachments.values()))).walk("VEVENT")
    assert str(vevent["location"]) == online and "geo" not in vevent
    assert name not in html_of(Client().get(links.manage_url(registration, language)))
