"""The rules of registration/services/: places, city quotas, workshop seats, the waiting list in its order,
promotion of the first who fits, staff moves and overrides, state by time, the next change by time
(EventQuerySet.next_change with registration.models.change_moments)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from events.models import Event
from registration.models import Email, Registration, StatusChange, change_moments
from registration.services import booking, capacity, errors, retention
from tests.factories import local

from .conftest import answers
from .factories import RegistrationFactory, event_with_form

pytestmark = pytest.mark.django_db


def statuses(event):
    return list(event.registrations.order_by("id").values_list("status", flat=True))


def test_places_then_waiting_list_in_arrival_order(register):
    event = event_with_form(capacity=2)
    first, second = register(event), register(event)
    third, fourth = register(event), register(event)
    assert [r.status for r in (first, second, third, fourth)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert (third.position, fourth.position) == (1, 2)
    assert Registration.objects.get(pk=fourth.pk).waiting_list_position() == 2


def test_no_place_is_offered_the_waiting_list_with_the_position_and_nothing_is_saved(register, commit):
    event = event_with_form(capacity=1)
    register(event)
    register(event)  # waitlisted, number 1
    with pytest.raises(errors.NoPlace) as refused, commit():
        booking.register(event, answers(), language="de")
    assert [p.kind for p in refused.value.problems] == ["places"]
    assert refused.value.position == 2
    assert event.registrations.count() == 2


def test_city_quota_and_other_places(register, cities):
    event = event_with_form(capacity=10, quotas={cities["trier"]: 1, cities["metz"]: 2}, other_places=1)
    assert register(event, cities["trier"]).status == "confirmed"
    assert register(event, cities["trier"]).status == "waitlisted"
    assert register(event, cities["metz"]).status == "confirmed"
    # Luxembourg has no quota of its own: it shares the places for other towns with Nancy.
    assert register(event, cities["luxembourg"]).status == "confirmed"
    assert register(event, None).status == "waitlisted"
    places = capacity.availability(event)
    assert places.places_left() == 1  # Metz's second place is the only one anyone can still take
    assert places.left_for(cities["metz"].pk) == 1
    assert places.left_for(cities["trier"].pk) == 0
    assert places.left_for(None) == 0


def test_problem_names_the_full_city(register, commit, cities):
    event = event_with_form(quotas={cities["trier"]: 1})
    register(event, cities["trier"])
    with pytest.raises(errors.NoPlace) as refused, commit():
        booking.register(event, answers(cities["trier"]), language="de")
    problem = refused.value.problems[0]
    assert (problem.kind, problem.city) == ("city", cities["trier"])
    assert str(problem.message()) == "Alle Plätze für Trier sind vergeben."


def test_workshop_seats(register):
    event = event_with_form(workshops=["Offene Daten", "Barrierefreiheit"], seats={"Offene Daten": 1})
    data, access = event.workshops_by_title["Offene Daten"], event.workshops_by_title["Barrierefreiheit"]
    assert register(event, workshops=[data]).status == "confirmed"
    assert register(event, workshops=[data]).status == "waitlisted"
    assert register(event, workshops=[access]).status == "confirmed"  # no limit on this one


def test_cancelling_promotes_the_first_waitlisted_who_fits_and_tells_them(register, commit, cities):
    event = event_with_form(capacity=3, quotas={cities["trier"]: 1, cities["metz"]: 2})
    trier = register(event, cities["trier"])
    metz = [register(event, cities["metz"]) for _ in range(2)]
    waiting_trier = register(event, cities["trier"])  # waits for a Trier place
    waiting_metz = register(event, cities["metz"])
    assert waiting_trier.position == 1 and waiting_metz.position == 2

    with commit():
        promoted = booking.cancel(metz[0])
    # Number 1 is from Trier, whose quota is still full: number 2 gets the Metz place.
    assert promoted == [waiting_metz]
    assert Registration.objects.get(pk=waiting_metz.pk).status == "confirmed"
    assert Registration.objects.get(pk=waiting_trier.pk).status == "waitlisted"
    assert Registration.objects.get(pk=waiting_trier.pk).waiting_list_position() == 1
    assert Email.objects.filter(registration=waiting_metz, kind=Email.Kind.PROMOTED).exists()
    assert StatusChange.objects.filter(registration=waiting_metz, action="promoted").exists()

    with commit():
        assert booking.cancel(trier) == [Registration.objects.get(pk=waiting_trier.pk)]


def test_cancelling_a_waitlisted_registration_promotes_nobody(register, commit):
    event = event_with_form(capacity=1)
    register(event)
    waiting = [register(event) for _ in range(2)]
    with commit():
        assert booking.cancel(waiting[0]) == []
    assert Registration.objects.get(pk=waiting[1].pk).waiting_list_position() == 1


def test_registrants_cancel_until_the_event_starts(register, commit):
    event = event_with_form(capacity=1)
    registration = register(event)
    with time_machine.travel(event.start + datetime.timedelta(minutes=1), tick=False):
        assert not capacity.can_cancel(registration)
        with pytest.raises(errors.NotOpen), commit():
            booking.cancel(registration)
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_nobody_is_promoted_once_the_event_has_started(register, commit):
    event = event_with_form(capacity=1)
    confirmed, waiting = register(event), register(event)
    with time_machine.travel(event.start + datetime.timedelta(minutes=1), tick=False), commit():
        assert booking.cancel(confirmed, by=_staff()) == []
    assert Registration.objects.get(pk=waiting.pk).status == "waitlisted"


def _staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username="staff", defaults={"is_staff": True})[0]


def test_the_same_address_twice_is_refused_whatever_its_spelling(register, commit):
    event = event_with_form()
    register(event, email="Erika.Muster@Example.org")
    with pytest.raises(errors.AlreadyRegistered), commit():
        booking.register(event, answers(email="  erika.muster@EXAMPLE.org "), language="de")
    assert event.registrations.get().email == "erika.muster@example.org"


def test_after_cancelling_the_address_may_register_again(register, commit):
    event = event_with_form()
    first = register(event, email="a@example.org")
    with commit():
        booking.cancel(first)
    again = register(event, email="a@example.org")
    assert again.status == "confirmed"


def test_registration_not_open_before_opening_after_closing_or_once_started(commit):
    event = event_with_form(
        opens_at=timezone.now() + datetime.timedelta(days=1), closes_at=timezone.now() + datetime.timedelta(days=10)
    )
    for moment, state in [
        (timezone.now(), capacity.State.NOT_YET_OPEN),
        (timezone.now() + datetime.timedelta(days=11), capacity.State.CLOSED),
        (event.start + datetime.timedelta(hours=1), capacity.State.STARTED),
        (event.end + datetime.timedelta(hours=1), capacity.State.ENDED),
    ]:
        with time_machine.travel(moment, tick=False):
            with pytest.raises(errors.NotOpen) as refused, commit():
                booking.register(event, answers(), language="de")
            assert refused.value.state == state
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False), commit():
        assert booking.register(event, answers(), language="de").status == "confirmed"


def test_cancelled_event_takes_no_registration(commit):
    event = event_with_form()
    event.is_cancelled = True
    event.save()
    with pytest.raises(errors.NotOpen) as refused, commit():
        booking.register(event, answers(), language="de")
    assert refused.value.state == capacity.State.CANCELLED


def test_staff_register_after_closing(commit):
    event = event_with_form(closes_at=timezone.now() + datetime.timedelta(days=1))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False), commit():
        registration = booking.register(event, answers(), language="fr", by=_staff())
    assert registration.status == "confirmed"
    assert registration.history.get().by.username == "staff"


def test_staff_move_under_the_rules_and_override_with_a_logged_reason(register, commit):
    event = event_with_form(capacity=1)
    _confirmed, waiting = register(event), register(event)
    staff = _staff()
    with pytest.raises(errors.NoPlace), commit():
        booking.move(waiting, Registration.Status.CONFIRMED, by=staff)
    with pytest.raises(ValueError), commit():
        booking.move(waiting, Registration.Status.CONFIRMED, by=staff, override=True)
    with commit():
        booking.move(waiting, Registration.Status.CONFIRMED, by=staff, override=True, note="Rednerin")
    assert event.registrations.filter(status="confirmed").count() == 2
    entry = StatusChange.objects.get(registration=waiting, action="moved")
    assert (entry.by, entry.override, entry.note, entry.old_status, entry.new_status) == (
        staff,
        True,
        "Rednerin",
        "waitlisted",
        "confirmed",
    )
    assert capacity.availability(event).places_left() == 0


def test_moving_someone_to_the_waiting_list_gives_their_place_to_the_next_person(register, commit):
    event = event_with_form(capacity=1)
    confirmed, waiting = register(event), register(event)
    with commit():
        promoted = booking.move(confirmed, Registration.Status.WAITLISTED, by=_staff())
    assert promoted == [waiting]
    confirmed.refresh_from_db()
    assert confirmed.status == "waitlisted" and confirmed.waiting_list_position() == 1
    assert Email.objects.filter(registration=confirmed, kind="waitlisted", position=1).exists()


def test_more_places_go_to_the_waiting_list_in_order(register, commit):
    event = event_with_form(capacity=1)
    register(event)
    waiting = [register(event) for _ in range(3)]
    with commit():
        promoted = booking.change_capacity(event.registration_settings, capacity=3)
    assert promoted == waiting[:2]
    assert list(event.registrations.filter(status="confirmed").order_by("id"))[1:] == waiting[:2]
    assert Registration.objects.get(pk=waiting[2].pk).status == "waitlisted"


def test_changing_answers_keeps_the_place_only_if_they_fit(register, commit):
    event = event_with_form(workshops=["A", "B"], seats={"A": 1, "B": 1})
    a, b = event.workshops_by_title["A"], event.workshops_by_title["B"]
    first = register(event, workshops=[a])
    register(event, workshops=[b])
    with pytest.raises(errors.NoPlace) as refused, commit():
        booking.change(first, answers(workshops=[b]))
    assert refused.value.problems[0].workshop == b
    assert list(first.workshop_choices.values_list("workshop", flat=True)) == [a.pk]
    # The same workshop again is fine (they hold its seat).
    with commit():
        changed = booking.change(first, answers(workshops=[a], first_name="Erika", email=first.email))
    assert changed.first_name == "Erika"


def test_a_waitlisted_registrant_who_changes_to_a_free_workshop_is_promoted(register, commit):
    event = event_with_form(workshops=["A", "B"], seats={"A": 1})
    a, b = event.workshops_by_title["A"], event.workshops_by_title["B"]
    register(event, workshops=[a])
    waiting = register(event, workshops=[a])
    with commit():
        changed = booking.change(waiting, answers(workshops=[b], email=waiting.email))
    assert changed.promoted and changed.status == "confirmed"


def test_attendance_is_for_confirmed_registrations(register):
    event = event_with_form(capacity=1)
    confirmed, _waiting = register(event), register(event)
    assert booking.set_attendance(Registration.objects.all(), True) == 1
    assert list(Registration.objects.filter(attended=True)) == [confirmed]


def next_change(event, now):
    """The domain's one answer (what the page cache asks), for one event."""
    return Event.objects.filter(pk=event.pk).next_change(now, **change_moments(now))


