"""The pieces of a page that shows every event (the sitemap's per-event XML, the calendar's
entries: pagecache/cache.py, ``remembered_each``) are kept in each process too: after a save, the
sitemap reads from the shared cache the versions of its events and the piece of the event saved
alone, not the thousands of others' (9 MB at 10,000 events, read at every save), and a process
that has not kept them reads them from the shared cache instead of building them again."""

import pytest
from django.test import Client

from events.sitemaps import EventSitemap
from pagecache import cache as page_cache
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    return [EventFactory(title_de=f"Begegnung {number}", slug_de=f"begegnung-{number}") for number in range(3)]


@pytest.fixture
def counted(monkeypatch):
    """(the pieces asked of the shared cache, as event primary keys; the events whose pieces were
    built), per request."""
    asked, built = [], []
    backend = type(page_cache.page_cache())
    get_many = backend.get_many

    def reads(self, keys, *args, **kwargs):
        keys = list(keys)
        asked.extend(int(key.rsplit(":", 1)[1]) for key in keys if ":sitemap-xml:" in key)
        return get_many(self, keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", reads)
    get_urls = EventSitemap.get_urls

    def builds(self, *args, **kwargs):
        if self.only is not None:
            built.extend(self.only)
        return get_urls(self, *args, **kwargs)

    monkeypatch.setattr(EventSitemap, "get_urls", builds)
    return asked, built


def test_after_a_save_the_sitemap_reads_from_the_shared_cache_the_piece_of_the_event_saved_alone(events, counted):
    asked, built = counted
    page_cache.KEPT_EACH.clear()
    assert Client().get("/sitemap.xml").status_code == 200
    assert sorted(built) == sorted(event.pk for event in events)

    asked.clear()
    built.clear()
    saved = events[1]
    saved.slug_de = "begegnung-neu"
    saved.save()
    response = Client().get("/sitemap.xml")

    assert response["X-Page-Cache"] == "miss"
    assert "/de/veranstaltungen/begegnung-neu/" in response.content.decode()
    assert (asked, built) == ([saved.pk], [saved.pk])
    for other in (events[0], events[2]):
        assert other.get_absolute_url("de") in response.content.decode()


def test_a_process_that_has_not_kept_the_pieces_reads_them_from_the_shared_cache(events, counted):
    asked, built = counted
    assert Client().get("/sitemap.xml").status_code == 200
    saved = events[0]
    saved.slug_de = "begegnung-neu"
    saved.save()
    page_cache.KEPT_EACH.clear()  # another process: it keeps none of them
    asked.clear()
    built.clear()

    response = Client().get("/sitemap.xml")

    assert response["X-Page-Cache"] == "miss"
    assert sorted(asked) == sorted(event.pk for event in events) and built == [saved.pk]
    assert "/de/veranstaltungen/begegnung-neu/" in response.content.decode()


@pytest.fixture
def versions_asked(monkeypatch):
    """The events whose own content versions (any language's) were asked of the shared cache."""
    asked = []
    backend = type(page_cache.page_cache())
    get_many = backend.get_many
    prefix = page_cache.EVENT_CONTENT_KEY.split("{")[0]

    def reads(self, keys, *args, **kwargs):
        keys = list(keys)
        found = (key.removeprefix(prefix) for key in keys if key.startswith(prefix))
        asked.extend(int(pk) for pk in found if pk.isdigit())
        return get_many(self, keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", reads)
    return asked


def test_after_a_save_the_sitemap_reads_the_versions_of_the_saved_events_block_alone(monkeypatch, versions_asked):
    """At 10,000 events, reading every event's version after each save cost ~75 ms: the sitemap
    reads the versions of the blocks of events (``EVENTS_PER_BLOCK`` primary keys each), and the
    events' own versions only in the block of the event saved."""
    monkeypatch.setattr(page_cache, "EVENTS_PER_BLOCK", 3)
    events = [EventFactory(title_de=f"Treffen {number}", slug_de=f"treffen-{number}") for number in range(9)]
    page_cache.KEPT_EACH.clear()
    page_cache.KEPT_BLOCKS.clear()
    assert Client().get("/sitemap.xml").status_code == 200
    assert sorted(versions_asked) == sorted(event.pk for event in events)

    saved = events[4]
    saved.slug_de = "treffen-neu"
    saved.save()
    versions_asked.clear()
    response = Client().get("/sitemap.xml")

    block = {event.pk for event in events if event.pk // 3 == saved.pk // 3}
    assert response["X-Page-Cache"] == "miss"
    assert sorted(versions_asked) == sorted(block) and len(block) <= 3
    content = response.content.decode()
    assert "/de/veranstaltungen/treffen-neu/" in content and "/de/veranstaltungen/treffen-4/" not in content
    for other in events:
        if other.pk != saved.pk:
            assert other.get_absolute_url("de") in content

    saved.slug_de = "treffen-wieder-neu"  # a second save in the same block: kept pieces not trusted
    saved.save()
    versions_asked.clear()
    content = Client().get("/sitemap.xml").content.decode()
    assert "/de/veranstaltungen/treffen-wieder-neu/" in content and "/de/veranstaltungen/treffen-neu/" not in content
    assert sorted(versions_asked) == sorted(block)
