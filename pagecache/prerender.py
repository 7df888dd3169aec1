"""The pages a save makes fresh, rendered by the save before anyone asks (issue 23).

Without this, each save leaves its pages to the first visitors after the commit: they render them
(200–1,600 ms on a loaded server) while others wait for that render or queue behind it, and those
requests are the slowest 1 % on announcement day (docs/performance.md, "Edits under load").

``saving(request)`` wraps a save: it opens the transaction, and once the body has saved (and so
bumped versions, which this thread alone sees: pagecache/cache.py's ``UNCOMMITTED``), still in
the transaction, it renders the pages those versions make fresh, each through the whole middleware
stack as an anonymous visitor of the saving request's host (``django.test.Client``: a stored entry
byte for byte as a visitor's render would make it). The transaction's connection reads its own
uncommitted data, and the page cache gives it its own versions, so each entry is made as the
page will be after the commit and records those versions. The entries are not stored yet (the
visitors until the commit keep the current ones): they wait in ``UNCOMMITTED.collected``.

At the commit, one compare-and-set (``cache.compare_and_set``) publishes the transaction's very
versions and those entries — if every key the transaction bumped still has the value read just
before the pre-render (``expected``); else the versions are new ones never seen, as without a
pre-render (the entries dropped: correct, no gain). Visitors then find the pages rendered at
their first request after the commit. The versions no entry records (anything saved, the
moments, the blocks: ``cache.recorded_by_pages``) are neither compared nor published as
rendered with: they get new ones in the same step, so what was kept under the transaction's own
is never current, and a registration elsewhere meanwhile (which bumps the first two) does not
undo the pre-render.

Why never stale: an entry is current only while every version it records is. Take another save
T2 that commits while we render or before we publish. If T2 bumped a key we publish after our
``expected`` was read, our compare-and-set sees it and publishes nothing of ours. If it bumped it
before, T2 had committed before that (it bumps on commit), so our renders, which begin after the
read, see its data (PostgreSQL's READ COMMITTED, Django's default: each query sees what was
committed before it began). A key we do not bump is recorded as read before each render, as
for any visitor: a bump of it by T2 makes the entry outdated as usual. A compare-and-set is atomic
against every other bump: Redis refuses the MULTI if a WATCHed key was written; a cache of files
or in memory takes the same lock in every bump (``cache.versions_lock``). A transaction rolled
back publishes nothing: its entries were never stored, its versions never shared. A save inside
a transaction it does not open (a test's, another atomic block's) renders nothing: the
outermost commit publishes new versions, as before.

Which pages (``pages_to_render``, at most ``LIMIT``): for each event whose content versions the
save bumped, its page and calendar file in those languages, its bilingual programme and its
entry in the open data when any language's changed; when the listings were bumped, in those
languages, the home page, the first page of the events list and the page showing the saved event,
the list filtered by the saved events' cities and categories, the feed and the calendar of all
events, and the sitemap. A change of
everything (a city) renders the same lists, not every event. Of those, only the pages the cache
holds an entry for, current or not (``held``: pages visitors ask for); the others are left to
their first visitor, as without a pre-render. A page whose versions the save did not change is
answered from the cache, at the cost of a lookup.

A pre-render that fails (any error) is logged and dropped: the save goes on, its pages rendered
on demand as before. The admin's saves go through ``PrerenderMiddleware`` (pagecache/middleware.py),
the bench's editor (scripts/bench.py) through ``saving`` itself.
"""

import contextlib
import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event
from events.views import EventListView

from . import cache

logger = logging.getLogger(__name__)

# One pre-render at a time in a process: the test client's handler takes Django's
# close_old_connections off request_started for the time of each of its requests, and puts it
# back; another thread's pre-render whose request began just then would have its connection,
# inside its open transaction, closed by it. A save that waits longer than this renders nothing.
RENDERING = threading.Lock()
RENDERING_WAIT_SECONDS = 10
# At most this many pages rendered by one save (a venue shown on a hundred events renders the
# lists and the first events' pages; the others are rendered on demand).
LIMIT = 40
EVENT_CONTENT_PREFIX = cache.EVENT_CONTENT_KEY.split("{")[0]
# The upcoming list's page of each of this many saved events is rendered too (one count each).
LISTED_EVENTS = 5
PER_PAGE = EventListView.paginate_by
FACTORY = RequestFactory()
VISITOR = None  # (the MIDDLEWARE setting it was built with, the client): ``anonymous_visitor``


