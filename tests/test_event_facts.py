"""Issue 27 on the public pages: the status in words at the top of the event page and on every
list entry, the facts box (attendance, languages, interpretation, accessibility) in both
languages, and the list and month filters by step-free access, language and interpretation."""

import datetime
import re

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Event

from .factories import CityFactory, EventFactory, VenueFactory, local
from .helpers import html_of, url

pytestmark = pytest.mark.django_db


def page(client, event, language):
    response = client.get(event.get_absolute_url(language))
    assert response.status_code == 200
    return html_of(response)


def top_notice(html):
    found = re.search(r'<p class="notice notice--(?:status|cancelled)"><strong>(.*?)</strong></p>', html)
    return found.group(1) if found else None


def card_statuses(html):
    return re.findall(r'<p class="event-card__status"><strong>(.*?)</strong></p>', html)


def titles(html):
    return re.findall(r'class="event-card__title"[^>]*><a [^>]*>(.*?)</a>', html)


class TestStatus:
    def test_scheduled_says_nothing(self, client):
        event = EventFactory()
        assert top_notice(page(client, event, "de")) is None
        assert card_statuses(html_of(client.get(url("events:list", "fr")))) == []

    @pytest.mark.parametrize(
        ("fields", "de", "fr", "label_de", "label_fr"),
        [
            (
                {"event_status": "postponed"},
                "Diese Veranstaltung wurde verschoben. Der neue Termin steht noch nicht fest; er wird hier "
                "bekannt gegeben.",
                "Cet événement a été reporté. La nouvelle date n’est pas encore connue\u00a0; elle sera annoncée ici.",
                "Verschoben",
                "Reporté",
            ),
            (
                {"event_status": "moved_online", "attendance_mode": "online", "online_url": "https://example.org/l"},
                "Diese Veranstaltung wurde online verlegt: sie findet nur im Internet statt.",
                "Cet événement est passé en ligne\u00a0: il a lieu sur internet seulement.",
                "Online verlegt",
                "Passé en ligne",
            ),
            (
                {"is_cancelled": True},
                "Diese Veranstaltung wurde abgesagt.",
                "Cet événement a été annulé.",
                "Abgesagt",
                "Annulé",
            ),
        ],
    )
    def test_each_status_in_words_on_the_page_and_in_the_list(self, client, fields, de, fr, label_de, label_fr):
        event = EventFactory(**fields)
        assert top_notice(page(client, event, "de")) == de
        assert top_notice(page(client, event, "fr")) == fr
        assert card_statuses(html_of(client.get(url("events:list", "de")))) == [label_de]
        assert card_statuses(html_of(client.get(url("events:list", "fr")))) == [label_fr]

    def test_rescheduled_shows_the_previous_date(self, client):
        start = local(2031, 3, 12, 9, 30)
        event = EventFactory(
            start=start,
            end=start + datetime.timedelta(hours=3),
            event_status="rescheduled",
            previous_start=local(2031, 3, 5, 9, 30),
        )
        assert top_notice(page(client, event, "de")) == (
            "Diese Veranstaltung hat einen neuen Termin. Geplant war sie für Mittwoch, 5. März 2031, 9:30 Uhr."
        )
        assert top_notice(page(client, event, "fr")) == (
            "Cet événement a été déplacé à une nouvelle date. Il était prévu le mercredi 5 mars 2031 à 9h30."
        )
        month = html_of(client.get(url("events:month", "fr", year="2031", month="03")))
        assert "<strong>Nouvelle date</strong> · " in month

    def test_model_refuses_what_does_not_hold_together(self):
        event = EventFactory(event_status="rescheduled", attendance_mode="online", interpretation_kind="simultaneous")
        with pytest.raises(ValidationError) as raised:
            event.full_clean()
        assert set(raised.value.message_dict) == {"previous_start", "online_url", "interpretation_to"}


