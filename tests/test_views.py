import copy
import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event

from .factories import (
    CategoryFactory,
    CityFactory,
    EventFactory,
    PersonFactory,
    ProgrammeSlotFactory,
    SlotSpeakerFactory,
    WorkshopFactory,
    conference_2017,
    local,
)
from .helpers import html_of, url

pytestmark = pytest.mark.django_db

# After the 2017-style conference below ended.
AFTER = local(2026, 11, 22, 12)


@pytest.fixture
def conference():
    event = conference_2017(
        title_de="Zuwanderung als Chance für unsere vier Städte",
        title_fr="Immigrations : une chance pour nos quatre villes",
        registration_url_de="https://example.org/anmeldung",
        registration_url_fr="https://example.org/inscription",
        registration_deadline=datetime.date(2017, 11, 15),
        interpretation_de="Simultanübersetzung Deutsch/Französisch",
        interpretation_fr="Interprétariat simultané français/allemand",
        contact=PersonFactory(name="Jade Porcherot", email="jade.porcherot@granderegion.net", phone="+352 247 80115"),
    )
    ProgrammeSlotFactory(
        event=event, start=local(2017, 11, 22, 9, 30), title_de="Empfang der Teilnehmer", title_fr="Accueil"
    )
    talk = ProgrammeSlotFactory(
        event=event, start=local(2017, 11, 22, 10, 15), title_de="Einwanderung", title_fr="L'immigration"
    )
    SlotSpeakerFactory(
        slot=talk,
        person=PersonFactory(
            name="Vincent Ferry",
            role_de="Forscher",
            role_fr="Chercheur",
            affiliation_de="Lothringisches Institut",
            affiliation_fr="Laboratoire lorrain",
        ),
    )
    workshops = ProgrammeSlotFactory(
        event=event, start=local(2017, 11, 22, 11), title_de="Arbeitsgruppen", title_fr="Ateliers"
    )
    WorkshopFactory(slot=workshops, title_de="Bildung", title_fr="Education et petite enfance")
    return event


class TestRootRedirect:
    def test_german_by_default(self, client):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == "/de/"

    def test_accept_language(self, client):
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")["Location"] == "/fr/"

    def test_cookie_wins_over_accept_language(self, client):
        client.cookies["django_language"] = "de"
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/de/"

    def test_reading_a_french_page_remembers_french(self, client):
        client.get("/fr/")
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/fr/"


class TestEveryPage:
    @pytest.mark.parametrize("language", ["de", "fr"])
    @pytest.mark.parametrize("name", ["home", "events:list", "events:past", "events:detail"])
    def test_page_in_both_languages(self, client, conference, language, name):
        kwargs = {"slug": conference.slug_in(language)} if name == "events:detail" else {}
        path = url(name, language, **kwargs)
        assert path.startswith(f"/{language}/")
        response = client.get(path)
        html = html_of(response)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in html
        assert html.count("<h1") == 1
        assert f'<link rel="canonical" href="http://testserver{path}">' in html
        for code in ("de", "fr", "x-default"):
            assert f'<link rel="alternate" hreflang="{code}"' in html
        assert 'hreflang="fr"' in html and 'hreflang="de"' in html
        assert 'href="#main"' in html and 'id="main"' in html
        # No asset from another host.
        assert not re.search(
            r'<(script|link|img)[^>]+(src|href)="(https?:)?//(?!testserver)[^"]*"[^>]*>', html.split("<body")[0]
        )

    def test_translated_path_words(self):
        assert url("events:list", "de") == "/de/veranstaltungen/"
        assert url("events:list", "fr") == "/fr/evenements/"
        assert url("events:past", "de") == "/de/veranstaltungen/vergangene/"
        assert url("events:past", "fr") == "/fr/evenements/passes/"


