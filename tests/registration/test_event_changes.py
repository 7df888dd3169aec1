"""Issue 27: a new date, place, attendance or status is told to registrants only when staff
confirm it in the admin — each registrant once, in their own language, with the new calendar
file (registration/admin/events.py, services.notifications.tell_event_changed). A save in the
shell or a restore from the history e-mails nobody. And "full" comes from registration."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from reversion import create_revision
from reversion.models import Version

from events import fullness
from events.models import Event
from registration.models import Email
from tests.test_admin import form_values

from .factories import event_with_form

pytestmark = pytest.mark.django_db

ASKED = {
    "de": "2 Angemeldete können per E-Mail über diese Änderung informiert werden, jeweils in ihrer Sprache, "
    "mit der neuen Kalenderdatei. Wählen Sie unten, ob sie eine E-Mail erhalten, und speichern Sie erneut.",
    "fr": "2 inscrits peuvent être informés de cette modification par e-mail, chacun dans sa langue, avec le "
    "nouveau fichier de calendrier. Choisissez ci-dessous s’il faut leur écrire, puis enregistrez à nouveau.",
}


@pytest.fixture
def event(register):
    # A day's event, on the minute as the admin's form writes times (tests/factories.py: in_a_month).
    event = event_with_form(capacity=1)
    event.registrants = [register(event, language="de"), register(event, language="fr")]  # confirmed, waitlisted
    Email.objects.update(sent_at="2020-01-01T00:00Z")  # what they were sent so far is out
    return event


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def moved_a_week(data, event):
    """The form's values with the start and end a week later, and the status "rescheduled"."""
    start = event.start.astimezone(event.tzinfo) + datetime.timedelta(days=7)
    end = event.end.astimezone(event.tzinfo) + datetime.timedelta(days=7)
    return {
        **data,
        "start_0": start.strftime("%d.%m.%Y"),
        "start_1": start.strftime("%H:%M"),
        "end_0": end.strftime("%d.%m.%Y"),
        "end_1": end.strftime("%H:%M"),
        "event_status": "rescheduled",
    }


def test_saving_a_new_date_in_the_shell_emails_nobody(event, commit, deliver):
    event.start += datetime.timedelta(days=7)
    event.end += datetime.timedelta(days=7)
    event.event_status = Event.EventStatus.RESCHEDULED
    event.previous_start = event.start - datetime.timedelta(days=7)
    with commit():
        event.save()
    assert deliver() == []


@pytest.mark.parametrize("language", ["de", "fr"])
def test_rescheduling_asks_first_then_emails_each_registrant_once_in_their_language(
    secretary, event, commit, deliver, language
):
    secretary.cookies["django_language"] = language
    data = moved_a_week(form_values(secretary.get(change_url(event))), event)
    old_start = event.start
    with commit():
        asked = secretary.post(change_url(event), data)
    assert asked.status_code == 200
    assert asked.context["adminform"].form.errors["change_notice"] == [ASKED[language]]
    assert Event.objects.get(pk=event.pk).start == event.start, "nothing saved before staff answered"
    assert deliver() == []

    with commit():
        assert secretary.post(change_url(event), {**data, "change_notice": "email"}).status_code == 302
    saved = Event.objects.get(pk=event.pk)
    assert saved.start == old_start + datetime.timedelta(days=7)
    assert saved.previous_start == old_start, "the previous start is kept from the form"
    sent = {message.to[0]: message for message in deliver()}
    assert sorted(sent) == sorted(registration.email for registration in event.registrants)
    german, french = (sent[registration.email] for registration in event.registrants)
    assert german.subject.startswith("Veranstaltung geändert: ")
    assert "Geplant war sie für" in german.body
    assert french.subject.startswith("Événement modifié\u00a0: ")
    assert "Il était prévu le" in french.body
    # The confirmed registrant gets the new calendar file, a higher revision than before.
    (attachment,) = [part for part in german.attachments if "calendar" in str(part.get_content_type())]
    component = next(iter(icalendar.Calendar.from_ical(attachment.get_payload(decode=True)).events))
    assert component["DTSTART"].dt == saved.start
    assert component["SEQUENCE"] > 0
    assert Email.objects.filter(kind=Email.Kind.EVENT_CHANGED).count() == 2

    # Saved again unchanged: nothing asked, nobody told again.
    data = form_values(secretary.get(change_url(event)))
    with commit():
        again = secretary.post(change_url(event), data)
    assert again.status_code == 302, again.context["adminform"].form.errors
    assert Email.objects.filter(kind=Email.Kind.EVENT_CHANGED).count() == 2


def test_staff_may_change_without_emailing(secretary, event, commit, deliver):
    data = moved_a_week(form_values(secretary.get(change_url(event))), event)
    with commit():
        response = secretary.post(change_url(event), {**data, "change_notice": "silent"})
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).event_status == Event.EventStatus.RESCHEDULED
    assert deliver() == []


def test_restoring_a_version_with_another_date_emails_nobody(secretary, event, commit, deliver):
    with create_revision():
        moved = Event.objects.get(pk=event.pk)
        moved.previous_start = moved.start
        moved.start += datetime.timedelta(days=3)
        moved.end += datetime.timedelta(days=3)
        moved.event_status = Event.EventStatus.RESCHEDULED
        moved.save()
    Event.objects.filter(pk=event.pk).update(
        start=event.start, end=event.end, event_status="scheduled", previous_start=None
    )
    version = Version.objects.get_for_object(event).first()
    url = reverse("admin:events_event_revision", args=[event.pk, version.pk])
    data = form_values(secretary.get(url))
    with commit():
        assert secretary.post(url, data).status_code == 302
    assert Event.objects.get(pk=event.pk).event_status == Event.EventStatus.RESCHEDULED, "the version is restored"
    assert deliver() == []
    assert not Email.objects.filter(kind=Email.Kind.EVENT_CHANGED).exists()


def test_full_when_all_places_are_taken(client, register):
    event = event_with_form(capacity=1)
    assert fullness.full_ids([event]) == set()
    register(event, language="de")
    assert fullness.full_ids([event]) == {event.pk}
    page = client.get(event.get_absolute_url("de")).content.decode()
    assert "Diese Veranstaltung ist ausgebucht: alle Plätze sind vergeben." in page
    listing = client.get("/fr/evenements/").content.decode()
    assert '<p class="event-card__status"><strong>Complet</strong></p>' in listing
