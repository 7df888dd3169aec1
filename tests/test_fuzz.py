"""Bad input on every public address: a 4xx or a 3xx, never a 5xx, never the input echoed unescaped.

Every public page (pagecache/addresses.py, ``PUBLIC_PAGES``) gets the same battery: a 1 MB
query string, too many parameters, a NUL byte, invalid UTF-8 and malformed percent-encoding in
the path and in parameters, markup in both, a 5,000-character slug, unknown and repeated
parameters, page numbers 0, -1 and 99999999999999999999, odd language prefixes (/en/, /xx/, /DE/)
and every HTTP method. Each answer is exactly the one the rules say (``expected``): these are
the rules a visitor, a crawler and a scanner meet.

A new public page: add it to ``PUBLIC_PAGES`` and to ``addresses()`` below, with the status of a
plain GET; ``test_every_public_page_is_fuzzed`` fails until both know it.
"""

from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver
from django.utils import timezone

from pagecache.addresses import LIST_PARAMETERS, PUBLIC_PAGES, STRICT_PAGES
from pages import demo as pages_demo
from pages.models import SitePage
from registration import links

from .factories import ProgrammeSlotFactory
from .registration.factories import RegistrationFactory, event_with_form

pytestmark = pytest.mark.django_db

MARKUP = '"><script>alert(1)</script><svg onload=alert(2)>'
MARKUP_QUOTED = "%22%3E%3Cscript%3Ealert(1)%3C/script%3E%3Csvg%20onload=alert(2)%3E"


@pytest.fixture
def pages():
    """Every public page of an event with a programme and a registration form."""
    event = event_with_form()
    ProgrammeSlotFactory(event=event)
    registration = RegistrationFactory(event=event)
    pages_demo.load()
    SitePage.objects.create(kind="other", title_de="Über uns", slug_de="ueber-uns", slug_fr="a-propos", published=True)
    return addresses(event, registration)


def addresses(event, registration):
    """{URL name: (an address of that page, the status of a plain GET, the part of the address
    that names an event or a registration)}."""
    slug, token = event.slug_de, links.token(registration)
    return {
        "root": ("/", 302, None),
        "home": ("/de/", 200, None),
        "events:list": ("/de/veranstaltungen/", 200, None),
        "events:past": ("/fr/evenements/passes/", 200, None),
        "events:calendar": ("/de/veranstaltungen/kalender.ics", 200, None),
        "events:feed": ("/fr/evenements/feed/", 200, None),
        "events:month": (f"/de/veranstaltungen/kalender/{timezone.localdate():%Y/%m}/", 200, None),
        "events:month_current": ("/fr/evenements/calendrier/", 302, None),
        "events:detail": (event.get_absolute_url("de"), 200, slug),
        "events:programme": (event.get_programme_url("de"), 200, slug),
        "events:event_calendar": (event.get_calendar_url("de"), 200, slug),
        "search:results": ("/de/suche/", 200, None),
        "registration:register": (event.page_url("registration:register", "de"), 302, slug),
        "registration:check_email": (event.page_url("registration:check_email", "de"), 200, slug),
        "registration:resend": (event.page_url("registration:resend", "de"), 200, slug),
        # A GET never confirms (a mail scanner opens links): it leads to the registrant's page.
        "registration:confirm": (links.manage_url(registration, "de", "registration:confirm"), 302, token),
        "registration:manage": (links.manage_url(registration, "fr"), 200, token),
        "registration:change": (links.manage_url(registration, "de", "registration:change"), 200, token),
        "registration:cancel": (links.manage_url(registration, "fr", "registration:cancel"), 200, token),
        # No material of this event is shared with its registrants: the file is nobody's (a 404).
        "registration:material": (links.manage_url(registration, "de", "registration:material", pk=999999), 404, token),
        "sitemap": ("/sitemap.xml", 200, None),
        "robots_txt": ("/robots.txt", 200, None),
        "favicon": ("/favicon.ico", 301, None),
        "healthz": ("/healthz", 200, None),
        "pages:legal_notice": ("/de/impressum/", 200, None),
        "pages:privacy": ("/fr/donnees-personnelles/", 200, None),
        "pages:accessibility": ("/de/barrierefreiheit/", 200, None),
        "pages:accessibility_json": ("/fr/accessibilite/statement.json", 200, None),
        "pages:feedback": ("/fr/contact-accessibilite/", 200, None),
        "pages:feedback_sent": ("/de/rueckmeldung/gesendet/", 200, None),
        "pages:easy_language": ("/fr/falc/", 200, None),
        "pages:sign_language": ("/de/gebaerdensprache/", 200, None),
        # No video with this number: its captions are nobody's (a 404).
        "pages:sign_language_captions": ("/fr/langue-des-signes/999999.vtt", 404, None),
        "pages:page": ("/de/info/ueber-uns/", 200, "ueber-uns"),
        "api:index": ("/api/v1/", 200, None),
        "api:events": ("/api/v1/events", 200, None),
        "api:event": (f"/api/v1/events/{event.pk}", 200, None),
        "api_openapi": ("/api/v1/openapi.json", 200, None),
        "api_docs": ("/fr/api/", 200, None),
        "embed": ("/de/einbetten/", 200, None),
    }