class TestDetail:
    def test_switcher_lands_on_the_same_event_under_the_other_slug(self, client, conference):
        html = html_of(client.get("/de/veranstaltungen/zuwanderung-als-chance/"))
        assert '<a href="/fr/evenements/immigrations-une-chance/" hreflang="fr" lang="fr">' in html
        html = html_of(client.get("/fr/evenements/immigrations-une-chance/"))
        assert '<a href="/de/veranstaltungen/zuwanderung-als-chance/" hreflang="de" lang="de">' in html

    def test_other_language_slug_redirects_to_this_language_slug(self, client, conference):
        response = client.get("/fr/evenements/zuwanderung-als-chance/")
        assert response.status_code == 301
        assert response["Location"] == "/fr/evenements/immigrations-une-chance/"

    @time_machine.travel(AFTER, tick=False)
    def test_expired_event_in_german(self, client, conference):
        html = html_of(client.get("/de/veranstaltungen/zuwanderung-als-chance/"))
        assert "Die Veranstaltung ist bereits abgelaufen" in html
        assert "Datum (abgelaufen)" in html
        assert "Anmeldung geschlossen" in html
        assert "https://example.org/anmeldung" not in html

    @time_machine.travel(AFTER, tick=False)
    def test_expired_event_in_french(self, client, conference):
        html = html_of(client.get("/fr/evenements/immigrations-une-chance/"))
        assert "L’événement est terminé" in html
        assert "Date (passée)" in html
        assert "Inscriptions closes" in html
        assert "https://example.org/inscription" not in html

    @time_machine.travel(local(2017, 11, 18, 12), tick=False)
    def test_after_the_deadline_before_the_event(self, client, conference):
        de = html_of(client.get("/de/veranstaltungen/zuwanderung-als-chance/"))
        fr = html_of(client.get("/fr/evenements/immigrations-une-chance/"))
        assert "Anmeldung geschlossen" in de and "abgelaufen" not in de
        assert "Inscriptions closes" in fr and "terminé" not in fr
        assert "https://example.org/anmeldung" not in de

    @time_machine.travel(local(2017, 11, 1, 12), tick=False)
    def test_open_registration_links_each_language_form(self, client, conference):
        de = html_of(client.get("/de/veranstaltungen/zuwanderung-als-chance/"))
        fr = html_of(client.get("/fr/evenements/immigrations-une-chance/"))
        assert 'href="https://example.org/anmeldung"' in de and "Mittwoch, 15. November 2017" in de
        assert 'href="https://example.org/inscription"' in fr and "mercredi 15 novembre 2017" in fr
        assert "Datum (abgelaufen)" not in de

    def test_dates_and_programme_times_as_each_language_writes_them(self, client, conference):
        de = html_of(client.get("/de/veranstaltungen/zuwanderung-als-chance/"))
        fr = html_of(client.get("/fr/evenements/immigrations-une-chance/"))
        assert "Mittwoch, 22. November 2017, 9:30 – 17:00 Uhr" in de
        assert "mercredi 22 novembre 2017, 9h30 – 17h" in fr
        assert ">9:30<" in de and ">10:15<" in de and ">11:00<" in de
        assert ">9h30<" in fr and ">10h15<" in fr and ">11h<" in fr

    def test_programme_with_speakers_and_workshops(self, client, conference):
        de = html_of(client.get("/de/veranstaltungen/zuwanderung-als-chance/"))
        fr = html_of(client.get("/fr/evenements/immigrations-une-chance/"))
        assert "Vincent Ferry, Forscher, Lothringisches Institut" in de
        assert "Vincent Ferry, Chercheur, Laboratoire lorrain" in fr
        assert de.index("Empfang der Teilnehmer") < de.index("Einwanderung") < de.index("Bildung")
        assert "Education et petite enfance" in fr
        assert "Simultanübersetzung Deutsch/Französisch" in de

    def test_contact_email_is_never_plain_text(self, client, conference):
        html = html_of(client.get("/de/veranstaltungen/zuwanderung-als-chance/"))
        assert "jade.porcherot@granderegion.net" not in html
        assert "mailto:" not in html
        assert "jade.porcherot[at]granderegion.net" in html
        assert "+352 247 80115" in html

    def test_venue_block(self, client, conference):
        html = html_of(client.get("/fr/evenements/immigrations-une-chance/"))
        assert "Hôtel de Ville" in html and "57036 Metz" in html
        assert "+33 387 555000" in html and 'href="http://www.mairie-metz.fr/"' in html
        assert "openstreetmap.org" in html

    def test_breadcrumb(self, client, conference):
        html = html_of(client.get("/de/veranstaltungen/zuwanderung-als-chance/"))
        crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
        texts = [t.strip() for t in re.findall(r">([^<>]+)</a>", crumbs)]
        assert texts == ["QuattroPole", "Veranstaltungen", "Alle Veranstaltungen", conference.title_de]

    def test_markdown_description_is_rendered_and_sanitised(self, client, conference):
        conference.description_de = "**Wichtig** <script>alert(1)</script> [Link](javascript:alert(1))"
        conference.save()
        html = html_of(client.get("/de/veranstaltungen/zuwanderung-als-chance/"))
        assert "<strong>Wichtig</strong>" in html
        assert "<script>alert(1)</script>" not in html
        assert "javascript:alert" not in html