@dataclass
class Publication:
    """What a transaction that pre-rendered publishes at its commit."""

    keys: frozenset
    versions: dict
    expected: dict
    entries: list = field(default_factory=list)


class Done(threading.local):
    """What the last pre-render of this thread did (the bench's editor prints it)."""

    def __init__(self):
        self.pages = 0
        self.stored = 0
        self.milliseconds = 0.0
        self.published = None


LAST = Done()


@dataclass
class Saving:
    """The saving request's address and whether, once the body is done, to pre-render (the
    admin's middleware sets it false for an answer that is not a success)."""

    host: str
    port: str
    secure: bool
    prerender: bool = True


@contextlib.contextmanager
def saving(request):
    """A transaction for a save by ``request`` (a staff member's POST: its host and scheme are
    those of the pages to render); the pages it makes fresh are rendered before it commits and
    published with it (see the module's docstring). Yields a ``Saving``."""
    state = Saving(host=request.get_host(), port=str(request.get_port()), secure=request.is_secure())
    if not transaction.get_autocommit():
        # Inside a transaction it does not end (a test's): that one's commit publishes new versions
        # as for any save; nothing to add, not even a savepoint.
        yield state
        return
    try:
        with transaction.atomic():
            yield state
            if state.prerender and not transaction.get_rollback():
                prerender(state)
    finally:
        cache.UNCOMMITTED.publication = None  # a commit that failed ran no on_commit
        cache.UNCOMMITTED.collected = None


def prerender(state):
    """Renders the pages this transaction's versions make fresh, and has them published at its
    commit (``publish``); logs and drops any error."""
    LAST.pages, LAST.stored, LAST.milliseconds, LAST.published = 0, 0, 0.0, None
    own = dict(cache.UNCOMMITTED.versions)
    if not own or not settings.PAGE_CACHE_ENABLED or cache.CacheUnavailable.now():
        return
    began = time.perf_counter()
    collected = []
    try:
        shared = cache.page_cache()
        if cache.compare_and_set_kind(shared) is None:
            return
        try:
            pages = [path for path in pages_to_render(own) if held(shared, path, state)]
            if not pages:
                return
            found = shared.get_many(list(own))
        except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
            cache.CacheUnavailable.failed(error)
            return
        expected = {key: found.get(key) for key in own}
        if not RENDERING.acquire(timeout=RENDERING_WAIT_SECONDS):
            return
        try:
            cache.UNCOMMITTED.collected = collected
            visitor = anonymous_visitor()
            with translation.override(translation.get_language()):
                for path in pages:
                    visitor.cookies.clear()  # each page as a first visit: no cookie
                    visitor.get(path, secure=state.secure, SERVER_PORT=state.port, HTTP_HOST=state.host)
                    LAST.pages += 1
        finally:
            RENDERING.release()
    except Exception:
        logger.exception("Rendering the pages of a save before its commit failed: they are rendered on demand")
        return
    finally:
        cache.UNCOMMITTED.collected = None
        LAST.milliseconds = (time.perf_counter() - began) * 1000
    if cache.UNCOMMITTED.versions != own:
        return  # a render bumped a version (none does): the commit publishes new ones, as without
    LAST.stored = len(collected)
    publication = Publication(keys=frozenset(own), versions=own, expected=expected, entries=collected)
    cache.UNCOMMITTED.publication = publication
    transaction.on_commit(lambda: publish(publication))


