"""No stampede (pagecache/middleware.py, ``lookup``): when a page has just been made fresh, one
request renders it and the others asking for it meanwhile wait for that render, on every app
server sharing the cache — and are never given the page from before the save. The wait is
bounded: a renderer that died does not hold the others up for longer than ``WAIT_SECONDS``."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from events.views import EventDetailView
from pagecache import addresses, middleware
from pagecache import cache as page_cache
from tests.factories import EventFactory
from tests.helpers import html_of
from tests.test_page_cache import redis_cache  # noqa: F401 - a fixture

VISITORS = 6


def state(response):
    return response["X-Page-Cache"]


def lock_of(url):
    """The render lock a request for ``url`` asks for now: that of the versions current now."""
    key = page_cache.page_key(RequestFactory().get(url))
    name = addresses.page_name(url)
    language = page_cache.page_language(name, url)
    looked = middleware.PageCacheMiddleware(None).read(page_cache.page_cache(), key, name, language)
    return page_cache.lock_key(key, looked[1].versions)


@pytest.fixture
def waits(monkeypatch):
    """The threads that waited for another request's render (at least one look)."""
    waited = set()
    pause = middleware.pause

    def counted():
        waited.add(threading.get_ident())
        pause()

    monkeypatch.setattr(middleware, "pause", counted)
    return waited


@pytest.fixture
def renders(monkeypatch):
    """Renders of the event page (the view's response), counted."""
    rendered = []
    respond = EventDetailView.respond

    def counted(self, event):
        rendered.append(threading.get_ident())
        return respond(self, event)

    monkeypatch.setattr(EventDetailView, "respond", counted)
    return rendered


@pytest.fixture
def patient_redis(redis_cache, settings):  # noqa: F811 - the fixture imported above
    """The page cache in Redis, as app servers share it, with production's settings but its
    half-second socket timeout: on a loaded test machine, a Redis answer that comes late would
    count as the cache being away (``CacheUnavailable``), and the visitor asking would render the
    page uncached — a render this test would count as a stampede."""
    default = settings.CACHES["default"]
    options = {**default.get("OPTIONS", {}), "SOCKET_CONNECT_TIMEOUT": 30, "SOCKET_TIMEOUT": 30}
    settings.CACHES = {**settings.CACHES, "default": {**default, "OPTIONS": options}}
    return redis_cache


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("patient_redis")
def test_concurrent_requests_for_a_just_edited_page_render_it_once(renders, waits, monkeypatch):
    event = EventFactory(title_de="Vorher")
    url = event.get_absolute_url("de")
    Client().get(url)
    assert state(Client().get(url)) == "hit"
    event.title_de = "Nachher"
    event.save()
    renders.clear()

    # The renderer holds on until every other visitor waits for it (however slow the machine:
    # they would wait up to a minute here, and its lock lasts as long), so that all of them ask
    # while it renders. (With the lock's 10 s, a loaded machine let it expire before the last
    # visitor came: a waiter took the lock over and rendered a second time, as meant for a
    # renderer that died.)
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 60)
    monkeypatch.setattr(page_cache, "LOCK_SECONDS", 60)
    respond = EventDetailView.respond

    def slow(self, event):
        until = time.monotonic() + 30
        while len(waits) < VISITORS - 1 and time.monotonic() < until:
            time.sleep(0.01)
        return respond(self, event)

    monkeypatch.setattr(EventDetailView, "respond", slow)
    answers = []

    def visit():
        try:
            answers.append(Client().get(url))
        finally:
            connection.close()

    visitors = [threading.Thread(target=visit) for _visitor in range(VISITORS)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join(timeout=120)

    assert page_cache.CacheUnavailable.until == 0.0  # the cache answered every request
    assert len(renders) == 1
    assert len(waits) == VISITORS - 1
    assert sorted(state(answer) for answer in answers) == ["hit"] * (VISITORS - 1) + ["miss"]
    for answer in answers:
        assert answer.status_code == 200
        assert "Nachher" in html_of(answer) and "Vorher" not in html_of(answer)
    assert page_cache.page_cache().get(lock_of(url)) is None  # let go


@pytest.mark.django_db
def test_a_renderer_that_died_holds_the_others_up_for_a_bounded_time(renders, waits, monkeypatch):
    """Its lock is never let go: the next visitor waits, then renders the page itself — the
    page after the save, never the one before — and keeps it for the visitors after."""
    event = EventFactory(title_de="Vorher")
    url = event.get_absolute_url("de")
    Client().get(url)
    event.title_de = "Nachher"
    event.save()
    assert page_cache.page_cache().add(lock_of(url), "a request that died", timeout=600)
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 0.2)
    renders.clear()

    answer = Client().get(url)

    assert answer.status_code == 200 and state(answer) == "miss"
    assert "Nachher" in html_of(answer) and "Vorher" not in html_of(answer)
    assert len(waits) == 1 and len(renders) == 1
    assert state(Client().get(url)) == "hit"


