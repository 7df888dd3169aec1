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

Each of these also changes the listings (the sitemap, calendars and search results show every
event with its venue, cities, category and programme). The lists that name the events they show
(home, the upcoming and past lists with their filters and pages, the feeds) are changed by the content of
those events, and by their membership: which events a list holds and in which order. Every change
but one is a change of membership (in doubt, every list): a save of an event that changed none of
its fields but those a list only shows (``CARD_ONLY_FIELDS``: a teaser corrected, a description
written) refreshes the lists showing that event and leaves the others cached.
A change is every language's pages' but one: a save of an event that changed only translated
texts changes the pages of the languages it changed, and of those that fall back to them
(``languages_changed``: the stored row read before the save, ``listed_as``, compared after it);
pagecache/cache.py says which pages are one language's.
Anything else changes every page (``None`` below, "everything"): a city (the registration box of
every event offers every member city, besides the lists' filters and the events held there),
the site pages and what the footer shows. When in doubt, everything.

An object's events are read from the database as it is when asked: before a save (an update
may move a workshop to another slot, a slot to another event: the events it leaves), after it
(the events it joins), and before a delete (afterwards the links are gone).
"""

from django.conf import settings
from django.db.models import Q
from modeltranslation.translator import translator

from events.models import Category, Event, Person, ProgrammeSlot, ProjectGroup, SlotSpeaker, Venue, Workshop
from materials.models import Material

# What the apps' signals carry that a page shows of one event or of a few.
EVENT_MODELS = (Event, ProgrammeSlot, Workshop, SlotSpeaker, Person, Venue, Category, ProjectGroup, Material)
# Those whose save may move them from one event to another (a person's, a venue's, a category's
# or a project group's own save changes none of their links).
MOVABLE_MODELS = (ProgrammeSlot, Workshop, SlotSpeaker, Material)


# The fields of an event that no list reads to choose, filter, count or order its events (nor the
# lists' filter choices, derived from all the events): shown on its card and its own pages at most.
# Any other field, and any field added later, is the lists' membership.
CARD_ONLY_FIELDS = {
    "kicker",
    "teaser",
    "description",
    "poster",
    "poster_alt",
    "registration_url",
    "interpretation",
    "moderator",
    "contact",
    "host",
    "host_letter",
    "ical_sequence",
    "updated",
}


def translated_columns():
    """{attribute name of a translated field's column: (the field's name, the column's language)}
    for the event's stored fields (``title_de``: ("title", "de")), as modeltranslation adds them."""
    codes = [code for code, _name in settings.LANGUAGES]
    names = {field.name for field in Event._meta.concrete_fields}
    found = {}
    for field in Event._meta.concrete_fields:
        for code in codes:
            base = field.name.removesuffix(f"_{code}")
            if base != field.name and base in names:
                found[field.attname] = (base, code)
    return found


def stored_fields():
    """The event's stored fields that a page may read as stored: every one but the primary key
    and a translated field's own column (modeltranslation reads its languages' columns,
    ``translated_columns``)."""
    translated = {base for base, _code in translated_columns().values()}
    return [field for field in Event._meta.concrete_fields if not field.primary_key and field.name not in translated]


def membership_fields():
    """The attribute names of the event's stored fields that decide the lists' membership: every
    one but ``CARD_ONLY_FIELDS`` (a translated field by its languages' columns, whose values are
    read as stored, without fallback)."""
    columns = translated_columns()
    return [
        field.attname
        for field in stored_fields()
        if columns.get(field.attname, (field.name,))[0] not in CARD_ONLY_FIELDS
    ]


def listed_as(event):
    """What the pages may read of the stored ``event`` (before a save), or None if it is new."""
    if event.pk is None:
        return None
    return Event.objects.filter(pk=event.pk).values(*(field.attname for field in stored_fields())).first()


def membership_changed(event, before):
    """Whether the save of ``event`` may change which events a list holds or their order: it is
    new (``before`` None), or a field of the lists' membership differs from ``before``."""
    return before is None or not changed_fields(event, before).isdisjoint(membership_fields())


def changed_fields(event, before):
    """The attribute names of the stored fields whose value in ``event`` differs from ``before``
    (``listed_as``): what its save writes anew. A deferred field (not loaded, so not written) is
    as stored, and asking it costs no query."""
    deferred = event.get_deferred_fields()
    return {name for name in before if name not in deferred and before[name] != getattr(event, name)}


# A translated field whose value in one language is shown on the pages of every language: the
# language switch and the alternates of an event's page link to its address in each language.
EVERY_LANGUAGE_FIELDS = {"slug"}
# What every save writes anew (the moment of the last change): it follows the other changes.
BOOKKEEPING_FIELDS = {"updated"}


def languages_changed(event, before):
    """The languages whose pages the save of ``event`` may change, compared with ``before``
    (``listed_as``), or None for every language: a column of a translated field changed, such
    as ``teaser_de``, changes that language's pages, and those of every language whose own
    column is empty before or after the save (they show the changed one: events.language and
    modeltranslation fall back from an empty value to the other languages). A new event, an
    untranslated field (the start, the venue, the status), a slug, or a save that changed
    nothing but the moment of its change: every language. A translated column empty before and
    after (None stored, "" from the admin's form) has not changed: both fall back alike. Should the
    event's translation options name other values that fall back (modeltranslation's
    ``fallback_undefined``), every language."""
    if before is None or hasattr(translator.get_options_for_model(Event), "fallback_undefined"):
        return None
    columns = translated_columns()
    deferred = event.get_deferred_fields()  # not loaded, so not written: as stored (no query)

    def now(name):
        return before[name] if name in deferred else getattr(event, name)

    def emptied_alike(name):  # None stored before, "" from the admin's form: both fall back alike
        return name in columns and not before[name] and not now(name)

    changed = [name for name in changed_fields(event, before) - BOOKKEEPING_FIELDS if not emptied_alike(name)]
    if not changed:
        return None
    languages = set()
    for name in changed:
        if name not in columns or columns[name][0] in EVERY_LANGUAGE_FIELDS:
            return None
        base, language = columns[name]
        languages.add(language)
        for other, (other_base, code) in columns.items():
            if other_base == base and code != language and not (before[other] and now(other)):
                languages.add(code)  # empty: it falls back to the one changed
    return languages


def moments_changed(event, before):
    """Whether the save of ``event`` may change when a page changes by time alone (the next state
    change, ``EventQuerySet.next_change`` with ``registration.models.change_moments``: its start,
    end, registration deadline, status and "publish at"): it is new (``before`` None), or it
    changed a stored field other than a translated text (a column of a translated field: the
    teaser, the title, the slug) and ``CARD_ONLY_FIELDS``. None of those is a moment; any other
    field, and any field added later, is one (in doubt, the next state change is asked again)."""
    if before is None:
        return True
    columns = translated_columns()
    quiet = {field.attname for field in stored_fields() if field.name in CARD_ONLY_FIELDS}
    return any(name not in columns and name not in quiet for name in changed_fields(event, before))


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
