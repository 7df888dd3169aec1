"""``registrations_changed`` (registration/signals.py) is sent after the commit — and only then —
for every change of what an event's registration box shows, so that the page cache is never
stale: see the contract in the module's docstring."""

import datetime
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.utils import timezone

from events.models import Event
from registration.models import CityQuota, Registration, RegistrationSettings, WorkshopSeats
from registration.services import booking, retention
from registration.signals import registrations_changed

from .conftest import answers
from .factories import event_with_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced(commit):
    """``with announced() as events:`` → the events announced once the block's work commits."""

    @contextmanager
    def announced():
        events = []

        def receiver(sender, event, **kwargs):
            events.append(event)

        registrations_changed.connect(receiver)
        try:
            with commit():
                yield events
        finally:
            registrations_changed.disconnect(receiver)

    return announced


@pytest.fixture
def event(cities):
    return event_with_form(capacity=1, quotas={cities["metz"]: 1}, workshops=["A"], seats={"A": 5})


def _staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("staff", is_staff=True)


def test_nothing_is_sent_before_the_commit_or_for_a_rollback(event, cities):
    events = []
    registrations_changed.connect(receiver := lambda sender, event, **kw: events.append(event))
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            booking.register(event, answers(cities["metz"]), language="de")
            assert events == []  # not before the commit
            raise RuntimeError("rolled back")
    finally:
        registrations_changed.disconnect(receiver)
    assert events == [] and not Registration.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        "created",
        "waitlisted",
        "cancelled_and_promoted",
        "moved",
        "changed",
        "deleted",
        "attendance",
        "bulk_update",
        "settings_saved",
        "quota_edited",
        "quota_bulk_update",
        "seats_edited",
        "seats_deleted",
        "anonymised",
    ],
)
def test_sent_for_every_change_of_the_box(event, cities, register, announced, change):
    first = register(event, cities["metz"])
    actions = {
        "created": lambda: booking.register(event, answers(None), language="de", join_waiting_list=True),
        "waitlisted": lambda: booking.register(event, answers(cities["metz"]), language="de", join_waiting_list=True),
        "cancelled_and_promoted": lambda: booking.cancel(first),
        "moved": lambda: booking.move(first, Registration.Status.WAITLISTED, by=_staff()),
        "changed": lambda: booking.change(first, answers(cities["metz"], email=first.email)),
        "deleted": lambda: booking.delete([first]),
        "attendance": lambda: booking.set_attendance([first], True),
        "bulk_update": lambda: Registration.objects.filter(pk=first.pk).update(organisation="Neu"),
        "settings_saved": lambda: RegistrationSettings.objects.get(pk=event.pk).save(),
        "quota_edited": lambda: CityQuota.objects.get(settings_id=event.pk).save(),
        "quota_bulk_update": lambda: CityQuota.objects.filter(settings_id=event.pk).update(places=3),
        "seats_edited": lambda: WorkshopSeats.objects.get(settings_id=event.pk).save(),
        "seats_deleted": lambda: WorkshopSeats.objects.filter(settings_id=event.pk).delete(),
        "anonymised": lambda: retention.anonymise(),
    }
    if change == "anonymised":  # the event ended more than a year ago
        long_ago = timezone.now() - datetime.timedelta(days=400)
        Event.objects.filter(pk=event.pk).update(start=long_ago, end=long_ago + datetime.timedelta(hours=8))
    with announced() as events:
        actions[change]()
    assert events, f"{change}: registrations_changed was not sent"
    assert {e.pk for e in events} == {event.pk}


def test_the_event_is_sent_with_its_data(event, register, announced, cities):
    with announced() as events:
        register(event, cities["metz"])
    assert events[0] == event and events[0].title_de == event.title_de
