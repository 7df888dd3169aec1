"""The page cache: visitors get the public pages from the cache, and never a stale one.

This app alone decides what is cached, under which key, and what makes a page fresh again. It
knows events and registration; they do not know it: models, views and the admin never build a
cache key nor import this app (views of one event only say which event they show,
``request.page_cache_event``; saves reach it through the domain's signals, connected in
pagecache/receivers.py). docs/caching.md gives the policy in short.

What is cached
    GET and HEAD (served from the GET's entry) of the pages in ``CACHED_PAGES`` — home, the lists
    with their filters and pages, event pages, the bilingual programme, calendar files, feeds,
    the sitemap, robots.txt — per full URL (the language is in the path), for visitors without a
    session or pending messages (so staff, who are logged in, and previews always bypass it),
    when the answer is a 200 that sets no cookie.

One entry per page
    Only canonical addresses are stored (pagecache/addresses.py redirects every other
    spelling of a page's query string to its canonical one, before this cache is asked), on the
    host as nginx passes it: lower case, without a port unless the server's own. Anything else
    (``?page=last``, a made-up port in the Host header) is served, never stored. Each stored
    address is a page that exists (only 200s are stored; a city, year or page that does not exist
    is a 404), so the number of entries is bounded by the pages of the site, however many
    spellings arrive. What protects the site (the rate limits) lives in a cache of its own
    (settings.PROTECTION_CACHE_ALIAS), which no page entry can evict.

Never stale after an edit: versions, and each page knows which it depends on
    A version is a value in the shared cache that a save replaces by a new one (never seen
    before) when its transaction commits: one bump for everyone (``bump_on_commit``). Until
    then the saving thread alone sees new versions of its own (``UNCOMMITTED``: the requests of
    that transaction, and the tests, which run in one, see the change at once); the other
    requests keep the pages of the last committed save, the data they read. A save outside a
    transaction is committed already: one bump at once. A staff save in the admin renders the
    pages it makes fresh before it commits, under its own versions, and its commit publishes
    those very versions with those pages, by a compare-and-set that fails (new versions, as
    above) if any of its keys was bumped since it read them (pagecache/prerender.py says why that
    is never stale). There are five kinds:

    ========================  ===============================================================
    the whole site's          a city, a site page, the footer's accessibility status — and
                              anything pagecache/dependencies.py cannot place (in doubt, all)
    the listings'             any event's content: every page that shows many events without
                              naming them — calendars, the sitemap, search results, the month
                              view, robots.txt, the site pages
    the lists' membership     which events the lists hold and in which order: home, the lists
                              with their filters and pages and the feeds (``NAMED_LISTS``), which
                              also depend on the content of each event they show
    one event's content       that event's own pages (both languages, programme, .ics)
    one event's registrations the same pages (``event_changed``): not their programme
    ========================  ===============================================================

    Per language: the listings' and each event's content have a version per language besides
    the one of any language (``listings_key``, ``content_key``). A page of one language
    (``LANGUAGE_PAGES``: its address starts with /de/ or /fr/ and it shows that language's texts,
    or their fallback) depends on that language's; a page that shows both languages (the
    bilingual programme, the sitemap, search results, the open data) or none (robots.txt, the
    site pages) on the any-language ones, as do the values derived from an event's content.

    ========================  ===============================================================
    a change of               makes new the content versions of
    ========================  ===============================================================
    an event's translated     the languages whose column changed, and every language whose
    texts (``teaser_de``)     own column is empty before or after (it shows the other by
                              fallback); and any language's
    anything else: an         every language's and any language's (slugs too: the language
    untranslated field, a     switch of each language's page links to the others'; a new or
    slot, a person, a link…   deleted event)
    ========================  ===============================================================

    So a German teaser corrected makes fresh the German pages of that event, the German lists
    and feeds that show it, the German calendar of all events and the pages of both languages
    (the bilingual programme, the sitemap), and leaves the French ones cached, unless the French
    teaser is empty (pagecache/dependencies.py, ``languages_changed``). The moment of an event's
    last change (``updated``, which every save writes: a feed entry's and a calendar file's
    modification time) follows its texts: the pages of a language whose texts did not change
    keep the moment of their last change; a save that changed nothing else is every language's.

    A page of one event depends on the whole site's version and on that event's two; a list
    that names its events (its view sets ``request.page_cache_events``) on the whole site's, the
    lists' membership and the content of each event it shows (read before rendering: the events
    its previous entry showed; see ``PageCacheStoreMiddleware.prepare`` for a first render);
    every other page on the whole site's and the listings'. Every change of events is one of
    the lists' membership but the save of an event that changed only what its card shows
    (pagecache/dependencies.py, ``CARD_ONLY_FIELDS``). An entry records the versions it was
    rendered with, read *before* rendering, and is served only while every one of them is
    still current: a page rendered while an edit commits is never kept as current, and every
    app server sharing the cache (Redis) sees the change at its very next request.

    What a save changes is read from the data (pagecache/dependencies.py): an event, its slot,
    workshop or speaker changes that event's pages and the listings; a person, a venue, a
    category or a project group changes the pages of every event showing it and the listings;
    a slot or workshop moved to another event changes both events' (their events are read
    before the save and after it, and before a delete, when the links still exist); a city
    changes every page (every event's registration box offers every member city), and so does a
    raw save (a restored version, loaddata). When in doubt, more: an object the rule does not
    know changes every page.

    The first time a process meets an event page, its event is not known before rendering
    (the view names it): its versions are read after rendering, and the entry is kept only if
    nothing at all was saved or registered meanwhile (``SAVED_VERSION_KEY``, which every
    save and registration changes, read before and after). Afterwards the entry itself, and
    a small per-process table, say which event a page is of.

    A page that shows every event (the sitemap, the calendars of all events) is joined from
    values derived per event, kept per version of that event's content (``remembered_each``).
    Reading 10,000 events' versions at each render after a save cost more than the render, so
    events are also grouped in blocks (primary keys ``pk // EVENTS_PER_BLOCK``, 100): every
    change of an event's content bumps its block's version too, after the event's own
    (``bump_order``). Such a page reads the blocks' versions (~100 at 10,000 events); the values
    of a block whose version is unchanged since this process kept them are current (none of its
    events changed), and only for the other blocks — after a save, the saved event's — are the
    events' own versions read and their values checked one by one.

No stampede: one render per page, the others wait
    The pages an admin save makes fresh are rendered by the save itself, before its commit
    (pagecache/prerender.py): visitors find them rendered. For the others (a page it did not
    render, a save overtaken by another), when a page has just been made fresh, the request that
    takes its lock (``cache.add``, one key per page and per set of versions read before rendering,
    shared by every app server) renders it; the others look every POLL_SECONDS for an entry whose
    versions are current, and serve it (looking at the lock and the versions alone while the lock
    they saw is held: the renderer stores its entry before it lets go). A page from before the save
    is never served: its versions are not current. Nor do they wait for a render that began before
    the latest save (its entry would not be current either): the versions they read have changed,
    so the lock they ask for is another one, and one of them takes it and renders the page again at
    once. They render the page themselves when the lock is let go without a current entry (a page
    the cache does not keep) or after WAIT_SECONDS; the lock is let go when the render ends, even
    by an error, and expires after LOCK_SECONDS if its request died.

Never stale in time: entries end at the next state change
    What a page says also depends on the clock: an event moves from "upcoming" to "past" when
    it ends, its registration closes, a scheduled event appears (at its "publish at" moment).
    Every entry expires at the site's next such moment, which the domain gives
    (``EventQuerySet.next_change`` with ``registration.models.change_moments``: the rules of
    time are written there once, and this app only asks), so "Die
    Veranstaltung ist bereits abgelaufen" appears on time without any edit. It is computed once
    per version of the moments (``MOMENTS_VERSION_KEY``: one query, on a miss) for the whole site
    rather than per page: a page may end at another event's moment, which costs one render a
    few times a week. Every registration (new holds and deadlines may bring the moment closer),
    every change of the whole site and every save or delete bumps it, but the save of an event
    that changed only translated texts and what its card shows (pagecache/dependencies.py,
    ``moments_changed``: a teaser corrected), which no moment reads; in doubt, it is bumped.

Never stale after a deployment
    Keys start with a release id (``release_id``: the deployed code's identity —
    ``QUATTROPOLE_RELEASE`` from the environment, else the git commit, else a hash of the code's
    contents — with the versions of the installed libraries and the static files manifest), so
    pages rendered by the previous release, or on other libraries, are never served by the next.
    Two servers with the same code agree; modification times play no part.

When the cache is away (Redis stopped)
    Every cache call is guarded: pages are rendered as if nothing was cached (slower, correct,
    never an error) and the cache is tried again after a few seconds, so it is used again when
    it is back, without a restart.

HTTP validators
    Every cacheable page gets an ``ETag`` (a hash of its content) and ``Last-Modified``, answers
    ``304 Not Modified`` to a matching conditional request, and ``Cache-Control: no-cache`` lets
    browsers keep a copy they revalidate on every visit.

CSRF tokens
    A page with a form carries a token tied to its visitor's cookie. On a page the cache will
    store, ``{% csrf_token %}`` renders a placeholder (pagecache/context_processors.py), and each
    visitor gets their own token in its place on the way out (which also sets their CSRF
    cookie), so a cached form is a working form. A page that gave its visitor the CSRF cookie
    without the placeholder having been rendered holds that visitor's token: it is never stored
    (pagecache/middleware.py), nor is a page that sets any other cookie of the visitor's own.

Two places in MIDDLEWARE
    See pagecache/middleware.py: the early one answers cached pages without a form, the late one
    serves cached forms with the visitor's own token and prepares what views render, stored by
    the early one on the way out. A third, ``PrerenderMiddleware`` (after authentication), runs a
    staff member's POST to the admin in the transaction that renders its pages before it commits.
"""

