"""Whether an event is full: a fact of the registration app (its places), which events shows in
the event's status ("Fully booked", ``Event.PublicStatus.FULL``) but cannot know (the layers run
one way: events never imports registration).

The registration app tells it from its ``AppConfig.ready()``::

    from events import fullness

    fullness.provide(full_event_ids)  # (event ids) -> the set of those that are full

Views mark the events they show with ``mark(events)`` (one call, whatever their number); the
``event_status`` template tag reads the mark, or asks for the one event when nobody marked it.
Without a provider, no event is full.

The same app says when its registration opens, for an event whose registration is not yet open
(the JSON-LD offer is then a pre-order, valid from that moment)::

    fullness.provide_opening(opening)  # (event, now) -> the moment, or None

Without it, registration is never "not yet open".
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

_provider = None
_opening = None


def provide(function):
    """Makes ``function(ids)`` the one that says which of the event ids are full."""
    global _provider
    if _provider not in (None, function):
        raise ImproperlyConfigured("Whether events are full is provided twice.")
    _provider = function


def full_ids(events, now=None):
    """The ids of those of ``events`` that are full. An ended event is not full (nothing is
    asked about it: a list of past events asks nothing)."""
    now = now or timezone.now()
    ids = [event.pk for event in events if not event.has_ended(now)]
    if _provider is None or not ids:
        return set()
    return set(_provider(ids))


def mark(events):
    """Sets ``is_full`` on each of ``events`` (one question for all); returns them."""
    events = list(events)
    full = full_ids(events)
    for event in events:
        event.is_full = event.pk in full
    return events


def is_full(event):
    if getattr(event, "is_full", None) is None:
        mark([event])
    return event.is_full


def status(event):
    """What visitors are told about ``event``: an ``Event.PublicStatus``."""
    return event.public_status(full=is_full(event))


def provide_opening(function):
    """Makes ``function(event, now)`` the one that says when registration opens, if later."""
    global _opening
    if _opening not in (None, function):
        raise ImproperlyConfigured("When registration opens is provided twice.")
    _opening = function


def registration_opens(event, now=None):
    """The moment registration for ``event`` opens when that is still to come; None otherwise
    (open, closed, or no registration of the registration app)."""
    if _opening is None:
        return None
    return _opening(event, now or timezone.now())
