"""Keeps the search documents in step with what they hold: every save or delete of an event or of
anything its document reads (programme, speakers, venue, category, cities) rebuilds the documents
of the events concerned, in the same transaction (at once, or once per event at the end of an
``index.collecting()`` block: the admin's saves). Connected by ``SearchConfig.ready()``; events
knows nothing of it."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q, QuerySet, signals

from events.models import Category, City, Event, Person, ProgrammeSlot, SlotSpeaker, Venue, Workshop

from . import index


def events_of(instance, using=DEFAULT_DB_ALIAS):
    """The ids of the events whose document shows ``instance`` (saved in the database ``using``)."""
    if isinstance(instance, Event):
        return [instance.pk]
    if isinstance(instance, ProgrammeSlot):
        return [instance.event_id]
    if isinstance(instance, Workshop | SlotSpeaker):
        slots = ProgrammeSlot.objects.using(using).filter(pk=instance.slot_id)
        return list(slots.values_list("event_id", flat=True))
    if isinstance(instance, Person):
        condition = Q(slots__speakers=instance) | Q(moderator=instance) | Q(host=instance)
        return list(Event.objects.using(using).filter(condition).values_list("pk", flat=True).distinct())
    if isinstance(instance, Venue | Category | City):
        return list(instance.events.using(using).values_list("pk", flat=True))
    return []


def changed(sender, instance, raw=False, origin=None, using=None, **kwargs):
    """A save or delete in the database ``using``: the documents of its events, in that database."""
    if raw:  # loaddata: the documents of events without one are built after the next migrate
        return
    if deleting_events(origin):
        return  # a slot, workshop or speaker going with its event, which takes its document along
    using = using or DEFAULT_DB_ALIAS
    ids = events_of(instance, using)
    if ids:
        index.changed(ids, using=using)


def deleting_events(origin):
    """Whether a deletion (post_delete's ``origin``) started from events, an event or a queryset of them."""
    return isinstance(origin, Event) or (isinstance(origin, QuerySet) and origin.model is Event)


def cities_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # a city's events changed
        ids = pk_set or []
        if action == "post_clear":
            return
    else:
        ids = [instance.pk]
    index.changed(ids, using=using or DEFAULT_DB_ALIAS)


def connect():
    for model in (Event, ProgrammeSlot, Workshop, SlotSpeaker, Person, Venue, Category, City):
        signals.post_save.connect(changed, sender=model, dispatch_uid=f"search-save-{model.__name__}")
    # A deleted event takes its document with it (CASCADE); the others change their events' documents.
    for model in (ProgrammeSlot, Workshop, SlotSpeaker):
        signals.post_delete.connect(changed, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    signals.m2m_changed.connect(cities_changed, sender=Event.cities.through, dispatch_uid="search-event-cities")


def index_missing(using=None, **kwargs):
    """After ``migrate``: the events without a document yet (those from before the search) get one;
    on PostgreSQL also those whose document lacks its full-text keys (search/migrations/0003);
    in the database migrated (``using``)."""
    using = using or DEFAULT_DB_ALIAS
    missing = Q(search_document__isnull=True)
    if connections[using].vendor == "postgresql":
        missing |= Q(search_document__keys__isnull=True)
    index.rebuild(list(Event.objects.using(using).filter(missing).values_list("pk", flat=True)), using=using)
