"""Everything about the two languages, in one place.

- which language is the "other" one, and what an answer for both says (``Content-Language``),
- a translated field's value in a given language, with fallback,
- which language a shown text actually is in (to mark fallback text with ``lang``), and the
  text as shown, with French typography when it is French,
- the URL of the current page in another language (for the switcher, canonical and hreflang
  links), and each language's home page (where a missing page's switcher leads).
"""

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import pgettext

from .typography import french_typography


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def every_language():
    """The ``Content-Language`` ("de, fr") of an answer for readers of every language, outside the
    languages' paths (the sitemap, robots.txt, the open data's records). Set by the view (or the
    API's middleware), so the page cache gives it too: otherwise LocaleMiddleware would name the
    language of the visitor's browser, and answers from the cache none."""
    return ", ".join(language_codes())


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


def shown_text(obj, field, language=None):
    """``obj.<field>`` as a reader of ``language`` (default: the active one) sees it: the value of
    that language or its fallback, with French typography when the value shown is French
    (events/typography.py): "Immigrations : une chance" typed by the secretariat is shown with a
    no-break space before the colon."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    code = value_language(obj, field, language)
    if code is None:
        return ""
    value = getattr(obj, f"{field}_{code}")
    return french_typography(value) if code == "fr" else value


def labelled(label, value):
    """A label and its value as the active language writes them: "Ort: Rathaus", "Lieu : Hôtel
    de Ville" (a no-break space before the colon in French)."""
    return pgettext("a label and its value", "%(label)s: %(value)s") % {"label": label, "value": value}


def home_url(language):
    """The home page of the site in ``language``."""
    with translation.override(language):
        return reverse("home")


def url_in_language(request, language, obj=None, query=""):
    """The address of the page being shown, in ``language``: for the language switcher, the
    canonical link and the hreflang alternates.

    An object that knows its own per-language address (an event with per-language slugs) is
    asked; any other page is translated by resolving its path and reversing the match in
    ``language``. A path that resolves to no page gives that language's home page — never an
    address built from what was typed (``/%5Cevil.example/`` would otherwise come back as a
    link the browser reads as ``//evil.example/``).

    ``query`` is the part of the query string that selects the content (a list's filters and
    page number, as the view computes it from the validated values), the same in both
    languages; nothing else the request carries (tracking parameters, junk) is echoed.
    """
    if obj is not None and hasattr(obj, "get_absolute_url"):
        url = obj.get_absolute_url(language)
    else:
        url = translated_path(request.path_info, language) or home_url(language)
    return f"{url}?{query}" if query else url


def native_name(code):
    """The language's name in itself, "Deutsch", "Français", as language switchers write it."""
    return capfirst(translation.get_language_info(code)["name_local"])


def language_name(code):
    """The language's name in the active language, for sentences: "Beschreibung fehlt auf
    Französisch", "le programme en allemand" (settings.LANGUAGES, translated)."""
    return str(dict(settings.LANGUAGES).get(code, code))


def with_language(label, code):
    """A field's label with the language of its text, in the active language: "Titel (Deutsch)",
    "Titre (allemand)" — the same wherever a text kept in both languages is named (the programme
    editor, the history, the paste page's errors)."""
    return f"{label} ({language_name(code)})"


def field_label(model_field):
    """A model field's label for staff: "Titel (Deutsch)" for a per-language column of
    django-modeltranslation (not its "titel [de]"), the field's own name for any other."""
    original = getattr(model_field, "translated_field", None)
    if original is None:
        return capfirst(model_field.verbose_name)
    return with_language(capfirst(original.verbose_name), model_field.language)


def translated_path(path, language):
    """``path`` (a path of this site) in ``language``, or None when it resolves to no page."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if not match.url_name:
        return None
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with translation.override(language):
        try:
            return reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None
