"""Everything about the two languages, in one place.

- which language is the "other" one,
- a translated field's value in a given language, with fallback,
- which language a shown text actually is in (to mark fallback text with ``lang``),
- the URL of the current page in another language (for the switcher and hreflang links).
"""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.text import capfirst


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def other_language(language):
    """The other one of the two site languages."""
    others = [code for code in language_codes() if code != language]
    return others[0] if others else language


def fallback_chain(language):
    return [language] + [code for code in language_codes() if code != language]


def value_language(obj, field, language=None):
    """The language in which ``obj.<field>`` is shown for ``language``: that language
    itself if filled in, else the first fallback that is; None if all are empty."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    for code in fallback_chain(language):
        if getattr(obj, f"{field}_{code}", None):
            return code
    return None


def translated_value(obj, field, language=None):
    code = value_language(obj, field, language)
    return getattr(obj, f"{field}_{code}") if code else ""


def url_in_language(request, language, obj=None):
    """The address of the page being shown, in ``language``.

    An object that knows its own per-language address (an event with per-language
    slugs) is asked; any other page is translated by resolving its path. The query
    string is kept, so a filtered list stays filtered.
    """
    if obj is not None and hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url(language)
    with translation.override(translation.get_language()):
        url = translate_url(request.path, language)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def native_name(code):
    """The language's name in itself, "Deutsch", "Français", as language switchers write it."""
    return capfirst(translation.get_language_info(code)["name_local"])