def test_next_change_is_the_next_moment_the_box_changes_by_time():
    start = local(2030, 6, 10, 9)
    event = event_with_form(start=start, opens_at=local(2030, 5, 1, 8), closes_at=local(2030, 6, 1, 18))
    assert next_change(event, local(2030, 4, 1)) == local(2030, 5, 1, 8)
    assert next_change(event, local(2030, 5, 2)) == local(2030, 6, 1, 18)
    assert next_change(event, local(2030, 6, 2)) == start
    assert next_change(event, start) == event.end
    assert next_change(event, event.end) is None


def test_next_change_of_an_external_link_is_its_deadline():
    from tests.factories import EventFactory

    event = EventFactory(
        start=local(2030, 6, 10, 9),
        end=local(2030, 6, 10, 17),
        registration_url_de="https://example.org",
        registration_deadline=datetime.date(2030, 6, 1),
    )
    assert next_change(event, local(2030, 5, 1)) == local(2030, 6, 2)


def test_anonymising_after_the_retention_period(register, commit, settings):
    settings.REGISTRATION_RETENTION_MONTHS = 6
    event = event_with_form(start=local(2030, 1, 10, 9), capacity=5)
    with time_machine.travel(local(2030, 1, 1), tick=False):
        kept = register(event, email="keep@example.org", dietary_needs="vegan")
    with time_machine.travel(local(2030, 7, 9), tick=False):
        assert retention.anonymise() == 0  # not yet six months since the end
    with time_machine.travel(local(2030, 7, 11), tick=False), commit():
        assert retention.anonymise() == 1
    kept.refresh_from_db()
    assert (kept.first_name, kept.last_name, kept.email, kept.dietary_needs) == ("", "", "", "")
    assert kept.status == "confirmed" and kept.anonymised_at is not None


@pytest.mark.parametrize(
    ("now", "months", "expected"),
    [
        ((2030, 7, 31), 6, (2030, 1, 31)),
        ((2030, 8, 31), 6, (2030, 2, 28)),
        ((2030, 3, 15), 6, (2029, 9, 15)),
        ((2030, 3, 15), 0, (2030, 3, 15)),
    ],
)
def test_months_ago(now, months, expected):
    assert retention.months_ago(local(*now), months) == local(*expected)


def test_registration_factory_is_consistent():
    registration = RegistrationFactory(status=Registration.Status.WAITLISTED)
    assert registration.queued_at is not None
