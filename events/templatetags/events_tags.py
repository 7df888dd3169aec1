"""Template helpers for event pages: languages, dates, Markdown, e-mail addresses."""

import functools
import json

import markdown as markdown_lib
import nh3
from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from events import dates, language, structured_data

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


@register.simple_tag
def field_lang(obj, field):
    """` lang="fr"` when the shown value of ``obj.<field>`` is a fallback from the other
    language, so screen readers pronounce it right; nothing otherwise."""
    current = translation.get_language()
    shown = language.value_language(obj, field, current)
    if shown and shown != current:
        return format_html(' lang="{}"', shown)
    return ""


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