import contextlib
import fcntl
import functools
import hashlib
import importlib.metadata
import logging
import os
import secrets
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.utils import timezone, translation
from django_redis import get_redis_connection
from django_redis.cache import RedisCache

from events import fullness
from events.models import Event
from registration.models import change_moments

from . import addresses

logger = logging.getLogger(__name__)

# URL names of the pages that are cached (namespaced as in reverse()).
CACHED_PAGES = {
    "home",
    "events:list",
    "events:past",
    "events:calendar",
    "events:month",
    "events:feed",
    "events:detail",
    "events:programme",
    "events:event_calendar",
    # Search results, one entry per canonical query (addresses.py), at most BOUNDED_PAGES' number.
    "search:results",
    "sitemap",
    "robots_txt",
    # The site pages (pages/): legal notice, privacy, accessibility statement and its JSON, easy
    # language, sign language and its videos' captions.
    "pages:legal_notice",
    "pages:privacy",
    "pages:accessibility",
    "pages:accessibility_json",
    "pages:easy_language",
    "pages:sign_language",
    "pages:sign_language_captions",
    "pages:page",
    # The open data (api/): the API's list and events, its schema and guide, the embeddable list.
    "api:index",
    "api:events",
    "api:event",
    "api_openapi",
    "api_docs",
    "embed",
}
# Pages whose addresses visitors make up (any search words give a page that exists): at most this
# many of their entries are stored while the versions they depend on stay the same; the others
# are served, not stored.
BOUNDED_PAGES = {"search:results": 2000}
BOUNDED_COUNT_KEY = "page-cache:entries:{name}:{version}"
# The longest an entry lives even when nothing changes (a safety net, not a rule of freshness).
MAX_AGE = 24 * 60 * 60
# After the cache failed, leave it alone for this long before trying again.
BACKOFF_SECONDS = 5
# Headers kept with an entry; everything else is set again on the way out.
STORED_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Robots-Tag")