@pytest.mark.django_db
def test_the_lock_is_held_while_rendering_and_let_go_when_rendering_fails(monkeypatch):
    event = EventFactory()
    url = event.get_absolute_url("de")
    held = []

    def broken(self, event):
        held.append(page_cache.page_cache().get(lock_of(url)))
        raise RuntimeError("the template is broken")

    monkeypatch.setattr(EventDetailView, "respond", broken)
    answer = Client(raise_request_exception=False).get(url)

    assert answer.status_code == 500
    assert held[0] is not None  # the request that rendered held the lock…
    # …and let go of it when it failed, saying it kept nothing: the others render it themselves.
    assert page_cache.page_cache().get(lock_of(url)) == page_cache.NOT_KEPT


@pytest.mark.django_db
def test_a_render_that_kept_nothing_does_not_hold_the_others_up(renders, monkeypatch):
    """The request holding the lock is done without a current entry (its page was one the cache
    does not keep, or a save came while it rendered): a visitor waiting for it renders the page
    as soon as the lock is let go, without waiting for the bound."""
    event = EventFactory()
    url = event.get_absolute_url("de")
    lock = lock_of(url)
    assert page_cache.page_cache().add(lock, "another request, rendering", timeout=600)
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 60)
    pause = middleware.pause
    looks = []

    def let_go_after_two_looks():
        looks.append(1)
        if len(looks) == 2:
            page_cache.page_cache().delete(lock)  # the other request is done, and kept nothing
        pause()

    monkeypatch.setattr(middleware, "pause", let_go_after_two_looks)
    answer = Client().get(url)
    assert answer.status_code == 200 and state(answer) == "miss"
    assert len(looks) == 2 and len(renders) == 1


@pytest.mark.django_db
def test_a_render_begun_before_the_latest_save_is_not_waited_for(renders, monkeypatch):
    """Another request renders the page from before a save that came meanwhile: its entry would
    not be current, so the visitor waiting for it takes the lock of the versions after the save
    at its next look and renders the page itself, without waiting for the bound — and gets the
    page after the last save."""
    event = EventFactory(title_de="Vorher")
    url = event.get_absolute_url("de")
    Client().get(url)
    event.title_de = "Dazwischen"
    event.save()
    before_save = lock_of(url)
    assert page_cache.page_cache().add(before_save, "a request rendering the page", timeout=600)
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 60)
    pause = middleware.pause
    looks = []

    def save_while_waiting():
        looks.append(1)
        if len(looks) == 1:
            event.title_de = "Nachher"
            event.save()  # while the other request still renders "Dazwischen"
        pause()

    monkeypatch.setattr(middleware, "pause", save_while_waiting)
    renders.clear()

    answer = Client().get(url)

    assert answer.status_code == 200 and state(answer) == "miss"
    assert "Nachher" in html_of(answer) and "Dazwischen" not in html_of(answer)
    assert len(looks) == 1 and len(renders) == 1  # one look, then rendered at once
    assert lock_of(url) != before_save
    assert page_cache.page_cache().get(before_save) == "a request rendering the page"  # left to it
    assert state(Client().get(url)) == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_save_in_a_transaction_makes_a_page_fresh_once_when_it_commits(renders):
    """An admin save is one transaction: until it commits, the other requests get the page of the
    last committed save from the cache (not a render of data about to change, which the commit
    would make outdated again); the saving request sees its own change at once; once committed,
    the next request renders the page after the save, once, and the ones after get it from the
    cache."""
    from django.db import transaction

    event = EventFactory(title_de="Vorher")
    url = event.get_absolute_url("de")
    Client().get(url)
    renders.clear()
    meanwhile = []

    def another_request():
        try:
            meanwhile.append(Client().get(url))
        finally:
            connection.close()

    with transaction.atomic():
        event.title_de = "Nachher"
        event.save()
        other = threading.Thread(target=another_request)
        other.start()
        other.join(timeout=60)
        own = Client().get(url)
        assert state(own) == "miss" and "Nachher" in html_of(own)

    assert len(meanwhile) == 1 and state(meanwhile[0]) == "hit"
    assert "Vorher" in html_of(meanwhile[0]) and "Nachher" not in html_of(meanwhile[0])
    renders.clear()
    after = [Client().get(url) for _request in range(3)]
    assert [state(answer) for answer in after] == ["miss", "hit", "hit"]
    assert all("Nachher" in html_of(answer) and "Vorher" not in html_of(answer) for answer in after)
    assert len(renders) == 1