class TestFallback:
    @pytest.fixture
    def german_only(self):
        return EventFactory(
            title_de="Nur auf Deutsch",
            title_fr="",
            slug_de="nur-auf-deutsch",
            slug_fr=None,
            teaser_fr="",
            kicker_fr="",
        )

    def test_missing_french_falls_back_to_german_marked_with_lang(self, client, german_only):
        response = client.get("/fr/evenements/nur-auf-deutsch/")
        html = html_of(response)
        assert response.status_code == 200
        # Marked for screen readers, and said for everyone: "(only in German)".
        note = '<span class="fallback-note" lang="fr">(uniquement en allemand)</span>'
        assert f'<h1 lang="de">Nur auf Deutsch {note}</h1>' in html
        assert '<html lang="fr">' in html

    def test_a_french_text_on_a_german_page_says_so(self, client):
        EventFactory(title_fr="Seulement en français", title_de="", slug_de=None, slug_fr="seulement", teaser_de="")
        html = html_of(client.get("/de/veranstaltungen/seulement/"))
        note = '<span class="fallback-note" lang="de">(nur auf Französisch)</span>'
        assert f'<h1 lang="fr">Seulement en français {note}</h1>' in html
        assert f'<p class="lead" lang="fr">Un échange entre les quatre villes. {note}</p>' in html
        # Once is enough in the breadcrumbs and none fits in the window's title.
        assert "<title>Seulement en français – " in html

    def test_switcher_on_a_fallback_page(self, client, german_only):
        html = html_of(client.get("/de/veranstaltungen/nur-auf-deutsch/"))
        assert '<a href="/fr/evenements/nur-auf-deutsch/" hreflang="fr"' in html

    def test_fallback_slug_does_not_steal_a_real_slug(self, client, german_only):
        EventFactory(slug_fr="nur-auf-deutsch", title_fr="Propriétaire")
        html = html_of(client.get("/fr/evenements/nur-auf-deutsch/"))
        assert "<h1>Propriétaire</h1>" in html and "Nur auf Deutsch" not in html

    def test_list_marks_fallback_titles(self, client, german_only):
        html = html_of(client.get("/fr/evenements/"))
        note = '<span class="fallback-note" lang="fr">(uniquement en allemand)</span>'
        assert f'lang="de">Nur auf Deutsch {note}</a>' in html


class TestDrafts:
    def test_draft_is_404_for_visitors(self, client):
        draft = EventFactory(status=Event.Status.DRAFT)
        assert client.get(draft.get_absolute_url("de")).status_code == 404
        assert draft.title_de not in html_of(client.get("/de/veranstaltungen/"))

    def test_staff_preview_a_draft(self, admin_client):
        draft = EventFactory(status=Event.Status.DRAFT)
        response = admin_client.get(draft.get_absolute_url("fr"))
        assert response.status_code == 200
        assert "Aperçu" in html_of(response)


