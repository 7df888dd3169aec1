"""The page cache: visitors get the public pages from the cache, and never a stale one.

This module alone decides what is cached, under which key, and what makes a page fresh again;
models, views and the admin never build a cache key (views of one event only say which event
they show, ``request.page_cache_event``; saves reach this module through signals).

What is cached
    GET and HEAD (served from the GET's entry) of the pages in ``CACHED_PAGES`` — home, the lists
    with their filters and pages, event pages, the bilingual programme, calendar files, feeds,
    the sitemap, robots.txt — per full URL (the language is in the path), for visitors without a
    session or pending messages (so staff, who are logged in, and previews always bypass it),
    when the answer is a 200 that sets no cookie.

One entry per page
    Only canonical addresses are stored (quattropole_site/addresses.py redirects every other
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
    Every entry expires at the site's next such moment (``next_state_change``), so "Die
    Veranstaltung ist bereits abgelaufen" appears on time without any edit. It is computed once
    per content version (one query, on a miss) for the whole site rather than per page: a page
    may be rendered again for a change on another event, which costs one render a few times a
    week.

Never stale after a deployment
    Keys start with a release id (a hash of the code, templates, catalogues and static files
    manifest), so pages rendered by the previous release are never served by the next.

When the cache is away (Redis stopped)
    Every cache call is guarded: pages are rendered as if nothing was cached (slower, correct,
    never an error) and the cache is tried again after a few seconds, so it is used again when
    it is back, without a restart.

HTTP validators
    Every cacheable page gets an ``ETag`` (a hash of its content) and ``Last-Modified``, answers
    ``304 Not Modified`` to a matching conditional request, and ``Cache-Control: no-cache`` lets
    browsers keep a copy they revalidate on every visit.

CSRF tokens
    A page with a form carries a token tied to its visitor's cookie. The token is stored as a
    placeholder and each visitor gets their own on the way out (which also sets their CSRF
    cookie), so a cached form is a working form.

Two places in MIDDLEWARE
    ``PageCacheMiddleware`` comes early, just after the static files: a cached page without a
    form is answered there, without running the session, locale, CSRF, authentication and
    messages middleware, which have nothing to do for it. ``PageCacheStoreMiddleware`` comes
    after the middleware that set a visitor's own cookies: it serves cached forms with the
    visitor's CSRF token and stores what views render.
"""

import contextlib
import datetime
import functools
import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Min, Q
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.http import http_date, parse_http_date_safe

from events.middleware import remember_language

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
# The longest an entry lives even when nothing changes (a safety net, not a rule of freshness).
MAX_AGE = 24 * 60 * 60
# After the cache failed, leave it alone for this long before trying again.
BACKOFF_SECONDS = 5
# Headers kept with an entry; everything else is set again on the way out.
STORED_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Robots-Tag")

CONTENT_VERSION_KEY = "page-cache:content-version"
NEXT_CHANGE_KEY = "page-cache:next-change:{version}"
EVENT_VERSION_KEY = "page-cache:event:{pk}"
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')

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
)


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


