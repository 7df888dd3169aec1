"""The page cache's two places in MIDDLEWARE (pagecache/cache.py says what is kept and why it is
never stale).

``PageCacheMiddleware`` comes early, just after the static files and the canonical addresses: a
cached page without a form is answered there, without the session, locale, CSRF, authentication
and messages middleware, which have nothing to do for it. ``PageCacheStoreMiddleware`` comes
after the middleware that set a visitor's own cookies: it serves cached forms with the visitor's
own CSRF token, and prepares the entry of what a view renders. The entry is stored by
``PageCacheMiddleware`` on the way out, once every other middleware has answered, and only if
the response gives the visitor no cookie of their own: the language cookie (which a page from the
cache sets itself) and, when the page's token was the placeholder, the CSRF cookie are the only
ones allowed. A page that used the CSRF token without the placeholder — a form rendered in a way
that does not ask the ``csrf_token`` variable, a view calling ``get_token()`` — sets the CSRF
cookie without it, and is never stored: one visitor's token is never served to another.
"""

import hashlib
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from events.middleware import remember_language

from . import addresses, cache, prerender
from .cache import (
    CSRF_PLACEHOLDER,
    EVENT_KEYS,
    EVENT_PAGES,
    MAX_AGE,
    NAMED_LISTS,
    SAVED_VERSION_KEY,
    STORED_HEADERS,
    CacheUnavailable,
    Entry,
    Miss,
    cacheable_request,
    expires_at,
    get_versions,
    listings_key,
    lock_key,
    new_version,
    page_dependencies,
    page_key,
    page_language,
    read_versions,
    release,
    remember_event_keys,
    shown_keys,
    within_bound,
)

