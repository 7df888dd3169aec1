"""Pages of the whole site rather than of its events: ``/``, robots.txt, the favicon, ``/healthz``
and the error pages.

The error pages cannot fail for the reasons that make pages fail: they run no query, read no
session or user, and name their stylesheets through ``{% asset %}``, which does not raise when the
static files manifest is what is broken. A database that does not answer is a 503 "back soon"
page with ``Retry-After`` rather than a 500; a form sent at that moment comes back filled in, to
be sent again when the database is back. If even our template cannot be rendered, a plain page
in the visitor's language is returned.
"""

import logging
import sys
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from events.language import every_language

logger = logging.getLogger(__name__)

# How long visitors are asked to wait before trying again when the database is away.
RETRY_AFTER_SECONDS = 30


@require_safe
def root_redirect(request):
    """``/`` → ``/de/`` or ``/fr/``: the language cookie, then Accept-Language, else German."""
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        return redirect(reverse("home"))


@require_safe
def robots_txt(request):
    """Where crawlers may go, and where the sitemap is. An admin moved to an address of its own
    (DJANGO_ADMIN_URL) is not named here."""
    lines = ["User-agent: *"]
    if settings.ADMIN_URL == "admin/":
        lines.append(f"Disallow: {reverse('admin:index')}")
    else:
        lines.append("Disallow:")
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Language"] = every_language()
    return response


@require_safe
def sitemap_xml(request, **kwargs):
    """Django's sitemap view: its addresses are of every language."""
    response = sitemap(request, **kwargs)
    response["Content-Language"] = every_language()
    return response


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("img/favicon.svg"), permanent=True)


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitoring: 200 when the database and the cache answer, else 503
    naming what is down. Says nothing else (no versions, no settings)."""
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    return JsonResponse(
        {name: "ok" if ok else "down" for name, ok in checks.items()},
        status=200 if all(checks.values()) else 503,
    )


def _database_answers():
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return False


def _cache_answers():
    """The page cache and the cache of what protects the site (rate limits) both answer."""
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        answered = True
        for alias in (settings.PAGE_CACHE_ALIAS, settings.PROTECTION_CACHE_ALIAS):
            cache = caches[alias]
            cache.set(key, value, timeout=10)
            answered = answered and cache.get(key) == value
            cache.delete(key)
        return answered
    except Exception:  # each cache backend raises its own errors
        logger.warning("Health check: the cache does not answer", exc_info=True)
        return False


@require_POST
def set_language(request):
    """The admin's FR/DE switch: Django's set_language, for the site's own languages only. Any
    other code (``en``, ``de-DE``, ``FR``) is a 400 and stores no cookie; the switch lands on the
    page it came from in the new language when that address exists, else on the home page."""
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    if language not in dict(settings.LANGUAGES):
        return bad_request(request)
    response = i18n.set_language(request)
    if response.has_header("Location"):
        with translation.override(language):  # a page of the new language resolves in it
            try:
                resolve(urlsplit(response["Location"]).path)
            except Resolver404:
                response["Location"] = reverse("home")
    return response


# --- Error pages ---------------------------------------------------------------------------


def error_language(request):
    """The visitor's language: the page's (/de/…, /fr/…), else the one LocaleMiddleware chose,
    else the cookie or the browser's preference. Reads no session and no database."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = translation.get_language_from_path(request.path_info)
    if language in codes:
        return language
    language = getattr(request, "LANGUAGE_CODE", None)
    if language in codes:
        return language
    return translation.get_language_from_request(request, check_path=False)


def render_error(request, template_name, status, context=None, headers=None):
    """An error page with our layout in the visitor's language. Rendered without context
    processors (they would read the session, the user, the messages)."""
    language = error_language(request)
    with translation.override(language):
        try:
            content = loader.get_template(template_name).render(
                {"request": request, "status": status, **(context or {})}
            )
        except Exception:
            logger.exception("The error page %s could not be rendered", template_name)
            content = plain_error_page(language, status)
    response = HttpResponse(content, status=status, headers=headers)
    return response


