"""The event's public materials in its feed entry (events/feeds.py, ``provide_links``): each
document, photo or video file as an Atom ``rel="enclosure"`` link with its media type, size and
language, each link (a video, an external page) as ``rel="related"``; titled in the feed's
language. Registrants-only materials never: the feed is public. One query for the whole feed.

A material's save or delete changes its event's ``updated`` moment (``touch_event``), so the
entry's ``<updated>``, the sitemap's ``lastmod``, the API's ``updated`` and the calendar file's
LAST-MODIFIED say that the event's page changed."""

from django.db import models
from django.utils import timezone

from events.feeds import EntryLink
from events.models import Event

from .models import Material

HREFLANG = {Material.Language.GERMAN: "de", Material.Language.FRENCH: "fr"}


def links_of(events):
    pks = [event.pk for event in events]
    if not pks:
        return {}
    links = {}
    for material in Material.objects.public().filter(event__in=pks).in_order():
        links.setdefault(material.event_id, []).append(entry_link(material))
    return links


def entry_link(material):
    hreflang = HREFLANG.get(material.language, "")
    if material.file:
        return EntryLink(
            href=material.file.url,
            rel="enclosure",
            type=material.media_type,
            length=material.size,
            hreflang=hreflang,
            title=material.title,
        )
    return EntryLink(href=material.url, rel="related", hreflang=hreflang, title=material.title)


def touch_event(sender, instance, **kwargs):
    """The event's page changed with its documentation (also on a restore's raw save)."""
    Event.objects.filter(pk=instance.event_id).update(updated=timezone.now())


def connect():
    models.signals.post_save.connect(touch_event, sender=Material, dispatch_uid="materials-touch-event")
    models.signals.post_delete.connect(touch_event, sender=Material, dispatch_uid="materials-touch-event-delete")
