"""The event page with its registration box in the page cache (pagecache/cache.py): never
a stale count after a registration, gone from the cache when registration closes, and a form
served from the cache still sends (its CSRF token is the visitor's own)."""

import datetime
import re
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from registration.models import Registration
from tests.helpers import html_of

from .factories import event_with_form

pytestmark = pytest.mark.django_db


def places(response):
    return re.search(r'<p class="registration__places">([^<]*)</p>', html_of(response)).group(1)


def test_a_registration_refreshes_the_cached_page(register, cities):
    event = event_with_form(capacity=40)
    url = event.get_absolute_url("de")
    Client().get(url)
    cached = Client().get(url)
    assert cached["X-Page-Cache"] == "hit" and places(cached) == "Noch 40 Plätze."
    register(event, cities["metz"])
    fresh = Client().get(url)
    assert fresh["X-Page-Cache"] == "miss" and places(fresh) == "Noch 39 Plätze."


def test_the_cached_page_ends_when_registration_closes(cities):
    closes = timezone.now() + datetime.timedelta(days=3)
    event = event_with_form(closes_at=closes)
    url = event.get_absolute_url("fr")
    with time_machine.travel(closes - datetime.timedelta(minutes=1), tick=False):
        Client().get(url)
        assert Client().get(url)["X-Page-Cache"] == "hit"
    with time_machine.travel(closes + datetime.timedelta(seconds=1), tick=False):
        page = Client().get(url)
    assert 'class="registration-form"' not in html_of(page)
    assert "Les inscriptions ont été closes le" in html_of(page)


def test_a_form_from_the_cache_sends(cities, commit):
    event = event_with_form()
    url = event.get_absolute_url("de")
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    assert page["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html_of(page)).group(1)
    with commit():
        response = visitor.post(
            event.page_url("registration:register", "de"),
            {
                "csrfmiddlewaretoken": token,
                "first_name": "Anna",
                "last_name": "Cache",
                "email": "anna.cache@example.org",
                "city": "metz",
                "language": "de",
                "consent": "on",
            },
        )
    assert response.status_code == 302
    assert Registration.objects.get().email == "anna.cache@example.org"


def test_two_visitors_never_share_a_csrf_token(cities):
    """The registration form from the cache: each visitor's token and cookie are their own, and
    one visitor's token is refused with the other's cookie."""
    from django.middleware.csrf import CsrfViewMiddleware
    from django.test import RequestFactory

    event = event_with_form()
    url = event.get_absolute_url("de")
    first, second = Client(), Client()
    pages = [first.get(url), second.get(url)]
    assert [page["X-Page-Cache"] for page in pages] == ["miss", "hit"]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html_of(page)).group(1) for page in pages]
    cookies = [first.cookies["csrftoken"].value, second.cookies["csrftoken"].value]
    assert tokens[0] != tokens[1] and cookies[0] != cookies[1]
    assert "\x00" not in html_of(pages[0]) + html_of(pages[1])  # no placeholder left

    def accepted(token, cookie):
        post = RequestFactory().post("/", {"csrfmiddlewaretoken": token})
        post.COOKIES["csrftoken"] = cookie
        return CsrfViewMiddleware(lambda request: None).process_view(post, lambda request: None, (), {}) is None

    assert accepted(tokens[0], cookies[0]) and accepted(tokens[1], cookies[1])
    assert not accepted(tokens[0], cookies[1]) and not accepted(tokens[1], cookies[0])


def test_the_cached_page_ends_with_a_confirmation_window(commit):
    """A held place is free again when its window ends, without any write: the cached page
    with "1 place held" ends then too."""
    from registration.services import booking

    from .conftest import answers

    event = event_with_form(capacity=2)
    with commit():
        held = booking.request_place(event, answers(), language="de")
    url = event.get_absolute_url("de")
    with time_machine.travel(held.expires_at - datetime.timedelta(minutes=1), tick=False):
        Client().get(url)
        cached = Client().get(url)
        assert cached["X-Page-Cache"] == "hit" and places(cached) == "Noch 1 Platz."
    with time_machine.travel(held.expires_at + datetime.timedelta(seconds=1), tick=False):
        fresh = Client().get(url)
    assert places(fresh) == "Noch 2 Plätze."


def statuses(response):
    return re.findall(r'<p class="event-card__status"><strong>([^<]*)</strong></p>', html_of(response))


def test_cached_lists_follow_the_event_becoming_full_and_a_place_freeing_up(register, cities, commit):
    """The lists (upcoming, month, search) are cached pages; the entry's "fully booked" is no event
    edit, only a registration taking the last place or a cancellation freeing one."""
    from registration.services import booking

    event = event_with_form(capacity=1)
    start = timezone.localtime(event.start, event.tzinfo)
    pages = [
        "/fr/evenements/",
        f"/fr/evenements/calendrier/{start.year}/{start.month:02d}/",
        "/fr/recherche/?q=" + quote(event.title_fr.split()[0]),
    ]
    for address in pages:
        assert Client().get(address).status_code == 200, address
        cached = Client().get(address)
        assert cached.get("X-Page-Cache") == "hit", address
        assert "Complet" not in html_of(cached), address
    registration = register(event, cities["metz"], language="fr")  # the last place
    for address in pages:
        full = Client().get(address)
        assert full.get("X-Page-Cache") == "miss", address
        assert "Complet" in html_of(full), address
    assert statuses(Client().get(pages[0])) == ["Complet"]
    with commit():
        booking.cancel(registration)  # the place is free again
    for address in pages:
        fresh = Client().get(address)
        assert fresh.get("X-Page-Cache") == "miss", address
        assert "Complet" not in html_of(fresh), address
