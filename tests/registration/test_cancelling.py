"""Cancelling an event is an action staff mean, not a side effect of a save: saving an event as
cancelled (a shell, a restore from the history) e-mails nobody; the event admin asks first —
"N registrants will be e-mailed" — and e-mails each registrant once when staff confirm it
(registration/admin/events.py, services.booking.cancel_event)."""

import pytest
from django.urls import reverse
from reversion import create_revision
from reversion.models import Version

from events.models import Event
from registration.models import Email, Registration
from tests.factories import EventFactory
from tests.test_admin import form_values

from .factories import event_with_form

pytestmark = pytest.mark.django_db

ASKED = {
    "de": "2 angemeldete Personen erhalten eine E-Mail, dass die Veranstaltung abgesagt ist. "
    "Bestätigen Sie das unten oder wählen Sie, keine E-Mail zu senden.",
    "fr": "2 inscrits recevront un e-mail annonçant que l’événement est annulé. "
    "Confirmez-le ci-dessous, ou choisissez de ne pas leur écrire.",
}


@pytest.fixture
def event(register):
    event = event_with_form(capacity=1)
    event.registrants = [register(event, language="de"), register(event, language="fr")]  # confirmed, waitlisted
    Email.objects.update(sent_at="2020-01-01T00:00Z")  # what they were sent so far is out
    return event


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def told(deliver):
    return sorted(message.to[0] for message in deliver())


def test_saving_an_event_as_cancelled_emails_nobody(event, commit, deliver):
    event.is_cancelled = True
    with commit():
        event.save()
    assert told(deliver) == []


@pytest.mark.parametrize("language", ["de", "fr"])
def test_staff_cancelling_in_the_admin_are_asked_first_then_each_registrant_is_emailed_once(
    secretary, event, commit, deliver, language
):
    secretary.cookies["django_language"] = language
    data = form_values(secretary.get(change_url(event)))
    data["is_cancelled"] = "on"
    with commit():
        asked = secretary.post(change_url(event), data)
    assert asked.status_code == 200
    assert asked.context["adminform"].form.errors["cancellation_notice"] == [ASKED[language]]
    assert not Event.objects.get(pk=event.pk).is_cancelled, "nothing saved before staff answered"
    assert told(deliver) == []

    with commit():
        assert secretary.post(change_url(event), {**data, "cancellation_notice": "email"}).status_code == 302
    assert Event.objects.get(pk=event.pk).is_cancelled
    assert told(deliver) == sorted(registration.email for registration in event.registrants)

    data = form_values(secretary.get(change_url(event)))  # saved again, cancelled: nothing asked, nobody told
    assert "cancellation_notice" not in data
    with commit():
        assert secretary.post(change_url(event), data).status_code == 302
    assert Email.objects.filter(kind=Email.Kind.EVENT_CANCELLED).count() == 2


def test_staff_may_cancel_without_emailing(secretary, event, commit, deliver):
    data = form_values(secretary.get(change_url(event)))
    with commit():
        response = secretary.post(change_url(event), {**data, "is_cancelled": "on", "cancellation_notice": "silent"})
    assert response.status_code == 302 and Event.objects.get(pk=event.pk).is_cancelled
    assert told(deliver) == []


def restore_url(event):
    """A cancelled version of ``event`` in its history, the event itself no longer cancelled."""
    with create_revision():
        cancelled = Event.objects.get(pk=event.pk)
        cancelled.is_cancelled = True
        cancelled.save()
    Event.objects.filter(pk=event.pk).update(is_cancelled=False)
    version = Version.objects.get_for_object(event).first()
    return reverse("admin:events_event_revision", args=[event.pk, version.pk])


def test_restoring_a_cancelled_version_emails_nobody_unless_staff_confirm(secretary, event, commit, deliver):
    url = restore_url(event)
    secretary.cookies["django_language"] = "de"
    data = form_values(secretary.get(url))
    assert data["is_cancelled"] == "on"
    with commit():
        asked = secretary.post(url, data)
    assert asked.status_code == 200
    assert asked.context["adminform"].form.errors["cancellation_notice"] == [ASKED["de"]]
    assert not Event.objects.get(pk=event.pk).is_cancelled
    with commit():
        assert secretary.post(url, {**data, "cancellation_notice": "silent"}).status_code == 302
    assert Event.objects.get(pk=event.pk).is_cancelled, "the version is restored"
    assert told(deliver) == []


def test_restoring_a_cancelled_version_emails_the_registrants_once_staff_confirm(secretary, event, commit, deliver):
    url = restore_url(event)
    data = form_values(secretary.get(url))
    with commit():
        assert secretary.post(url, {**data, "cancellation_notice": "email"}).status_code == 302
    assert told(deliver) == sorted(registration.email for registration in event.registrants)


def test_staff_raising_the_places_in_the_admin_promote_the_waiting_list(secretary, event, commit, deliver):
    confirmed, waiting = event.registrants
    url = reverse("admin:registration_registrationsettings_change", args=[event.registration_settings.pk])
    data = form_values(secretary.get(url))
    with commit():
        assert secretary.post(url, {**data, "capacity": "2"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert told(deliver) == [waiting.email]


def test_saving_more_places_outside_the_admin_moves_nobody(event, commit, deliver):
    form = event.registration_settings
    form.capacity = 2
    with commit():
        form.save()
    assert Registration.objects.get(pk=event.registrants[1].pk).status == "waitlisted"
    assert told(deliver) == []


@pytest.mark.parametrize(
    ("language", "registrations", "set_up"),
    [("de", "Anmeldungen", "Anmeldung einrichten"), ("fr", "Inscriptions", "Configurer l’inscription")],
)
def test_the_event_form_links_to_its_registrations_or_to_setting_them_up(secretary, language, registrations, set_up):
    """The registration app's object tool on the event's admin page (events knows nothing of it)."""
    secretary.cookies["django_language"] = language
    with_form = event_with_form(capacity=5)
    overview = reverse("admin:registration_registration_overview", args=[with_form.pk])
    html = secretary.get(change_url(with_form)).content.decode()
    assert f'<li><a href="{overview}" class="registrationlink">{registrations}</a></li>' in html
    without = EventFactory()
    add = reverse("admin:registration_registrationsettings_add") + f"?event={without.pk}"
    html = secretary.get(change_url(without)).content.decode()
    assert f'<li><a href="{add}" class="registrationlink">{set_up}</a></li>' in html
    external = EventFactory(registration_url_de="https://example.org/anmeldung")
    assert "registrationlink" not in secretary.get(change_url(external)).content.decode()