# The versions a page depends on (see the docstring: "Never stale after an edit"). A version is
# any value not seen before (``new_version``): a save sets a new one; an entry is served only
# while every version it was rendered with is still the current one.
CONTENT_VERSION_KEY = "page-cache:content-version"  # everything: a city, a category, a site page
LISTINGS_VERSION_KEY = "page-cache:listings"  # any event's content: the pages that show many events
LISTINGS_LANGUAGE_KEY = "page-cache:listings:{language}"  # the same, in one language's pages
MEMBERSHIP_VERSION_KEY = "page-cache:listings-membership"  # which events the lists hold, in which order
EVENT_CONTENT_KEY = "page-cache:event-content:{pk}"  # one event's own pages: its content
EVENT_LANGUAGE_KEY = "page-cache:event-content:{pk}:{language}"  # the same, in one language's pages
EVENT_VERSION_KEY = "page-cache:event:{pk}"  # one event's own pages: its registrations
EVENT_KEY_PREFIXES = (EVENT_CONTENT_KEY.split("{")[0], EVENT_VERSION_KEY.split("{")[0])
# The content of a block of events (primary keys pk // EVENTS_PER_BLOCK): bumped with the content
# of any of them, after it (``_bump``); a page of every event reads ~N / 100 of these, not N.
BLOCK_CONTENT_KEY = "page-cache:block-content:{block}"
EVENTS_PER_BLOCK = 100
MOMENTS_VERSION_KEY = "page-cache:moments"  # what may move the next state change: asked again
SAVED_VERSION_KEY = "page-cache:saved"  # anything at all saved or registered
NEXT_CHANGE_KEY = "page-cache:next-change"
DERIVED_KEY = "page-cache:derived:{release}:{name}"  # a rendered programme: the release's templates
LOCK_KEY = "page-lock:{key}:{versions}"  # one render of a page per set of versions it depends on
# The pages of one event (its view names the event, ``request.page_cache_event``); every other
# page depends on the listings.
EVENT_PAGES = {"events:detail", "events:programme", "events:event_calendar", "api:event"}
# The pages of one language (their address starts with it: /de/, /fr/) that show only what is
# written in that language, or falls back to it (events.language): they depend on the content
# versions of that language. Every other page (the bilingual programme, the sitemap with its
# alternates, robots.txt, search results, which show what is found in the other language, the
# site pages, the open data) depends on the content in any language.
LANGUAGE_PAGES = {
    "home",
    "events:list",
    "events:past",
    "events:calendar",
    "events:month",
    "events:feed",
    "events:detail",
    "events:event_calendar",
}
# The lists that name the events they show (their views set ``request.page_cache_events``): they
# depend on the lists' membership and on those events' content, not on every event's. The feeds
# are lists too: the first upcoming events.
NAMED_LISTS = {"home", "events:list", "events:past", "events:feed"}
# No stampede: while one request renders a page, the others asking for it wait for its entry
# this long at most (then render it themselves), looking every POLL_SECONDS. A renderer that
# died leaves its lock for LOCK_SECONDS at most.
WAIT_SECONDS = 3.0
POLL_SECONDS = 0.02
LOCK_SECONDS = 10
# What the lock of a page holds for a moment after a render that made no entry (a 404, an error):
# the requests waiting for it render it themselves rather than one after the other.
NOT_KEPT = "not-kept"
NOT_KEPT_SECONDS = 1
# What a cacheable page's forms carry instead of a visitor's CSRF token (pagecache.context_processors):
# no one can type it, and each visitor gets their own token in its place on the way out.
CSRF_PLACEHOLDER = "\x00page-cache-csrf-token\x00"

# What a page shows: a save or delete of one of these is a new content version.
CONTENT_MODELS = (
    "events.Event",
    "events.ProgrammeSlot",
    "events.SlotSpeaker",
    "events.Workshop",
    "events.Person",
    "events.Venue",
    "events.City",
    "events.Category",
    "events.ProjectGroup",
    "materials.Material",
    # The site pages, the publisher's data they show, and what decides the accessibility status in
    # every page's footer (pages/accessibility.py).
    "pages.SitePage",
    "pages.SignLanguageVideo",
    "pages.Organisation",
    "pages.AccessibilityStatement",
    "pages.ManualFinding",
    "pages.AuditRun",
    # The equivalent place names the search applies to queries.
    "search.Place",
    "search.PlaceName",
)


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


RELEASE_ENVIRONMENT = "QUATTROPOLE_RELEASE"
# What renders the pages, hashed when neither the environment nor git names the release.
CODE_SUFFIXES = (".py", ".html", ".txt", ".mo")
NOT_CODE = {"node_modules", "tests", "media", "staticfiles", "__pycache__"}


