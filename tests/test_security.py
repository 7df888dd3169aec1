"""The strict Content-Security-Policy we are heading for holds today: every page sends it, and
no page needs an exception to it (no inline script, no style attribute, no inline handler)."""

from html.parser import HTMLParser

import pytest

from .factories import EventFactory, ProgrammeSlotFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


class InlineCodeFinder(HTMLParser):
    """Collects, from real tags only (not escaped text), what a strict CSP would block."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and "json" not in (attributes.get("type") or ""):
            self.found.append(f"inline <script> {attributes}")
        if tag == "style":
            self.found.append("<style> element")
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")


def assert_csp_clean(response):
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    assert finder.found == []


@pytest.fixture
def event():
    event = EventFactory(description_de="**Fett** <span style='color:red' onclick='x()'>rot</span>")
    WorkshopFactory(slot=ProgrammeSlotFactory(event=event))
    return event


@pytest.mark.parametrize("language", ["de", "fr"])
def test_public_pages(client, event, language):
    pages = {
        f"/{language}/": 200,
        event.get_absolute_url(language): 200,
        event.get_absolute_url(language) + "x-missing/": 404,
    }
    for path, status in pages.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert_csp_clean(response)
    for name in ("/de/veranstaltungen/", "/de/veranstaltungen/vergangene/", "/fr/evenements/", "/de/nichts/"):
        assert_csp_clean(client.get(name))


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/events/event/", "/admin/events/event/add/", "/admin/events/person/add/"]
)
def test_admin_pages(admin_client, event, path):
    response = admin_client.get(path)
    assert response.status_code == 200
    assert_csp_clean(response)


def test_admin_change_page(admin_client, event):
    assert_csp_clean(admin_client.get(f"/admin/events/event/{event.pk}/change/"))


# --- Methods, address lengths, the language switch ---------------------------------------------------

READ_ONLY = ["/de/", "/de/veranstaltungen/feed/", "/healthz", "/robots.txt", "/sitemap.xml", "/favicon.ico", "/"]


@pytest.mark.parametrize("path", [*READ_ONLY, "/static/css/site.css", "/admin/login/", "/i18n/setlang/"])
@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "BREW"])
def test_methods_the_site_does_not_use_are_refused_everywhere(client, path, method):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert "Content-Security-Policy" in response


@pytest.mark.parametrize("path", READ_ONLY)
def test_pages_that_only_show_something_refuse_post(client, path):
    response = client.post(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_an_address_longer_than_8_kb_is_refused(client):
    response = client.get("/fr/evenements/?city=" + "x" * 8200)
    assert response.status_code == 414
    assert "Adresse trop longue" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "de-DE", "FR", "xx", ""])
def test_the_language_switch_takes_only_the_sites_languages(client, language):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/de/veranstaltungen/"})
    assert response.status_code == 400
    assert "django_language" not in response.cookies


def test_the_language_switch_lands_on_the_same_page_in_the_other_language(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/de/veranstaltungen/vergangene/"})
    assert response.status_code == 302 and response["Location"] == "/fr/evenements/passes/"
    assert response.cookies["django_language"].value == "fr"


def test_the_language_switch_never_lands_on_an_address_that_does_not_exist(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/xx/nichts/"})
    assert response.status_code == 302 and response["Location"] == "/fr/"
    assert response.cookies["django_language"].value == "fr"


def test_the_language_switch_is_a_form_not_a_link(client):
    assert client.get("/i18n/setlang/?language=fr&next=/de/").status_code == 405
