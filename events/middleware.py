"""Remember the language a visitor last read, so that ``/`` brings them back to it."""

from django.conf import settings
from django.utils import translation


class LanguageCookieMiddleware:
    """Sets the language cookie when a visitor opens a page under /de/ or /fr/ whose
    language differs from the cookie: once per switch, not on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        response = self.get_response(request)
        language = translation.get_language_from_path(request.path_info)
        if (
            language in self.codes
            and response.status_code == 200
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=not settings.DEBUG and settings.LANGUAGE_COOKIE_SECURE,
            )
        return response
