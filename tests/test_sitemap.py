"""/sitemap.xml and /robots.txt."""

import xml.etree.ElementTree as ET

import pytest
from django.test import RequestFactory
from django.urls import resolve

from events.models import Event

from .factories import EventFactory, local

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
HOST = "http://testserver"


@pytest.fixture
def events():
    return {
        "conference": EventFactory(
            slug_de="zuwanderung-als-chance", slug_fr="immigrations-une-chance", start=local(2017, 11, 22, 9, 30)
        ),
        "german_only": EventFactory(slug_de="nur-deutsch", slug_fr=None, title_fr=""),
        "draft": EventFactory(slug_de="entwurf", slug_fr="brouillon", status=Event.Status.DRAFT),
    }


def sitemap(client):
    """{location: {hreflang: alternate location}} of every URL in the sitemap."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        for url in root.findall(f"{SITEMAP}url")
    }


def test_pages_in_both_languages_with_alternates(client, events):
    urls = sitemap(client)
    for de, fr in [
        ("/de/", "/fr/"),
        ("/de/veranstaltungen/", "/fr/evenements/"),
        ("/de/veranstaltungen/vergangene/", "/fr/evenements/passes/"),
    ]:
        alternates = {"de": HOST + de, "fr": HOST + fr, "x-default": HOST + de}
        assert urls[HOST + de] == alternates
        assert urls[HOST + fr] == alternates


def test_events_under_each_language_slug(client, events):
    urls = sitemap(client)
    de = f"{HOST}/de/veranstaltungen/zuwanderung-als-chance/"
    fr = f"{HOST}/fr/evenements/immigrations-une-chance/"
    assert urls[de] == urls[fr] == {"de": de, "fr": fr, "x-default": de}


def test_event_without_french_slug_is_listed_at_its_german_slug(client, events):
    urls = sitemap(client)
    assert f"{HOST}/fr/evenements/nur-deutsch/" in urls
    assert client.get("/fr/evenements/nur-deutsch/").status_code == 200


def test_every_listed_address_works(client, events):
    for location in sitemap(client):
        assert client.get(location.removeprefix(HOST)).status_code == 200, location


def test_no_drafts(client, events):
    locations = " ".join(sitemap(client))
    assert "entwurf" not in locations and "brouillon" not in locations
    assert len(sitemap(client)) == 2 * (3 + 2)


def test_the_sitemap_is_byte_for_byte_the_one_djangos_own_template_writes(client, events):
    """The events' <url> elements come written already, kept per event and joined
    (events/sitemaps.py): the sitemap is the one Django's sitemap.xml writes from the entries
    Django's sitemap code gives for the same events, with every element in place, when all are
    written anew and when one event's are written again after an edit."""
    from django.contrib.sitemaps.views import sitemap as djangos_view

    from events.sitemaps import EventSitemap, I18nSitemap

    class BuiltByDjango(EventSitemap):
        get_urls = I18nSitemap.get_urls  # every entry built by Django's code, none kept

    sitemaps = {**resolve("/sitemap.xml").kwargs["sitemaps"], "events": BuiltByDjango}

    def djangos_own():
        response = djangos_view(RequestFactory().get("/sitemap.xml"), sitemaps, template_name="sitemap.xml")
        return response.render().content

    first = client.get("/sitemap.xml").content
    assert first == djangos_own()
    assert first.count(b"<url>") == 2 * (3 + 2)
    events["conference"].slug_fr = "immigrations-une-chance-2017"
    events["conference"].save()
    again = client.get("/sitemap.xml").content
    assert again == djangos_own()
    assert b"/fr/evenements/immigrations-une-chance-2017/" in again
    assert b"/fr/evenements/immigrations-une-chance/" not in again
    ET.fromstring(again)  # well-formed


def test_robots_txt_names_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {HOST}/sitemap.xml" in lines