def held(shared, path, state):
    """Whether the cache holds an entry for ``path`` on the saving request's address, current or
    not: a page visitors asked for (its entry stored by one of them, or by an earlier save that
    rendered it ahead) within its entry's lifetime (until the next state change, a day at most).
    One it does not hold is left to its first visitor, as without a pre-render: a render now
    would take a core from the visitors for a page none of them may ask for before the next save."""
    request = FACTORY.get(path, secure=state.secure, SERVER_PORT=state.port, HTTP_HOST=state.host)
    return shared.has_key(cache.page_key(request))


def anonymous_visitor():
    """The process's client for the pre-renders (under ``RENDERING``): one, not one per save, as
    its first request builds the middleware chain (WhiteNoise reads the static files' folder
    then); built again if the middleware setting changed (a test's override)."""
    global VISITOR
    middleware = tuple(settings.MIDDLEWARE)
    if VISITOR is None or VISITOR[0] != middleware:
        VISITOR = (middleware, Client(raise_request_exception=False))
    return VISITOR[1]


def publish(publication):
    """At the commit (after ``cache.committed``, which left these keys to it): the transaction's
    versions and its entries if no one bumped those keys since ``expected`` was read; else new
    versions, as a save without a pre-render."""
    cache.UNCOMMITTED.publication = None
    shared = cache.page_cache()
    own = [key for key in publication.keys if cache.recorded_by_pages(key)]
    expected = {key: publication.expected[key] for key in own}
    versions = {key: publication.versions[key] if key in expected else cache.new_version() for key in publication.keys}
    try:
        done = cache.compare_and_set(shared, expected, versions, publication.entries)
    except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
        cache.CacheUnavailable.failed(error)
        done = False
    LAST.published = done
    if not done:
        cache.committed(publication.keys)  # new versions, as a commit without a pre-render


def list_page(event, now):
    """The page of the upcoming events list that shows ``event`` (one of them): the events
    before it in the list's order (events.models, ``upcoming``: soonest first), counted."""
    before = Q(start__lt=event.start) | Q(start=event.start, pk__lt=event.pk)
    return Event.objects.published().upcoming(now, start_hint=False).filter(before).count() // PER_PAGE + 1


def pages_to_render(versions):
    """The addresses of the pages the bumped ``versions`` (keys) make fresh, at most LIMIT: the
    lists first (the most asked), then each event's own pages."""
    languages = [code for code, _name in settings.LANGUAGES]
    now = timezone.now()
    everything = cache.CONTENT_VERSION_KEY in versions
    events = {}  # {pk: languages whose content changed, None standing for "any"}
    for key in versions:
        if key.startswith(EVENT_CONTENT_PREFIX):
            pk, _colon, language = key.removeprefix(EVENT_CONTENT_PREFIX).partition(":")
            events.setdefault(int(pk), set()).add(language or None)
    listed = [code for code in languages if everything or cache.listings_key(code) in versions]
    # The soonest first (the most asked), as many as may have a page rendered.
    found = Event.objects.published().filter(pk__in=events).order_by("start", "pk")[:LIMIT]
    shown = list(found.prefetch_related("slots", "cities").select_related("category"))
    numbers = {list_page(event, now) for event in shown[:LISTED_EVENTS] if event.end >= now} if listed else set()
    pages = []
    for code in listed:
        with translation.override(code):
            lists = [reverse("home"), reverse("events:list"), reverse("events:feed"), reverse("events:calendar")]
            filters = {f"city={city.code}" for event in shown for city in event.cities.all()}
            filters.update(f"category={event.category.code}" for event in shown if event.category_id)
            lists += [f"{reverse('events:list')}?{query}" for query in sorted(filters)]
            lists += [f"{reverse('events:list')}?page={number}" for number in sorted(numbers) if number > 1]
        pages += lists
    if everything or cache.listings_key() in versions:
        pages.append(reverse("sitemap"))
    for event in shown:
        changed = events[event.pk]
        for code in languages:
            if code in changed:
                pages += [event.get_absolute_url(code), event.get_calendar_url(code)]
        if None in changed:
            if event.slots.all():
                pages += [event.get_programme_url(code) for code in languages]
            pages.append(reverse("api:event", kwargs={"event_id": event.pk}))
    return list(dict.fromkeys(pages))[:LIMIT]
