"""What keeps the page cache fresh: receivers of the domain's signals, connected by
``PageCacheConfig.ready()``. The apps below send or raise these signals without knowing of the
page cache: Django's ``pre_save``/``post_save``, ``pre_delete``/``post_delete`` and
``m2m_changed`` of the models a page shows, and the registration app's ``registrations_changed``.

A save or delete of an event, a slot, a workshop, a speaker, a person, a venue, a category or a
project group makes fresh the pages of the events that show it, and the listings
(pagecache/dependencies.py finds which, and for an event's save which languages' pages);
anything else a page shows, every page — as does a raw
save (a restored version, loaddata). The events an object leaves are read before its save or
delete (kept on the instance until the ``post_`` signal), the ones it joins after its save."""

from django.apps import apps
from django.db.models import signals

from events.models import Event
from pages.accessibility import status_changed
from registration.signals import registrations_changed

from . import cache
from .dependencies import (
    EVENT_MODELS,
    MOVABLE_MODELS,
    events_of_link,
    events_showing,
    languages_changed,
    listed_as,
    membership_changed,
    moments_changed,
)

# Where an object's events, read before its save or delete, wait for the signal after it.
BEFORE = "_page_cache_events_before"
# Where an event's stored fields, read before its save, wait for the signal after it.
LISTED_BEFORE = "_page_cache_listed_before"


def connect():
    for label in cache.CONTENT_MODELS:
        model = apps.get_model(label)
        uid = f"page-cache-{label}"
        if model in MOVABLE_MODELS:
            signals.pre_save.connect(before_change, sender=model, dispatch_uid=f"{uid}-pre-save")
        if model is Event:
            signals.pre_save.connect(before_event_save, sender=model, dispatch_uid=f"{uid}-pre-save")
        if model in EVENT_MODELS:
            signals.pre_delete.connect(before_change, sender=model, dispatch_uid=f"{uid}-pre-delete")
        signals.post_save.connect(after_change, sender=model, dispatch_uid=f"{uid}-save")
        signals.post_delete.connect(after_change, sender=model, dispatch_uid=f"{uid}-delete")
        for m2m in model._meta.many_to_many:
            signals.m2m_changed.connect(
                link_changed, sender=m2m.remote_field.through, dispatch_uid=f"{uid}-m2m-{m2m.name}"
            )
    # Registrations (and an event's registration form) change that event's pages only.
    registrations_changed.connect(registrations_of_event_changed, dispatch_uid="page-cache-registrations")
    # Every page's footer shows the accessibility status: a new one (a material's save) is every page's.
    status_changed.connect(accessibility_status_changed, dispatch_uid="page-cache-accessibility-status")


def accessibility_status_changed(sender, status, **kwargs):
    cache.content_changed()


def before_change(sender, instance, **kwargs):
    """pre_save of a slot, workshop or speaker that has a primary key (stored: it may leave its
    event), and pre_delete."""
    if instance.pk is not None and not kwargs.get("raw"):
        setattr(instance, BEFORE, events_showing(instance))


def before_event_save(sender, instance, **kwargs):
    """pre_save of an event: what the pages may read of it as stored (None if it is new)."""
    if not kwargs.get("raw"):
        setattr(instance, LISTED_BEFORE, listed_as(instance))


def after_change(sender, instance, **kwargs):
    """post_save and post_delete: the events it showed on before, and those it shows on now."""
    if sender not in EVENT_MODELS or kwargs.get("raw"):
        # A raw save (a restored version, which django-reversion writes back row by row, or
        # loaddata) may come with the rows it links to not yet written: every page, no query.
        cache.content_changed()
        return
    before = instance.__dict__.pop(BEFORE, set())
    saved = kwargs.get("created") is not None  # post_save, not post_delete
    now = events_showing(instance) if saved else set()
    # Every change is one of the lists' membership but an event's save that changed only what
    # its card shows, and of every language's pages but an event's save that changed only
    # translated texts (those of the languages whose texts, or fallback, changed).
    listed = instance.__dict__.pop(LISTED_BEFORE, None)
    event_saved = saved and sender is Event
    membership = not event_saved or membership_changed(instance, listed)
    languages = languages_changed(instance, listed) if event_saved else None
    # Every change may move the next state change but an event's save that changed only its
    # texts and what its card shows (a teaser corrected): none of those is a moment.
    moments = not event_saved or moments_changed(instance, listed)
    if before is None or now is None:
        cache.content_changed()
    else:
        cache.invalidate(events=before | now, membership=membership, languages=languages, moments=moments)


def link_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed: after links are added or removed, before they are cleared."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    events = events_of_link(sender, instance, reverse, pk_set if action != "pre_clear" else None)
    if events is None:
        cache.content_changed()
    else:
        cache.invalidate(events=events)


def registrations_of_event_changed(sender, event, **kwargs):
    """registration.signals.registrations_changed, sent after the commit. The listings show
    whether an event is full (its status): they are fresh too when that has changed."""
    cache.event_changed(event.pk)
    if cache.fullness_changed(event):
        cache.invalidate(events=[event.pk])
