"""Template helpers for event pages: languages, French typography, dates, Markdown, e-mail
addresses."""

import functools
import json

import markdown as markdown_lib
import nh3
from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from events import dates, facts, fullness, language, page_sections, structured_data
from events.typography import french_typography, french_typography_html, guillemet_spaces

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "small", "abbr", "code", "hr",
}  # fmt: skip


@register.filter
def markdown(text):
    """Markdown rendered to HTML and sanitised: no scripts, no styles, no event handlers."""
    if not text:
        return ""
    return mark_safe(rendered_markdown(str(text)))


@functools.lru_cache(maxsize=1024)
def rendered_markdown(text):
    """The HTML of a Markdown text, remembered per text: the same description is rendered for
    every visitor of an event page, and rendering it costs more than the rest of the page's
    text. Keyed by the text itself, so an edited text is rendered anew."""
    html = markdown_lib.markdown(text, extensions=["sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title", "hreflang"}, "abbr": {"title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@functools.lru_cache(maxsize=1024)
def french_markdown(text):
    """``rendered_markdown`` with French typography, remembered per text as well."""
    return french_typography_html(rendered_markdown(text))


# The same titles are shown on every visit: their typography is remembered per text.
french_text = functools.lru_cache(maxsize=4096)(french_typography)


# The visible note after a text shown in the other language ("publish anyway" published the
# event with a text missing in this one), by the language of the text shown.
FALLBACK_NOTES = {"de": _("(only in German)"), "fr": _("(only in French)")}


@register.simple_tag
def translated(obj, field, note=True, markdown=False):
    """The text of ``obj.<field>`` as the page shows it: in the page's language, or, where that
    one is missing, in the other language followed by a visible note in the page's language
    ("(nur auf Französisch)", "(uniquement en allemand)"); the element around it says the
    text's language with ``{% field_lang %}``. A French text gets French typography
    (events/typography.py), a text in another language no-break spaces inside « » only.
    ``markdown=True`` renders a Markdown field; ``note=False`` leaves
    the note out where no markup may go (the page's ``<title>``) or one note is enough."""
    current = translation.get_language()
    shown = language.value_language(obj, field, current)
    if shown is None:
        return ""
    value = getattr(obj, f"{field}_{shown}")
    if markdown:
        html = french_markdown(value) if shown == "fr" else rendered_markdown(value)
    else:
        html = conditional_escape(french_text(value) if shown == "fr" else guillemet_spaces(value))
    if note and shown != current:
        element = "p" if markdown else "span"
        html = format_html(
            '{} <{} class="fallback-note" lang="{}">{}</{}>',
            mark_safe(html),
            element,
            current,
            FALLBACK_NOTES[shown],
            element,
        )
    return mark_safe(html)


@register.filter
def typography(value):
    """A text of the page's language with French typography on a French page: what the
    secretariat typed outside the translated fields (people's roles, addresses). HTML that is
    already safe is treated as HTML (only its text changes)."""
    if not value or translation.get_language() != "fr":
        return value
    if hasattr(value, "__html__"):  # safe HTML, as Django's conditional_escape() tells it
        return mark_safe(french_typography_html(str(value)))
    return french_text(str(value))


@register.filter
def written_in(value, language):
    """A text of ``language`` as that language is written, whatever the page's language: French
    typography for French (the French column of the admin's paste preview on a German page),
    no-break spaces inside « » only for another."""
    if not value:
        return value
    return french_text(str(value)) if language == "fr" else guillemet_spaces(str(value))


@register.simple_tag
def field_lang(obj, field):
    """` lang="fr"` when the shown value of ``obj.<field>`` is a fallback from the other
    language, so screen readers pronounce it right; nothing otherwise."""
    current = translation.get_language()
    shown = language.value_language(obj, field, current)
    if shown and shown != current:
        return format_html(' lang="{}"', shown)
    return ""


@register.simple_tag
def as_written(obj, field):
    """The shown value of ``obj.<field>`` (the page's language, or its fallback) as the language
    it is in is written (``written_in``): for a value shown in an attribute, such as a poster's
    alternative text, which the ``show`` tag's typography does not reach."""
    value = getattr(obj, field)
    return written_in(value, language.value_language(obj, field, translation.get_language()))


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The page in each site language: code, native name, URL, and whether it is current.

    Pages name the object shown in ``translatable_object`` (anything with
    ``get_absolute_url(language)``) and the query string that selects their content in
    ``content_query``; see events.language.url_in_language."""
    request = context["request"]
    obj = context.get("translatable_object")
    query = context.get("content_query", "")
    return _alternates(lambda code: language.url_in_language(request, code, obj, query))


@register.simple_tag
def language_homes():
    """Each language's home page, in the shape of ``language_alternates``: where the language
    switcher of a page that does not exist (the 404 page) leads."""
    return _alternates(language.home_url)


def _alternates(url):
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"],
            "url": url(code),
            "is_current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def event_page_section(context, name):
    """A section of the event page that another app may fill (events/page_sections.py)."""
    return page_sections.render(name, context)


@register.simple_tag
def event_status_label(event):
    """The event's status in words for a list entry ("Verschoben", "Complet"), or "" when it
    happens as announced. Whether it is full comes from the registration app (events.fullness)."""
    return facts.status_label(fullness.status(event))


@register.simple_tag
def event_status_sentence(event):
    """What the event's status means, in a sentence ("This event has been postponed. …"), or ""."""
    return facts.status_sentence(event, fullness.status(event))


@register.simple_tag
def event_where(event, short=False):
    """Where the event takes place ("Rathaus, Saarbrücken", short "Saarbrücken"), "Online" for an
    event held only online, or "" (events/facts.py)."""
    return typography(facts.where(event, short=short))


@register.simple_tag
def event_dates(event):
    return dates.date_span(event.start, event.end)


@register.filter
def clock(value):
    return dates.clock(value) if value else ""


@register.filter
def long_date(value):
    return dates.long_date(value) if value else ""


@register.filter
def day_in_month(value):
    return dates.day_in_month(value) if value else ""


@register.filter
def time_of_day(value):
    return dates.time_of_day(value) if value else ""


@register.filter
def json_ld(data):
    """A dict as a ``<script type="application/ld+json">`` data block, safely escaped."""
    return structured_data.json_ld_script(data) if data else ""


@register.simple_tag
def protected_email(address):
    """An e-mail address written as “name[at]domain”, never as plain text; a small
    script (static/js/contact.js) turns it into a mailto link for visitors with JavaScript."""
    if not address or "@" not in address:
        return ""
    user, domain = address.rsplit("@", 1)
    return format_html(
        '<span class="email" data-user="{}" data-domain="{}">{}[at]{}</span>',
        user[::-1],
        domain[::-1],
        user,
        domain,
    )


@register.simple_tag
def admin_language_names():
    """``{"de": "Deutsch", "fr": "Français"}`` as JSON, for the admin's language tabs."""
    return json.dumps({code: language.native_name(code) for code, _name in settings.LANGUAGES})