# Pages that read a page number: ?page=0 and the like reach the view, which has no such page.
PAGED = {name for name, parameters in PUBLIC_PAGES.items() if "page" in parameters}
# Pages with a form: POST is theirs (the registration tests send it every kind of bad input).
FORMS = {
    "registration:register",
    "registration:resend",
    "registration:confirm",
    "registration:change",
    "registration:cancel",
    "pages:feedback",
}


# Named URLs that are no public page: the embed generator is an admin page (admin_view), and
# django-ninja names the API's root "api-root" behind the index operation that answers it.
NOT_PUBLIC = {"set_language", "embed_generator", "api:api-root"}


def url_names(patterns=None, namespace=""):
    """Every named URL of the site but the admin's and the language switch."""
    names = set()
    for pattern in patterns if patterns is not None else import_module(settings.ROOT_URLCONF).urlpatterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace + pattern.name not in NOT_PUBLIC:
            names.add(namespace + pattern.name)
    return names


def test_every_public_page_is_fuzzed(pages):
    assert url_names() == set(PUBLIC_PAGES) == set(pages)


def test_a_plain_get_of_every_public_page(pages):
    client = Client()
    assert {name: client.get(address).status_code for name, (address, _status, _named) in pages.items()} == {
        name: status for name, (_address, status, _named) in pages.items()
    }


# --- The battery -----------------------------------------------------------------------------------

QUERIES = {
    # name: (query string, status on a page reading a page number, status elsewhere)
    "1 MB query string": ("x=" + "a" * 1024 * 1024, 414, 414),
    "too many parameters": ("&".join(["a=1"] * 1_500), 400, 400),  # 6 kB, beyond Django's 1,000 fields
    "unknown parameter": ("utm_source=newsletter", 301, 301),
    "repeated parameter": ("city=metz&city=metz", 301, 301),
    "empty parameters": ("city=&category=&year=", 301, 301),
    "page 0": ("page=0", 404, 301),
    "page -1": ("page=-1", 404, 301),
    "page 99999999999999999999": ("page=99999999999999999999", 404, 301),
    "page of 5,000 digits": ("page=" + "9" * 5_000, 404, 301),
    "NUL byte in a parameter": ("city=%00", 400, 400),
    "invalid UTF-8 in a parameter": ("city=%FF%FE", 301, 301),
    "malformed percent-encoding": ("city=%ZZ&category=%", 301, 301),
    "markup in a parameter": (f"city={MARKUP_QUOTED}", 301, 301),
}


@pytest.mark.parametrize("case", list(QUERIES))
def test_bad_query_strings(pages, case):
    query, on_paged_page, elsewhere = QUERIES[case]
    client = Client()
    # The pages that answer unknown parameters with a 400 have their own battery (tests/api/).
    pages = {name: page for name, page in pages.items() if name not in STRICT_PAGES}
    answers = {name: client.get(f"{address}?{query}") for name, (address, _status, _named) in pages.items()}
    assert {name: response.status_code for name, response in answers.items()} == {
        name: on_paged_page if name in PAGED else elsewhere for name in pages
    }
    for name, response in answers.items():
        assert_not_echoed(response)
        if response.status_code == 301:
            # To the canonical address: the page itself, or (a list, a calendar) with the filter it
            # reads, encoded, naming no city that exists (a 404).
            address, status, _named = pages[name]
            location = response["Location"]
            assert location.startswith(address) and "<" not in location and "%00" not in location
            followed = client.get(location)
            assert followed.status_code == (status if location == address else 404), location
            assert_not_echoed(followed)


def bad_paths(address, named):
    """The page's address broken in every way a path can be."""
    language, _slash, rest = address.lstrip("/").partition("/")
    stem = address.rstrip("/")
    broken = [stem + "%00/", stem + "%FF%FE/", stem + "%ZZ/", f"{stem}/{MARKUP_QUOTED}/"]
    if language in ("de", "fr"):
        broken += [f"/{prefix}/{rest}" for prefix in ("en", "xx", "DE")]
    else:
        broken += [f"/{prefix}{address}" for prefix in ("en", "xx", "DE")]
    if named:
        broken.append(address.replace(named, "a" * 5_000))
        broken.append(address.replace(named, MARKUP_QUOTED))
    return broken


@pytest.mark.parametrize("name", sorted(PUBLIC_PAGES))
def test_bad_paths_are_not_found(pages, name):
    client = Client()
    address, _status, named = pages[name]
    for path in bad_paths(address, named):
        response = client.get(path)
        assert response.status_code == 404, path[:200]
        assert_not_echoed(response)


METHODS = ["PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PROPFIND", "BREW"]


@pytest.mark.parametrize("name", sorted(PUBLIC_PAGES))
def test_every_method(pages, name):
    client = Client()
    address, status, _named = pages[name]
    assert client.head(address).status_code == status
    for method in METHODS:
        assert client.generic(method, address).status_code == 405, method
    if name not in FORMS:
        assert client.post(address).status_code == 405


def assert_not_echoed(response):
    body = response.content.decode("utf-8", errors="replace")
    assert "<script>alert(1)" not in body and "<svg onload" not in body


def test_the_lists_read_exactly_their_parameters():
    """The battery's page-number cases are 404s on the lists and the search results because they
    read ``page`` (the API's list too, in its own battery: tests/api/)."""
    assert PUBLIC_PAGES["events:list"] == PUBLIC_PAGES["events:past"] == LIST_PARAMETERS
    assert {"events:list", "events:past", "search:results", "api:events"} == PAGED
