"""Remember the language a visitor last read, so that ``/`` brings them back to it."""

from django.conf import settings
from django.utils import translation


class LanguageCookieMiddleware:
    """Sets the language cookie when a visitor opens a page under /de/ or /fr/ whose
    language differs from the cookie: once per switch, not on every response.

    Not for staff: their cookie is the admin's language, chosen with the admin's FR/DE switch,
    and previewing an event in the other language must not switch their admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        remember_language(request, response)
        return response


def remember_language(request, response):
    """Sets the language cookie on ``response`` when the page's language (from its path) differs
    from the visitor's cookie. Also called by the page cache for pages it answers itself."""
    language = translation.get_language_from_path(request.path_info)  # one of LANGUAGES, or None
    if (
        language
        and response.status_code == 200
        and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
        and not is_staff(request)
    ):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=not settings.DEBUG and settings.LANGUAGE_COOKIE_SECURE,
        )


def is_staff(request):
    """A staff member is logged in. Asked only of requests carrying a session cookie, so that
    visitors' pages never read the session (which would make them vary by cookie)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_staff)
