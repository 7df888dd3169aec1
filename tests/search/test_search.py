"""The search, as a visitor uses it: the field in every header, the results page in both languages,
both languages searched at once, exonyms, filters, pages, helpful answers to useless queries, the
page cache. One suite for both databases (``make test`` runs it on SQLite, then on PostgreSQL);
what only PostgreSQL does (stemming, typos, ranking) is marked ``postgresql_only``."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pagecache import cache as page_cache
from search.models import Place, PlaceName, SearchDocument

from ..factories import (
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
from ..helpers import html_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.engines]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: stemming, trigram similarity for typos and full-text ranking (SQLite folds text only)",
)


def search(language, query="", **filters):
    parameters = {"q": query, **filters} if query else filters
    return Client().get(url("search:results", language), parameters, follow=True)


def titles(response):
    """The titles of the results, in order, as shown (marks removed)."""
    found = re.findall(r'<h3 class="event-card__title"[^>]*><a [^>]*>(.*?)</a></h3>', html_of(response), re.S)
    return [re.sub(r"</?mark>", "", title) for title in found]


def results(response):
    return re.findall(r"<li>\s*<article class=\"event-card search-result.*?</article>", html_of(response), re.S)


@pytest.fixture
def places():
    """The table of equivalent place names, as the demo fills it."""
    for label, names in {"Trier": ["Trier", "Trèves"], "Saarbrücken": ["Saarbrücken", "Sarrebruck"]}.items():
        place = Place.objects.create(label=label)
        for name in names:
            PlaceName.objects.create(place=place, name=name)


# --- The search field and the results page ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "action", "label"),
    [("de", "/de/suche/", "Veranstaltungen durchsuchen"), ("fr", "/fr/recherche/", "Rechercher des événements")],
)
def test_every_public_page_has_a_search_field_in_its_header(language, action, label):
    event = EventFactory()
    for address in [url("home", language), url("events:list", language), event.get_absolute_url(language), action]:
        html = html_of(Client().get(address))
        header = html.split('<header class="site-header">')[1].split("</header>")[0]
        form = re.search(r'<form class="site-search" role="search" method="get" action="([^"]+)"', header)
        assert form and form.group(1) == action, address
        assert f'<label class="visually-hidden" for="site-search-q">{label}</label>' in header
        assert 'id="site-search-q" type="search" name="q"' in header


def test_the_results_page_has_an_address_in_each_language():
    assert url("search:results", "de") == "/de/suche/"
    assert url("search:results", "fr") == "/fr/recherche/"


@pytest.mark.parametrize(
    ("language", "date", "marked"),
    [
        ("de", "Mittwoch, 22. November 2017", "als <mark>Chance</mark>"),
        ("fr", "mercredi 22 novembre 2017", "une <mark>chance</mark>"),
    ],
)
def test_a_result_shows_title_date_city_and_an_extract_in_the_visitors_language(language, date, marked):
    event = conference_2017(teaser_de="Ein Austausch über Zuwanderung.", teaser_fr="Un échange sur l’immigration.")
    event.venue.locality_de, event.venue.locality_fr = "Metz", "Metz"
    event.venue.save()
    response = search(language, "chance")
    html = html_of(response)
    assert response.status_code == 200
    assert titles(response) == [{"de": "Zuwanderung als Chance", "fr": "Immigrations\u00a0: une chance"}[language]]
    assert date in html and "<span>Metz</span>" in html
    assert marked in html


# --- Both languages, accents, exonyms -----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Trèves", "treves", "TREVES"])
def test_accents_and_capitals_do_not_matter(query):
    EventFactory(title_fr="Lecture à Trèves", title_de="Lesung")
    assert titles(search("fr", query)) == ["Lecture à Trèves"]


@pytest.mark.parametrize("query", ["Saarbrücken", "Saarbruecken", "saarbrucken"])
def test_german_spellings_without_umlauts_find_the_umlauts(query):
    EventFactory(title_de="Empfang im Rathaus Saarbrücken", title_fr="Réception")
    assert titles(search("de", query)) == ["Empfang im Rathaus Saarbrücken"]


def test_sz_spelt_ss_finds_it():
    EventFactory(title_de="Fest in der Großen Straße", title_fr="Fête")
    assert titles(search("de", "grosse strasse")) == ["Fest in der Großen Straße"]


def test_a_result_found_only_in_the_other_language_says_so_and_shows_that_text():
    EventFactory(title_de="Zuwanderung als Chance", title_fr="Immigrations : une chance")
    html = html_of(search("fr", "zuwanderung"))
    assert "Trouvé seulement en allemand" in html
    assert re.search(r'<a href="/fr/evenements/[^"]+/" lang="de"><mark>Zuwanderung</mark> als Chance</a>', html)


def test_a_result_found_in_the_visitors_language_says_nothing_of_languages():
    EventFactory(title_de="Zuwanderung als Chance", title_fr="Immigrations : une chance")
    html = html_of(search("de", "zuwanderung"))
    assert "Nur auf" not in html and 'lang="fr"' not in html.split("<main")[1]


def test_a_result_found_only_in_french_on_the_german_page():
    EventFactory(title_de="Bürgertreffen", title_fr="Rencontre citoyenne")
    html = html_of(search("de", "citoyenne"))
    assert "Nur auf Französisch gefunden" in html and 'lang="fr"><mark>' not in html
    assert re.search(r'lang="fr">Rencontre <mark>citoyenne</mark></a>', html)


def test_speakers_names_roles_and_affiliations_are_searched():
    event = EventFactory(title_de="Konferenz", title_fr="Conférence")
    person = PersonFactory(
        name="Vincent Ferry", role_fr="Chercheur", role_de="Forscher", affiliation_de="", affiliation_fr=""
    )
    SlotSpeakerFactory(slot=ProgrammeSlotFactory(event=event), person=person)
    assert titles(search("fr", "Ferry")) == ["Conférence"]
    assert titles(search("fr", "chercheur")) == ["Conférence"]
    assert "Nur auf Französisch" in html_of(search("de", "chercheur"))


def test_programme_workshops_venues_and_categories_are_searched():
    event = EventFactory(
        title_de="Tagung",
        title_fr="Journée",
        venue=VenueFactory(name_de="Porta-Nigra-Saal", name_fr="Salle Porta Nigra"),
        category=CategoryFactory(code="kultur", name_de="Kultur", name_fr="Culture"),
    )
    slot = ProgrammeSlotFactory(
        event=event, title_de="Podiumsgespräch", title_fr="Table ronde", description_de="Über **Wohnungsbau**"
    )
    WorkshopFactory(slot=slot, title_de="Mobilität", title_fr="Mobilité")
    EventFactory(title_de="Anderes", title_fr="Autre")
    for query in ["Podiumsgespräch", "wohnungsbau", "Mobilität", "porta nigra", "kultur"]:
        assert titles(search("de", query)) == ["Tagung"], query
    for query in ["table ronde", "mobilité", "salle porta", "culture"]:
        assert titles(search("fr", query)) == ["Journée"], query


def test_every_word_must_be_found():
    EventFactory(title_de="Sommerfest am See", title_fr="Fête d’été au lac")
    EventFactory(title_de="Winterfest im Park", title_fr="Fête d’hiver au parc")
    assert titles(search("de", "fest see")) == ["Sommerfest am See"]
    assert sorted(titles(search("de", "fest"))) == ["Sommerfest am See", "Winterfest im Park"]


def test_a_place_name_finds_its_other_names(places):
    EventFactory(title_de="Lesung in Trier", title_fr="Lecture à Trier")
    EventFactory(title_de="Lesung in Metz", title_fr="Lecture à Metz")
    assert titles(search("fr", "Trèves")) == ["Lecture à Trier"]
    assert titles(search("de", "Sarrebruck")) == []  # no event there
    EventFactory(title_de="Treffen in Saarbrücken", title_fr="Rencontre")
    # Its French texts do not name the city: found (and shown) in German.
    assert titles(search("fr", "sarrebruck")) == ["Treffen in Saarbrücken"]
    assert titles(search("fr", "saarbruecken")) == ["Treffen in Saarbrücken"]


def test_without_the_equivalence_the_other_name_finds_nothing():
    EventFactory(title_de="Lesung in Trier", title_fr="Lecture à Trier")
    html = html_of(search("fr", "Trèves"))
    assert titles(search("fr", "Trèves")) == [] and "Aucun événement ne correspond à «\u00a0Trèves\u00a0»." in html


def test_a_new_equivalence_applies_at_once_even_to_a_cached_page():
    EventFactory(title_de="Lesung in Trier", title_fr="Lecture à Trier")
    assert titles(search("fr", "Trèves")) == []
    assert titles(search("fr", "Trèves")) == []  # now from the cache
    place = Place.objects.create(label="Trier")
    PlaceName.objects.create(place=place, name="Trier")
    PlaceName.objects.create(place=place, name="Trèves")
    assert titles(search("fr", "Trèves")) == ["Lecture à Trier"]


# --- Filters and pages --------------------------------------------------------------------------------------


def test_the_lists_filters_apply():
    metz, trier = (
        CityFactory(code="metz", name_de="Metz", name_fr="Metz"),
        CityFactory(code="trier", name_de="Trier", name_fr="Trèves"),
    )
    now = timezone.now()
    past = EventFactory(
        title_de="Konzert 2017", title_fr="Concert 2017", start=local(2017, 6, 1, 20), end=local(2017, 6, 1, 22)
    )
    past.cities.add(metz)
    upcoming = EventFactory(title_de="Konzert bald", title_fr="Concert bientôt", start=now + datetime.timedelta(days=3))
    upcoming.cities.add(trier)
    assert sorted(titles(search("de", "konzert"))) == ["Konzert 2017", "Konzert bald"]
    assert titles(search("de", "konzert", city="metz")) == ["Konzert 2017"]
    assert titles(search("de", "konzert", when="upcoming")) == ["Konzert bald"]
    assert titles(search("de", "konzert", when="past")) == ["Konzert 2017"]
    assert titles(search("de", "konzert", year="2017")) == ["Konzert 2017"]
    assert titles(search("de", "konzert", city="trier", when="past")) == []


def test_drafts_are_never_found():
    EventFactory(title_de="Geheimes Treffen", title_fr="Réunion secrète", status="draft")
    assert titles(search("de", "geheimes")) == []


def test_an_unknown_filter_value_is_not_found():
    assert Client().get(url("search:results", "de"), {"q": "fest", "city": "atlantis"}).status_code == 404


def test_results_come_in_pages_of_ten():
    start = timezone.now() + datetime.timedelta(days=10)
    for number in range(12):
        EventFactory(
            title_de=f"Markt {number}", title_fr=f"Marché {number}", start=start + datetime.timedelta(days=number)
        )
    first = search("de", "markt")
    html = html_of(first)
    assert len(results(first)) == 10 and "(12 Veranstaltungen)" in html
    assert 'href="?q=markt&amp;page=2" rel="next"' in html
    second = Client().get(url("search:results", "de") + "?q=markt&page=2")
    assert len(results(second)) == 2 and "(12 Veranstaltungen)" in html_of(second)
    for page in ("3", "0", "x", "99999999999999999999999"):
        assert Client().get(url("search:results", "de") + f"?q=markt&page={page}").status_code == 404


def test_the_language_switcher_keeps_the_search():
    EventFactory(title_de="Markt", title_fr="Marché")
    html = html_of(search("de", "markt"))
    assert 'hreflang="fr" href="http://testserver/fr/recherche/?q=markt"' in html


# --- Useless queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "tip"), [("de", "So suchen Sie"), ("fr", "Comment rechercher")])
def test_the_empty_search_page_gives_tips_and_links_to_the_lists(language, tip):
    response = search(language)
    html = html_of(response)
    assert response.status_code == 200 and tip in html
    assert f'<a href="{url("events:list", language)}">' in html and f'<a href="{url("events:past", language)}">' in html


@pytest.mark.parametrize("query", ["a", "?!", "%%%", "' -- '"])
def test_a_query_without_a_searchable_word_gets_tips_not_an_error(query):
    response = search("fr", query)
    html = html_of(response)
    assert response.status_code == 200
    assert "Votre recherche ne contient aucun mot d’au moins 2 lettres." in html
    assert "Comment rechercher" in html


def test_an_overlong_query_is_a_form_error_in_the_visitors_language():
    response = search("de", "Zuwanderung " * 10)
    html = html_of(response)
    assert response.status_code == 200
    assert "Bitte kürzen Sie Ihre Suche auf höchstens 100 Zeichen (sie hat 119)." in html
    assert 'aria-invalid="true"' in html
    assert "no-store" in response["Cache-Control"]


def test_markup_in_a_query_is_shown_as_text():
    EventFactory(title_de="Fest", title_fr="Fête")
    html = html_of(search("de", "<script>alert(1)</script> fest"))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; fest" in html


# --- Page cache and queries ---------------------------------------------------------------------------------


def test_a_search_is_cached_and_never_stale_after_an_edit():
    event = EventFactory(title_de="Sommerfest", title_fr="Fête d’été")
    address = url("search:results", "de") + "?q=sommerfest"
    assert Client().get(address)["X-Page-Cache"] == "miss"
    cached = Client().get(address)
    assert cached["X-Page-Cache"] == "hit" and titles(cached) == ["Sommerfest"]
    event.title_de = "Herbstfest"
    event.save()
    assert titles(Client().get(address)) == []
    assert titles(Client().get(url("search:results", "de") + "?q=herbstfest")) == ["Herbstfest"]


def test_a_programme_edit_is_found_at_once():
    slot = ProgrammeSlotFactory(title_de="Begrüßung", title_fr="Accueil")
    assert titles(search("fr", "vernissage")) == []
    slot.title_fr = "Vernissage"
    slot.save()
    assert titles(search("fr", "vernissage")) == [str(slot.event)]


def test_a_deleted_event_with_its_programme_is_found_no_more():
    """Its slots, workshops and speakers go with it and leave no document behind (their deletion
    does not write the deleted event's document anew)."""
    slot = ProgrammeSlotFactory(title_de="Begrüßung", title_fr="Vernissage")
    WorkshopFactory(slot=slot)
    SlotSpeakerFactory(slot=slot)
    event = slot.event
    assert titles(search("fr", "vernissage")) == [str(event)]
    event.delete()
    assert titles(search("fr", "vernissage")) == []
    assert not SearchDocument.objects.exists()


def test_a_slot_deleted_alone_leaves_its_event_without_its_words():
    slot = ProgrammeSlotFactory(title_de="Begrüßung", title_fr="Vernissage")
    event = slot.event
    slot.delete()
    assert titles(search("fr", "vernissage")) == []
    assert titles(search("fr", str(event.title_fr).split()[0])) == [str(event)]


def test_one_spelling_per_search():
    response = Client().get(url("search:results", "de") + "?q=+sommer++fest+&city=&page=1")
    assert response.status_code == 301 and response["Location"] == "/de/suche/?q=sommer+fest"


def test_the_number_of_stored_searches_is_bounded(monkeypatch):
    monkeypatch.setitem(page_cache.BOUNDED_PAGES, "search:results", 1)
    EventFactory(title_de="Sommerfest", title_fr="Fête d’été")
    base = url("search:results", "de")
    Client().get(base + "?q=sommer")
    assert Client().get(base + "?q=sommer")["X-Page-Cache"] == "hit"
    assert Client().get(base + "?q=fest")["X-Page-Cache"] == "uncached"
    again = Client().get(base + "?q=fest")
    assert again["X-Page-Cache"] != "hit" and titles(again) == ["Sommerfest"]


def queries_of_a_search(query):
    client = Client()
    address = url("search:results", "fr") + f"?q={query}"
    client.get(address)  # values derived from the content, kept once per content version
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    return response, len(captured.captured_queries)


def test_a_search_costs_the_same_queries_for_1_and_20_results(settings):
    settings.PAGE_CACHE_ENABLED = False
    city = CityFactory(code="metz", name_de="Metz", name_fr="Metz")

    def matching_event(number):
        event = EventFactory(title_de=f"Fest {number}", title_fr=f"Fête {number}")
        event.cities.add(city)
        SlotSpeakerFactory(slot=ProgrammeSlotFactory(event=event))

    matching_event(0)
    one, queries_for_one = queries_of_a_search("fete")
    for number in range(1, 20):
        matching_event(number)
    twenty, queries_for_twenty = queries_of_a_search("fete")
    assert len(results(one)) == 1 and len(results(twenty)) == 10
    assert "(20 événements)" in html_of(twenty)
    # Exonyms, the filter form's cities and categories, the page's events with the number found,
    # the events, their cities, which of them are full (their status); on PostgreSQL the
    # vocabulary too (search/query.py).
    assert queries_for_one == queries_for_twenty == 7 + (connection.vendor == "postgresql")


# --- Staff keep the place names -----------------------------------------------------------------------------


def test_the_secretariat_keeps_the_place_names_in_the_admin():
    user = get_user_model().objects.create_user("sekretariat", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Sekretariat"))
    client = Client()
    client.force_login(user)
    add = reverse("admin:search_place_add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "label": "Luxembourg",
            "names-TOTAL_FORMS": "3",
            "names-INITIAL_FORMS": "0",
            "names-MIN_NUM_FORMS": "1",
            "names-MAX_NUM_FORMS": "1000",
            "names-0-name": "Luxembourg",
            "names-1-name": "Luxemburg",
            "names-2-name": "Lëtzebuerg",
        },
    )
    assert response.status_code == 302
    EventFactory(title_de="Treffen in Luxemburg", title_fr="Rencontre à Luxembourg")
    assert titles(Client().get(url("search:results", "fr") + "?q=L%C3%ABtzebuerg")) == ["Rencontre à Luxembourg"]


def test_a_name_belongs_to_one_place_only():
    user = get_user_model().objects.create_user("sekretariat", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Sekretariat"))
    Place.objects.create(label="Trier").names.create(name="Trèves")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("admin:search_place_add"),
        {
            "label": "Autre",
            "names-TOTAL_FORMS": "1",
            "names-INITIAL_FORMS": "0",
            "names-MIN_NUM_FORMS": "1",
            "names-MAX_NUM_FORMS": "1000",
            "names-0-name": "TREVES",
        },
    )
    assert response.status_code == 200 and "Dieser Name gehört bereits zu einem Ort." in html_of(response)


# --- What only PostgreSQL does ------------------------------------------------------------------------------


@postgresql_only
def test_stemming_finds_other_forms_of_a_word():
    EventFactory(title_de="Eine Konferenz", title_fr="Une rencontre entre deux villes")
    assert titles(search("de", "Konferenzen")) == ["Eine Konferenz"]
    assert titles(search("fr", "ville")) == ["Une rencontre entre deux villes"]


@postgresql_only
@pytest.mark.parametrize(
    ("query", "title"), [("Sarbrücken", "Treffen in Saarbrücken"), ("Luxemburgg", "Treffen in Luxemburg")]
)
def test_typos_in_place_names_are_forgiven(places, query, title):
    luxembourg = Place.objects.create(label="Luxembourg")
    for name in ("Luxembourg", "Luxemburg"):
        luxembourg.names.create(name=name)
    EventFactory(title_de=title, title_fr="Rencontre")
    EventFactory(title_de="Treffen in Metz", title_fr="Rencontre à Metz")
    assert titles(search("de", query)) == [title]


@postgresql_only
@pytest.mark.parametrize(
    ("query", "title"),
    [("Zuwanderng", "Zuwanderung heute"), ("Arbeitsgrupen", "Zuwanderung heute"), ("Ferri", "Zuwanderung heute"),
     ("Sarbrücken", "Treffen in Saarbrücken"), ("Luxemburgg", "Treffen in Luxemburg")],
)  # fmt: skip
def test_typos_in_any_word_are_forgiven_without_a_place_table(query, title):
    """Typos in titles, the programme and speakers' names, and in place names that no entry of
    the place names' table knows: the documents' own words (search.models.Word)."""
    event = EventFactory(title_de="Zuwanderung heute", title_fr="L'immigration aujourd'hui")
    slot = ProgrammeSlotFactory(event=event, title_de="Arbeitsgruppen", title_fr="Ateliers")
    SlotSpeakerFactory(slot=slot, person=PersonFactory(name="Jules Ferry"))
    EventFactory(title_de="Treffen in Saarbrücken", title_fr="Rencontre")
    EventFactory(title_de="Treffen in Luxemburg", title_fr="Rencontre au Luxembourg")
    EventFactory(title_de="Treffen in Metz", title_fr="Rencontre à Metz")
    assert titles(search("de", query)) == [title]


@postgresql_only
def test_results_come_by_relevance_then_date():
    EventFactory(
        title_de="Herbst", title_fr="Automne", teaser_de="Mit Musik.", start=timezone.now() + datetime.timedelta(days=2)
    )
    EventFactory(
        title_de="Musik am Abend", title_fr="Musique le soir", start=timezone.now() + datetime.timedelta(days=90)
    )
    EventFactory(
        title_de="Musik am Morgen", title_fr="Musique le matin", start=timezone.now() + datetime.timedelta(days=60)
    )
    assert titles(search("de", "musik")) == ["Musik am Abend", "Musik am Morgen", "Herbst"]


# --- Status in words, as the lists say it ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ["Verschoben", "Online verlegt", "Abgesagt", "Neuer Termin"]),
        ("fr", ["Reporté", "Passé en ligne", "Annulé", "Nouvelle date"]),
    ],
)
def test_each_result_says_its_status_in_words(language, words):
    soon = timezone.now() + datetime.timedelta(days=20)
    for day, (title, fields) in enumerate(
        [
            ("Laternenfest eins", {"event_status": "postponed"}),
            (
                "Laternenfest zwei",
                {"event_status": "moved_online", "attendance_mode": "online", "online_url": "https://example.org/l"},
            ),
            ("Laternenfest drei", {"is_cancelled": True}),
            ("Laternenfest vier", {"event_status": "rescheduled", "previous_start": soon - datetime.timedelta(days=3)}),
            ("Laternenfest fünf", {}),
        ]
    ):
        start = soon + datetime.timedelta(days=day)
        EventFactory(title_de=title, title_fr=title, start=start, end=start + datetime.timedelta(hours=2), **fields)
    response = search(language, "laternenfest")
    statuses = {
        title: re.findall(r'<p class="event-card__status"><strong>([^<]*)</strong></p>', entry)
        for title, entry in zip(titles(response), results(response), strict=True)
    }
    numbers = ["eins", "zwei", "drei", "vier"]
    assert statuses == {
        **{f"Laternenfest {n}": [w] for n, w in zip(numbers, words, strict=True)},
        "Laternenfest fünf": [],
    }