PLACEHOLDER = CSRF_PLACEHOLDER.encode()
# The WSGI environ's entry that says how long a request waited for another's render of its page.
WAITED = "pagecache.waited"


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
        try:
            response = self.get_response(request)
            prepared = getattr(request, "page_cache_entry", None)
            if prepared is not None:
                self.keep(request, response, *prepared)
        finally:
            if isinstance(state, Miss):
                # On success and on failure alike; the others render the page themselves unless an
                # entry was made (current, or outdated by a save meanwhile: rendered again once).
                kept = getattr(request, "page_cache_kept", False) or getattr(request, "page_cache_outdated", False)
                release(cache.page_cache(), state, kept=kept)
        return response

    # --- reading -------------------------------------------------------------------------------

    def lookup(self, request):
        """The entry to answer with; else a ``Miss`` (the page to render, and how to store it);
        else None when the cache cannot be used.

        No stampede: a page whose entry is not current is rendered by the request that takes
        its lock (``cache.add``: one of all the app servers sharing the cache) for the versions
        read before rendering; the others wait for that request's entry, and serve it once it is
        stored with the versions current at that moment — never an entry older than the last
        save. A save during the render changes the versions they read at their next look, and so
        the lock they ask for: one of them takes it and renders the page again at once, rather
        than waiting for an entry that would not be current. They render the page themselves when
        the renderer kept no entry (a page the cache does not keep: ``NOT_KEPT``) or after
        WAIT_SECONDS (a renderer that died: its lock expires by itself).

        While they wait, they look at the render's lock and the versions alone, not at the page's
        entry (the sitemap's is megabytes: read every POLL_SECONDS by each waiter, it took the
        cores its render needed): the renderer stores its entry before it lets go of its lock, so
        the entry is read again once the lock they saw is let go or another's."""
        if CacheUnavailable.now():
            return None
        key = page_key(request)
        name = addresses.page_name(request.path_info)
        language = page_language(name, request.path_info)
        shared = cache.page_cache()
        began, give_up, waited_for, held = None, None, None, None
        try:
            CacheUnavailable.catch_up(shared)
            while True:
                entry, miss, lock = self.read(shared, key, name, language, waited_for, entry_wanted=held is None)
                if entry is not None:
                    return entry
                wanted = lock_key(key, miss.versions)
                if held is not None:
                    if wanted == waited_for and lock == held:  # the same render, still going on
                        if time.monotonic() >= give_up:
                            return miss
                        pause()
                        continue
                    held = None  # let go (its entry stored), or another render: the entry read at once
                    continue
                if lock == cache.NOT_KEPT and waited_for == wanted:
                    return miss  # the renderer is done and the page is not one to keep: render it here
                # Not locked for these versions (or not yet looked): take the lock. A renderer that
                # kept an entry no longer current (a save during its render), or is still rendering
                # from the versions before a save, leaves the next render to one request.
                token = new_version()
                if shared.add(wanted, token, timeout=cache.LOCK_SECONDS):
                    return miss._replace(lock=token)
                if give_up is None:
                    began = time.monotonic()
                    give_up = began + cache.WAIT_SECONDS
                elif time.monotonic() >= give_up:
                    return miss
                if waited_for == wanted and lock is not None:
                    held = lock  # seen rendering twice: from now on, its lock alone until it is let go
                waited_for = wanted
                pause()
        except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
            CacheUnavailable.failed(error)
            return None
        finally:
            if began is not None:
                # How long it waited for another request's render, in ms, where an access log may
                # show it (gunicorn's ``%({pagecache.waited}e)s``: scripts/bench.py's BENCH_ACCESS_LOG).
                request.META[WAITED] = f"{(time.monotonic() - began) * 1000:.0f}"

    def read(self, shared, key, name, language, lock=None, entry_wanted=True):
        """(the current entry or None, the ``Miss`` to render otherwise, the value of ``lock``,
        the key of the render lock waited for, if any), in one call to the cache — two the first
        time this process meets an event page that another process stored. Without
        ``entry_wanted``, the versions and the lock alone (the entry None)."""
        wanted = page_dependencies(name, language)
        known = EVENT_KEYS.get(key, ())
        asked = [*wanted, *known, SAVED_VERSION_KEY, *([key] if entry_wanted else []), *([lock] if lock else [])]
        found = shared.get_many(asked)
        entry = found.get(key)
        if isinstance(entry, Entry) and (name in EVENT_PAGES or name in NAMED_LISTS):
            # The versions of its event, or of the events the list showed: read before rendering.
            named = (*entry.versions, *entry.extra.get("shown", ()))
            known = tuple(other for other in dict.fromkeys(named) if other not in wanted)
            if EVENT_KEYS.get(key) != known:
                remember_event_keys(key, known)
        versions = read_versions(shared, [*wanted, *known], found)
        saved = read_versions(shared, [SAVED_VERSION_KEY], found)[SAVED_VERSION_KEY]
        current = self.is_current(entry, versions)
        return (entry if current else None), Miss(key, versions, saved), (found.get(lock) if lock else None)

    def is_current(self, entry, versions):
        """Whether ``entry`` was rendered with the current version of everything it depends on,
        and its time has not come."""
        if not isinstance(entry, Entry) or entry.expires_at <= time.time():
            return False
        return bool(entry.versions) and all(versions.get(name) == version for name, version in entry.versions.items())

    def from_entry(self, request, entry):
        if not_modified(request, entry.etag, entry.stored_at):
            response = HttpResponseNotModified()
        else:
            content = entry.content
            if entry.has_csrf_token:
                # This visitor's own token (get_token also has their CSRF cookie set).
                content = content.replace(PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(content if request.method != "HEAD" else b"", status=entry.status)
            for name, value in entry.headers:
                response[name] = value
            response["Content-Length"] = str(len(content))
        response["ETag"] = entry.etag
        response["Last-Modified"] = http_date(entry.stored_at)
        patch_cache_control(response, no_cache=True)
        response["X-Page-Cache"] = "hit"
        return response

    # --- writing -------------------------------------------------------------------------------

    def prepare(self, request, response, key, versions, saved, lock=None):
        """The entry of a page a view rendered for a visitor, if it may be kept: stored by
        ``keep`` once the response has passed every middleware (``request.page_cache_entry``).

        It records the versions read before rendering. The first time an event page is met, its
        event's versions were not known then: they are read now, and the entry kept only if
        nothing at all was saved or registered meanwhile (``saved`` unchanged)."""
        response["X-Page-Cache"] = "miss"
        if response.status_code != 200 or response.streaming or response.cookies:
            return
        if response.has_header("Vary") or "private" in response.get("Cache-Control", ""):
            return
        now = timezone.now()
        expires = expires_at(now)
        # A page that changes at a moment of its own (the month view's mark of today, at midnight)
        # names it: ``request.page_cache_until``.
        until = getattr(request, "page_cache_until", None)
        if until is not None and (expires is None or until < expires):
            expires = until
        if expires is not None and expires <= now:
            return
        event = getattr(request, "page_cache_event", None)
        name = addresses.page_name(request.path_info)
        language = page_language(name, request.path_info)
        shown = getattr(request, "page_cache_events", None) if name in NAMED_LISTS else None
        needed = page_dependencies(name, language, event, shown)
        shared = cache.page_cache()
        try:
            missing = [other for other in needed if other not in versions]
            if missing and shown is not None:
                # The list shows events whose versions were not read before rendering: they are
                # the ones read now if no event's content in its language changed meanwhile
                # (every such change bumps that language's listings' version first,
                # ``cache._bump``; read here after them); else it depends on every event's
                # content, as read before rendering (its next render knows its events).
                listings = listings_key(language)
                before = versions[listings]
                found = get_versions(shared, [*missing, listings])
                unchanged = found.get(listings) == before
                if unchanged and any(found.get(other) is None for other in missing):
                    # An event no save has met yet gets its first version; unless a save came
                    # meanwhile (it may have set that version first), the listings' is unchanged.
                    found.update(read_versions(shared, missing, found))
                    unchanged = get_versions(shared, [listings]).get(listings) == before
                if unchanged:
                    versions = {**versions, **{other: found[other] for other in missing}}
                else:
                    needed = page_dependencies(name, language)
            elif missing:
                found = get_versions(shared, [SAVED_VERSION_KEY, *missing])
                if found.get(SAVED_VERSION_KEY) != saved:
                    # A save or a registration meanwhile: this page may show the data before it.
                    request.page_cache_outdated = True
                    return
                versions = {**versions, **read_versions(shared, missing, found)}
            if event is not None:
                remember_event_keys(key, cache.event_keys(event, language))
            if shown is not None:
                remember_event_keys(key, shown_keys(shown, language))
        except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
            CacheUnavailable.failed(error)
            response["X-Page-Cache"] = "uncached"
            return
        content = response.content
        stored_at = time.time()
        lifetime = MAX_AGE if expires is None else min(MAX_AGE, (expires - now).total_seconds())
        entry = Entry(
            versions={name: versions[name] for name in needed},
            status=response.status_code,
            headers=[(name, response[name]) for name in STORED_HEADERS if response.has_header(name)],
            content=content,
            etag=etag_of(content),
            stored_at=stored_at,
            expires_at=stored_at + lifetime,
            has_csrf_token=getattr(request, "page_cache_csrf", False),
            extra={"shown": shown_keys(shown, language)} if shown is not None else {},
        )
        request.page_cache_entry = (key, entry, lifetime)
        response["ETag"] = entry.etag
        response["Last-Modified"] = http_date(stored_at)

    def keep(self, request, response, key, entry, lifetime):
        """Stores a prepared entry, unless the response gives the visitor a cookie of their own:
        the language cookie is allowed (a page from the cache sets it itself), the CSRF cookie
        only when the page carried the placeholder (else the page holds this visitor's token)."""
        allowed = {settings.LANGUAGE_COOKIE_NAME}
        if entry.has_csrf_token:
            allowed.add(settings.CSRF_COOKIE_NAME)
        if set(response.cookies) - allowed:
            return
        collected = cache.UNCOMMITTED.collected
        if collected is not None:
            # A page the saving transaction renders (pagecache/prerender.py): published with its
            # versions when it commits; the entry visitors get until then stays where it is.
            collected.append((key, entry, lifetime))
            request.page_cache_kept = True
            return
        try:
            if not within_bound(request, entry.versions):
                response["X-Page-Cache"] = "uncached"
                return
            cache.page_cache().set(key, entry, timeout=max(1, int(lifetime)))
            request.page_cache_kept = True
        except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
            CacheUnavailable.failed(error)
            response["X-Page-Cache"] = "uncached"

    def with_validators(self, request, response):
        """A cacheable page answered without the cache (a miss) still gets its validators."""
        if response.status_code != 200 or response.streaming:
            return response
        if not response.has_header("ETag"):
            response["ETag"] = etag_of(response.content)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_cache=True)
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
            self.prepare(request, response, *state)
        else:
            response["X-Page-Cache"] = "uncached"
        if getattr(request, "page_cache_csrf", False):
            # The placeholder was rendered: this visitor gets their own token (and CSRF cookie).
            response.content = response.content.replace(PLACEHOLDER, get_token(request).encode())
        return self.with_validators(request, response)


class PrerenderMiddleware:
    """A staff member's POST to the admin, in one transaction that renders the pages its save
    makes fresh before it commits (pagecache/prerender.py): after AuthenticationMiddleware. The
    admin's own transaction is a savepoint inside it; a form sent back with errors saved nothing,
    bumped nothing, and renders nothing; an answer that is not a success (4xx, 5xx) renders
    nothing and commits what was saved, as without this middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not request.path_info.startswith("/" + settings.ADMIN_URL):
            return self.get_response(request)  # the user not even looked at (a lazy object)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return self.get_response(request)
        with prerender.saving(request) as saving:
            response = self.get_response(request)
            saving.prerender = response.status_code < 400
        return response


def pause():
    """A short wait between two looks at a page another request is rendering."""
    time.sleep(cache.POLL_SECONDS)


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