class TestLists:
    def test_upcoming_and_past_are_separate(self, client):
        with time_machine.travel(AFTER, tick=False):
            soon = EventFactory(start=local(2026, 12, 1, 10), end=local(2026, 12, 1, 12), title_de="Bald")
            gone = EventFactory(start=local(2025, 1, 1, 10), end=local(2025, 1, 1, 12), title_de="Vorbei")
            upcoming = html_of(client.get("/de/veranstaltungen/"))
            past = html_of(client.get("/de/veranstaltungen/vergangene/"))
        assert soon.title_de in upcoming and gone.title_de not in upcoming
        assert gone.title_de in past and soon.title_de not in past

    def test_filters_by_city_category_and_year(self, client):
        metz = CityFactory(code="metz", name_de="Metz", name_fr="Metz")
        trier = CityFactory(code="trier", name_de="Trier", name_fr="Trèves")
        culture = CategoryFactory(code="culture", name_de="Kultur", name_fr="Culture")
        in_metz = EventFactory(title_de="In Metz")
        in_metz.cities.add(metz)
        in_trier = EventFactory(title_de="In Trier", category=culture)
        in_trier.cities.add(trier)
        by_city = html_of(client.get("/de/veranstaltungen/?city=metz"))
        assert "In Metz" in by_city and "In Trier" not in by_city
        by_category = html_of(client.get("/de/veranstaltungen/?category=culture"))
        assert "In Trier" in by_category and "In Metz" not in by_category
        year = in_metz.start.year
        assert "In Metz" in html_of(client.get(f"/de/veranstaltungen/?year={year}"))

    def test_each_list_offers_only_the_choices_its_events_have(self, client):
        metz = CityFactory(code="metz", name_de="Metz", name_fr="Metz")
        trier = CityFactory(code="trier", name_de="Trier", name_fr="Trèves")
        CityFactory(code="luxembourg", name_de="Luxemburg", name_fr="Luxembourg")  # no event at all
        culture = CategoryFactory(code="culture", name_de="Kultur", name_fr="Culture")
        sport = CategoryFactory(code="sport", name_de="Sport", name_fr="Sport")
        CategoryFactory(code="economy", name_de="Wirtschaft", name_fr="Économie")  # no event at all
        with time_machine.travel(AFTER, tick=False):
            EventFactory(start=local(2025, 5, 1, 10), end=local(2025, 5, 1, 12), category=culture).cities.add(metz)
            EventFactory(start=local(2027, 3, 1, 10), end=local(2027, 3, 1, 12), category=sport).cities.add(trier)
            past = html_of(client.get("/de/veranstaltungen/vergangene/"))
            upcoming = html_of(client.get("/de/veranstaltungen/"))
            # The other list's filters (carried over by its tab) say that nothing matches, and
            # the chosen value stays shown.
            other = client.get("/de/veranstaltungen/?category=culture&year=2025")
        # What a visitor needs (issue 27) is always offered: "none match" is an answer too.
        needs = {
            "access": ["", "motor", "hearing", "visual", "psychic", "intellectual"],
            "language": ["", "fr", "de", "lb", "en"],
            "interpretation": ["", "yes"],
        }
        assert filter_options(past) == {
            "city": ["", "metz"],
            "category": ["", "culture"],
            "year": ["", "2025"],
            **needs,
        }
        assert filter_options(upcoming) == {
            "city": ["", "trier"],
            "category": ["", "sport"],
            "year": ["", "2027"],
            **needs,
        }
        assert other.status_code == 200
        assert filter_options(html_of(other)) == {
            "city": ["", "trier"],
            "category": ["", "culture", "sport"],
            "year": ["", "2027", "2025"],
            **needs,
        }
        assert "Keine Veranstaltung entspricht diesen Filtern." in html_of(other)

    def test_filters_survive_a_language_switch(self, client):
        CityFactory(code="metz")
        html = html_of(client.get("/de/veranstaltungen/?city=metz"))
        assert 'href="/fr/evenements/?city=metz"' in html

    def test_pagination(self, client):
        EventFactory.create_batch(12)
        first = html_of(client.get("/de/veranstaltungen/"))
        second = html_of(client.get("/de/veranstaltungen/?page=2"))
        assert "Seite 1 von 2" in first and 'rel="next"' in first
        assert second.count('class="event-card"') == 2

    @pytest.mark.parametrize("path", ["/de/", "/fr/evenements/"])
    def test_each_event_card_is_named_by_its_title(self, client, path):
        """Screen readers list the cards (articles) by name: each one's name is its event's title."""
        EventFactory(title_de="Leseabend", title_fr="Soirée lecture")
        EventFactory(title_de="Radtag", title_fr="Journée vélo")
        html = html_of(client.get(path))
        cards = re.findall(r'<article class="event-card[^"]*" aria-labelledby="([^"]+)">', html)
        assert len(cards) == 2
        titles = [re.search(rf'id="{card}"><a [^>]*>([^<]+)</a>', html).group(1) for card in cards]
        expected = {"Leseabend", "Radtag"} if path.startswith("/de/") else {"Soirée lecture", "Journée vélo"}
        assert set(titles) == expected

    def test_empty_list_says_so(self, client):
        assert "Zurzeit sind keine kommenden Veranstaltungen veröffentlicht." in html_of(
            client.get("/de/veranstaltungen/")
        )


