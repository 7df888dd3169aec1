"""Model signals of the registration app (connected in apps.ready()).

- Any save or delete of what the registration box shows announces ``registrations_changed``
  after the commit (bulk queryset operations announce themselves, see models.py).
- Staff raising places, a quota or workshop seats gives the new places to the waiting list.
- An event saved as cancelled tells its registrants by e-mail, once each.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from events.models import Event

from . import signals
from .models import CityQuota, Registration, RegistrationSettings, WorkshopChoice, WorkshopSeats
from .services import booking, notifications


@receiver([post_save, post_delete], sender=Registration)
def registration_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        signals.announce({instance.event_id}, sender=sender)


@receiver([post_save, post_delete], sender=WorkshopChoice)
def workshop_choice_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        event_id = Registration.objects.filter(pk=instance.registration_id).values_list("event_id", flat=True).first()
        signals.announce({event_id}, sender=sender)


@receiver([post_save, post_delete], sender=RegistrationSettings)
@receiver([post_save, post_delete], sender=CityQuota)
@receiver([post_save, post_delete], sender=WorkshopSeats)
def form_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    event_id = instance.event_id if sender is RegistrationSettings else instance.settings_id
    signals.announce({event_id}, sender=sender)
    if kwargs.get("signal") is post_save:
        # After the whole admin form (settings, quotas, seats) is saved: more places → promotions.
        transaction.on_commit(partial(_fill, event_id), robust=True)


def _fill(event_id):
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        booking.fill_waiting_list(event)


@receiver(post_save, sender=Event)
def event_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.is_cancelled:
        notifications.tell_event_cancelled(instance)
