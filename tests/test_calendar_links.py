"""Calendars into people's calendar apps: the calendar of upcoming events to subscribe to (webcal,
Google Calendar, Outlook, the address to copy) on the lists, and each event added once (Google
Calendar's and Outlook's forms, the .ics for Apple and the others) on its page
(events/calendar_links.py)."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from events import calendar_links

from .factories import CategoryFactory, CityFactory, EventFactory, local
from .helpers import html_of

pytestmark = pytest.mark.django_db

NOW = local(2027, 1, 10, 12)


def links_of(html, selector_class):
    """{label: href} of the links in the list with ``selector_class``."""
    block = re.search(rf'<ul class="{selector_class}"[^>]*>(.*?)</ul>', html, flags=re.S).group(1)
    return {unescape(label): unescape(href) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', block)}


def query(url):
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_subscription_links():
    links = calendar_links.subscription("https://events.example.org/fr/evenements/calendrier.ics?city=metz", "Metz")
    assert links["webcal"] == "webcal://events.example.org/fr/evenements/calendrier.ics?city=metz"
    assert links["google"] == (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fevents.example.org%2Ffr%2Fevenements"
        "%2Fcalendrier.ics%3Fcity%3Dmetz"
    )
    assert links["outlook"].startswith("https://outlook.live.com/calendar/0/addfromweb?")
    assert links["microsoft365"].startswith("https://outlook.office.com/calendar/0/addfromweb?")
    assert query(links["outlook"]) == {
        "url": "https://events.example.org/fr/evenements/calendrier.ics?city=metz",
        "name": "Metz",
    }


class TestSubscribeBox:
    @time_machine.travel(NOW, tick=False)
    def test_every_way_to_subscribe_in_german(self, client):
        EventFactory()
        html = html_of(client.get("/de/veranstaltungen/"))
        apps = links_of(html, "subscribe__apps")
        address = "http://testserver/de/veranstaltungen/kalender.ics"
        assert apps == {
            "Apple-Kalender und andere Apps": "webcal://testserver/de/veranstaltungen/kalender.ics",
            "Google Kalender": "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Ftestserver%2Fde%2F"
            "veranstaltungen%2Fkalender.ics",
            "Outlook.com": "https://outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2Ftestserver%2Fde%2F"
            "veranstaltungen%2Fkalender.ics&name=QuattroPole-Veranstaltungen",
            "Outlook (Microsoft 365)": "https://outlook.office.com/calendar/0/addfromweb?url=http%3A%2F%2F"
            "testserver%2Fde%2Fveranstaltungen%2Fkalender.ics&name=QuattroPole-Veranstaltungen",
        }
        # The address to copy, read-only; the copy button is for browsers running site.js.
        assert f'<input id="calendar-address" type="url" value="{address}" readonly spellcheck="false">' in html
        assert re.search(r'<button class="button" type="button" data-copy="calendar-address"[^>]* hidden>', html)
        assert "Oder kopieren Sie die Adresse des Kalenders in Ihre Kalender-App:" in html

    @time_machine.travel(NOW, tick=False)
    def test_the_lists_filters_go_with_it_in_french(self, client):
        metz = CityFactory(code="metz", name_de="Metz", name_fr="Metz")
        culture = CategoryFactory(code="culture", name_de="Kultur", name_fr="Culture")
        EventFactory(category=culture).cities.add(metz)
        html = html_of(client.get("/fr/evenements/passes/?city=metz&category=culture&year=2027"))
        apps = links_of(html, "subscribe__apps")
        address = "http://testserver/fr/evenements/calendrier.ics?city=metz&category=culture"
        assert apps["Calendrier Apple et autres applications"] == address.replace("http:", "webcal:")
        assert query(apps["Google Agenda"]) == {"cid": address.replace("http:", "webcal:")}
        assert query(apps["Outlook.com"]) == {"url": address, "name": "Événements QuattroPole – Metz – Culture"}
        assert f'value="{address.replace("&", "&amp;")}"' in html
        assert "les événements à venir de la sélection «\u00a0Metz, Culture\u00a0»\u00a0:" in html
        # the subscribed calendar is the one the address gives, named as in the links
        calendar = client.get("/fr/evenements/calendrier.ics?city=metz&category=culture").content.decode()
        assert "X-WR-CALNAME:Événements QuattroPole – Metz – Culture" in calendar


class TestAddToCalendar:
    @pytest.fixture
    def event(self):
        from .factories import VenueFactory

        return EventFactory(
            title_de="Bürgertreffen",
            title_fr="Rencontre : les citoyens",
            teaser_de="Ein Tag der vier Städte.",
            teaser_fr="Une journée des quatre villes.",
            start=local(2027, 1, 17, 9, 30),
            end=local(2027, 1, 17, 16, 30),
            venue=VenueFactory(time_zone="Europe/Luxembourg"),
        )

    @time_machine.travel(NOW, tick=False)
    def test_google_outlook_and_the_ics_in_german(self, client, event):
        html = html_of(client.get(event.get_absolute_url("de")))
        apps = links_of(html, "add-to-calendar__apps")
        assert list(apps) == [
            "Google Kalender",
            "Outlook.com",
            "Outlook (Microsoft 365)",
            "Apple-Kalender oder andere App (.ics-Datei)",
        ]
        page = "http://testserver/de/veranstaltungen/veranstaltung-" + event.slug_de.rsplit("-", 1)[1] + "/"
        assert urlsplit(apps["Google Kalender"])[:3] == ("https", "calendar.google.com", "/calendar/render")
        assert query(apps["Google Kalender"]) == {
            "action": "TEMPLATE",
            "text": "Bürgertreffen",
            "dates": "20270117T083000Z/20270117T153000Z",  # 9:30 to 16:30 in Luxembourg, in UTC
            "details": f"Ein Tag der vier Städte.\n\n{page}",
            "location": "Rathaus, 1, place d'Armes – J.F. Blondel, 57036 Metz, Frankreich",
            "ctz": "Europe/Luxembourg",
        }
        assert urlsplit(apps["Outlook.com"])[:3] == ("https", "outlook.live.com", "/calendar/0/deeplink/compose")
        assert urlsplit(apps["Outlook (Microsoft 365)"])[1] == "outlook.office.com"
        assert query(apps["Outlook.com"]) == {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": "Bürgertreffen",
            "startdt": "2027-01-17T08:30:00Z",
            "enddt": "2027-01-17T15:30:00Z",
            "body": f"Ein Tag der vier Städte.\n\n{page}",
            "location": "Rathaus, 1, place d'Armes – J.F. Blondel, 57036 Metz, Frankreich",
        }
        assert apps["Apple-Kalender oder andere App (.ics-Datei)"] == event.get_calendar_url("de")
        assert '<a href="https://calendar.google.com/' in html and '<script src="https://' not in html

    @time_machine.travel(NOW, tick=False)
    def test_in_french_with_the_french_title(self, client, event):
        html = html_of(client.get(event.get_absolute_url("fr")))
        apps = links_of(html, "add-to-calendar__apps")
        assert list(apps) == [
            "Google Agenda",
            "Outlook.com",
            "Outlook (Microsoft 365)",
            "Calendrier Apple ou autre application (fichier .ics)",
        ]
        assert query(apps["Google Agenda"])["text"] == "Rencontre\u00a0: les citoyens"
        assert '<h3 class="add-to-calendar__title" id="add-to-calendar-title">Ajouter à l’agenda</h3>' in html

    @pytest.mark.parametrize("moment", ["ended", "cancelled"])
    def test_an_ended_or_cancelled_event_keeps_its_calendar_file_only(self, client, event, moment):
        if moment == "cancelled":
            event.is_cancelled = True
            event.save()
        with time_machine.travel(NOW + datetime.timedelta(days=30 if moment == "ended" else 0), tick=False):
            html = html_of(client.get(event.get_absolute_url("de")))
        assert "add-to-calendar__apps" not in html and "calendar.google.com" not in html
        assert f'<a href="{event.get_calendar_url("de")}" type="text/calendar">Kalenderdatei</a>' in html
