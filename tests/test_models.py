import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event, ProgrammeSlot

from .factories import EventFactory, ProgrammeSlotFactory, VenueFactory, WorkshopFactory, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    """A one-day conference like the 2017 one: 22 Nov 2017, 9:30–17:00 in Metz, register until 15 Nov."""
    return EventFactory(
        start=local(2017, 11, 22, 9, 30),
        end=local(2017, 11, 22, 17, 0),
        registration_url_de="https://example.org/anmeldung",
        registration_url_fr="https://example.org/inscription",
        registration_deadline=datetime.date(2017, 11, 15),
    )


class TestQuerysets:
    def test_published_hides_drafts(self):
        published = EventFactory()
        EventFactory(status=Event.Status.DRAFT)
        assert list(Event.objects.published()) == [published]

    @pytest.mark.parametrize(
        ("now", "upcoming", "past"),
        [
            (local(2017, 11, 22, 9, 29), True, False),  # just before it starts
            (local(2017, 11, 22, 12, 0), True, False),  # in progress: still upcoming
            (local(2017, 11, 22, 17, 0), True, False),  # the very last minute
            (local(2017, 11, 22, 17, 1), False, True),  # ended
        ],
    )
    def test_upcoming_and_past_are_judged_by_the_end(self, conference, now, upcoming, past):
        assert (conference in Event.objects.upcoming(now)) is upcoming
        assert (conference in Event.objects.past(now)) is past

    def test_upcoming_soonest_first_and_past_latest_first(self):
        with time_machine.travel(local(2020, 6, 1), tick=False):
            later = EventFactory(start=local(2020, 9, 1, 10), end=local(2020, 9, 1, 12))
            sooner = EventFactory(start=local(2020, 7, 1, 10), end=local(2020, 7, 1, 12))
            old = EventFactory(start=local(2019, 1, 1, 10), end=local(2019, 1, 1, 12))
            older = EventFactory(start=local(2018, 1, 1, 10), end=local(2018, 1, 1, 12))
            assert list(Event.objects.upcoming()) == [sooner, later]
            assert list(Event.objects.past()) == [old, older]


class TestRegistrationState:
    @pytest.mark.parametrize(
        ("now", "state"),
        [
            (local(2017, 11, 1, 12), Event.RegistrationState.OPEN),
            (local(2017, 11, 15, 23, 59), Event.RegistrationState.OPEN),  # deadline day is included
            (local(2017, 11, 16, 0, 0), Event.RegistrationState.CLOSED),  # after the deadline
            (local(2017, 11, 22, 12, 0), Event.RegistrationState.CLOSED),  # in progress
            (local(2017, 11, 22, 17, 1), Event.RegistrationState.ENDED),
        ],
    )
    def test_state_at_the_boundaries(self, conference, now, state):
        assert conference.registration_state(now) == state

    def test_no_link_means_no_registration(self):
        event = EventFactory(registration_url_de="", registration_url_fr="")
        assert event.registration_state() == Event.RegistrationState.NONE

    def test_without_deadline_registration_closes_when_the_event_starts(self, conference):
        conference.registration_deadline = None
        assert conference.registration_state(local(2017, 11, 22, 9, 0)) == Event.RegistrationState.OPEN
        assert conference.registration_state(local(2017, 11, 22, 9, 30)) == Event.RegistrationState.CLOSED


class TestEventRules:
    def test_end_before_start_is_an_error_on_end(self, conference):
        conference.end = conference.start - datetime.timedelta(hours=1)
        with pytest.raises(ValidationError) as error:
            conference.full_clean()
        assert "end" in error.value.message_dict

    def test_database_refuses_an_end_before_the_start(self, conference):
        conference.end = conference.start
        with pytest.raises(IntegrityError), transaction.atomic():
            conference.save()

    def test_deadline_after_the_event_is_an_error_on_the_deadline(self, conference):
        conference.registration_deadline = datetime.date(2017, 11, 23)
        with pytest.raises(ValidationError) as error:
            conference.full_clean()
        assert list(error.value.message_dict) == ["registration_deadline"]

    def test_deadline_on_the_event_day_is_fine(self, conference):
        conference.registration_deadline = datetime.date(2017, 11, 22)
        conference.full_clean()

    def test_slug_unique_per_language(self, conference):
        other = EventFactory.build(slug_de=conference.slug_de, slug_fr="autre", category=conference.category)
        other.venue = None
        with pytest.raises(ValidationError) as error:
            other.full_clean()
        assert "slug_de" in error.value.message_dict
        assert "slug_fr" not in error.value.message_dict

    def test_the_same_slug_in_both_languages_of_one_event_is_fine(self, conference):
        conference.slug_fr = conference.slug_de
        conference.full_clean()

    def test_database_enforces_slug_uniqueness_per_language(self, conference):
        with pytest.raises(IntegrityError), transaction.atomic():
            EventFactory(slug_fr=conference.slug_fr)

    def test_two_events_without_french_slug_are_allowed(self):
        EventFactory(slug_fr=None)
        EventFactory(slug_fr=None)
        assert Event.objects.filter(slug_fr__isnull=True).count() == 2

    def test_reserved_path_words_are_refused_as_slugs(self, conference):
        conference.slug_de = "vergangene"
        with pytest.raises(ValidationError) as error:
            conference.full_clean()
        assert "slug_de" in error.value.message_dict

    def test_a_title_in_one_language_is_required(self, conference):
        conference.title_de = conference.title_fr = ""
        with pytest.raises(ValidationError) as error:
            conference.full_clean()
        assert "title_de" in error.value.message_dict


class TestSlotRules:
    def test_slot_outside_the_event_days_is_an_error_on_start(self, conference):
        slot = ProgrammeSlot(event=conference, start=local(2017, 11, 23, 9), title_de="Zu spät")
        with pytest.raises(ValidationError) as error:
            slot.full_clean()
        assert "start" in error.value.message_dict

    def test_slot_on_the_event_day_is_fine(self, conference):
        ProgrammeSlot(event=conference, start=local(2017, 11, 22, 8), title_fr="Café").full_clean()

    def test_slot_end_before_start_is_an_error(self, conference):
        slot = ProgrammeSlot(
            event=conference, start=local(2017, 11, 22, 10), end=local(2017, 11, 22, 9), title_de="Rückwärts"
        )
        with pytest.raises(ValidationError) as error:
            slot.full_clean()
        assert "end" in error.value.message_dict

    def test_programme_and_workshops_are_ordered(self, conference):
        late = ProgrammeSlotFactory(event=conference, start=local(2017, 11, 22, 14))
        early = ProgrammeSlotFactory(event=conference, start=local(2017, 11, 22, 9, 30))
        second = WorkshopFactory(slot=late, order=2)
        first = WorkshopFactory(slot=late, order=1)
        assert list(conference.slots.all()) == [early, late]
        assert list(late.workshops.all()) == [first, second]


class TestVenue:
    def test_map_link_uses_coordinates_when_known(self):
        venue = VenueFactory(latitude="49.119700", longitude="6.175500")
        assert "mlat=49.119700" in venue.map_url and "mlon=6.175500" in venue.map_url

    def test_map_link_searches_the_address_otherwise(self):
        venue = VenueFactory()
        assert venue.map_url.startswith("https://www.openstreetmap.org/search?query=")
        assert "Metz" in venue.map_url

    def test_half_coordinates_are_an_error(self):
        venue = VenueFactory.build(latitude="49.1")
        with pytest.raises(ValidationError) as error:
            venue.full_clean()
        assert "longitude" in error.value.message_dict
