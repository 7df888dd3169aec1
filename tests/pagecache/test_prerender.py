"""The pages a save makes fresh, rendered by the save before its commit (pagecache/prerender.py):
after a staff member's save in the admin, the first visitor of the event's page and of the list
gets them from the cache, with the change; a save that another one overtakes before its commit
publishes none of its pages (the next visitor renders a page with both changes); a save rolled
back leaves the pages as they were; the compare-and-set that publishes them is atomic on the
cache of files and on Redis."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from events.models import Event
from events.views import EventDetailView, EventListView
from pagecache import cache as page_cache
from pagecache import prerender
from tests.factories import CityFactory, EventFactory, VenueFactory
from tests.helpers import html_of, url
from tests.pagecache.test_stampede import patient_redis  # noqa: F401 - a fixture
from tests.test_page_cache import redis_cache  # noqa: F401 - a fixture

GERMAN = "Jetzt mit Kinderbetreuung."
FRENCH_TEASER = "Un échange entre les quatre villes."


def state(response):
    return response["X-Page-Cache"]


@pytest.fixture
def renders(monkeypatch):
    """Renders of event pages and of lists (their views' responses), as (kind, thread)."""
    rendered = []
    respond, listed = EventDetailView.respond, EventListView.get

    def event_page(self, event):
        rendered.append("event page")
        return respond(self, event)

    def list_page(self, request, *args, **kwargs):
        rendered.append("list")
        return listed(self, request, *args, **kwargs)

    monkeypatch.setattr(EventDetailView, "respond", event_page)
    monkeypatch.setattr(EventListView, "get", list_page)
    return rendered


@pytest.fixture
def event():
    shown = EventFactory(title_de="Bürgerbegegnung", title_fr="Rencontre citoyenne", teaser_fr=FRENCH_TEASER)
    shown.cities.add(CityFactory(code="metz", name_de="Metz", name_fr="Metz"))
    # On the minute, as the admin's form writes times.
    shown.start, shown.end = (moment.replace(second=0, microsecond=0) for moment in (shown.start, shown.end))
    shown.save()
    return Event.objects.get(pk=shown.pk)


def pages_in(event, language):
    return [event.get_absolute_url(language), url("events:list", language)]


def warm(pages):
    visitor = Client()
    for page in pages:
        visitor.get(page)
    assert [(page, state(visitor.get(page))) for page in pages] == [(page, "hit") for page in pages]


def admin_save(secretary, event, **changes):
    from tests.test_admin import form_values

    change = reverse("admin:events_event_change", args=[event.pk])
    sent = secretary.post(change, {**form_values(secretary.get(change)), **changes})
    assert sent.status_code == 302
    return sent


@pytest.mark.django_db(transaction=True)
def test_after_a_staff_save_in_the_admin_the_first_visitor_gets_the_new_page_from_the_cache(secretary, event, renders):
    assert not secretary.user.is_superuser
    german, french = pages_in(event, "de"), pages_in(event, "fr")
    warm(german + french)

    admin_save(secretary, event, teaser_de=GERMAN)

    renders.clear()
    visitor = Client()
    for page in german:
        response = visitor.get(page)
        assert (page, state(response), GERMAN in html_of(response)) == (page, "hit", True)
    for page in french:  # a German correction: the French pages were not made fresh, still cached
        response = visitor.get(page)
        assert (page, state(response), FRENCH_TEASER in html_of(response)) == (page, "hit", True)
    assert renders == []
    assert prerender.LAST.published is True


@pytest.mark.django_db(transaction=True)
def test_a_form_sent_back_with_an_error_renders_nothing(secretary, event, renders):
    from tests.test_admin import form_values

    warm(pages_in(event, "de"))
    change = reverse("admin:events_event_change", args=[event.pk])
    renders.clear()
    sent = secretary.post(change, {**form_values(secretary.get(change)), "start_0": "kein Datum"})
    assert sent.status_code == 200  # the form again, with its error
    assert renders == []
    assert [state(Client().get(page)) for page in pages_in(event, "de")] == ["hit", "hit"]


@pytest.mark.django_db(transaction=True)
def test_a_save_overtaken_before_its_publication_leaves_no_pre_rendered_page_current(
    secretary, event, renders, monkeypatch
):
    """Another save of the same event commits after this one's commit and before its versions
    are published: its bump changed a version this save pre-rendered with, so the
    compare-and-set publishes new versions instead, and the next visitor renders the page,
    with both changes. (Publishing this save's versions would serve its page without the title.)"""
    page = event.get_absolute_url("de")
    warm([page])
    publish = prerender.publish

    def overtaken(publication):
        def other_save():
            try:
                other = Event.objects.get(pk=event.pk)
                other.title_de = "Bürgerbegegnung im Rathaus"
                other.save()
            finally:
                connection.close()

        thread = threading.Thread(target=other_save)
        thread.start()
        thread.join(timeout=60)
        publish(publication)

    monkeypatch.setattr(prerender, "publish", overtaken)

    admin_save(secretary, event, teaser_de=GERMAN)

    assert prerender.LAST.stored > 0 and prerender.LAST.published is False
    renders.clear()
    first, second = Client().get(page), Client().get(page)
    assert (state(first), state(second)) == ("miss", "hit")
    assert GERMAN in html_of(first) and "Bürgerbegegnung im Rathaus" in html_of(first)
    assert renders == ["event page"]


@pytest.mark.django_db(transaction=True)
def test_a_registration_elsewhere_before_the_publication_leaves_the_pre_rendered_pages_published(
    secretary, event, renders, monkeypatch
):
    """A registration for another event between the commit and the publication bumps the version
    of anything saved and the moments, which no page records: the save's pages are published all
    the same, and the first visitor gets them from the cache."""
    other = EventFactory()
    page = event.get_absolute_url("de")
    warm([page])
    publish = prerender.publish

    def registration_meanwhile(publication):
        thread = threading.Thread(target=page_cache.event_changed, args=[other.pk])
        thread.start()
        thread.join(timeout=60)
        publish(publication)

    monkeypatch.setattr(prerender, "publish", registration_meanwhile)

    admin_save(secretary, event, teaser_de=GERMAN)

    assert prerender.LAST.published is True
    renders.clear()
    response = Client().get(page)
    assert (state(response), GERMAN in html_of(response)) == ("hit", True)
    assert renders == []


@pytest.mark.django_db(transaction=True)
def test_a_save_rolled_back_leaves_the_page_as_it_was(event, renders):
    page = event.get_absolute_url("de")
    warm([page])
    shared = page_cache.page_cache()
    key = page_cache.page_key(RequestFactory().get(page))
    kept, versions = shared.get(key), shared.get(page_cache.content_key(event.pk, "de"))

    class Refused(Exception):
        pass

    with pytest.raises(Refused), prerender.saving(RequestFactory().post("/admin/")):
        saved = Event.objects.get(pk=event.pk)
        saved.teaser_de = GERMAN
        saved.save()
        raise Refused

    renders.clear()
    response = Client().get(page)
    assert state(response) == "hit" and GERMAN not in html_of(response)
    assert shared.get(key).etag == kept.etag
    assert shared.get(page_cache.content_key(event.pk, "de")) == versions
    assert renders == []


@pytest.mark.django_db(transaction=True)
def test_a_save_outside_the_admin_through_saving_is_pre_rendered_for_its_host(event, renders):
    """The bench's editor's way (scripts/bench.py): an ORM save in ``saving`` with a request of
    the server's host and port; the pages are those of that host."""
    host = "127.0.0.1:8123"
    page = event.get_absolute_url("de")
    visitor = Client(HTTP_HOST=host)
    visitor.get(page, SERVER_PORT="8123")
    assert state(visitor.get(page, SERVER_PORT="8123")) == "hit"

    with prerender.saving(RequestFactory().post("/admin/", HTTP_HOST=host, SERVER_PORT="8123")):
        saved = Event.objects.get(pk=event.pk)
        saved.teaser_de = GERMAN
        saved.save()

    renders.clear()
    response = visitor.get(page, SERVER_PORT="8123")
    assert (state(response), GERMAN in html_of(response)) == ("hit", True)
    assert renders == []
    assert state(Client().get(page)) == "miss"  # another host's address: not rendered by the save


@pytest.mark.django_db(transaction=True)
def test_a_page_no_visitor_asked_for_is_left_to_its_first_visitor(secretary, event, renders):
    """The save renders ahead the pages visitors read (the event's German page, asked for before),
    not those nobody asked for since their last change (the German list, never asked for): a
    render of those would take a core from the visitors for a page none of them may ask for."""
    page, listed = pages_in(event, "de")
    warm([page])

    admin_save(secretary, event, teaser_de=GERMAN)

    renders.clear()
    visitor = Client()
    response = visitor.get(page)
    assert (state(response), GERMAN in html_of(response)) == ("hit", True)
    response = visitor.get(listed)
    assert (state(response), GERMAN in html_of(response)) == ("miss", True)
    assert renders == ["list"]

    # Asked for once, the list is rendered ahead at the next save, with the page.
    admin_save(secretary, event, teaser_de="Jetzt auch mit Dolmetschern.")
    renders.clear()
    assert [state(visitor.get(address)) for address in (page, listed)] == ["hit", "hit"]
    assert "Jetzt auch mit Dolmetschern." in html_of(visitor.get(listed))
    assert renders == []


def pages_of_a_save(instance, **changes):
    """The pages ``pages_to_render`` names for the versions a save of ``instance`` with
    ``changes`` bumps (those of the test's own saves before it left out)."""
    page_cache.UNCOMMITTED.versions.clear()
    with transaction.atomic():
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.save()
        return prerender.pages_to_render(set(page_cache.UNCOMMITTED.versions))


@pytest.mark.django_db
def test_the_pages_of_a_german_teaser_are_the_german_ones_the_programme_and_the_lists(event):
    pages = pages_of_a_save(event, teaser_de=GERMAN)
    assert pages == [
        url("home", "de"),
        url("events:list", "de"),
        url("events:feed", "de"),
        url("events:calendar", "de"),
        url("events:list", "de") + f"?category={event.category.code}",
        url("events:list", "de") + "?city=metz",
        "/sitemap.xml",
        event.get_absolute_url("de"),
        event.get_calendar_url("de"),
        f"/api/v1/events/{event.pk}",
    ]


@pytest.mark.django_db
def test_the_page_of_the_upcoming_list_that_shows_the_event_is_rendered_too(event):
    import datetime

    later = [EventFactory(start=event.start + datetime.timedelta(days=day)) for day in range(1, 12)]
    last = later[-1]  # the twelfth upcoming event: on the list's second page
    assert last.get_absolute_url("de") in html_of(Client().get(url("events:list", "de") + "?page=2"))
    pages = pages_of_a_save(last, teaser_de=GERMAN)

    assert url("events:list", "de") + "?page=2" in pages
    assert url("events:list", "de") + "?page=3" not in pages


@pytest.mark.django_db
def test_a_venue_shown_on_many_events_renders_the_lists_and_the_soonest_events_pages_up_to_the_limit():
    venue = VenueFactory(name_de="Rathaus", name_fr="Hôtel de Ville")
    events = EventFactory.create_batch(25, venue=venue)
    pages = pages_of_a_save(venue, name_de="Altes Rathaus")

    assert len(pages) == prerender.LIMIT
    assert pages[:2] == [url("home", "de"), url("events:list", "de")]
    soonest = min(events, key=lambda event: (event.start, event.pk))
    assert soonest.get_absolute_url("de") in pages and "/sitemap.xml" in pages


# --- The compare-and-set, per backend --------------------------------------------------------------


def entry_of(text):
    return page_cache.Entry(
        versions={"k": "v"}, status=200, headers=[], content=text.encode(), etag='"e"', stored_at=0, expires_at=0
    )


def check_compare_and_set(shared, interleave):
    """``compare_and_set`` sets the versions and entries when the expected values are there, and
    nothing when one changed; a bump that comes while it compares (``interleave`` runs it) never
    lands between its comparison and its writes."""
    first, second = "page-cache:test-cas:1", "page-cache:test-cas:2"
    shared.set(first, "v0", timeout=None)
    shared.delete(second)
    expected = {first: "v0", second: None}
    assert page_cache.compare_and_set(shared, expected, {first: "v1", second: "w1"}, [("page:t", entry_of("A"), 60)])
    assert shared.get_many([first, second]) == {first: "v1", second: "w1"}
    assert shared.get("page:t").content == b"A"

    assert not page_cache.compare_and_set(
        shared, expected, {first: "v2", second: "w2"}, [("page:t", entry_of("B"), 60)]
    )
    assert shared.get_many([first, second]) == {first: "v1", second: "w1"}
    assert shared.get("page:t").content == b"A"

    with interleave(lambda: page_cache._bump({first})):  # noqa: SLF001 - another save's bump
        done = page_cache.compare_and_set(
            shared, {first: "v1", second: "w1"}, {first: "v3", second: "w3"}, [("page:t", entry_of("C"), 60)]
        )
    # Either way, the bump's version is the last: a page set with "v3" is never current after it.
    assert shared.get(first) not in ("v1", "v3")
    return done


@pytest.mark.django_db
def test_compare_and_set_in_the_cache_of_files(monkeypatch):
    shared = page_cache.page_cache()
    assert page_cache.compare_and_set_kind(shared) == "file"
    get_many = type(shared).get_many

    def interleave(bump):
        """The bump started from another thread while the compare-and-set reads."""
        started = []

        def reading(self, keys, *args, **kwargs):
            found = get_many(self, keys, *args, **kwargs)
            if not started and threading.current_thread() is threading.main_thread():
                thread = threading.Thread(target=bump)
                started.append(thread)
                thread.start()
                thread.join(timeout=1)  # it waits for the lock (without one, it would be done now)
            return found

        class Interleaved:
            def __enter__(self):
                monkeypatch.setattr(type(shared), "get_many", reading)

            def __exit__(self, *exc):
                monkeypatch.setattr(type(shared), "get_many", get_many)
                started[0].join(timeout=30)

        return Interleaved()

    assert check_compare_and_set(shared, interleave) is True  # the bump came after it


@pytest.mark.django_db
@pytest.mark.usefixtures("patient_redis")
def test_compare_and_set_in_redis(monkeypatch):
    shared = page_cache.page_cache()
    assert page_cache.compare_and_set_kind(shared) == "redis"
    client = shared.client

    def interleave(bump):
        """The bump made (by another connection) while the compare-and-set compares."""
        decode = client.decode
        bumped = []

        def decoding(value):
            if not bumped:
                bumped.append(True)
                bump()
            return decode(value)

        class Interleaved:
            def __enter__(self):
                monkeypatch.setattr(client, "decode", decoding)

            def __exit__(self, *exc):
                monkeypatch.setattr(client, "decode", decode)

        return Interleaved()

    assert check_compare_and_set(shared, interleave) is False  # Redis refused the writes
    assert shared.get("page:t").content == b"A"
