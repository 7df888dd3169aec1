"""The API's errors: JSON with a code a program can test and a message in both languages
(``{"error": {"code": "unknown_filter", "message": {"de": "…", "fr": "…"}}}``)."""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation


def error_response(status, code, message, **values):
    """``message``: a lazy translatable text, formatted with ``values`` in each language."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts[language] = str(message) % values if values else str(message)
    response = JsonResponse({"error": {"code": code, "message": texts}}, status=status)
    response["Cache-Control"] = "no-store"
    return response
