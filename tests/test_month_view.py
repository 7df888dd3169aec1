"""The month view (events/month.py, events.views.MonthView): a calendar table of a month in each
language, with its week start and names, shareable translated addresses, the list's filters,
404s in the visitor's language, a constant number of queries, and the page cache never stale."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from events import month
from events.models import Event

from .factories import CategoryFactory, CityFactory, EventFactory, VenueFactory, conference_2017, local
from .helpers import html_of
from .test_language import links_of

pytestmark = pytest.mark.django_db

NOVEMBER_2017 = {"de": "/de/veranstaltungen/kalender/2017/11/", "fr": "/fr/evenements/calendrier/2017/11/"}


@pytest.fixture(autouse=True)
def _a_day_in_2026(time_machine):
    """Wednesday 9 December 2026, noon: November 2017 is long past."""
    time_machine.move_to(local(2026, 12, 9, 12), tick=False)


class Month(HTMLParser):
    """What the month table says: its caption, column headers (shown and read), and per day of
    the month (by its ``datetime``) the text, the event links and whether it is today."""

    def __init__(self):
        super().__init__()
        self.caption, self.headers, self.days, self.rel = "", [], {}, {}
        self.h1 = ""
        self._where, self._day, self._link, self._hidden = None, None, None, False
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("rel") in ("prev", "next"):
            self.rel[attributes["rel"]] = attributes["href"]
        if tag in ("caption", "h1"):
            self._where = tag
        if tag == "th":
            self.headers.append({"scope": attributes.get("scope"), "shown": "", "read": ""})
            self._where = "th"
        if tag == "span" and self._where == "th":
            self._hidden = "visually-hidden" in (attributes.get("class") or "")
        if tag == "td":
            self._cell = {"today": attributes.get("aria-current") == "date", "text": "", "links": []}
        if tag == "time" and self._cell is not None and "month__date" in (attributes.get("class") or ""):
            self.days[attributes["datetime"]] = self._cell
        if tag == "a" and self._cell is not None:
            self._link = {"href": attributes["href"], "lang": attributes.get("lang"), "text": ""}
            self._cell["links"].append(self._link)

    def handle_endtag(self, tag):
        if tag in ("caption", "h1", "th"):
            self._where = None
        if tag == "td":
            self._cell = None
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._where == "caption":
            self.caption += data
        elif self._where == "h1":
            self.h1 += data
        elif self._where == "th":
            self.headers[-1]["read" if self._hidden else "shown"] += data.strip()
        if self._cell is not None:
            self._cell["text"] += data
        if self._link is not None:
            self._link["text"] += data

    def day(self, iso):
        cell = self.days[iso]
        return {**cell, "text": " ".join(cell["text"].split())}


def month_of(response):
    assert response.status_code == 200, response.status_code
    parser = Month()
    parser.feed(html_of(response))
    return parser


@pytest.fixture
def conference():
    event = conference_2017(venue=VenueFactory(locality_de="Metz", locality_fr="Metz"))
    event.cities.add(CityFactory(code="metz", name_de="Metz", name_fr="Metz"))
    return event


# --- What the month shows -------------------------------------------------------------------------


class TestNovember2017:
    def test_the_conference_on_the_22nd_in_german(self, client, conference):
        page = month_of(client.get(NOVEMBER_2017["de"]))
        assert page.caption.strip() == "November 2017"
        assert page.h1.strip() == "Veranstaltungen im November 2017"
        day = page.day("2017-11-22")
        assert day["links"] == [
            {"href": "/de/veranstaltungen/zuwanderung-als-chance/", "lang": None, "text": "Zuwanderung als Chance"}
        ]
        assert "9:30 Uhr · Metz" in day["text"]
        assert "Mittwoch, 22. November" in day["text"]  # the date written out, for the narrow list
        assert all(not page.day(f"2017-11-{d:02d}")["links"] for d in range(1, 31) if d != 22)

    def test_the_conference_on_the_22nd_in_french(self, client, conference):
        page = month_of(client.get(NOVEMBER_2017["fr"]))
        assert page.caption.strip() == "Novembre 2017"
        assert page.h1.strip() == "Événements de novembre 2017"
        day = page.day("2017-11-22")
        assert [link["href"] for link in day["links"]] == ["/fr/evenements/immigrations-une-chance/"]
        assert day["links"][0]["text"] == "Immigrations\u00a0: une chance"  # French typography
        assert "9h30 · Metz" in day["text"] and "mercredi 22 novembre" in day["text"]

    @pytest.mark.parametrize(
        ("language", "shown", "read"),
        [
            ("de", ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
             ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]),
            ("fr", ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"],
             ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]),
        ],
    )  # fmt: skip
    def test_weeks_start_on_monday_with_each_language_s_day_names(self, client, conference, language, shown, read):
        page = month_of(client.get(NOVEMBER_2017[language]))
        assert [header["shown"] for header in page.headers] == shown
        assert [header["read"] for header in page.headers] == read
        assert {header["scope"] for header in page.headers} == {"col"}
        # 1 November 2017 was a Wednesday: two days of October fill the first week.
        html = html_of(client.get(NOVEMBER_2017[language]))
        first_row = html.split("<tbody>")[1].split("</tr>")[0]
        assert first_row.count('class="month__pad"') == 2 and 'datetime="2017-11-01"' in first_row

    def test_the_week_start_comes_from_the_language_s_formats(self, settings):
        from django.utils import translation

        with translation.override("de"):
            assert month.first_weekday() == 0  # FIRST_DAY_OF_WEEK = 1, Monday
        settings.FORMAT_MODULE_PATH = None
        with translation.override("en"):
            # Django's English formats start the week on Sunday: the calendar follows.
            assert month.first_weekday() == 6
            assert month.weekday_names()[0] == ("Sun", "Sunday")

    def test_past_months_show_past_events_and_the_today_mark_is_on_today(self, client, conference):
        assert not any(day["today"] for day in month_of(client.get(NOVEMBER_2017["de"])).days.values())
        december = month_of(client.get("/de/veranstaltungen/kalender/2026/12/"))
        assert [iso for iso, day in december.days.items() if day["today"]] == ["2026-12-09"]
        assert "heute" in december.day("2026-12-09")["text"]

    def test_an_event_of_several_days_is_on_each_of_its_days(self, client):
        EventFactory(
            title_de="Sommerschule",
            title_fr="École d’été",
            start=local(2026, 12, 30, 9),
            end=local(2027, 1, 2, 0, 0),  # ends at midnight: not on 2 January
        )
        december = month_of(client.get("/de/veranstaltungen/kalender/2026/12/"))
        assert [december.day(d)["links"][0]["text"] for d in ("2026-12-30", "2026-12-31")] == ["Sommerschule"] * 2
        assert "9:00 Uhr" in december.day("2026-12-30")["text"]
        assert "Fortsetzung" in december.day("2026-12-31")["text"]
        january = month_of(client.get("/fr/evenements/calendrier/2027/01/"))
        assert january.day("2027-01-01")["links"][0]["text"] == "École d’été"
        assert "suite" in january.day("2027-01-01")["text"]
        assert not january.day("2027-01-02")["links"]

    def test_only_published_events(self, client, conference):
        EventFactory(title_de="Entwurf", start=local(2017, 11, 23, 10), status=Event.Status.DRAFT)
        EventFactory(title_de="Geplant", start=local(2017, 11, 24, 10), publish_at=local(2027, 1, 1))
        html = html_of(client.get(NOVEMBER_2017["de"]))
        assert "Entwurf" not in html and "Geplant" not in html
        assert "1 Veranstaltung im November 2017" in html

    def test_a_cancelled_event_says_so(self, client, conference):
        Event.objects.filter(pk=conference.pk).update(is_cancelled=True)
        assert "Abgesagt" in month_of(client.get(NOVEMBER_2017["de"])).day("2017-11-22")["text"]

    def test_an_empty_month_says_so(self, client, conference):
        html = html_of(client.get("/fr/evenements/calendrier/2017/10/"))
        assert "Aucun événement en octobre 2017." in html

    def test_a_title_only_in_the_other_language_is_marked_with_its_language(self, client):
        EventFactory(title_de="Nur deutsch", title_fr="", slug_fr="", start=local(2017, 11, 8, 18))
        link = month_of(client.get(NOVEMBER_2017["fr"])).day("2017-11-08")["links"][0]
        assert link["text"] == "Nur deutsch (uniquement en allemand)" and link["lang"] == "de"


# --- Addresses ------------------------------------------------------------------------------------


class TestAddresses:
    def test_previous_and_next_months_with_rel(self, client, conference):
        page = month_of(client.get(NOVEMBER_2017["de"]))
        assert page.rel == {
            "prev": "/de/veranstaltungen/kalender/2017/10/",
            "next": "/de/veranstaltungen/kalender/2017/12/",
        }
        html = html_of(client.get(NOVEMBER_2017["fr"]))
        assert '<link rel="prev" href="/fr/evenements/calendrier/2017/10/">' in html
        assert '<link rel="next" href="/fr/evenements/calendrier/2017/12/">' in html

    def test_across_the_year(self, client, conference):
        page = month_of(client.get("/de/veranstaltungen/kalender/2017/12/"))
        assert page.rel["next"] == "/de/veranstaltungen/kalender/2018/01/"

    def test_the_first_and_last_months_have_no_link_beyond(self, client, conference):
        # Months run from January of the first year with events (2017) to December of this year.
        assert "prev" not in month_of(client.get("/de/veranstaltungen/kalender/2017/01/")).rel
        assert "next" not in month_of(client.get("/de/veranstaltungen/kalender/2026/12/")).rel

    def test_the_language_switcher_lands_on_the_same_month_with_the_filters(self, client, conference):
        links = links_of(client.get(NOVEMBER_2017["de"] + "?city=metz"))
        assert links.switcher == {"de": NOVEMBER_2017["de"] + "?city=metz", "fr": NOVEMBER_2017["fr"] + "?city=metz"}
        assert links.canonical == ["http://testserver" + NOVEMBER_2017["de"] + "?city=metz"]

    @pytest.mark.parametrize(
        "path",
        [
            "/de/veranstaltungen/kalender/2017/13/",
            "/de/veranstaltungen/kalender/2017/00/",
            "/de/veranstaltungen/kalender/2016/12/",  # before the first year with events
            "/de/veranstaltungen/kalender/2027/01/",  # after this year, no events then
            "/de/veranstaltungen/kalender/2017/1/",
            "/de/veranstaltungen/kalender/17/11/",
            "/de/veranstaltungen/kalender/2017/11/x/",
            "/de/veranstaltungen/kalender/99999/11/",
        ],
    )
    def test_a_month_out_of_range_or_malformed_is_a_404_in_german(self, client, conference, path):
        response = client.get(path)
        assert response.status_code == 404
        assert "Seite nicht gefunden" in html_of(response)

    def test_a_404_in_french(self, client, conference):
        response = client.get("/fr/evenements/calendrier/2017/13/")
        assert response.status_code == 404 and "Page introuvable" in html_of(response)

    def test_an_unknown_filter_is_a_404(self, client, conference):
        response = client.get(NOVEMBER_2017["fr"] + "?city=atlantis")
        assert response.status_code == 404 and "Page introuvable" in html_of(response)

    def test_the_list_s_canonical_query_strings(self, client, conference):
        response = client.get(NOVEMBER_2017["de"] + "?category=quattropole&utm_source=x&city=metz&year=2017")
        assert response.status_code == 301
        assert response["Location"] == NOVEMBER_2017["de"] + "?city=metz&category=quattropole"

    def test_the_later_year_of_an_upcoming_event_has_months(self, client):
        EventFactory(title_de="Künftig", start=local(2028, 3, 4, 10))
        assert "Künftig" in html_of(client.get("/de/veranstaltungen/kalender/2028/03/"))
        assert client.get("/de/veranstaltungen/kalender/2029/01/").status_code == 404

    def test_the_current_month_address_leads_to_this_month_with_the_filters(self, client, conference):
        response = client.get("/fr/evenements/calendrier/?city=metz")
        assert response.status_code == 302
        assert response["Location"] == "/fr/evenements/calendrier/2026/12/?city=metz"
        assert client.get("/de/veranstaltungen/kalender/?city=atlantis").status_code == 404


# --- Filters and the list -------------------------------------------------------------------------


class TestFiltersAndTheList:
    @pytest.fixture
    def two_cities(self, conference):
        trier = CityFactory(code="trier", name_de="Trier", name_fr="Trèves")
        culture = CategoryFactory(code="kultur", name_de="Kultur", name_fr="Culture")
        other = EventFactory(
            title_de="Trierer Abend", title_fr="Soirée à Trèves", start=local(2017, 11, 22, 19), category=culture
        )
        other.cities.add(trier)
        return other

    def test_the_city_and_category_filters(self, client, two_cities):
        both = month_of(client.get(NOVEMBER_2017["de"]))
        assert [link["text"] for link in both.day("2017-11-22")["links"]] == ["Zuwanderung als Chance", "Trierer Abend"]
        trier = month_of(client.get(NOVEMBER_2017["fr"] + "?city=trier"))
        assert [link["text"] for link in trier.day("2017-11-22")["links"]] == ["Soirée à Trèves"]
        assert trier.caption.strip() == "Novembre 2017 – Trèves"
        assert trier.rel["prev"] == "/fr/evenements/calendrier/2017/10/?city=trier"
        culture = month_of(client.get(NOVEMBER_2017["de"] + "?category=kultur"))
        assert [link["text"] for link in culture.day("2017-11-22")["links"]] == ["Trierer Abend"]
        assert "Keine Veranstaltung im Oktober 2017 entspricht diesen Filtern." in html_of(
            client.get("/de/veranstaltungen/kalender/2017/10/?category=kultur")
        )

    def test_the_list_links_to_the_month_view_and_back_with_the_filters(self, client, two_cities):
        html = html_of(client.get("/de/veranstaltungen/vergangene/?city=trier&year=2017"))
        assert '<a href="/de/veranstaltungen/kalender/?city=trier">Monatsansicht</a>' in html
        month_html = html_of(client.get(NOVEMBER_2017["fr"] + "?city=trier"))
        assert '<a href="/fr/evenements/?city=trier">Événements à venir</a>' in month_html
        assert '<a href="/fr/evenements/passes/?city=trier">Événements passés</a>' in month_html


# --- Queries and the page cache -------------------------------------------------------------------


class TestQueriesAndCache:
    @pytest.mark.parametrize("count", [1, 20])
    def test_the_same_number_of_queries_for_1_and_20_events(self, client, count, django_assert_num_queries, settings):
        settings.PAGE_CACHE_ENABLED = False
        metz = CityFactory(code="metz", name_de="Metz", name_fr="Metz")
        for number in range(count):
            event = EventFactory(start=local(2017, 11, 1 + number, 10), end=local(2017, 11, 2 + number, 12))
            event.cities.add(metz)
        client.get(NOVEMBER_2017["de"])  # the filter choices are remembered after the first visit
        # The month's events; the city of the filter; the choices of the two selects.
        with django_assert_num_queries(4):
            page = month_of(client.get(NOVEMBER_2017["de"] + "?city=metz"))
        assert sum(len(day["links"]) for day in page.days.values()) == count + count  # two days each

    def test_cached_and_fresh_after_an_edit(self, conference):
        visitor = Client()
        first = visitor.get(NOVEMBER_2017["fr"])
        assert first["X-Page-Cache"] == "miss"
        assert visitor.get(NOVEMBER_2017["fr"])["X-Page-Cache"] == "hit"
        conference.title_fr = "Immigrations : une chance pour nos villes"
        conference.save()
        again = visitor.get(NOVEMBER_2017["fr"])
        assert again["X-Page-Cache"] == "miss"
        assert "une chance pour nos villes" in html_of(again)

    def test_a_new_event_appears_at_once(self, conference):
        visitor = Client()
        assert visitor.get(NOVEMBER_2017["de"])["X-Page-Cache"] == "miss"
        EventFactory(title_de="Nachzügler", start=local(2017, 11, 28, 18))
        assert "Nachzügler" in html_of(visitor.get(NOVEMBER_2017["de"]))

    def test_today_s_mark_moves_at_midnight(self, conference, time_machine):
        time_machine.move_to(local(2026, 12, 9, 23, 58), tick=False)
        visitor = Client()
        december, november = "/de/veranstaltungen/kalender/2026/12/", NOVEMBER_2017["de"]
        for address in (december, november):
            assert visitor.get(address)["X-Page-Cache"] == "miss"
            assert visitor.get(address)["X-Page-Cache"] == "hit"
        time_machine.move_to(local(2026, 12, 10, 0, 1), tick=False)
        response = visitor.get(december)
        assert response["X-Page-Cache"] == "miss"
        assert [iso for iso, day in month_of(response).days.items() if day["today"]] == ["2026-12-10"]
        # A past month has no mark to move: it stays in the cache over midnight.
        assert visitor.get(november)["X-Page-Cache"] == "hit"
