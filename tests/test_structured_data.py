"""What an event page tells search engines (schema.org JSON-LD) and social sites (Open Graph)."""

import datetime
import io
import json
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from events.structured_data import json_ld_script

from .factories import (
    EventFactory,
    PersonFactory,
    ProgrammeSlotFactory,
    ProjectGroupFactory,
    SlotSpeakerFactory,
    conference_2017,
    local,
)

pytestmark = pytest.mark.django_db

BEFORE = local(2017, 11, 1, 12)  # registration open
AFTER_DEADLINE = local(2017, 11, 20, 12)


@pytest.fixture(autouse=True)
def _before_the_conference(time_machine):
    time_machine.move_to(BEFORE, tick=False)


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 80, 40)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="poster.png")


@pytest.fixture
def conference():
    event = conference_2017(
        project_group=ProjectGroupFactory(),
        registration_url_de="https://example.org/anmeldung",
        registration_url_fr="https://example.org/inscription",
        registration_deadline=datetime.date(2017, 11, 15),
    )
    talk = ProgrammeSlotFactory(event=event, start=local(2017, 11, 22, 10))
    SlotSpeakerFactory(slot=talk, person=PersonFactory(name="Vincent Ferry", role_fr="Chercheur"))
    SlotSpeakerFactory(slot=talk, person=PersonFactory(name="Lisa Klein"))
    return event


def page(client, event, language):
    response = client.get(event.get_absolute_url(language))
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html):
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def meta(html, key):
    """The content of <meta property|name="key">, or None."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return match.group(1) if match else None


class TestJsonLd:
    def test_an_event_in_french(self, client, conference):
        data = json_ld(page(client, conference, "fr"))
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Event"
        assert data["name"] == "Immigrations : une chance"
        assert data["description"] == "Un échange entre les quatre villes."
        assert data["url"] == "http://testserver/fr/evenements/immigrations-une-chance/"
        assert data["inLanguage"] == "fr"
        assert data["eventStatus"] == "https://schema.org/EventScheduled"
        assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"

    def test_local_time_with_offset(self, client, conference):
        data = json_ld(page(client, conference, "de"))
        assert data["startDate"] == "2017-11-22T09:30:00+01:00"
        assert data["endDate"] == "2017-11-22T17:00:00+01:00"

    def test_summer_offset(self, client):
        event = EventFactory(start=local(2018, 6, 14, 9, 30), end=local(2018, 6, 14, 12))
        assert json_ld(page(client, event, "de"))["startDate"] == "2018-06-14T09:30:00+02:00"

    def test_place_with_postal_address(self, client, conference):
        location = json_ld(page(client, conference, "de"))["location"]
        assert location["@type"] == "Place"
        assert location["name"] == "Rathaus"
        assert location["address"] == {
            "@type": "PostalAddress",
            "streetAddress": "1, place d'Armes – J.F. Blondel",
            "postalCode": "57036",
            "addressLocality": "Metz",
            "addressCountry": "FR",
        }

    def test_organizers_and_performers(self, client, conference):
        data = json_ld(page(client, conference, "fr"))
        quattropole, group = data["organizer"]
        assert quattropole == {"@type": "Organization", "name": "QuattroPole", "url": "http://testserver/fr/"}
        assert group["name"] == "Politique sociale communale"
        assert group["parentOrganization"]["name"] == "QuattroPole"
        assert [p["name"] for p in data["performer"]] == ["Vincent Ferry", "Lisa Klein"]
        assert data["performer"][0]["@type"] == "Person"
        assert data["performer"][0]["jobTitle"] == "Chercheur"

    def test_offer_while_registration_is_open(self, client, conference):
        offer = json_ld(page(client, conference, "fr"))["offers"]
        assert offer["url"] == "https://example.org/inscription"
        assert offer["validThrough"] == "2017-11-16T00:00:00+01:00"
        # Taking part is free (Google asks for a price and its currency), and places are left.
        assert (offer["price"], offer["priceCurrency"]) == (0, "EUR")
        assert offer["availability"] == "https://schema.org/InStock"
        assert offer["validFrom"] == conference.first_published_at.astimezone(conference.tzinfo).isoformat(
            timespec="seconds"
        )

    def test_the_offer_stays_once_registration_closed(self, client, conference, time_machine):
        """Google's guidance wants the offer on every event: once closed, its validThrough has passed."""
        time_machine.move_to(AFTER_DEADLINE, tick=False)
        offer = json_ld(page(client, conference, "fr"))["offers"]
        assert offer["validThrough"] == "2017-11-16T00:00:00+01:00"
        assert offer["price"] == 0

    def test_cancelled(self, client, conference):
        conference.is_cancelled = True
        conference.save()
        data = json_ld(page(client, conference, "de"))
        assert data["eventStatus"] == "https://schema.org/EventCancelled"
        # A cancelled event keeps its date (Google's guidance).
        assert data["startDate"] == "2017-11-22T09:30:00+01:00"

    def test_poster_as_absolute_image(self, client, conference):
        assert "image" not in json_ld(page(client, conference, "de"))
        conference.poster = png()
        conference.save()
        (image,) = json_ld(page(client, conference, "de"))["image"]
        # The rendition at most 1200 px wide, in the poster's own format, as an absolute URL.
        assert image.startswith("http://testserver/media/renditions/posters/")
        assert image.endswith(".png")

    def test_no_image_when_the_poster_file_is_gone(self, client, conference):
        conference.poster = png()
        conference.save()
        conference.poster.storage.delete(conference.poster.name)
        html = page(client, conference, "de")
        assert "image" not in json_ld(html)
        assert 'property="og:image"' not in html

    def test_text_cannot_end_the_script_element(self, client, conference):
        conference.title_de = "</script><script>alert(1)</script> & <!--"
        conference.save()
        html = page(client, conference, "de")
        assert "<script>alert(1)" not in html
        assert json_ld(html)["name"] == "</script><script>alert(1)</script> & <!--"

    def test_script_helper_escapes_markup(self):
        assert json_ld_script({"a": "<b>&"}) == (
            '<script type="application/ld+json">{"a": "\\u003Cb\\u003E\\u0026"}</script>'
        )