class TestFacts:
    @pytest.fixture
    def conference(self):
        venue = VenueFactory(
            access_motor=True,
            access_hearing=True,
            accessibility_note_de="Induktionsschleife im Saal.",
            accessibility_note_fr="Boucle magnétique dans la salle.",
            accessibility_example=True,
        )
        return EventFactory(
            venue=venue,
            held_in_de=True,
            held_in_fr=True,
            interpretation_kind="simultaneous",
            interpretation_from="de",
            interpretation_to="fr",
        )

    def facts(self, html):
        box = re.search(r'<section class="box facts".*?</section>', html, re.S).group(0)
        return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", box)).strip()  # no-break spaces kept

    def test_languages_interpretation_and_accessibility_in_german(self, client, conference):
        facts = self.facts(page(client, conference, "de"))
        assert "Sprache Deutsch, Französisch" in facts
        assert "Übersetzung Simultanübersetzung Deutsch/Französisch" in facts
        assert "Stufenlos erreichbar, auch im Rollstuhl" in facts
        assert "Geeignet für Menschen mit Hörbehinderung" in facts
        assert "Induktionsschleife im Saal." in facts
        assert "Beispieldaten: diese Angaben stammen nicht vom Veranstaltungsort." in facts

    def test_languages_interpretation_and_accessibility_in_french(self, client, conference):
        facts = self.facts(page(client, conference, "fr"))
        assert "Langue allemand, français" in facts
        assert "Interprétation Interprétation simultanée allemand/français" in facts
        assert "Accessible en fauteuil roulant, sans marche" in facts
        assert "Boucle magnétique dans la salle." in facts
        assert "Données d’exemple\u00a0: ces informations ne viennent pas du lieu." in facts

    def test_unknown_accessibility_says_whom_to_ask(self, client):
        facts = self.facts(page(client, EventFactory(), "de"))
        assert "Barrierefreiheit Noch nicht erfasst: bitte bei der Kontaktperson nachfragen." in facts

    def test_the_online_link_is_public_only_when_staff_say_so(self, client):
        event = EventFactory(attendance_mode="mixed", online_url="https://example.org/raum-42")
        html = page(client, event, "de")
        assert "raum-42" not in html
        assert "Angemeldete erhalten den Link zur Online-Teilnahme." in self.facts(html)
        event.online_url_visibility = "public"
        event.save()
        assert '<a href="https://example.org/raum-42" rel="noopener">Online teilnehmen</a>' in page(client, event, "de")


