"""The Atom feed of upcoming events, one per language (/de/veranstaltungen/feed/,
/fr/evenements/feed/): titles and texts in the feed's language, with fallback."""

import uuid

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import Event

FEED_SIZE = 50


class UpcomingEventsFeed(Feed):
    feed_type = Atom1Feed
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

    def items(self):
        return Event.objects.published().upcoming().for_listing()[:FEED_SIZE]

    def item_title(self, item):
        if item.is_cancelled:
            return _("Cancelled: %(title)s") % {"title": item.title}
        return item.title

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