class TestAccessibility:
    def test_the_venues_flags_as_amenity_features_in_the_pages_language(self, client, conference):
        assert "amenityFeature" not in json_ld(page(client, conference, "de"))["location"]
        venue = conference.venue
        venue.access_motor = venue.access_hearing = True
        venue.save()
        assert json_ld(page(client, conference, "de"))["location"]["amenityFeature"] == [
            {"@type": "LocationFeatureSpecification", "name": "Stufenlos erreichbar, auch im Rollstuhl", "value": True},
            {
                "@type": "LocationFeatureSpecification",
                "name": "Geeignet für Menschen mit Hörbehinderung",
                "value": True,
            },
        ]
        (motor, _hearing) = json_ld(page(client, conference, "fr"))["location"]["amenityFeature"]
        assert motor["name"] == "Accessible en fauteuil roulant, sans marche"

    def test_example_values_are_not_told_to_search_engines(self, client, conference):
        venue = conference.venue
        venue.access_motor, venue.accessibility_example = True, True
        venue.save()
        assert "amenityFeature" not in json_ld(page(client, conference, "fr"))["location"]


class TestStatusAndAttendance:
    """Issue 27: each status, attendance mode and language as Google's event guidance asks."""

    def test_scheduled_in_person_in_its_languages(self, client, conference):
        conference.held_in_fr = conference.held_in_de = True
        conference.save()
        data = json_ld(page(client, conference, "de"))
        assert data["eventStatus"] == "https://schema.org/EventScheduled"
        assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
        assert data["location"]["@type"] == "Place"
        assert data["inLanguage"] == ["de", "fr"]
        assert "previousStartDate" not in data

    def test_postponed_keeps_its_date(self, client, conference):
        conference.event_status = "postponed"
        conference.save()
        data = json_ld(page(client, conference, "fr"))
        assert data["eventStatus"] == "https://schema.org/EventPostponed"
        assert data["startDate"] == "2017-11-22T09:30:00+01:00"
        assert data["inLanguage"] == "fr"  # none recorded: the page's

    def test_rescheduled_has_the_previous_start(self, client, conference):
        conference.event_status = "rescheduled"
        conference.previous_start = local(2017, 11, 8, 9, 30)
        conference.save()
        data = json_ld(page(client, conference, "de"))
        assert data["eventStatus"] == "https://schema.org/EventRescheduled"
        assert data["previousStartDate"] == "2017-11-08T09:30:00+01:00"
        assert data["startDate"] == "2017-11-22T09:30:00+01:00"

    def test_moved_online_has_a_virtual_location(self, client, conference):
        conference.event_status = "moved_online"
        conference.attendance_mode = "online"
        conference.online_url = "https://example.org/live"
        conference.online_url_visibility = "public"
        conference.save()
        data = json_ld(page(client, conference, "de"))
        assert data["eventStatus"] == "https://schema.org/EventMovedOnline"
        assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
        assert data["location"] == {"@type": "VirtualLocation", "url": "https://example.org/live"}

    def test_mixed_has_both_locations_and_keeps_a_private_link_private(self, client, conference):
        conference.attendance_mode = "mixed"
        conference.online_url = "https://example.org/secret-room"
        conference.save()
        html = page(client, conference, "fr")
        data = json_ld(html)
        assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
        place, virtual = data["location"]
        assert place["@type"] == "Place"
        assert virtual == {"@type": "VirtualLocation", "url": data["url"]}
        assert "secret-room" not in html

    def test_project_group_has_a_url(self, client, conference):
        _quattropole, group = json_ld(page(client, conference, "de"))["organizer"]
        assert group["url"] == "http://testserver/de/"


class TestOpenGraph:
    def test_tags_in_german(self, client, conference):
        html = page(client, conference, "de")
        assert meta(html, "og:title") == "Zuwanderung als Chance"
        assert meta(html, "og:description") == "Ein Austausch zwischen den vier Städten."
        assert meta(html, "og:url") == "http://testserver/de/veranstaltungen/zuwanderung-als-chance/"
        assert meta(html, "og:type") == "website"
        assert meta(html, "og:locale") == "de_DE"
        assert meta(html, "og:locale:alternate") == "fr_FR"
        assert meta(html, "twitter:card") == "summary"
        assert meta(html, "og:image") is None

    def test_tags_in_french(self, client, conference):
        html = page(client, conference, "fr")
        assert meta(html, "og:title") == "Immigrations : une chance"
        assert meta(html, "og:locale") == "fr_FR"
        assert meta(html, "og:locale:alternate") == "de_DE"

    def test_poster(self, client, conference):
        conference.poster = png()
        conference.poster_alt_de = "Plakat mit den vier Städten"
        conference.save()
        html = page(client, conference, "de")
        assert meta(html, "og:image").startswith("http://testserver/media/renditions/posters/")
        assert meta(html, "og:image:alt") == "Plakat mit den vier Städten"
        assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("120", "80")
        assert meta(html, "twitter:card") == "summary_large_image"
