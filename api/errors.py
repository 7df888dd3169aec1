"""The API's errors: JSON with a code a program can test and a message in both languages
(``{"error": {"code": "unknown_parameter", "message": {"de": "…", "fr": "…"}}}``)."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation


def error_response(status, code, message, **values):
    """``message``: a lazy translatable text, formatted with ``values`` in each language."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts[language] = str(message) % values if values else str(message)
    body = json.dumps({"error": {"code": code, "message": texts}}, ensure_ascii=False)
    # What the request said (an unknown value) comes back as JSON escapes, never as markup.
    for character, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        body = body.replace(character, escaped)
    response = HttpResponse(body, content_type="application/json; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response
