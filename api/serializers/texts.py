"""Both languages of a translated field, side by side."""

from django.conf import settings
from django.utils import timezone


def both(obj, field):
    """``{"de": …, "fr": …}`` of a field kept in both languages (django-modeltranslation): each
    language's own text, None where it is not written (no fallback: the client chooses)."""
    return {code: getattr(obj, f"{field}_{code}", None) or None for code, _name in settings.LANGUAGES}


def absolute_urls(request, url_of):
    """``{"de": "https://…/de/…", "fr": "https://…/fr/…"}``: ``url_of(language)`` made absolute."""
    return {code: request.build_absolute_uri(url_of(code)) for code, _name in settings.LANGUAGES}


def moment(value, tzinfo=None):
    """An aware datetime as ISO 8601 with its offset — in ``tzinfo`` (an event's own time zone)
    when given, else the site's — or None."""
    return timezone.localtime(value, tzinfo).isoformat() if value is not None else None
