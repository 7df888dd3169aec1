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

from . import cache
from .cache import (
    CONTENT_VERSION_KEY,
    CSRF_PLACEHOLDER,
    EVENT_KEYS,
    EVENT_VERSION_KEY,
    MAX_AGE,
    STORED_HEADERS,
    CacheUnavailable,
    Entry,
    cacheable_request,
    content_version,
    expires_at,
    page_key,
    remember_event_key,
    within_bound,
)

PLACEHOLDER = CSRF_PLACEHOLDER.encode()


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
        response = self.get_response(request)
        prepared = getattr(request, "page_cache_entry", None)
        if prepared is not None:
            self.keep(request, response, *prepared)
        return response

    # --- reading -------------------------------------------------------------------------------

    def lookup(self, request):
        """The entry to answer with; else (key, content version) to store under; else None
        when the cache cannot be used."""
        if CacheUnavailable.now():
            return None
        key = page_key(request)
        shared = cache.page_cache()
        event_key = EVENT_KEYS.get(key)
        try:
            CacheUnavailable.catch_up(shared)
            found = shared.get_many([CONTENT_VERSION_KEY, key, *([event_key] if event_key else [])])
            version = content_version(shared, found.get(CONTENT_VERSION_KEY))
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
            found = {**found, **cache.page_cache().get_many(missing)}
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

    def prepare(self, request, response, key, version):
        """The entry of a page a view rendered for a visitor, if it may be kept: stored by
        ``keep`` once the response has passed every middleware (``request.page_cache_entry``)."""
        response["X-Page-Cache"] = "miss"
        if response.status_code != 200 or response.streaming or response.cookies:
            return
        if response.has_header("Vary") or "private" in response.get("Cache-Control", ""):
            return
        now = timezone.now()
        expires = expires_at(now, version)
        if expires is not None and expires <= now:
            return
        content = response.content
        has_csrf_token = getattr(request, "page_cache_csrf", False)
        event = getattr(request, "page_cache_event", None)
        shared = cache.page_cache()
        try:
            event_versions = {}
            if event is not None:
                event_key = EVENT_VERSION_KEY.format(pk=event)
                remember_event_key(key, event_key)
                event_version = shared.get(event_key)
                if event_version is None:
                    shared.add(event_key, time.time_ns(), timeout=None)
                    event_version = shared.get(event_key)
                event_versions[event_key] = event_version
        except Exception as error:  # noqa: BLE001 - any backend error means "cache away"
            CacheUnavailable.failed(error)
            response["X-Page-Cache"] = "uncached"
            return
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
        try:
            if not within_bound(request, entry.content_version):
                response["X-Page-Cache"] = "uncached"
                return
            cache.page_cache().set(key, entry, timeout=max(1, int(lifetime)))
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