@functools.cache
def release_id():
    """The identity of the deployed code and of the libraries it runs on, read once per process.

    The code: ``QUATTROPOLE_RELEASE`` from the environment when the deployment sets it (a
    release tag or commit), else the commit git names (``git rev-parse HEAD`` in the project's
    folder, with the changes not committed yet when there are any), else a hash of the contents
    (never the modification times) of the code, templates and compiled catalogues. To it is added
    every installed distribution with its version, so that an upgrade of Django or of any library
    is a new release too. Two servers running the same code on the same libraries agree; pages
    rendered by another release are never served. The static files' manifest is part of it
    because collectstatic writes it from the code and the libraries' files."""
    digest = hashlib.sha256()
    digest.update(code_identity().encode())
    for name, version in sorted(installed_distributions()):
        digest.update(f"\n{name}=={version}".encode())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    with contextlib.suppress(OSError):
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]


def code_identity():
    released = os.environ.get(RELEASE_ENVIRONMENT, "").strip()
    if released:
        return f"release:{released}"
    base = Path(settings.BASE_DIR)
    try:
        commit = git(base, "rev-parse", "HEAD")
        changes = git(base, "diff", "HEAD", "--", ".")
    except (OSError, subprocess.SubprocessError):
        return "content:" + code_hash(base)
    return f"git:{commit}:" + hashlib.sha256(changes.encode()).hexdigest()


def git(base, *arguments):
    done = subprocess.run(["git", *arguments], cwd=base, capture_output=True, text=True, timeout=10, check=True)
    return done.stdout.strip()


