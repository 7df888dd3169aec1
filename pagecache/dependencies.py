"""What a save or a delete makes fresh, found from the data (pagecache/cache.py's docstring has
the rule; pagecache/receivers.py calls this).

The events whose own pages show an object:

    an event              itself
    a programme slot      its event
    a workshop, a speaker the event of their slot
    a material            its event
    a person              every event they moderate, host, are the contact of, or speak at
    a venue               every event held there
    a category            every event of that kind
    a project group       every event it organises

Each of these also changes the listings (lists, home page, feeds, sitemap, calendars show events
with their venue, cities, category and programme, and the lists' filters every category).
Anything else changes every page (``None`` below, "everything"): a city (the registration box of
every event offers every member city, besides the lists' filters and the events held there),
the site pages and what the footer shows. When in doubt, everything.

An object's events are read from the database as it is when asked: before a save (an update
may move a workshop to another slot, a slot to another event: the events it leaves), after it
(the events it joins), and before a delete (afterwards the links are gone).
"""

from django.db.models import Q

from events.models import Category, Event, Person, ProgrammeSlot, ProjectGroup, SlotSpeaker, Venue, Workshop
from materials.models import Material

# What the apps' signals carry that a page shows of one event or of a few.
EVENT_MODELS = (Event, ProgrammeSlot, Workshop, SlotSpeaker, Person, Venue, Category, ProjectGroup, Material)
# Those whose save may move them from one event to another (a person's, a venue's, a category's
# or a project group's own save changes none of their links).
MOVABLE_MODELS = (ProgrammeSlot, Workshop, SlotSpeaker, Material)


# Where each of them is shown: the events found from its primary key by these lookups.
SHOWN_ON = {
    ProgrammeSlot: ("slots",),
    Workshop: ("slots__workshops",),
    SlotSpeaker: ("slots__slotspeaker",),
    Material: ("materials",),
    Person: ("moderator", "contact", "host", "slots__speakers"),
    Venue: ("venue",),
    Category: ("category",),
    ProjectGroup: ("project_group",),
}


def events_showing(instance):
    """The primary keys of the events whose pages show ``instance`` now, or None when it may
    show on every page."""
    if isinstance(instance, Event):
        return {instance.pk}
    lookups = SHOWN_ON.get(type(instance))
    if lookups is None:
        return None
    shown = Q()
    for lookup in lookups:
        shown |= Q(**{lookup: instance.pk})
    return set(Event.objects.filter(shown).order_by().values_list("pk", flat=True).distinct())


def events_of_link(sender, instance, reverse, pk_set):
    """The events whose pages show a link added or removed between two objects (an event's
    cities, a slot's speakers): ``m2m_changed``'s arguments, ``pk_set`` None for a clear (asked
    before it). None for another relation: it may show on every page."""
    if sender is Event.cities.through:
        if not reverse:
            return {instance.pk}
        return set(pk_set) if pk_set is not None else set(instance.events.values_list("pk", flat=True))
    if sender is ProgrammeSlot.speakers.through:
        if not reverse:
            return {instance.event_id}
        slots = ProgrammeSlot.objects.filter(pk__in=pk_set) if pk_set is not None else instance.slots.all()
        return set(slots.values_list("event_id", flat=True))
    return None
