"""Model signals of the registration app (connected in apps.ready()).

They only announce: any save or delete of what the registration box shows sends
``registrations_changed`` after the commit (bulk queryset operations announce themselves, see
models.py), so that copies of the event's pages are dropped. They never e-mail anyone or move
anyone on a waiting list: a save from the shell or a restore from the history surprises nobody.
Those are actions their callers mean (``services.booking.cancel_event``,
``services.booking.change_capacity`` / ``fill_waiting_list``, called by the admin).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import signals
from .models import CityQuota, Registration, RegistrationSettings, WorkshopChoice, WorkshopSeats


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
    if not raw:
        event_id = instance.event_id if sender is RegistrationSettings else instance.settings_id
        signals.announce({event_id}, sender=sender)