def code_hash(base):
    """A hash of the contents of the project's code, templates and catalogues (folders starting
    with a dot, such as .venv and .git, and the tests left out)."""
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(base):
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name not in NOT_CODE)
        for name in sorted(files):
            if name.endswith(CODE_SUFFIXES):
                path = Path(folder) / name
                digest.update(f"{path.relative_to(base)}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def installed_distributions():
    return {(dist.metadata["Name"] or "", dist.version) for dist in importlib.metadata.distributions()}


# --- Versions ------------------------------------------------------------------------------------


def new_version():
    """A version no one has seen before (the time, and a random part for two saves at once)."""
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


class Uncommitted(threading.local):
    """The versions this thread's open transaction has set (``bump_on_commit``): its own until
    the transaction commits, then everyone's — as other versions, never seen before, unless the
    transaction rendered the pages it makes fresh (pagecache/prerender.py: its ``publication``
    publishes these very versions, with those pages, if no one bumped them meanwhile). While it
    renders them, the entries are ``collected`` here rather than stored (published at commit)."""

    def __init__(self):
        self.versions = {}
        self.collected = None
        self.publication = None


UNCOMMITTED = Uncommitted()


def uncommitted_versions():
    """The versions this thread's open transaction has set: none outside a transaction (a
    transaction rolled back leaves its own behind, dropped here)."""
    if UNCOMMITTED.versions and not connection.in_atomic_block:
        UNCOMMITTED.versions.clear()
    return UNCOMMITTED.versions


def get_versions(cache, keys):
    """The versions of ``keys`` the shared cache has (get_many: those it has), as this thread
    sees them: with the versions its open transaction has set."""
    own = uncommitted_versions()
    return {**cache.get_many(keys), **{key: own[key] for key in keys if key in own}}


def read_versions(cache, keys, found=None):
    """The current version of each of ``keys`` (from ``found``, a get_many's answer, where it has
    them), a first one set for those that have none yet (an empty or restarted cache); as this
    thread sees them (with the versions its open transaction has set)."""
    own = uncommitted_versions()
    found = {**(found or {}), **{key: own[key] for key in keys if key in own}}
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        found.update(cache.get_many(missing))
        for key in missing:
            if found.get(key) is None:
                cache.add(key, new_version(), timeout=None)
                found[key] = cache.get(key)
    return {key: found[key] for key in keys}


def page_language(name, path):
    """The language whose content page ``name`` at ``path`` shows alone (``LANGUAGE_PAGES``, from
    its address), or None when it may show any language's."""
    return translation.get_language_from_path(path) if name in LANGUAGE_PAGES else None


def block_key(event_pk):
    """The version of the content, in any language, of the block of events ``event_pk`` is in."""
    return BLOCK_CONTENT_KEY.format(block=event_pk // EVENTS_PER_BLOCK)


def content_key(event_pk, language=None):
    """The version of one event's content in ``language``'s pages, or in any language's (None)."""
    if language is None:
        return EVENT_CONTENT_KEY.format(pk=event_pk)
    return EVENT_LANGUAGE_KEY.format(pk=event_pk, language=language)


def listings_key(language=None):
    """The version of every event's content in ``language``'s pages, or in any language's (None)."""
    return LISTINGS_VERSION_KEY if language is None else LISTINGS_LANGUAGE_KEY.format(language=language)


def event_keys(event_pk, language=None):
    """The versions one event's own pages in ``language`` (None: in any) depend on besides the
    whole site's."""
    return (content_key(event_pk, language), EVENT_VERSION_KEY.format(pk=event_pk))


def shown_keys(shown, language=None):
    """The content versions, in ``language`` (None: in any), of the events a list shows (primary keys)."""
    return [content_key(pk, language) for pk in dict.fromkeys(shown)]


def page_dependencies(name, language=None, event_pk=None, shown=None):
    """The versions page ``name`` depends on: the whole site's, and

    - for one event's page, that event's own (``event_pk``, once known);
    - for a list that names its events (``NAMED_LISTS``), the lists' membership and the content of
      the events it shows (``shown``, primary keys), or, while they are not known, every event's
      content (the listings' version);
    - for any other page, the listings' version.

    The content versions are those of ``language`` for a page of that language alone
    (``page_language``), else those of any language (None)."""
    keys = [CONTENT_VERSION_KEY]
    if name in EVENT_PAGES:
        if event_pk is not None:
            keys.extend(event_keys(event_pk, language))
    elif name in NAMED_LISTS:
        keys.append(MEMBERSHIP_VERSION_KEY)
        if shown is None:
            keys.append(listings_key(language))
        else:
            keys.extend(shown_keys(shown, language))
    else:
        keys.append(listings_key(language))
    return keys


# --- Invalidation ------------------------------------------------------------------------------


class CacheUnavailable:
    """Remembers, per process, that the cache failed a moment ago, and the versions this
    process could not bump meanwhile (bumped as soon as the cache answers again, so that an
    edit made while the cache was unreachable cannot leave older pages current)."""

    until = 0.0
    pending = set()

    @classmethod
    def failed(cls, error):
        if time.monotonic() >= cls.until:
            logger.warning("The page cache is unavailable, pages are served uncached: %s", error)
        cls.until = time.monotonic() + BACKOFF_SECONDS

    @classmethod
    def now(cls):
        return time.monotonic() < cls.until

    @classmethod
    def catch_up(cls, cache):
        if cls.pending:
            keys = set(cls.pending)
            with versions_lock(cache):
                cache.set_many({key: new_version() for key in sorted(keys, key=bump_order)}, timeout=None)
            cls.pending -= keys


def bump_order(key):
    """Where ``key`` comes in a bump: the whole site's, the listings' and the moments' before any
    one event's, and those before their blocks' (where the cache does not set them all at once,
    a list reading an event's version after rendering relies on the first order:
    pagecache/middleware.py; ``remembered_each``, which trusts a block's values while its version
    is unchanged, on the second)."""
    return 2 if key.startswith(BLOCK_CONTENT_KEY.split("{")[0]) else 1 if key.startswith(EVENT_KEY_PREFIXES) else 0


def recorded_by_pages(key):
    """Whether a page's entry may record version ``key`` (``page_dependencies``; the values
    derived per event or from the lists, ``remembered``): all but the version of anything saved
    (``SAVED_VERSION_KEY``), of the moments and of the blocks, which only this process's or the
    derived values' own checks read. A save that pre-rendered publishes new versions of those,
    never seen, rather than the ones it rendered with (pagecache/prerender.py): whatever it kept
    under its own is never current, and a registration meanwhile (which bumps the first two)
    does not undo its pre-render."""
    return key not in (SAVED_VERSION_KEY, MOMENTS_VERSION_KEY) and not key.startswith(BLOCK_CONTENT_KEY.split("{")[0])


def _bump(keys):
    """New versions for ``keys``, in one call to the cache, in ``bump_order`` (under
    ``versions_lock``: a compare-and-set of pre-rendered versions never interleaves with it)."""
    ordered = sorted(keys, key=bump_order)
    try:
        shared = page_cache()
        with versions_lock(shared):
            shared.set_many({key: new_version() for key in ordered}, timeout=None)
    except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
        CacheUnavailable.failed(error)
        CacheUnavailable.pending.update(keys)


# The lock of the versions in a cache of one process (LocMemCache: `make run`).
PROCESS_VERSIONS_LOCK = threading.Lock()
# The lock file of the versions in a cache of files (FileBasedCache: one machine's processes).
VERSIONS_LOCK_FILE = ".page-cache-versions.lock"


def compare_and_set_kind(shared):
    """How a compare-and-set of versions is made atomic in ``shared``: "redis" (django-redis:
    WATCH and MULTI), "file" (an ``fcntl.flock`` on a file in the cache's folder, which every
    bump takes too), "process" (a lock of this process, for a cache in its memory); None for any
    other backend (no pre-render there: pagecache/prerender.py)."""
    if isinstance(shared, FileBasedCache):
        return "file"
    if isinstance(shared, LocMemCache):
        return "process"
    return "redis" if isinstance(shared, RedisCache) else None


@contextlib.contextmanager
def versions_lock(shared):
    """Held around every write of versions to a cache whose writes another process or thread
    could interleave with a compare-and-set (``compare_and_set``): a file lock for a cache of
    files, a process lock for one in memory. Redis needs none (WATCH sees any write)."""
    kind = compare_and_set_kind(shared)
    if kind == "process":
        with PROCESS_VERSIONS_LOCK:
            yield
    elif kind == "file":
        folder = Path(settings.CACHES[settings.PAGE_CACHE_ALIAS]["LOCATION"])
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / VERSIONS_LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    else:
        yield


def compare_and_set(shared, expected, new, entries=()):
    """Sets the versions ``new`` ({key: version}, in ``bump_order``) and then the page entries
    ``entries`` ([(key, entry, lifetime)]) if every key of ``expected`` still has the value
    there (None: absent) — at once, so that no bump comes in between: True; else sets nothing and
    returns False. Raises ValueError for a backend that cannot (``compare_and_set_kind``)."""
    kind = compare_and_set_kind(shared)
    if kind is None:
        raise ValueError(f"No compare-and-set on {type(shared).__name__}")
    ordered = sorted(new, key=bump_order)
    if kind == "redis":
        return redis_compare_and_set(shared, expected, {key: new[key] for key in ordered}, entries)
    with versions_lock(shared):
        found = shared.get_many(list(expected))
        if any(found.get(key) != value for key, value in expected.items()):
            return False
        shared.set_many({key: new[key] for key in ordered}, timeout=None)
        for key, entry, lifetime in entries:
            shared.set(key, entry, timeout=max(1, int(lifetime)))
    return True


def redis_compare_and_set(shared, expected, new, entries):
    """``compare_and_set`` on django-redis: the expected keys WATCHed, read and compared, then the
    writes in one MULTI/EXEC, which Redis refuses if any watched key was written since WATCH."""
    client = shared.client  # django-redis's client: its own encoding of values (pickled, compressed)
    raw = {key: shared.make_key(key) for key in expected}
    with get_redis_connection(settings.PAGE_CACHE_ALIAS).pipeline() as pipe:
        try:
            if raw:
                pipe.watch(*raw.values())
                found = pipe.mget(list(raw.values()))  # immediate mode after WATCH
                for value, stored in zip(expected.values(), found, strict=True):
                    if (None if stored is None else client.decode(stored)) != value:
                        return False
            pipe.multi()
            for key, version in new.items():
                pipe.set(shared.make_key(key), client.encode(version))
            for key, entry, lifetime in entries:
                pipe.set(shared.make_key(key), client.encode(entry), ex=max(1, int(lifetime)))
            pipe.execute()
        except redis.WatchError:
            return False
    return True


def bump_on_commit(keys):
    """New versions for ``keys`` once the save is committed: one bump for everyone.

    Outside a transaction (autocommit) it is committed already: at once. Inside one, the
    requests of the saving thread (a view reading after its own save, a test) see the change at
    once: new versions of their own (``UNCOMMITTED``), which no other request sees; everyone
    else keeps the versions before it, and the pages rendered from the data before the commit,
    until the transaction commits and the shared versions are new ones. A transaction rolled
    back bumps nothing (Django drops its ``on_commit``)."""
    keys = frozenset(keys)
    if transaction.get_autocommit():
        _bump(keys)
        return
    UNCOMMITTED.versions.update({key: new_version() for key in keys})
    transaction.on_commit(lambda: committed(keys))


def committed(keys):
    """A transaction committed: its versions are no longer its thread's own, ``keys`` have new
    ones for everyone — but those its pre-render publishes (``UNCOMMITTED.publication``, whose
    own ``on_commit`` comes after this one: pagecache/prerender.py)."""
    publication = UNCOMMITTED.publication
    if publication is not None:
        keys = keys - publication.keys
    UNCOMMITTED.versions.clear()
    if keys:
        _bump(keys)


def invalidate(events=(), everything=False, membership=True, languages=None, moments=True):
    """Something pages show was saved or deleted: the pages of ``events`` (primary keys), the
    lists showing them and the other listings are fresh at the next request; with
    ``membership``, every list (which events a list holds may have changed); with
    ``everything``, every page. With ``languages`` (codes), only the pages of those languages
    and the pages of any language are fresh; without, those of every language. With
    ``moments`` (unless it is known that the save cannot change when a page changes by time:
    pagecache/dependencies.py, ``moments_changed``), the next state change is asked again."""
    if everything:
        bump_on_commit({SAVED_VERSION_KEY, MOMENTS_VERSION_KEY, CONTENT_VERSION_KEY})
        return
    codes = [None, *(all_languages() if languages is None else languages)]
    keys = {SAVED_VERSION_KEY, *(listings_key(code) for code in codes)}
    events = [pk for pk in events if pk is not None]
    keys.update(content_key(pk, code) for pk in events for code in codes)
    keys.update(block_key(pk) for pk in events)
    if membership:
        keys.add(MEMBERSHIP_VERSION_KEY)
    if moments:
        keys.add(MOMENTS_VERSION_KEY)
    bump_on_commit(keys)


def all_languages():
    return [code for code, _name in settings.LANGUAGES]


def content_changed(**kwargs):
    """Something every page may show was saved or deleted: every page is fresh at the next request."""
    invalidate(everything=True)


def event_changed(event_pk):
    """Something only one event's pages show changed (its registrations): those pages are fresh
    at the next request, and nothing else."""
    bump_on_commit({EVENT_VERSION_KEY.format(pk=event_pk), SAVED_VERSION_KEY, MOMENTS_VERSION_KEY})


def fullness_changed(event):
    """Whether ``event`` became full or stopped being full since this was last asked (or is
    asked for the first time): the lists' entries say "fully booked" (events.fullness)."""
    full = bool(fullness.full_ids([event]))
    key = f"event-full:{event.pk}"
    try:
        before = page_cache().get(key)
        page_cache().set(key, full, timeout=None)
    except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
        CacheUnavailable.failed(error)
        return True
    return before is None or before != full


# --- Values derived from the content ---------------------------------------------------------------


def remembered(name, compute, event=None):
    """A value derived from the content — the years that have events, for the lists' year filter;
    with ``event`` (a primary key), a value derived from that event's content alone, such as its
    programme — computed once while what it depends on is unchanged (the listings, or that event's
    content, and the whole site's), until the next state change, and kept in the shared cache;
    computed each time when the cache is away. Like the pages, it can never be stale: its
    versions are read before it is computed. A value derived from all the events depends on the
    lists' membership (``MEMBERSHIP_VERSION_KEY``): it may only read what decides which events
    the lists hold (pagecache/dependencies.py, ``CARD_ONLY_FIELDS``: not those)."""
    if CacheUnavailable.now():
        return compute()
    cache = page_cache()
    key = DERIVED_KEY.format(release=release_id(), name=name)
    own = MEMBERSHIP_VERSION_KEY if event is None else EVENT_CONTENT_KEY.format(pk=event)
    dependencies = [CONTENT_VERSION_KEY, own]
    try:
        found = cache.get_many([key, *dependencies])
        versions = read_versions(cache, dependencies, found)
    except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
        CacheUnavailable.failed(error)
        return compute()
    known = found.get(key)
    if known is not None and known[2] == versions and known[1] > time.time():
        return known[0]
    value = compute()
    lifetime = derived_lifetime()
    with contextlib.suppress(Exception):
        cache.set(key, (value, time.time() + lifetime, versions), timeout=max(1, int(lifetime)))
    return value


# Values derived per event (``remembered_each``), kept in each process too, bounded: a page of
# every event (the sitemap: 10,000 pieces of XML at 10,000 events, 9 MB) reads the versions of
# their blocks from the shared cache (~100 at 10,000 events), the versions of the events of the
# blocks that changed since this process kept them (after a save, the saved event's block), and
# the values only of the events this process has not kept at those versions.
KEPT_EACH = {}  # {value's key: (value, expiry, {version key: version})}
KEPT_BLOCKS = {}  # {(name, block's key): ((site's version, block's version), expiry, {pk: value})}
KEPT_EACH_LIMIT = 50_000


def remembered_each(name, events, compute):
    """Values derived from each of ``events`` (primary keys) alone — an event's entry in the
    calendar of all upcoming events — as ``{pk: value}``: kept per version of that event's
    content and of the whole site's, in the shared cache and in this process, and computed by one
    call of ``compute(pks)`` (``{pk: value}``) for those not kept.

    Read in steps, each one call to the shared cache: the versions of the whole site and of the
    events' blocks (``block_key``: one per EVENTS_PER_BLOCK primary keys, which every change of
    one of its events' content bumps, after that event's own versions: ``bump_order``). A block
    whose version is the one this process kept its values with (``KEPT_BLOCKS``) gives them as
    kept: none of its events changed since. For the events of the other blocks, their own
    versions (``remembered_one_by_one``). After a save, a page showing every event reads ~N / 100
    block versions, the saved event's block's event versions, and computes that event's part."""
    events = list(dict.fromkeys(events))
    if CacheUnavailable.now():
        return compute(events)
    cache = page_cache()
    blocks = {}
    for pk in events:
        blocks.setdefault(block_key(pk), []).append(pk)
    try:
        asked = [CONTENT_VERSION_KEY, *blocks]
        versions = read_versions(cache, asked, cache.get_many(asked))
    except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
        CacheUnavailable.failed(error)
        return compute(events)
    values, others, entries, now = {}, [], {}, time.time()
    for block, pks in blocks.items():
        depends = (versions[CONTENT_VERSION_KEY], versions[block])
        kept = KEPT_BLOCKS.get((name, block))
        if kept is None or kept[0] != depends or kept[1] <= now:
            kept = (depends, now + MAX_AGE, {})
        values.update((pk, kept[2][pk]) for pk in pks if pk in kept[2])
        missing = [pk for pk in pks if pk not in kept[2]]
        if missing:
            others.extend(missing)
            entries[block] = kept
    if not others:
        return values
    for pk, (value, expiry) in remembered_one_by_one(cache, name, others, compute).items():
        values[pk] = value
        depends, until, kept = entries[block_key(pk)]
        kept[pk] = value
        entries[block_key(pk)] = (depends, min(until, expiry), kept)
    KEPT_BLOCKS.update({(name, block): entry for block, entry in entries.items()})
    return values


def remembered_one_by_one(cache, name, events, compute):
    """``{pk: (value, expiry)}`` for ``events`` (primary keys), each kept per version of that
    event's content and of the whole site's (``remembered_each``): their versions read from the
    shared cache in one call; the values kept elsewhere in a second one, for the events this
    process has not kept at those versions (``KEPT_EACH``); the others computed."""
    keys = {pk: DERIVED_KEY.format(release=release_id(), name=f"{name}:{pk}") for pk in events}
    own = {pk: content_key(pk) for pk in keys}
    try:
        asked = [CONTENT_VERSION_KEY, *own.values()]
        versions = read_versions(cache, asked, cache.get_many(asked))
    except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
        CacheUnavailable.failed(error)
        return {pk: (value, time.time()) for pk, value in compute(list(keys)).items()}
    site = versions[CONTENT_VERSION_KEY]
    depends = {pk: {CONTENT_VERSION_KEY: site, own[pk]: versions[own[pk]]} for pk in keys}
    values, now = {}, time.time()
    for pk, key in keys.items():
        known = KEPT_EACH.get(key)
        if known is not None and known[2] == depends[pk] and known[1] > now:
            values[pk] = known[:2]
    elsewhere = [keys[pk] for pk in keys if pk not in values]
    try:
        found = cache.get_many(elsewhere) if elsewhere else {}
    except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
        CacheUnavailable.failed(error)
        found = {}
    fresh = {}
    for pk in keys:
        known = found.get(keys[pk])
        if pk not in values and known is not None and known[2] == depends[pk] and known[1] > now:
            values[pk] = known[:2]
            fresh[keys[pk]] = known
    missing = [pk for pk in keys if pk not in values]
    if missing:
        computed = compute(missing)
        lifetime = derived_lifetime()
        kept = {keys[pk]: (computed[pk], time.time() + lifetime, depends[pk]) for pk in missing}
        values.update((pk, kept[keys[pk]][:2]) for pk in missing)
        fresh.update(kept)
        with contextlib.suppress(Exception):
            cache.set_many(kept, timeout=max(1, int(lifetime)))
    if len(KEPT_EACH) + len(fresh) > KEPT_EACH_LIMIT:
        KEPT_EACH.clear()
        KEPT_BLOCKS.clear()
    KEPT_EACH.update(fresh)
    return values


def derived_lifetime():
    """How long a derived value computed now may be kept: until the next state change, a day at most."""
    now = timezone.now()
    moment = expires_at(now)
    return MAX_AGE if moment is None else min(MAX_AGE, (moment - now).total_seconds())


# --- Time ----------------------------------------------------------------------------------------


def next_state_change(now):
    """The next moment after ``now`` at which a page may change by time alone, as the domain
    says it (``EventQuerySet.next_change`` with the registration app's ``change_moments``): an
    event starts or ends, its registration opens or closes, a confirmation window ends, a
    scheduled event appears. None when nothing is ahead."""
    return Event.objects.next_change(now, **change_moments(now))


def expires_at(now):
    """The next state change, computed once per version of the moments (``MOMENTS_VERSION_KEY``,
    which every save that may move a moment and every registration bumps) and kept beside the
    pages."""
    cache = page_cache()
    try:
        found = cache.get_many([NEXT_CHANGE_KEY, MOMENTS_VERSION_KEY])
        version = read_versions(cache, [MOMENTS_VERSION_KEY], found)[MOMENTS_VERSION_KEY]
    except Exception:  # noqa: BLE001
        found, version = {}, None
    known = found.get(NEXT_CHANGE_KEY)
    if known is not None and version is not None and known[1] == version and (known[0] is None or known[0] > now):
        return known[0]
    moment = next_state_change(now)
    if version is not None:
        with contextlib.suppress(Exception):
            cache.set(NEXT_CHANGE_KEY, (moment, version), timeout=MAX_AGE)
    return moment


# --- Entries ---------------------------------------------------------------------------------------


# The event versions each page depends on, remembered per process (bounded), so that a hit on an
# event page asks the cache once rather than twice.
EVENT_KEYS = {}
EVENT_KEYS_LIMIT = 20_000


def remember_event_keys(key, keys):
    if len(EVENT_KEYS) >= EVENT_KEYS_LIMIT:
        EVENT_KEYS.clear()
    EVENT_KEYS[key] = tuple(keys)


@dataclass
class Entry:
    versions: dict  # {version key: the version the page was rendered with}
    status: int
    headers: list
    content: bytes
    etag: str
    stored_at: float
    expires_at: float
    has_csrf_token: bool = False
    extra: dict = field(default_factory=dict)


class Miss(NamedTuple):
    """A page to render, and how to store it: its key, the versions read before rendering, the
    version of anything at that moment (``SAVED_VERSION_KEY``: unchanged after rendering, no
    save or registration committed meanwhile), and the lock's token when this request holds it."""

    key: str
    versions: dict
    saved: str
    lock: str | None = None


def lock_key(key, versions):
    """The lock of a render of page ``key`` from ``versions`` (those read before it began): a
    save makes the lock of a render begun before it another key, which no one waits for."""
    digest = hashlib.blake2b(repr(sorted(versions.items())).encode(), digest_size=8).hexdigest()
    return LOCK_KEY.format(key=key, versions=digest)


def release(cache, miss, kept=True):
    """Lets go of the page's lock, if this request still holds it; when its render made no entry
    (``kept`` false: a page the cache does not keep, an error), the lock says so for
    NOT_KEPT_SECONDS, and the requests waiting for it render the page themselves."""
    if miss.lock is None:
        return
    key = lock_key(miss.key, miss.versions)
    try:
        if cache.get(key) == miss.lock:
            if kept:
                cache.delete(key)
            else:
                cache.set(key, NOT_KEPT, timeout=NOT_KEPT_SECONDS)
    except Exception as error:  # noqa: BLE001 - any backend error means "cache away" (the lock expires)
        CacheUnavailable.failed(error)


def within_bound(request, versions):
    """Whether one more entry of this page may be stored while the versions it depends on are
    these: always, but for the pages in ``BOUNDED_PAGES``, which count their entries (anew after
    any change of those versions)."""
    name = addresses.page_name(request.path_info)
    limit = BOUNDED_PAGES.get(name)
    if limit is None:
        return True
    shared = page_cache()
    version = hashlib.sha256(repr(sorted(versions.items())).encode()).hexdigest()[:16]
    key = BOUNDED_COUNT_KEY.format(name=name, version=version)
    shared.add(key, 0, timeout=MAX_AGE)
    try:
        return shared.incr(key) <= limit
    except ValueError:  # evicted between add() and incr(): count anew
        shared.add(key, 1, timeout=MAX_AGE)
        return True


def page_key(request):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"page:{release_id()}:" + hashlib.sha256(address.encode()).hexdigest()


def cacheable_request(request):
    """Whether this request may be answered from, and stored in, the page cache."""
    if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False  # staff, previews, anyone with something of their own on the page
    name = addresses.page_name(request.path_info)
    return name in CACHED_PAGES and addresses.is_canonical(request, name) and canonical_host(request)


def canonical_host(request):
    """The Host header as nginx passes it (``$host``) or a browser sends it to the server: lower
    case, no trailing dot, a port only if it is the server's own. (Pages show absolute addresses
    built from it, so it is part of the key; other spellings of an allowed host are served, never
    stored.)"""
    host = request.get_host()
    name, port = host, ""
    if ":" in host and not host.endswith("]"):  # "[::1]" is an IPv6 address without a port
        name, _colon, port = host.rpartition(":")
    return host == host.lower() and not name.endswith(".") and port in ("", str(request.get_port()))