@functools.cache
def release_id():
    """A hash of what renders the pages: code, templates, catalogues, static files manifest
    (their names, sizes and modification times, read once per process)."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    patterns = ("events/**/*.py", "quattropole_site/**/*.py", "registration/**/*.py", "templates/**/*.html")
    patterns += ("pages/**/*.py",)
    paths = [path for pattern in patterns for path in base.glob(pattern)]
    paths += list(base.glob("locale/*/LC_MESSAGES/*.mo"))
    paths.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    for path in sorted(paths):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


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


def connect_signals():
    from django.apps import apps
    from django.db.models import signals

    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        signals.post_save.connect(content_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
        signals.post_delete.connect(content_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")
        for m2m in model._meta.many_to_many:
            signals.m2m_changed.connect(
                content_changed, sender=m2m.remote_field.through, dispatch_uid=f"page-cache-m2m-{label}-{m2m.name}"
            )
    # Registrations (and an event's registration form) change that event's pages only.
    from registration.signals import registrations_changed

    registrations_changed.connect(registrations_of_event_changed, dispatch_uid="page-cache-registrations")


def registrations_of_event_changed(sender, event, **kwargs):
    """registration.signals.registrations_changed, sent after the commit."""
    event_changed(event.pk)


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
    moment = PageCacheMiddleware.expires_at(now, version)
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
    """The next moment after ``now`` at which a page may change by time alone: a published event
    starts or ends, its registration opens or closes (the deadline of its registration link, or the
    opening and closing of its built-in registration form, or the end of a registration's window to
    confirm its address; registration.services.next_change gives them for one event), or a
    scheduled event appears (its "publish at"; the same as
    ``Event.objects.next_publication``). None when nothing is ahead."""
    from events.models import Event, scheduled_condition, visible_condition

    visible, scheduled = visible_condition(now), scheduled_condition(now)
    moments = Event.objects.filter(visible | scheduled).aggregate(
        start=Min("start", filter=visible & Q(start__gt=now)),
        end=Min("end", filter=visible & Q(end__gt=now)),
        deadline=Min("registration_deadline", filter=visible & Q(registration_deadline__gte=timezone.localdate(now))),
        opens=Min("registration_settings__opens_at", filter=visible & Q(registration_settings__opens_at__gt=now)),
        closes=Min("registration_settings__closes_at", filter=visible & Q(registration_settings__closes_at__gt=now)),
        publication=Min("publish_at", filter=scheduled),
        # The end of a registration's confirmation window: its held place is free again then.
        window=Min(
            "registrations__expires_at",
            filter=visible & Q(registrations__status__in=("held", "pending"), registrations__expires_at__gt=now),
        ),
    )
    candidates = [moments[name] for name in ("start", "end", "opens", "closes", "publication", "window")]
    if moments["deadline"]:
        # Registration closes at the start of the day after the deadline, in the site's time zone.
        next_day = moments["deadline"] + datetime.timedelta(days=1)
        midnight = datetime.datetime.combine(next_day, datetime.time.min, tzinfo=timezone.get_default_timezone())
        candidates.append(midnight)
    future = [moment for moment in candidates if moment is not None and moment > now]
    return min(future) if future else None


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


class PageCacheMiddleware:
    """The page cache, in two places of MIDDLEWARE.

    This one comes early (just after the static files): a page from the cache is answered there,
    without the session, locale, CSRF, authentication and messages middleware, which have
    nothing to do for it — it only sets the visitor's language cookie as LanguageCookieMiddleware
    would. A page with a form (a CSRF token) and every page not in the cache go on to
    ``PageCacheStoreMiddleware``, which comes after the middleware that set a visitor's own
    cookies: it gives a cached form this visitor's token, and stores what the view renders."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            response = self.get_response(request)
            response.headers.setdefault("X-Page-Cache", "bypass")
            return response
        state = self.lookup(request)
        if isinstance(state, Entry) and not state.has_csrf_token:
            response = self.from_entry(request, state)
            # What LocaleMiddleware and LanguageCookieMiddleware add to a page on its way out.
            language = translation.get_language_from_path(request.path_info)
            if language:  # not for the pages outside the languages' paths (sitemap, robots.txt)
                response.headers.setdefault("Content-Language", language)
            remember_language(request, response)
            return response
        request.page_cache_state = state
        return self.get_response(request)

    # --- reading -------------------------------------------------------------------------------

    def lookup(self, request):
        """The entry to answer with; else (key, content version) to store under; else None
        when the cache cannot be used."""
        if CacheUnavailable.now():
            return None
        key = page_key(request)
        cache = page_cache()
        event_key = EVENT_KEYS.get(key)
        try:
            CacheUnavailable.catch_up(cache)
            found = cache.get_many([CONTENT_VERSION_KEY, key, *([event_key] if event_key else [])])
            version = content_version(cache, found.get(CONTENT_VERSION_KEY))
            entry = found.get(key)
            if self.is_current(key, entry, version, found):
                return entry
            return key, version
        except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
            CacheUnavailable.failed(error)
            return None

    def is_current(self, key, entry, content_version, found):
        if not isinstance(entry, Entry) or entry.content_version != content_version:
            return False
        if entry.expires_at <= time.time():
            return False
        if not entry.event_versions:
            return True
        missing = [name for name in entry.event_versions if name not in found]
        if missing:  # the first time this process meets the page: ask, and remember the key
            found = {**found, **page_cache().get_many(missing)}
            for name in missing:
                remember_event_key(key, name)
        return all(found.get(name) == version for name, version in entry.event_versions.items())

    def from_entry(self, request, entry):
        if not_modified(request, entry.etag, entry.stored_at):
            response = HttpResponseNotModified()
        else:
            content = entry.content
            if entry.has_csrf_token:
                # This visitor's own token (get_token also has their CSRF cookie set).
                content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(content if request.method != "HEAD" else b"", status=entry.status)
            for name, value in entry.headers:
                response[name] = value
            response["Content-Length"] = str(len(content))
        response["ETag"] = entry.etag
        response["Last-Modified"] = http_date(entry.stored_at)
        response["Cache-Control"] = "no-cache"
        response["X-Page-Cache"] = "hit"
        return response

    # --- writing -------------------------------------------------------------------------------

    def store(self, request, response, key, version):
        if response.status_code != 200 or response.streaming or response.cookies:
            response["X-Page-Cache"] = "miss"
            return
        if response.has_header("Vary") or "private" in response.get("Cache-Control", ""):
            response["X-Page-Cache"] = "miss"
            return
        now = timezone.now()
        expires = self.expires_at(now, version)
        if expires is not None and expires <= now:
            response["X-Page-Cache"] = "miss"
            return
        content = response.content
        has_csrf_token = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) and b"csrfmiddlewaretoken" in content
        if has_csrf_token:
            content = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", content)
        event = getattr(request, "page_cache_event", None)
        cache = page_cache()
        try:
            event_versions = {}
            if event is not None:
                event_key = EVENT_VERSION_KEY.format(pk=event)
                remember_event_key(key, event_key)
                event_version = cache.get(event_key)
                if event_version is None:
                    cache.add(event_key, time.time_ns(), timeout=None)
                    event_version = cache.get(event_key)
                event_versions[event_key] = event_version
            stored_at = time.time()
            lifetime = MAX_AGE if expires is None else min(MAX_AGE, (expires - now).total_seconds())
            entry = Entry(
                content_version=version,
                event_versions=event_versions,
                status=response.status_code,
                headers=[(name, response[name]) for name in STORED_HEADERS if response.has_header(name)],
                content=content,
                etag=etag_of(content),
                stored_at=stored_at,
                expires_at=stored_at + lifetime,
                has_csrf_token=has_csrf_token,
            )
            cache.set(key, entry, timeout=max(1, int(lifetime)))
        except Exception as error:  # noqa: BLE001
            CacheUnavailable.failed(error)
            response["X-Page-Cache"] = "uncached"
            return
        response["X-Page-Cache"] = "miss"
        response["ETag"] = entry.etag
        response["Last-Modified"] = http_date(stored_at)

    @staticmethod
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

    def with_validators(self, request, response):
        """A cacheable page answered without the cache (a miss) still gets its validators."""
        if response.status_code != 200 or response.streaming:
            return response
        if not response.has_header("ETag"):
            response["ETag"] = etag_of(response.content)
        response.headers.setdefault("Cache-Control", "no-cache")
        if not_modified(request, response["ETag"], None):
            not_modified_response = HttpResponseNotModified()
            for name in ("ETag", "Last-Modified", "Cache-Control", "X-Page-Cache"):
                if response.has_header(name):
                    not_modified_response[name] = response[name]
            not_modified_response.cookies = response.cookies
            return not_modified_response
        return response


class PageCacheStoreMiddleware(PageCacheMiddleware):
    """The page cache's second place, after the session, CSRF, authentication, messages and
    language cookie middleware (see PageCacheMiddleware): serves a cached page with a form, with
    the visitor's own CSRF token, and stores the pages rendered for visitors."""

    def __call__(self, request):
        if not hasattr(request, "page_cache_state"):
            return self.get_response(request)  # not a page the cache keeps
        state = request.page_cache_state
        if isinstance(state, Entry):
            return self.from_entry(request, state)
        response = self.get_response(request)
        if state is not None:
            self.store(request, response, *state)
        else:
            response["X-Page-Cache"] = "uncached"
        return self.with_validators(request, response)


def etag_of(content):
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def not_modified(request, etag, stored_at):
    """Whether the browser's copy is current (If-None-Match wins over If-Modified-Since)."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if stored_at is not None:
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and int(stored_at) <= since
    return False