def plain_error_page(language, status):
    """The last resort, when even our error template failed: a plain page, still in the visitor's
    language, with our stylesheet under its unhashed name (WhiteNoise serves both names)."""
    title = gettext("Service temporarily unavailable") if status == 503 else gettext("Server error")
    text = gettext("Something went wrong on our side. Please try again in a few minutes.")
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f'<link rel="stylesheet" href="{settings.STATIC_URL}css/site.css"></head>'
        f'<body><main id="main"><div class="wrap"><h1>{escape(title)}</h1><p class="lead">{escape(text)}</p>'
        f'<p><a href="/{language}/">{escape(gettext("Home page"))}</a></p></div></main></body></html>'
    )


BAD_REQUEST = {
    "heading": _("Bad request"),
    "lead": _("Your browser sent a request that this site cannot understand. Please check the address."),
}


def bad_request(request, exception=None):
    return render_error(request, "error.html", 400, BAD_REQUEST)


def permission_denied(request, exception=None):
    return render_error(
        request, "error.html", 403, {"heading": _("Access denied"), "lead": _("You are not allowed to see this page.")}
    )


def csrf_failure(request, reason=""):
    """A form sent without its security token (cookies blocked, or a page left open for a
    long time): say so, in the visitor's language, instead of Django's technical page."""
    return render_error(
        request,
        "error.html",
        403,
        {
            "heading": _("The form could not be sent"),
            "lead": _(
                "For your security, forms on this site only work with cookies allowed for this site, "
                "and for a limited time after the page was opened."
            ),
            "more": [
                _(
                    "Go back, reload the page and send the form again. "
                    "If it still does not work, allow cookies for this site."
                )
            ],
            # What was typed is shown (to copy), never sent again from here: a form arriving
            # without its token may come from another site.
            "typed": typed_fields(request),
        },
    )


def page_not_found(request, exception=None):
    return render_error(request, "404.html", 404)


def server_error(request):
    """handler500. Django calls it while handling the exception, so the exception is known: a
    database that does not answer is a 503, anything else a 500."""
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return render_error(
        request,
        "error.html",
        500,
        {
            "heading": _("Server error"),
            "lead": _("Something went wrong on our side. Please try again in a few minutes."),
            "more": [_("We have been told about the problem.")],
        },
    )


def database_unavailable(error):
    """Whether ``error`` (or what caused it) is the database not answering, as opposed to a bug."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def service_unavailable(request):
    """503 while the database is away. A form that was being sent (an editor saving in the
    admin, a visitor registering) comes back with everything typed, to send again; files must
    be chosen again, which the page says."""
    resubmit = None
    if request.method == "POST":
        try:
            fields = [
                (name, value)
                for name, values in request.POST.lists()
                for value in values
                if not is_secret(name)  # a password is typed again, never written into a page
            ]
            resubmit = {
                "action": request.get_full_path(),
                "fields": fields,
                "typed": typed_fields(request),
                "had_files": bool(request.FILES),
            }
        except Exception:  # an unreadable body is no reason to fail the error page
            logger.warning("Could not keep the form sent during a database outage", exc_info=True)
    return render_error(
        request,
        "503.html",
        503,
        {"resubmit": resubmit, "retry_after": RETRY_AFTER_SECONDS},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
    )


def typed_fields(request):
    """(name, value) of what a person typed into the form being sent, for the list "what you
    entered": not the security token, formset bookkeeping, passwords or empty fields."""
    if request.method != "POST":
        return []
    try:
        items = [(name, value) for name, values in request.POST.lists() for value in values]
    except Exception:  # an unreadable body is no reason to fail the error page
        return []
    bookkeeping = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
    return [
        (name, value)
        for name, value in items
        if value.strip() and name != "csrfmiddlewaretoken" and not name.endswith(bookkeeping) and not is_secret(name)
    ]


def is_secret(name):
    return "password" in name.lower()


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login attempt from a locked-out user name or address: the admin's
    page in the staff member's language, saying for how long and who can lift it (429)."""
    from django.contrib import admin

    hours = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 3600))
    context = {
        **admin.site.each_context(request),
        "title": _("Too many failed logins"),
        "hours": hours,
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response.render()
