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

Never stale after an edit: one shared content version
    Every save or delete of anything a page shows (events, slots, workshops, speaker links,
    people, venues, cities, categories, project groups, an event's cities) increments one
    integer kept in the shared cache, when its transaction commits. An entry records the version
    read *before* its page was rendered, and is served only while that is still the version: a
    page rendered while an edit commits is never kept as current, and every app server sharing
    the cache (Redis) sees the change at its very next request.

    Why one version for the whole site rather than targeted keys: what a page shows is a graph
    (a venue or a person edited changes every event page, list, feed and calendar they appear
    in; a city renamed changes the filters of every list). Keys per object would have to follow
    that graph exactly, and a missed edge is a stale page; one version cannot miss. The price is
    small: staff edit a few times a day, and after an edit each page is rendered once again.
    Registrations are the exception — frequent on announcement days and shown on one event's
    pages only — so each event also has a version of its own (``event_changed``), which
    refreshes that event's pages and nothing else.

Never stale in time: entries end at the next state change
    What a page says also depends on the clock: an event moves from "upcoming" to "past" when
    it ends, its registration closes, a scheduled event appears (at its "publish at" moment).
    Every entry expires at the site's next such moment, which the domain gives
    (``EventQuerySet.next_change`` with ``registration.models.change_moments``: the rules of
    time are written there once, and this app only asks), so "Die
    Veranstaltung ist bereits abgelaufen" appears on time without any edit. It is computed once
    per content version (one query, on a miss) for the whole site rather than per page: a page
    may be rendered again for a change on another event, which costs one render a few times a
    week.

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
    the early one on the way out.
"""

import contextlib
import functools
import hashlib
import importlib.metadata
import logging
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

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
    "events:feed",
    "events:detail",
    "events:programme",
    "events:event_calendar",
    # Search results, one entry per canonical query (addresses.py), at most BOUNDED_PAGES' number.
    "search:results",
    "sitemap",
    "robots_txt",
    # The site pages (pages/): legal notice, privacy, accessibility statement and its JSON, easy language.
    "pages:legal_notice",
    "pages:privacy",
    "pages:accessibility",
    "pages:accessibility_json",
    "pages:easy_language",
    "pages:page",
}
# Pages whose addresses visitors make up (any search words give a page that exists): at most this
# many of their entries are stored per content version; the others are served, not stored.
BOUNDED_PAGES = {"search:results": 2000}
BOUNDED_COUNT_KEY = "page-cache:entries:{name}:{version}"
# The longest an entry lives even when nothing changes (a safety net, not a rule of freshness).
MAX_AGE = 24 * 60 * 60
# After the cache failed, leave it alone for this long before trying again.
BACKOFF_SECONDS = 5
# Headers kept with an entry; everything else is set again on the way out.
STORED_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Robots-Tag")

CONTENT_VERSION_KEY = "page-cache:content-version"
NEXT_CHANGE_KEY = "page-cache:next-change:{version}"
EVENT_VERSION_KEY = "page-cache:event:{pk}"
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
    # The site pages, the publisher's data they show, and what decides the accessibility status in
    # every page's footer (pages/accessibility.py).
    "pages.SitePage",
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
        for key in list(cls.pending):
            _increment(cache, key)
            cls.pending.discard(key)


def _increment(cache, key):
    try:
        cache.incr(key)
    except ValueError:  # not set yet (or evicted): any new value differs from what entries hold
        cache.set(key, time.time_ns(), timeout=None)


def _bump(key):
    try:
        _increment(page_cache(), key)
    except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
        CacheUnavailable.failed(error)
        CacheUnavailable.pending.add(key)


def _bump_now_and_on_commit(key):
    """Bump at once (the requests of this transaction, and of a test, see the change) and again
    when the transaction commits: a page another request rendered in between, from the data
    before the commit, is then not current either."""
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def content_changed(**kwargs):
    """Something a page shows was saved or deleted: every page is fresh at the next request."""
    _bump_now_and_on_commit(CONTENT_VERSION_KEY)


def event_changed(event_pk):
    """Something only one event's pages show changed (its registrations): those pages are fresh
    at the next request."""
    _bump_now_and_on_commit(EVENT_VERSION_KEY.format(pk=event_pk))


# --- Values derived from the content ---------------------------------------------------------------


def remembered(name, compute):
    """A value derived from the whole content — the years that have events, for the lists' year
    filter — computed once per content version and until the next state change, and kept in the
    shared cache; computed each time when the cache is away. Like the pages, it can never be
    stale: any edit is a new content version."""
    if CacheUnavailable.now():
        return compute()
    cache = page_cache()
    try:
        version = content_version(cache)
        key = f"page-cache:derived:{name}:{version}"
        known = cache.get(key)
    except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
        CacheUnavailable.failed(error)
        return compute()
    if known is not None and known[1] > time.time():
        return known[0]
    value = compute()
    now = timezone.now()
    moment = expires_at(now, version)
    lifetime = MAX_AGE if moment is None else min(MAX_AGE, (moment - now).total_seconds())
    with contextlib.suppress(Exception):
        cache.set(key, (value, time.time() + lifetime), timeout=max(1, int(lifetime)))
    return value


def content_version(cache, known=None):
    """The current content version (``known`` when a get_many already read it); a first one is
    set when there is none yet (an empty cache)."""
    if known is not None:
        return known
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return version


# --- Time ----------------------------------------------------------------------------------------


def next_state_change(now):
    """The next moment after ``now`` at which a page may change by time alone, as the domain
    says it (``EventQuerySet.next_change`` with the registration app's ``change_moments``): an
    event starts or ends, its registration opens or closes, a confirmation window ends, a
    scheduled event appears. None when nothing is ahead."""
    return Event.objects.next_change(now, **change_moments(now))


def expires_at(now, version):
    """The next state change, computed once per content version and kept beside the pages."""
    cache = page_cache()
    key = NEXT_CHANGE_KEY.format(version=version)
    try:
        known = cache.get(key)
    except Exception:  # noqa: BLE001
        known = None
    if known is not None and (known[0] is None or known[0] > now):
        return known[0]
    moment = next_state_change(now)
    with contextlib.suppress(Exception):
        cache.set(key, (moment,), timeout=MAX_AGE)
    return moment


# Which event's version each page depends on, remembered per process (bounded), so that a hit on
# an event page asks the cache once rather than twice.
EVENT_KEYS = {}
EVENT_KEYS_LIMIT = 20_000


def remember_event_key(key, event_key):
    if len(EVENT_KEYS) >= EVENT_KEYS_LIMIT:
        EVENT_KEYS.clear()
    EVENT_KEYS[key] = event_key


# --- Entries ---------------------------------------------------------------------------------------


@dataclass
class Entry:
    content_version: int
    event_versions: dict
    status: int
    headers: list
    content: bytes
    etag: str
    stored_at: float
    expires_at: float
    has_csrf_token: bool = False
    extra: dict = field(default_factory=dict)


def within_bound(request, version):
    """Whether one more entry of this page may be stored in this content version: always, but
    for the pages in ``BOUNDED_PAGES``, which count their entries."""
    name = addresses.page_name(request.path_info)
    limit = BOUNDED_PAGES.get(name)
    if limit is None:
        return True
    shared = page_cache()
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
