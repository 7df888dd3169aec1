"""The issue's checks on the demo content, from the French home page's search field: "Trèves" finds
the events in Trier, "zuwanderung" the 2017 conference (German only), "Ferry" the conference
through its speaker, "Sarbrücken" (a typo, PostgreSQL only) the events in Saarbrücken."""

import re

import pytest
from django.db.models import Q
from django.test import Client

from events.models import Event
from search.models import Place

from ..helpers import demo_for_a_group, html_of
from .test_search import postgresql_only, titles

pytestmark = [pytest.mark.django_db, pytest.mark.engines]

CONFERENCE_DE = "Zuwanderung als Chance für unsere vier Städte"
CONFERENCE_FR = "Immigrations\u00a0: une chance pour nos quatre villes"


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for this module's tests, which only read it
    (tests/helpers.py: ``demo_for_a_group``)."""
    with demo_for_a_group(django_db_blocker, tmp_path_factory.mktemp("demo-media")):
        yield


@pytest.fixture
def demo(_demo_of_the_module, db):
    """The demo content of the module (``_demo_of_the_module``)."""


def search_from_the_french_home_page(query):
    client = Client()
    home = html_of(client.get("/fr/"))
    action = re.search(r'<form class="site-search" role="search" method="get" action="([^"]+)"', home).group(1)
    assert action == "/fr/recherche/"
    return client.get(action, {"q": query})


def shown_titles(events, language="fr"):
    return sorted(str(event) if language == "fr" else event.title_de for event in events)


def test_the_demo_fills_the_table_of_place_names(demo):
    names = {place.label: sorted(n.name for n in place.names.all()) for place in Place.objects.all()}
    assert names["Trier"] == ["Trier", "Trèves", "Tréier"]
    assert names["Luxembourg"] == ["Luxembourg", "Luxemburg", "Lëtzebuerg"]
    assert "Sarrebruck" in names["Saarbrücken"]


def test_the_issues_checks_on_both_databases(demo):
    # "Trèves" finds the events in Trier (the French name of the city, through the place names).
    in_trier = Event.objects.filter(Q(venue__locality_de="Trier") | Q(cities__code="trier")).distinct()
    assert in_trier.count() >= 2
    assert sorted(titles(search_from_the_french_home_page("Trèves"))) == shown_titles(in_trier)
    # "zuwanderung" is in the German texts only: the conference, shown in German, and said so.
    response = search_from_the_french_home_page("zuwanderung")
    assert titles(response) == [CONFERENCE_DE]
    assert "Trouvé seulement en allemand" in html_of(response)
    # "Ferry" is a speaker of the conference.
    response = search_from_the_french_home_page("Ferry")
    assert titles(response) == [CONFERENCE_FR]
    assert "Vincent <mark>Ferry</mark>, Chercheur" in html_of(response)


@postgresql_only
def test_a_typo_in_saarbruecken_finds_the_events_in_saarbruecken(demo):
    in_saarbruecken = Event.objects.filter(Q(venue__locality_de="Saarbrücken") | Q(cities__code="saarbruecken"))
    found = titles(search_from_the_french_home_page("Sarbrücken"))
    assert sorted(found) == shown_titles(in_saarbruecken.distinct())
