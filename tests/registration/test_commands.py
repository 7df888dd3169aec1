"""Management commands: the demo's registration form (idempotent, registrations kept), the
anonymisation of old registrations, and the reminders (the clock frozen)."""

import io

import pytest
import time_machine
from django.core.management import call_command

from events import fullness
from events.models import Event
from registration.models import Email, Registration, RegistrationSettings
from registration.services import booking, capacity
from tests.factories import local

from .conftest import answers
from .factories import event_with_form

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_has_a_citizens_meeting_with_built_in_registration_and_survives_a_rerun(commit):
    run("load_demo", "--no-posters")
    event = Event.objects.get(slug_de="beispiel-buergertreffen-der-vier-staedte")
    form = RegistrationSettings.objects.get(event=event)
    assert event.title_de.startswith("Beispiel: ") and event.title_fr.startswith("Exemple : ")
    assert (form.capacity, form.other_places, form.ask_lunch, form.ask_bus) == (40, 0, True, True)
    assert sorted(form.quotas.values_list("city__code", "places")) == [
        ("luxembourg", 10),
        ("metz", 10),
        ("saarbruecken", 10),
        ("trier", 10),
    ]
    assert list(form.workshop_seats.values_list("seats", flat=True)) == [20, 20]
    assert capacity.state(event, form) == capacity.State.OPEN
    workshop = form.workshop_seats.first().workshop
    trier = form.quotas.get(city__code="trier").city
    with commit():
        registration = booking.register(event, answers(trier, [workshop]), language="de")
    # Running the demo again keeps the registration and the workshop it chose.
    run("load_demo", "--no-posters")
    assert list(Registration.objects.get(pk=registration.pk).workshops.all()) == [workshop]
    # The meeting's form and the full guided tour's (issue 27), whose fictional registrants get no e-mail.
    assert RegistrationSettings.objects.count() == 2
    tour = Event.objects.get(slug_de="beispiel-fuehrung-durch-die-porta-nigra")
    assert fullness.full_ids([tour]) == {tour.pk}
    assert not Email.objects.filter(registration__event=tour).exists()


def test_anonymise_command(register, settings):
    settings.REGISTRATION_RETENTION_MONTHS = 6
    event = event_with_form(start=local(2030, 1, 10, 9))
    with time_machine.travel(local(2030, 1, 1), tick=False):
        registration = register(event, email="alt@example.org")
    with time_machine.travel(local(2030, 8, 1), tick=False):
        assert "1 registration(s)" in run("anonymise_registrations", "--dry-run")
        assert Registration.objects.get(pk=registration.pk).email == "alt@example.org"
        assert "1 registration(s)" in run("anonymise_registrations")
        assert "0 registration(s)" in run("anonymise_registrations")
        assert "0 registration(s)" in run("anonymise_registrations", "--months", "12")
    assert Registration.objects.get(pk=registration.pk).email == ""


def test_send_reminders_command_reports(register):
    assert "0 reminder(s) queued." in run("send_reminders")