class TestFilters:
    @pytest.fixture
    def events(self):
        soon = timezone.now() + datetime.timedelta(days=10)
        step_free = VenueFactory(access_motor=True)
        stairs = VenueFactory()
        metz = CityFactory(code="metz")
        made = {
            "step-free interpreted": EventFactory(
                venue=step_free,
                start=soon,
                held_in_de=True,
                held_in_fr=True,
                interpretation_kind="simultaneous",
                interpretation_from="de",
                interpretation_to="fr",
            ),
            "step-free french": EventFactory(venue=step_free, start=soon + datetime.timedelta(days=1), held_in_fr=True),
            "stairs french": EventFactory(venue=stairs, start=soon + datetime.timedelta(days=2), held_in_fr=True),
        }
        made["step-free french"].cities.add(metz)
        return made

    def listed(self, client, page_language, **query):
        response = client.get(url("events:list", page_language), query)
        assert response.status_code == 200
        return titles(html_of(response))

    def test_step_free_in_both_languages(self, client, events):
        html = html_of(client.get(url("events:list", "de")))
        assert '<option value="motor">stufenlos erreichbar</option>' in html
        assert '<option value="motor">accessible en fauteuil roulant</option>' in html_of(
            client.get(url("events:list", "fr"))
        )
        assert self.listed(client, "de", access="motor") == [
            events["step-free interpreted"].title_de,
            events["step-free french"].title_de,
        ]

    def test_language_and_interpretation(self, client, events):
        assert '<option value="fr">auf Französisch</option>' in html_of(client.get(url("events:list", "de")))
        assert self.listed(client, "fr", language="fr") == [e.title_fr for e in events.values()]
        assert self.listed(client, "fr", interpretation="yes") == [events["step-free interpreted"].title_fr]
        assert '<option value="yes">avec interprétation</option>' in html_of(client.get(url("events:list", "fr")))

    def test_combined_with_the_city_filter(self, client, events):
        assert self.listed(client, "de", city="metz", access="motor", language="fr") == [
            events["step-free french"].title_de
        ]

    def test_unknown_value_is_a_404(self, client, events):
        assert client.get(url("events:list", "de"), {"access": "lift"}).status_code == 404

    def test_pagination_keeps_the_filters(self, client):
        venue = VenueFactory(access_motor=True)
        start = timezone.now() + datetime.timedelta(days=5)
        for number in range(12):
            EventFactory(venue=venue, start=start + datetime.timedelta(hours=number), held_in_fr=True)
        EventFactory(start=start)  # not step-free
        html = html_of(client.get(url("events:list", "fr"), {"access": "motor", "language": "fr"}))
        assert len(titles(html)) == 10
        assert "?access=motor&amp;language=fr&amp;page=2" in html
        second = client.get(url("events:list", "fr"), {"access": "motor", "language": "fr", "page": "2"})
        assert len(titles(html_of(second))) == 2

    def test_month_view_filters_step_free(self, client):
        step_free = EventFactory(venue=VenueFactory(access_motor=True), start=local(2031, 5, 6, 10))
        stairs = EventFactory(start=local(2031, 5, 7, 10))
        month_url = url("events:month", "de", year="2031", month="05")
        assert stairs.title_de in html_of(client.get(month_url))
        html = html_of(client.get(month_url, {"access": "motor"}))
        assert step_free.title_de in html
        assert stairs.title_de not in html

    def test_month_caption_names_the_filters(self, client):
        EventFactory(venue=VenueFactory(access_motor=True), start=local(2031, 5, 6, 10), held_in_fr=True)
        query = {"access": "motor", "language": "fr", "interpretation": "yes"}
        de = html_of(client.get(url("events:month", "de", year="2031", month="05"), query))
        assert "<caption>Mai 2031 – stufenlos erreichbar – auf Französisch – mit Übersetzung</caption>" in de
        fr = html_of(client.get(url("events:month", "fr", year="2031", month="05"), query))
        assert "<caption>Mai 2031 – accessible en fauteuil roulant – en français – avec interprétation</caption>" in fr

    def test_the_calendar_to_subscribe_to_follows_the_filters(self, client, events):
        year = str(events["step-free interpreted"].start.year)
        query = {"access": "motor", "interpretation": "yes", "year": year}
        response = client.get(url("events:list", "fr"), query, follow=True)
        assert response.status_code == 200, response.status_code
        html = html_of(response)
        (address,) = re.findall(r'id="calendar-address" type="url" value="([^"]+)"', html)
        # What the list shows, but the year: the calendar holds the upcoming events.
        assert address == "http://testserver/fr/evenements/calendrier.ics?access=motor&amp;interpretation=yes"
        feed = client.get(address.replace("http://testserver", "").replace("&amp;", "&"))
        assert feed.status_code == 200, feed.status_code
        calendar = icalendar.Calendar.from_ical(feed.content)
        assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [events["step-free interpreted"].title_fr]
        assert str(calendar["x-wr-calname"]) == (
            "Événements QuattroPole – accessible en fauteuil roulant – avec interprétation"
        )


def test_public_status_of_the_model():
    event = Event(event_status="scheduled")
    assert event.public_status(full=True) == Event.PublicStatus.FULL
    event.is_cancelled = True
    assert event.public_status(full=True) == Event.PublicStatus.CANCELLED
