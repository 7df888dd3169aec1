"""What a visitor waiting for another's render of a page asks the cache (pagecache/middleware.py,
``lookup``): the render's lock and the versions at each look, and the page's entry only before
it waits and once the render is done — not at every look. (A page's entry may be megabytes: the
sitemap's at 10,000 events. Read every 20 ms by each visitor waiting for its render, it took the
cores the render needed, and every other visitor's request slowed down with it.)"""

import threading
import time

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from events.views import EventDetailView
from pagecache import cache as page_cache
from pagecache import middleware
from tests.factories import EventFactory
from tests.helpers import html_of
from tests.pagecache.test_stampede import lock_of, patient_redis  # noqa: F401 - a fixture
from tests.test_page_cache import redis_cache  # noqa: F401 - a fixture

LOOKS = 12  # looks at the lock while the page renders, before the renderer is let go


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("patient_redis")
def test_a_visitor_waiting_for_a_render_reads_the_pages_entry_once_the_render_is_done(monkeypatch):
    event = EventFactory(title_de="Vorher")
    url = event.get_absolute_url("de")
    Client().get(url)
    event.title_de = "Nachher"
    event.save()
    entry_key = page_cache.page_key(RequestFactory().get(url))
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 60)
    monkeypatch.setattr(page_cache, "LOCK_SECONDS", 60)

    looks = []
    pause = middleware.pause

    def counted():
        looks.append(threading.get_ident())
        pause()

    monkeypatch.setattr(middleware, "pause", counted)
    entry_reads = []
    backend = type(page_cache.page_cache())
    get_many = backend.get_many

    def reads(self, keys, *args, **kwargs):
        keys = list(keys)
        if any(key == entry_key for key in keys):
            entry_reads.append(threading.get_ident())
        return get_many(self, keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", reads)
    renders = []
    respond = EventDetailView.respond

    def slow(self, shown):
        renders.append(threading.get_ident())
        until = time.monotonic() + 30
        while len(looks) < LOOKS and time.monotonic() < until:
            time.sleep(0.01)
        return respond(self, shown)

    monkeypatch.setattr(EventDetailView, "respond", slow)
    answers = {}

    def visit(name):
        try:
            answers[name] = (threading.get_ident(), Client().get(url))
        finally:
            connection.close()

    renderer = threading.Thread(target=visit, args=("renderer",))
    renderer.start()
    until = time.monotonic() + 30
    while page_cache.page_cache().get(lock_of(url)) is None and time.monotonic() < until:
        time.sleep(0.01)
    waiter = threading.Thread(target=visit, args=("waiter",))
    waiter.start()
    for thread in (renderer, waiter):
        thread.join(timeout=120)

    waiting, answer = answers["waiter"]
    assert answer.status_code == 200 and answer["X-Page-Cache"] == "hit"
    assert "Nachher" in html_of(answer) and "Vorher" not in html_of(answer)
    assert len(renders) == 1 and looks.count(waiting) >= LOOKS
    # Before it waits (twice: then it knows whose lock it waits for), and once the lock is let go.
    assert entry_reads.count(waiting) == 3
