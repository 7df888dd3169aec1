"""Calendar files: one event's .ics and the calendar of upcoming events to subscribe to."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.db import transaction
from django.utils import translation

from events.models import Event

from .factories import (
    CategoryFactory,
    CityFactory,
    EventFactory,
    PersonFactory,
    ProgrammeSlotFactory,
    SlotSpeakerFactory,
    VenueFactory,
    WorkshopFactory,
    conference_2017,
    local,
)
from .helpers import url

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PARIS = ZoneInfo("Europe/Paris")
BEFORE = local(2017, 11, 1, 12)  # the conference below is three weeks away
AFTER = local(2017, 12, 1, 12)  # the conference is over


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def only_event(calendar):
    (event,) = calendar.events
    return event


@pytest.fixture(scope="class")
def _conference_of_the_class(django_db_setup, django_db_blocker):
    """``make_conference()``, made once for the tests of a class in a transaction rolled back after
    its last test; each test runs in a savepoint of it (pytest-django's ``db``), so what one test
    saved is gone for the next. Made at the real time, as before each test (the tests that travel
    in time do so around their own body)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_conference().pk
        transaction.set_rollback(True)


@pytest.fixture
def conference(_conference_of_the_class, db):
    """The conference of the class (``_conference_of_the_class``), read afresh."""
    return Event.objects.get(pk=_conference_of_the_class)


def make_conference():
    event = conference_2017(
        interpretation_de="Simultanübersetzung Deutsch/Französisch",
        interpretation_fr="Interprétariat simultané français/allemand",
    )
    event.cities.set([CityFactory(code="metz", name_de="Metz", name_fr="Metz")])
    ProgrammeSlotFactory(
        event=event,
        start=local(2017, 11, 22, 9, 30),
        end=local(2017, 11, 22, 10),
        title_de="Empfang",
        title_fr="Accueil",
    )
    talk = ProgrammeSlotFactory(
        event=event, start=local(2017, 11, 22, 10, 15), title_de="Einwanderung", title_fr="L'immigration"
    )
    SlotSpeakerFactory(slot=talk, person=PersonFactory(name="Vincent Ferry"))
    workshops = ProgrammeSlotFactory(
        event=event, start=local(2017, 11, 22, 14), title_de="Arbeitsgruppen", title_fr="Ateliers"
    )
    WorkshopFactory(slot=workshops, title_de="Bildung", title_fr="Éducation")
    return event


def event_ics(client, event, language):
    return client.get(event.get_calendar_url(language))


class TestEventCalendarFile:
    def test_linked_from_the_event_page(self, client, conference):
        html = client.get(conference.get_absolute_url("fr")).content.decode()
        assert f'<a href="{conference.get_calendar_url("fr")}" type="text/calendar">' in html

    def test_address_is_under_the_event_in_each_language(self, conference):
        assert conference.get_calendar_url("de").startswith("/de/veranstaltungen/zuwanderung-als-chance/")
        assert conference.get_calendar_url("fr").startswith("/fr/evenements/immigrations-une-chance/")
        assert conference.get_calendar_url("de").endswith(".ics")

    def test_translated_path_words(self, conference):
        assert conference.get_calendar_url("de") == "/de/veranstaltungen/zuwanderung-als-chance/kalender.ics"
        assert conference.get_calendar_url("fr") == "/fr/evenements/immigrations-une-chance/calendrier.ics"
        assert url("events:calendar", "de") == "/de/veranstaltungen/kalender.ics"
        assert url("events:calendar", "fr") == "/fr/evenements/calendrier.ics"

    def test_a_download_named_after_the_event(self, client, conference):
        response = event_ics(client, conference, "de")
        assert response["Content-Disposition"] == 'attachment; filename="zuwanderung-als-chance.ics"'

    @time_machine.travel(BEFORE, tick=False)
    def test_winter_time_in_utc_and_local_time(self, client, conference):
        event = only_event(parse(event_ics(client, conference, "de")))
        assert event.start == datetime.datetime(2017, 11, 22, 9, 30, tzinfo=PARIS)
        assert event.start.astimezone(UTC) == datetime.datetime(2017, 11, 22, 8, 30, tzinfo=UTC)
        assert event.end.astimezone(UTC) == datetime.datetime(2017, 11, 22, 16, 0, tzinfo=UTC)
        assert b"DTSTART;TZID=Europe/Paris:20171122T093000" in event_ics(client, conference, "de").content

    def test_summer_time_in_utc(self, client):
        event = EventFactory(start=local(2018, 6, 14, 9, 30), end=local(2018, 6, 14, 12))
        parsed = only_event(parse(event_ics(client, event, "fr")))
        assert parsed.start.astimezone(UTC) == datetime.datetime(2018, 6, 14, 7, 30, tzinfo=UTC)

    def test_tzid_has_a_matching_vtimezone(self, client, conference):
        calendar = parse(event_ics(client, conference, "de"))
        event = only_event(calendar)
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert event["DTEND"].params["TZID"] == "Europe/Paris"
        assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
        assert calendar.get_missing_tzids() == set()

    def test_the_venue_time_zone_is_used(self, client):
        venue = VenueFactory(locality_de="Saarbrücken", country_de="Deutschland", time_zone="Europe/Berlin")
        event = EventFactory(venue=venue, start=local(2018, 3, 1, 18), end=local(2018, 3, 1, 20))
        calendar = parse(event_ics(client, event, "de"))
        assert only_event(calendar)["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]

    def test_texts_in_the_page_language(self, client, conference):
        de = only_event(parse(event_ics(client, conference, "de")))
        fr = only_event(parse(event_ics(client, conference, "fr")))
        assert de["SUMMARY"] == "Zuwanderung als Chance"
        assert fr["SUMMARY"] == "Immigrations : une chance"
        assert de["URL"] == "http://testserver/de/veranstaltungen/zuwanderung-als-chance/"
        assert fr["URL"] == "http://testserver/fr/evenements/immigrations-une-chance/"
        assert fr["LOCATION"] == "Hôtel de Ville, 1, place d'Armes – J.F. Blondel, 57036 Metz, France"
        assert de["LOCATION"].startswith("Rathaus, ")

    def test_description_has_the_programme_with_local_clock_times(self, client, conference):
        de = str(only_event(parse(event_ics(client, conference, "de")))["DESCRIPTION"])
        fr = str(only_event(parse(event_ics(client, conference, "fr")))["DESCRIPTION"])
        assert "9:30 – 10:00 Empfang" in de
        assert "10:15 Einwanderung (Vincent Ferry)" in de
        assert "  – Bildung" in de
        assert "Simultanübersetzung Deutsch/Französisch" in de
        assert "9h30 – 10h Accueil" in fr
        assert "10h15 L'immigration (Vincent Ferry)" in fr
        assert "14h Ateliers" in fr
        assert fr.endswith("http://testserver/fr/evenements/immigrations-une-chance/")

    def test_uid_is_stable_and_independent_of_the_slug(self, client, conference):
        before = only_event(parse(event_ics(client, conference, "de")))["UID"]
        conference.slug_de = "zuwanderung-als-chance-2017"
        conference.title_de = "Zuwanderung als Chance für unsere Städte"
        conference.start = local(2017, 11, 22, 10)
        conference.save()
        after = only_event(parse(event_ics(client, conference, "de")))["UID"]
        assert before == after == f"{conference.calendar_uid}@quattropole"
        assert only_event(parse(event_ics(client, conference, "fr")))["UID"] == before

    def test_cancelled_event(self, client, conference):
        assert only_event(parse(event_ics(client, conference, "de")))["STATUS"] == "CONFIRMED"
        conference.is_cancelled = True
        conference.save()
        event = only_event(parse(event_ics(client, conference, "de")))
        assert event["STATUS"] == "CANCELLED"
        assert event["SEQUENCE"] == 1

    @time_machine.travel(AFTER, tick=False)
    def test_past_event_keeps_its_file(self, client, conference):
        assert event_ics(client, conference, "de").status_code == 200

    def test_draft_is_not_found_and_unpublished_is_gone(self, client, conference):
        never = EventFactory(status=Event.Status.DRAFT)
        assert event_ics(client, never, "de").status_code == 404
        assert event_ics(client, never, "fr").status_code == 404
        conference.status = Event.Status.DRAFT
        conference.save()
        assert event_ics(client, conference, "de").status_code == 410
        assert event_ics(client, conference, "fr").status_code == 410

    def test_event_without_a_french_slug_has_a_french_file(self, client):
        event = EventFactory(slug_de="nur-deutsch", slug_fr=None, title_fr="")
        assert event.get_calendar_url("fr").startswith("/fr/evenements/nur-deutsch/")
        assert only_event(parse(event_ics(client, event, "fr")))["SUMMARY"] == event.title_de


class TestSequence:
    """SEQUENCE tells calendar apps that their copy is out of date."""

    def sequence(self, event):
        event.refresh_from_db()
        return event.ical_sequence

    def test_new_event_starts_at_zero(self, conference):
        assert self.sequence(conference) == 0

    def test_title_typo_fix_keeps_it(self, conference):
        conference.title_de = "Zuwanderung als Chance!"
        conference.teaser_fr = "Corrigé."
        conference.save()
        assert self.sequence(conference) == 0

    def test_time_change_increases_it(self, client, conference):
        conference.start = local(2017, 11, 22, 10)
        conference.save()
        assert self.sequence(conference) == 1
        conference.end = local(2017, 11, 22, 18)
        conference.save()
        assert self.sequence(conference) == 2
        assert only_event(parse(event_ics(client, conference, "de")))["SEQUENCE"] == 2

    def test_venue_status_and_cancellation_increase_it(self, conference):
        conference.venue = VenueFactory(locality_de="Trier")
        conference.save()
        conference.status = Event.Status.DRAFT
        conference.save()
        conference.is_cancelled = True
        conference.save()
        assert self.sequence(conference) == 3

    def test_saving_unchanged_keeps_it(self, conference):
        conference.save()
        Event.objects.get(pk=conference.pk).save()
        assert self.sequence(conference) == 0

    def test_update_fields_counts_only_what_is_saved(self, conference):
        conference.start = local(2017, 11, 22, 10)
        conference.save(update_fields=["start"])
        assert self.sequence(conference) == 1
        conference.title_de = "Neu"
        conference.save(update_fields=["title_de"])
        assert self.sequence(conference) == 1

    def test_a_moved_venue_increases_it_for_its_events(self, client, conference):
        venue = conference.venue
        venue.street = "2, place d'Armes"
        venue.save()
        assert self.sequence(conference) == 1
        event = only_event(parse(event_ics(client, conference, "de")))
        assert "2, place d'Armes" in str(event["LOCATION"]) and event["SEQUENCE"] == 1

    def test_a_venue_saved_unchanged_keeps_it(self, conference):
        conference.venue.save()
        assert self.sequence(conference) == 0


class TestCancelled:
    def test_notice_on_the_event_page(self, client, conference):
        conference.is_cancelled = True
        conference.save()
        for language in ("de", "fr"):
            html = client.get(conference.get_absolute_url(language)).content.decode()
            with translation.override(language):
                assert translation.gettext("This event has been cancelled.") in html
            assert "notice--cancelled" in html

    def test_no_notice_otherwise(self, client, conference):
        html = client.get(conference.get_absolute_url("de")).content.decode()
        assert "notice--cancelled" not in html

    @time_machine.travel(BEFORE, tick=False)
    def test_stays_listed_and_marked(self, client, conference):
        conference.is_cancelled = True
        conference.save()
        html = client.get(url("events:list", "de")).content.decode()
        assert "Zuwanderung als Chance" in html
        assert "event-card--cancelled" in html

    @time_machine.travel(BEFORE, tick=False)
    def test_registration_closes(self, conference):
        conference.registration_url_de = "https://example.org/anmeldung"
        assert conference.registration_state() == Event.RegistrationState.OPEN
        conference.is_cancelled = True
        assert conference.registration_state() == Event.RegistrationState.CLOSED


class TestUpcomingCalendar:
    @pytest.fixture(autouse=True)
    def _before_the_conference(self, time_machine):
        time_machine.move_to(BEFORE, tick=False)

    @pytest.fixture
    def conference(self, db):
        """Made for each test once the class's clock is at BEFORE, like the class's other events."""
        return make_conference()

    @pytest.fixture
    def events(self, conference):
        trier = EventFactory(
            title_de="Kulturabend Trier",
            title_fr="Soirée culturelle à Trèves",
            category=CategoryFactory(code="culture", name_de="Kultur", name_fr="Culture"),
            start=local(2017, 12, 5, 19),
            end=local(2017, 12, 5, 22),
        )
        trier.cities.set([CityFactory(code="trier", name_de="Trier", name_fr="Trèves")])
        past = EventFactory(title_de="Vorbei", start=local(2017, 10, 1, 9), end=local(2017, 10, 1, 12))
        draft = EventFactory(title_de="Entwurf", status=Event.Status.DRAFT)
        return conference, trier, past, draft

    def summaries(self, response):
        return [str(event["SUMMARY"]) for event in parse(response).events]

    def test_upcoming_published_events_soonest_first(self, client, events):
        response = client.get(url("events:calendar", "de"))
        assert self.summaries(response) == ["Zuwanderung als Chance", "Kulturabend Trier"]
        assert "Content-Disposition" not in response  # subscribed to, not downloaded

    def test_in_each_language(self, client, events):
        response = client.get(url("events:calendar", "fr"))
        assert self.summaries(response) == ["Immigrations : une chance", "Soirée culturelle à Trèves"]
        with translation.override("fr"):
            assert parse(response).calendar_name == translation.gettext("QuattroPole events")

    def test_subscription_properties(self, client, events):
        calendar = parse(client.get(url("events:calendar", "de")))
        assert calendar["VERSION"] == "2.0"
        assert calendar.refresh_interval == datetime.timedelta(hours=6)
        assert calendar["X-PUBLISHED-TTL"] == "PT6H"
        assert calendar.calendar_name
        assert calendar.get_missing_tzids() == set()
        assert len({str(event["UID"]) for event in calendar.events}) == 2

    def test_filter_by_city(self, client, events):
        response = client.get(url("events:calendar", "de"), {"city": "trier"})
        assert self.summaries(response) == ["Kulturabend Trier"]
        assert "Trier" in str(parse(response).calendar_name)

    def test_filter_by_category(self, client, events):
        response = client.get(url("events:calendar", "fr"), {"category": "culture"})
        assert self.summaries(response) == ["Soirée culturelle à Trèves"]

    @pytest.mark.parametrize("query", [{"city": "paris"}, {"category": "sport"}, {"year": "1999"}])
    def test_bad_filter_is_a_404(self, client, events, query):
        assert client.get(url("events:calendar", "de"), query).status_code == 404

    def test_advertised_on_the_list_page_with_its_filters(self, client, events):
        html = client.get(url("events:list", "de")).content.decode()
        assert '<link rel="alternate" type="text/calendar"' in html
        assert f'href="{url("events:calendar", "de")}"' in html
        html = client.get(url("events:list", "de"), {"city": "trier", "year": "2017"}).content.decode()
        assert f'href="{url("events:calendar", "de")}?city=trier"' in html

    @pytest.mark.parametrize("count", [1, 5])
    def test_query_count_is_flat(self, client, django_assert_num_queries, count):
        for n in range(count):
            event = EventFactory(start=local(2017, 12, 1 + n, 9), end=local(2017, 12, 1 + n, 12))
            SlotSpeakerFactory(slot=ProgrammeSlotFactory(event=event))
        # The events' keys, times and time zones; the events to write (none kept yet) with venue and
        # category, then slots, their workshops, their speakers; the page cache's next state change
        # (on a miss).
        with django_assert_num_queries(6):
            response = client.get(url("events:calendar", "de"))
        assert len(parse(response).events) == count


class TestIssue27:
    """Status, UID, refresh interval and time zones as a strict reader wants them (issue 27)."""

    def test_each_status_in_the_file(self, client, conference):
        for event_status, expected in (("postponed", "TENTATIVE"), ("rescheduled", "CONFIRMED")):
            conference.event_status = event_status
            conference.previous_start = local(2017, 11, 8, 9, 30) if event_status == "rescheduled" else None
            conference.save()
            component = only_event(parse(event_ics(client, conference, "fr")))
            assert component["STATUS"] == expected
        assert "Il était prévu le mercredi 8 novembre 2017 à 9h30." in str(component["DESCRIPTION"])

    def test_a_status_change_is_a_new_revision(self, conference):
        conference.event_status = "postponed"
        conference.save()
        conference.attendance_mode, conference.online_url = "mixed", "https://example.org/live"
        conference.save()
        conference.refresh_from_db()
        assert conference.ical_sequence == 2

    def test_uids_are_unique_and_stored(self, conference):
        other = EventFactory()
        assert conference.calendar_uid != other.calendar_uid
        stored = Event.objects.get(pk=conference.pk).calendar_uid
        assert stored == conference.calendar_uid

    def test_refresh_interval_says_its_value_type(self, client, conference):
        text = client.get(url("events:calendar", "de")).content.decode()
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in text

    def test_time_zone_blocks_agree_with_zoneinfo(self, client):
        """Every transition of each VTIMEZONE is the time-zone database's: the EU switches at
        01:00 UTC, "02:00" local in spring and "03:00" in autumn; and no COMMENT inside."""
        for zone_name in ("Europe/Paris", "Europe/Berlin", "Europe/Luxembourg"):
            venue = VenueFactory(time_zone=zone_name)
            event = EventFactory(venue=venue, start=local(2018, 3, 20, 18), end=local(2019, 4, 2, 20))
            response = event_ics(client, event, "de")
            assert b"COMMENT" not in response.content
            (tz,) = parse(response).timezones
            zone = ZoneInfo(zone_name)
            transitions = []
            for block in tz.subcomponents:
                start = block["DTSTART"].dt
                offset_from, offset_to = block["TZOFFSETFROM"].td, block["TZOFFSETTO"].td
                moment = (start - offset_from).replace(tzinfo=UTC)
                # Just before and at the moment, zoneinfo gives the block's offsets.
                if offset_from != offset_to:
                    transitions.append(moment)
                    assert (moment - datetime.timedelta(seconds=1)).astimezone(zone).utcoffset() == offset_from
                assert moment.astimezone(zone).utcoffset() == offset_to
                assert str(block["TZNAME"]) == moment.astimezone(zone).tzname()
            assert transitions == [
                datetime.datetime(2018, 3, 25, 1, tzinfo=UTC),
                datetime.datetime(2018, 10, 28, 1, tzinfo=UTC),
                datetime.datetime(2019, 3, 31, 1, tzinfo=UTC),
                datetime.datetime(2019, 10, 27, 1, tzinfo=UTC),
            ]

    @time_machine.travel(BEFORE, tick=False)
    def test_the_ical_library_reads_every_file(self, client, conference):
        from ical.calendar_stream import IcsCalendarStream

        conference.event_status, conference.previous_start = "rescheduled", local(2017, 11, 8, 9, 30)
        conference.attendance_mode, conference.online_url = "mixed", "https://example.org/live"
        conference.save()
        for response in (event_ics(client, conference, "fr"), client.get(url("events:calendar", "de"))):
            calendar = IcsCalendarStream.calendar_from_ics(response.content.decode())
            assert [str(event.uid) for event in calendar.events] == [f"{conference.calendar_uid}@quattropole"]
            assert [tz.tz_id for tz in calendar.timezones] == ["Europe/Paris"]
