"""One address per page: the parameters each public page takes, and their one spelling.

Every public page is named in ``PUBLIC_PAGES`` with the query parameters it reads (most read
none). Its canonical address carries those alone — each once, none empty, in the order listed,
a page number without leading zeros and page 1 without one — exactly as the site's own links
write them (``?city=metz&page=2``). A request for a public page spelled any other way (``?page=01``,
``?city=&page=2``, ``?page=2&city=metz``, a parameter repeated, a tracking parameter) is
redirected (301) to its canonical address: a visitor lands on the same page, search engines
see one address, and the page cache (pagecache/cache.py), which stores canonical
addresses only, holds at most one entry per page that exists. Values are not judged here: a
city that does not exist, a page number past the last, are the view's 404.

A new public page is added to ``PUBLIC_PAGES`` (tests/test_fuzz.py fails until it is).
"""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.encoding import escape_uri_path

from api import parameters as api_parameters

# The list filters and the page number, as the lists' own links write them (events/views.py,
# in the order of events/forms.py's fields).
LIST_PARAMETERS = ("city", "category", "year", "access", "language", "interpretation", "page")
# The month view's filters: the lists' without the year.
MONTH_PARAMETERS = ("city", "category", "access", "language", "interpretation")

# The search (search/): the query, the list filters with upcoming/past, and the page number.
SEARCH_PARAMETERS = ("q", "city", "category", "when", "year", "page")
# Parameters of free text: their canonical spelling has single spaces, none at either end.
TEXT_PARAMETERS = {"q"}

# Every public page by URL name, with the query parameters it reads.
PUBLIC_PAGES = {
    "root": (),
    "home": (),
    "events:list": LIST_PARAMETERS,
    "events:past": LIST_PARAMETERS,
    # The calendar reads the lists' filter form: a year is refused there (a 404), not dropped.
    # It takes what the lists are filtered by (what visitors need too: the subscription link has it).
    "events:calendar": ("city", "category", "year", "access", "language", "interpretation"),
    # The month view takes the lists' city and category filters (the month is in its path).
    "events:month": MONTH_PARAMETERS,
    "events:month_current": MONTH_PARAMETERS,
    "events:feed": (),
    "events:detail": (),
    "events:programme": (),
    "events:event_calendar": (),
    "search:results": SEARCH_PARAMETERS,
    "registration:register": (),
    "registration:check_email": (),
    "registration:resend": (),
    "registration:confirm": (),
    "registration:manage": (),
    "registration:change": (),
    "registration:cancel": (),
    # A registrants-only material's file (materials/), through the registrant's signed link.
    "registration:material": (),
    "pages:legal_notice": (),
    "pages:privacy": (),
    "pages:accessibility": (),
    "pages:accessibility_json": (),
    "pages:feedback": ("topic",),
    "pages:feedback_sent": (),
    "pages:easy_language": (),
    "pages:sign_language": (),
    "pages:sign_language_captions": (),
    "pages:page": (),
    # Django's sitemap reads ?p= for a sitemap of several pages.
    "sitemap": ("p",),
    "robots_txt": (),
    "favicon": (),
    "healthz": (),
    # The open data (api/): the API's list and event, its schema, its guide, the embeddable list.
    "api:index": (),
    "api:events": api_parameters.EVENT_LIST,
    "api:event": (),
    "api_openapi": (),
    "api_docs": (),
    "embed": api_parameters.EMBED,
}
# Pages whose unknown parameters are not dropped by a redirect but answered by the view, with a
# 400 naming them: a program using the API (or a partner's embed) learns of its mistake.
STRICT_PAGES = {"api:events", "api:event", "embed"}
# Parameters whose value is a page number.
PAGE_NUMBERS = {"page", "p"}


def page_name(path):
    """The URL name ``path`` resolves to (``events:list``), or None."""
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    return _view_name(path, language, settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=4096)
def _view_name(path, language, urlconf):
    """Remembered (resolving costs more than the rest of a page from the cache). The language and
    the URL configuration are part of the question: paths are translated, and another
    ``ROOT_URLCONF`` (tests override it) answers anew."""
    try:
        with translation.override(language):
            return resolve(path, urlconf).view_name
    except Resolver404:
        return None


def canonical_query(parameters, query):
    """The canonical query string of a page reading ``parameters``, from the request's ``query``
    (a QueryDict). A repeated parameter keeps its last value, the one the view reads."""
    chosen = []
    for name in parameters:
        value = query.getlist(name)[-1] if name in query else ""
        if name in PAGE_NUMBERS and _digits(value):
            value = value.lstrip("0") or "0"  # not int(): a number of 5,000 digits is no int
            if value == "1":
                continue
        if name in TEXT_PARAMETERS:
            value = " ".join(value.split())
        if value:
            chosen.append((name, value))
    return urlencode(chosen)


def is_canonical(request, name):
    """Whether ``request`` asks for the page ``name`` at its canonical address, with a page number
    in digits (``?page=last`` is Django's, and the view's business)."""
    parameters = PUBLIC_PAGES.get(name)
    if parameters is None:
        return False
    query = request.META.get("QUERY_STRING", "")
    if query != canonical_query(parameters, request.GET):
        return False
    return all(_digits(request.GET[number]) for number in PAGE_NUMBERS if number in request.GET)


def _digits(value):
    return value.isascii() and value.isdigit()


class CanonicalAddressMiddleware:
    """Redirects (301) a GET or HEAD of a public page spelled otherwise to its canonical address.
    Placed before the page cache, which so sees canonical addresses only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.META.get("QUERY_STRING"):
            name = page_name(request.path_info)
            parameters = PUBLIC_PAGES.get(name)
            if parameters is not None and not (name in STRICT_PAGES and set(request.GET) - set(parameters)):
                canonical = canonical_query(parameters, request.GET)
                if canonical != request.META["QUERY_STRING"] and not request.path.startswith("//"):
                    return HttpResponsePermanentRedirect(
                        escape_uri_path(request.path) + (f"?{canonical}" if canonical else "")
                    )
        return self.get_response(request)