class TestBadInput:
    @pytest.mark.parametrize(
        "path",
        [
            "/de/veranstaltungen/gibt-es-nicht/",
            "/fr/evenements/n-existe-pas/",
            "/de/veranstaltungen/?page=999",
            "/de/veranstaltungen/?page=abc",
            "/de/veranstaltungen/?page=-1",
            "/de/veranstaltungen/?city=atlantis",
            "/de/veranstaltungen/?category=%3Cscript%3E",
            "/de/veranstaltungen/?year=zwanzig",
            "/de/veranstaltungen/?year=99999999999999999999",
            "/es/eventos/",
            "/xx/",
            "/de/" + "a" * 5000 + "/",
            "/de/veranstaltungen/" + "x" * 3000 + "/",
            "/de/veranstaltungen/%00/",
        ],
    )
    def test_bad_input_is_a_404_in_the_visitors_language(self, client, path):
        response = client.get(path)
        assert response.status_code == 404
        expected = "Page introuvable" if path.startswith("/fr/") else "Seite nicht gefunden"
        assert expected in html_of(response)

    def test_french_404(self, client):
        response = client.get("/fr/evenements/n-existe-pas/")
        assert response.status_code == 404
        assert "Page introuvable" in html_of(response)
        assert '<html lang="fr">' in html_of(response)

    def test_filter_values_are_never_reflected(self, client):
        """An unknown city is a 404 that does not repeat it, neither as markup nor escaped."""
        response = client.get("/de/veranstaltungen/", {"city": '"><script>alert(1)</script>'})
        assert response.status_code == 404
        assert "Seite nicht gefunden" in html_of(response)
        assert "alert(1)" not in html_of(response)

    def test_unknown_extra_parameters_are_redirected_away(self, client):
        """pagecache/addresses.py: a page's one address carries only what it reads."""
        response = client.get("/de/veranstaltungen/", {"utm_source": "<b>newsletter</b>"})
        assert response.status_code == 301 and response["Location"] == "/de/veranstaltungen/"
        assert "<b>newsletter</b>" not in html_of(response)


def filter_options(html):
    """The values each list filter offers, in order."""
    return {
        name: re.findall(r'<option value="([^"]*)"', select)
        for name, select in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', html, flags=re.S)
    }


