"""``registrations_changed``: the registration box of an event has changed.

Sent with ``event`` (the Event) after the transaction that made the change commits — never
for a change that was rolled back — whenever anything the box shows may differ: a
registration created, confirmed, put on or moved along the waiting list, cancelled, promoted,
moved by staff, edited or deleted; the event's registration form, its city quotas or workshop
seats saved or deleted in the admin; registrations anonymised. Bulk ``update()`` calls on
these models send it too (see models.ChangeAnnouncingQuerySet).

Connect to it to drop whatever copy of the event's pages you keep (the page cache)::

    from registration.signals import registrations_changed

    @receiver(registrations_changed)
    def forget_event_pages(sender, event, **kwargs): ...

``sender`` is the model class whose change caused it. What changes by time alone (opening,
closing, the event starting) sends nothing: ask ``Event.objects.next_change(now, **change_moments(now))``
(events.models, registration.models).
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

from events.models import Event

registrations_changed = Signal()


def announce(event_ids, sender=None):
    """Send ``registrations_changed`` for the events with these primary keys once the current
    transaction commits (at once outside a transaction)."""
    event_ids = {pk for pk in event_ids if pk is not None}
    if event_ids:
        transaction.on_commit(partial(_send, event_ids, sender), robust=True)


def announce_event(event, sender=None):
    announce({event.pk}, sender)


def _send(event_ids, sender):
    for event in Event.objects.filter(pk__in=event_ids):
        registrations_changed.send(sender=sender or Event, event=event)
