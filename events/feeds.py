"""The Atom feed of upcoming events, one per language (/de/veranstaltungen/feed/,
/fr/evenements/feed/): titles and texts in the feed's language, with fallback. Whatever the
events' texts hold, the feed is XML 1.0 (``CleanAtom1Feed``); it answers GET and HEAD only.

An app above events adds links to the entries (the layers run one way: events never imports
it) by registering a provider in its ``AppConfig.ready()``::

    from events import feeds

    feeds.provide_links(links_of)

``links_of(events)`` returns ``{event pk: [EntryLink, …]}`` for the feed's events, in one query;
the materials app lists an event's public documents (``rel="enclosure"``) and links
(``rel="related"``) with their type, length and language. The entry's ``updated`` is the
event's, which those apps keep in step (a material's save touches its event).
"""

import uuid
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.text import one_line, xml_text

from . import facts, fullness
from .models import Event

FEED_SIZE = 50

_link_providers = []


@dataclass(frozen=True)
class EntryLink:
    """An Atom ``<link>`` of an entry (RFC 4287, 4.2.7); ``href`` may be relative to the site."""

    href: str
    rel: str = "related"
    type: str = ""
    length: int = 0
    hreflang: str = ""
    title: str = ""

    def attributes(self, absolute):
        attributes = {"rel": self.rel, "href": absolute(self.href)}
        if self.type:
            attributes["type"] = self.type
        if self.length:
            attributes["length"] = str(self.length)
        if self.hreflang:
            attributes["hreflang"] = self.hreflang
        if self.title:
            attributes["title"] = xml_text(one_line(str(self.title)))
        return attributes


def provide_links(provider):
    """Makes ``provider(events)`` add links to the feed's entries (see the module's docstring)."""
    if provider not in _link_providers:
        _link_providers.append(provider)


def entry_links(events):
    """{event pk: [EntryLink, …]}: what every provider adds to the entries of ``events``."""
    links = {}
    for provider in _link_providers:
        for pk, more in provider(events).items():
            links.setdefault(pk, []).extend(more)
    return links


def _xml_safe(value):
    """Text values (also inside lists, such as the categories) without what XML 1.0 forbids."""
    if isinstance(value, str | Promise):
        return xml_text(str(value))
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(item) for item in value)
    return value


class CleanAtom1Feed(Atom1Feed):
    """Atom whose texts hold no character XML 1.0 forbids (a vertical tab pasted into a teaser
    would otherwise stop the whole feed: Django refuses to write it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_safe, args), **{name: _xml_safe(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_safe, args), **{name: _xml_safe(value) for name, value in kwargs.items()})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for attributes in item.get("links", ()):
            handler.addQuickElement("link", "", attributes)


@method_decorator(require_safe, name="__call__")
class UpcomingEventsFeed(Feed):
    feed_type = CleanAtom1Feed
    description_template = "events/feed_item.html"
    author_name = "QuattroPole"

    def title(self):
        return _("Upcoming events of the QuattroPole city network")

    def subtitle(self):
        return _("Conferences, meetings and cultural events of Luxembourg, Metz, Saarbrücken and Trier.")

    def link(self):
        return reverse("events:list")

    def feed_url(self):
        return reverse("events:feed")

    def get_object(self, request, *args, **kwargs):
        """The feed's events, read once per request; named to the page cache as the lists name
        theirs (``request.page_cache_events``): a save of an event the feed does not show leaves
        it cached."""
        # Each entry's status says "full" when registration says so: one question for the feed.
        events = fullness.mark(Event.objects.published().upcoming().for_listing()[:FEED_SIZE])
        links = entry_links(events)
        for event in events:
            event.feed_links = links.get(event.pk, [])
        request.page_cache_events = [event.pk for event in events]
        return events

    def items(self, events):
        return events

    def get_feed(self, obj, request):
        """The feed, each entry with the links the apps above add (``entry_links``), as
        absolute addresses of the request's site."""
        feed = super().get_feed(obj, request)
        for entry in feed.items:
            entry["links"] = [link.attributes(request.build_absolute_uri) for link in entry.get("links", ())]
        return feed

    def item_extra_kwargs(self, item):
        return {"links": getattr(item, "feed_links", ())}

    def item_title(self, item):
        if item.is_cancelled:
            return _("Cancelled: %(title)s") % {"title": one_line(item.title)}
        if label := facts.status_label(fullness.status(item)):
            return _("%(status)s: %(title)s") % {"status": label, "title": one_line(item.title)}
        return one_line(item.title)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        """Stable across edits of title and slug, and distinct per language."""
        name = f"event-{item.pk}@quattropole/{translation.get_language()}"
        return uuid.uuid5(uuid.NAMESPACE_URL, name).urn

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at or item.created

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [str(item.category), *(str(city) for city in item.cities.all())]