class TestQueryCounts:
    """Query counts stay flat whatever the number of events, slots and speakers."""

    @pytest.mark.parametrize("events", [1, 8])
    def test_list(self, client, django_assert_num_queries, events):
        city = CityFactory()
        for event in EventFactory.create_batch(events):
            event.cities.add(city)
        # the filters' choices (each list's years, cities and categories, in one query), count, events,
        # cities of the page's events, the cities and categories offered; the page cache's next state
        # change (on a miss); the footer's accessibility status (the cache is empty); which of the
        # page's events are full (the entries' status, one query for the page)
        with django_assert_num_queries(9):
            assert client.get("/de/veranstaltungen/").status_code == 200

    @pytest.mark.parametrize("size", [1, 6])
    def test_detail(self, client, django_assert_num_queries, size):
        event = EventFactory()
        for i in range(size):
            slot = ProgrammeSlotFactory(event=event, start=event.start + datetime.timedelta(minutes=30 * i))
            SlotSpeakerFactory.create_batch(size, slot=slot)
            WorkshopFactory.create_batch(size, slot=slot)
        event.cities.add(*CityFactory.create_batch(size))
        # event (with venue, people), cities, slots, workshops, speakers; the page cache's next state
        # change; whether the event has a built-in registration form (tests/registration/test_views.py
        # counts the page with one); the footer's accessibility status (the cache is empty); whether
        # the event is full (its status at the top); the event's materials (for the documentation,
        # the slots and the JSON-LD alike)
        with django_assert_num_queries(10):
            assert client.get(event.get_absolute_url("de")).status_code == 200

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="index-only scans are PostgreSQL's")
    def test_the_upcoming_count_reads_the_index_alone(self):
        """The list's page count reads no table row, however many events are upcoming (the index
        of migration 0009 holds what visibility asks); with publish_at outside it, PostgreSQL
        would read every upcoming event's row."""
        EventFactory.create_batch(3, publish_at=local(2020, 1, 1))
        # Many past events beside them, and fresh statistics: with a handful of rows the planner's
        # costs of the (status, start) index and of this one tie, and its choice changed from run
        # to run.
        past = EventFactory(start=local(2020, 1, 1, 10), end=local(2020, 1, 1, 12))
        Event.objects.bulk_create([twin(past, number) for number in range(300)])
        with CaptureQueriesContext(connection) as counted:
            Event.objects.published().upcoming(start_hint=False).order_by().count()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE events_event")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + counted.captured_queries[0]["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Index Only Scan using event_status_end_start" in plan, plan

    def test_home(self, client, django_assert_num_queries):
        EventFactory.create_batch(5)
        EventFactory.create_batch(5, start=local(2020, 1, 1, 10), end=local(2020, 1, 1, 12))
        # upcoming and their cities, recent and their cities; the page cache's next state change; the
        # footer's accessibility status (the cache is empty); which upcoming events are full (the
        # recent ones have ended: nothing to ask)
        with django_assert_num_queries(7):
            assert client.get("/de/").status_code == 200


def test_place_names_in_the_page_language(client):
    from .factories import VenueFactory

    venue = VenueFactory(
        locality_de="Saarbrücken", locality_fr="Sarrebruck", country_de="Deutschland", country_fr="Allemagne"
    )
    EventFactory(venue=venue)
    assert "Sarrebruck" in html_of(client.get("/fr/evenements/"))
    assert "Saarbrücken" in html_of(client.get("/de/veranstaltungen/"))


def twin(event, number):
    """An unsaved copy of ``event`` under slugs of its own, for bulk_create."""
    copied = copy.copy(event)
    copied.pk = None
    copied.calendar_uid = Event._meta.get_field("calendar_uid").get_default()  # unique, as the slugs
    copied.slug_de, copied.slug_fr = f"{event.slug_de}-{number}", f"{event.slug_fr}-{number}"
    return copied


def test_the_previous_page_link_of_page_two_is_the_plain_list(client):
    """The lists link to canonical addresses only (no 301 hop): page 1 has no page number."""
    EventFactory.create_batch(11)
    html = html_of(client.get("/de/veranstaltungen/?page=2"))
    assert 'href="/de/veranstaltungen/" rel="prev"' in html
