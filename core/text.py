"""Text that cannot break a page, a feed, a calendar file or an e-mail.

Staff paste text from Word, PDF viewers and e-mails; it arrives with characters nobody sees and
several formats refuse: a vertical tab (Word's Shift+Enter), a form feed, C1 controls, the
Unicode line and paragraph separators, now and then a NUL byte or half a surrogate pair. XML 1.0
(the Atom feed, the sitemap) forbids most controls, iCalendar forbids all but the tab, an e-mail
header cannot hold a line break, a lone surrogate cannot be encoded at all (a 500 on any page),
and PostgreSQL refuses NUL bytes and lone surrogates outright.

Two layers, so that neither alone has to be perfect:

Where text enters: every save
    ``clean_on_save`` (a ``pre_save`` receiver for every model of the apps in ``CLEANED_APPS``,
    connected in ``quattropole_site.apps``) cleans every text field of the object being saved,
    whatever saves it: the admin, the paste import, the translation page, the registration form,
    a shell, a data migration that saves through its models. A text field (``TextField``) keeps
    its lines (``multi_line``); a one-line field (``CharField``) gets its line breaks as spaces
    (``one_line``); an identifier (a slug, an e-mail address, an address, a choice) loses them
    (``identifier``). Forms validate before the save (Django's own form fields strip surrounding
    whitespace and refuse a NUL byte with an error in the visitor's language); nothing that
    reaches the database afterwards holds a character an output must refuse.

Where text leaves: each output with rules of its own
    Text stored without a save (``QuerySet.update()``, raw SQL, an old row) can still hold
    controls, so every output with rules of its own writes it within those rules: the feed
    (``xml_text``, events/feeds.py), calendar files (``one_line`` / ``multi_line``,
    events/calendar.py), e-mails (``core.mail``), JSON-LD (events/structured_data.py).
    HTML pages need nothing more: Django escapes what they show, and PostgreSQL never stores
    what cannot be encoded.
"""

import functools
import re

from django.db import models
from modeltranslation.translator import NotRegistered, translator

# The apps whose models' text fields are cleaned on every save.
CLEANED_APPS = {"events", "registration"}

# Line breaks as people's programs write them: CR LF, CR, LF, vertical tab (Word's Shift+Enter),
# form feed, NEL, and Unicode's line separator. (The paragraph separator is a blank line.)
_LINE_BREAK = r"\r\n|[\r\n\v\f\x85\u2028]"
_PARAGRAPH_BREAK = "\u2029"
# What no text of ours keeps: C0 controls but the tab and the line breaks, DEL, C1 controls but
# NEL, surrogates (half of a pair is no character), and the two non-characters U+FFFE / U+FFFF.
_REMOVED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(
    rf"[ \t]*(?:{_LINE_BREAK}|{_PARAGRAPH_BREAK})(?:[ \t]*(?:{_LINE_BREAK}|{_PARAGRAPH_BREAK}))*[ \t]*"
)
_LINE_BREAKS = re.compile(_LINE_BREAK)
_WHITESPACE_CONTROLS = re.compile(rf"{_LINE_BREAK}|[\t{_PARAGRAPH_BREAK}]")
# What XML 1.0 forbids (all controls but tab, LF and CR; surrogates; U+FFFE, U+FFFF), and the C1
# controls it discourages.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def one_line(value):
    """A one-line text (a title, a name): each run of line breaks (with the spaces around it)
    becomes one space, or nothing at either end; tabs become a space; controls go.
    ``"Titel\\x0b2. Zeile"`` → ``"Titel 2. Zeile"``."""
    value = _REMOVED.sub("", value)
    if _BREAKS.search(value):
        value = _BREAKS.sub(lambda run: "" if run.start() == 0 or run.end() == len(value) else " ", value)
    return value.replace("\t", " ")


def multi_line(value):
    """A text of several lines (a description): line breaks become ``\\n`` (a paragraph
    separator a blank line), tabs a space, controls go."""
    value = _REMOVED.sub("", value)
    value = _LINE_BREAKS.sub("\n", value).replace(_PARAGRAPH_BREAK, "\n\n")
    return value.replace("\t", " ")


def identifier(value):
    """A value without spaces of its own (a slug, an e-mail address, a web address, a choice):
    controls, line breaks and tabs go."""
    return _WHITESPACE_CONTROLS.sub("", _REMOVED.sub("", value))


def xml_text(value):
    """Text an XML 1.0 document can hold (the feed, the sitemap): forbidden characters go."""
    return _NOT_XML.sub("", value)


# --- Where text enters ------------------------------------------------------------------------


@functools.cache
def text_fields(model):
    """(attribute name, cleaning function) of each text field of ``model``. A translated text is
    cleaned in each language (``title_de``, ``title_fr``); its original field (``title``) reads
    and writes the active language's through modeltranslation, so it is left alone."""
    try:
        originals = set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:  # not translated, or a historical model of a migration
        originals = set()
    cleaned = []
    for field in model._meta.concrete_fields:
        if field.name in originals:
            continue
        if isinstance(field, models.TextField):
            cleaned.append((field.attname, multi_line))
        elif isinstance(field, models.SlugField | models.EmailField | models.URLField) or (
            isinstance(field, models.CharField) and field.choices
        ):
            cleaned.append((field.attname, identifier))
        elif isinstance(field, models.CharField):
            cleaned.append((field.attname, one_line))
    return tuple(cleaned)


def clean_on_save(sender, instance, **kwargs):
    """``pre_save`` of every model: the text fields of the models of ``CLEANED_APPS`` cleaned in
    place, so that the database and whatever reads the object after the save see the clean text.
    Also for the historical models of data migrations (same app label), and for fixtures."""
    if sender._meta.app_label not in CLEANED_APPS:
        return
    deferred = instance.get_deferred_fields()  # not loaded, so not saved: left unread
    for name, clean in text_fields(sender):
        if name in deferred:
            continue
        value = getattr(instance, name)
        if isinstance(value, str):
            cleaned = clean(value)
            if cleaned != value:
                setattr(instance, name, cleaned)
