"""The addresses a page gives of itself: one clean canonical URL, hreflang alternates and a
language switcher that carry only what selects the content, and, on a page that does not
exist, links that lead somewhere real and never to another host."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from events import language
from events.models import Event

from .factories import CityFactory, EventFactory, conference_2017, local
from .helpers import html_of

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    """The page's <link rel=canonical/alternate hreflang>, its language switcher, and every
    address in an attribute a browser follows or loads."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "cite", "data"}

    def __init__(self):
        super().__init__()
        self.canonical, self.alternates, self.switcher, self.addresses = [], {}, {}, []
        self._in_switcher = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical.append(attributes["href"])
        if tag == "link" and attributes.get("rel") == "alternate" and "hreflang" in attributes:
            self.alternates[attributes["hreflang"]] = attributes["href"]
        if tag == "nav" and "lang-switch" in (attributes.get("class") or ""):
            self._in_switcher = True
        if tag == "a" and self._in_switcher:
            self.switcher[attributes["hreflang"]] = attributes["href"]
        for name, value in attributes.items():
            if value and name in self.URL_ATTRIBUTES:
                self.addresses.append(value)
            if value and name in ("srcset", "imagesrcset"):
                self.addresses += [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
            if value and name == "content" and re.match(r"\s*(https?:|/)", value):
                self.addresses.append(value)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False


def links_of(response):
    parser = Links()
    parser.feed(html_of(response))
    return parser


def host_a_browser_goes_to(page_url, address):
    """The host a browser opens for ``address`` found on ``page_url``, as the WHATWG URL
    parser reads it: tabs and newlines dropped, surrounding spaces stripped, and a backslash
    taken for a slash in http(s) URLs (so ``/\\evil.example/`` means ``//evil.example/``)."""
    address = re.sub(r"[\t\n\r]", "", address).strip(" \x00-\x1f")
    if not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", address) or re.match(r"https?:", address, re.I):
        address = address.replace("\\", "/")
    return urlsplit(urljoin(page_url, address)).hostname


class TestCanonicalAndAlternates:
    @pytest.fixture
    def metz_events(self):
        metz = CityFactory(code="metz", name_de="Metz", name_fr="Metz")
        events = EventFactory.create_batch(12, start=local(2030, 5, 1, 10), end=local(2030, 5, 1, 12))
        for event in events:
            event.cities.add(metz)
        return events

    def test_only_the_filters_and_the_page_in_a_stable_order(self, client, metz_events):
        junk = "x" * 4000
        response = client.get(
            "/de/veranstaltungen/",
            {"utm_source": "newsletter", "page": "2", "foo": junk, "year": "2030", "category": "", "city": "metz"},
            follow=True,
        )
        # Redirected to its one address first (pagecache/addresses.py).
        assert response.redirect_chain == [("/de/veranstaltungen/?city=metz&year=2030&page=2", 301)]
        assert response.status_code == 200
        links = links_of(response)
        assert links.canonical == ["http://testserver/de/veranstaltungen/?city=metz&year=2030&page=2"]
        assert links.alternates == {
            "de": "http://testserver/de/veranstaltungen/?city=metz&year=2030&page=2",
            "x-default": "http://testserver/de/veranstaltungen/?city=metz&year=2030&page=2",
            "fr": "http://testserver/fr/evenements/?city=metz&year=2030&page=2",
        }
        assert links.switcher == {
            "de": "/de/veranstaltungen/?city=metz&year=2030&page=2",
            "fr": "/fr/evenements/?city=metz&year=2030&page=2",
        }
        html = html_of(response)
        assert junk not in html and "utm_source" not in html and "newsletter" not in html
        # The tabs and the pagination keep the filters, and nothing else either.
        assert 'href="/de/veranstaltungen/vergangene/?city=metz&amp;year=2030"' in html
        assert 'href="?city=metz&amp;year=2030" rel="prev"' in html  # page 1: its canonical address

    def test_the_first_page_and_empty_filters_are_the_plain_list(self, client, metz_events):
        response = client.get(
            "/fr/evenements/passes/", {"page": "1", "city": "", "category": "", "year": ""}, follow=True
        )
        assert response.redirect_chain == [("/fr/evenements/passes/", 301)]
        links = links_of(response)
        assert links.canonical == ["http://testserver/fr/evenements/passes/"]
        assert links.alternates["de"] == "http://testserver/de/veranstaltungen/vergangene/"
        assert links.switcher == {"de": "/de/veranstaltungen/vergangene/", "fr": "/fr/evenements/passes/"}

    def test_an_event_page_drops_every_parameter(self, client):
        event = conference_2017()
        response = client.get(event.get_absolute_url("fr"), {"fbclid": "abc", "page": "3"}, follow=True)
        assert response.redirect_chain == [("/fr/evenements/immigrations-une-chance/", 301)]
        links = links_of(response)
        assert links.canonical == ["http://testserver/fr/evenements/immigrations-une-chance/"]
        assert links.alternates["de"] == "http://testserver/de/veranstaltungen/zuwanderung-als-chance/"
        assert links.switcher["de"] == "/de/veranstaltungen/zuwanderung-als-chance/"

    def test_the_home_page_drops_every_parameter(self, client):
        response = client.get("/de/", {"ref": "x" * 200}, follow=True)
        assert response.redirect_chain == [("/de/", 301)]
        links = links_of(response)
        assert links.canonical == ["http://testserver/de/"]
        assert links.switcher == {"de": "/de/", "fr": "/fr/"}


class TestMissingPage:
    @pytest.mark.parametrize(
        "path",
        [
            "/de/veranstaltungen/gibt-es-nicht/?foo=bar",
            "/fr/evenements/n-existe-pas/programme/",
            "/de/veranstaltungen/?city=atlantis",
            "/de/nichts/hier/",
        ],
    )
    def test_no_canonical_no_alternates_and_a_switcher_to_each_home_page(self, client, path):
        response = client.get(path, follow=True)  # ?foo=bar: redirected away first
        assert response.status_code == 404
        links = links_of(response)
        assert links.canonical == [] and links.alternates == {}
        assert links.switcher == {"de": "/de/", "fr": "/fr/"}

    @pytest.mark.parametrize(
        "path",
        [
            "/%5Cevil.example/",
            "/%2F%2Fevil.example/",
            "/%5C%5Cevil.example/",
            "/de/%5Cevil.example/",
            "/fr/%2F%2Fevil.example/",
            "/de/veranstaltungen/%5Cevil.example/",
            "/%09/evil.example/",
            "/%2F%5Cevil.example/?next=//evil.example/",
        ],
    )
    def test_a_crafted_dead_link_puts_no_link_to_another_host_in_the_page(self, client, settings, path):
        settings.DEBUG = False
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 404
        # In the language of the address, else the browser's (French here).
        heading = "Seite nicht gefunden" if path.startswith("/de/") else "Page introuvable"
        assert heading in html_of(response)
        links = links_of(response)
        assert links.addresses, "the page has links"
        page_url = f"http://testserver{path}"
        elsewhere = [a for a in links.addresses if host_a_browser_goes_to(page_url, a) != "testserver"]
        assert elsewhere == []
        assert "evil.example" not in html_of(response)

    def test_the_checker_would_see_the_old_bug(self):
        """The host check reads addresses as a browser does: what the 404 page used to print
        for these paths does lead to another host."""
        assert host_a_browser_goes_to("http://testserver/%5Cevil.example/", "/\\evil.example/") == "evil.example"
        assert host_a_browser_goes_to("http://testserver/x", "//evil.example/") == "evil.example"
        assert host_a_browser_goes_to("http://testserver/x", "/fr/") == "testserver"


class TestUrlInLanguage:
    def test_a_path_that_resolves_is_translated(self, rf):
        assert language.url_in_language(rf.get("/de/veranstaltungen/vergangene/"), "fr") == "/fr/evenements/passes/"

    @pytest.mark.parametrize("path", ["/%5Cevil.example/", "/%2F%2Fevil.example/", "/de/gibt-es-nicht/"])
    def test_a_path_that_resolves_to_no_page_gives_the_home_page(self, rf, path):
        assert language.url_in_language(rf.get(path), "fr") == "/fr/"
        assert language.url_in_language(rf.get(path), "de") == "/de/"

    def test_an_object_names_its_own_address_and_the_query_is_what_the_page_says(self, rf):
        event = EventFactory(slug_de="treffen", slug_fr="rencontre", status=Event.Status.PUBLISHED)
        request = rf.get("/de/veranstaltungen/treffen/?utm_source=x")
        assert language.url_in_language(request, "fr", event) == "/fr/evenements/rencontre/"
        assert language.url_in_language(request, "fr", None, "city=metz") == "/fr/evenements/treffen/?city=metz"
