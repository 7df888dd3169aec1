"""The registration demo: the built-in registration form of the sample citizens' meeting
(events/demo/content.py), so that `make run` shows the whole flow. Plain data and one loader;
the project's ``manage.py load_demo`` (quattropole_site/management/commands/load_demo.py) calls
``load()`` after the events' demo is loaded."""

import datetime

from django.db import transaction

from events.models import City, Event

from .models import CityQuota, RegistrationSettings, WorkshopSeats

EVENT_SLUG_DE = "beispiel-buergertreffen-der-vier-staedte"
FORM = {
    "capacity": 40,
    "other_places": 0,  # the places are the member cities'
    "workshop_choice": RegistrationSettings.WorkshopChoice.ONE,
    "ask_lunch": True,
    "ask_dietary_needs": True,
    "ask_bus": True,
    "ask_language": True,
}
PLACES_PER_CITY = 10
SEATS_PER_WORKSHOP = 20
CLOSES_DAYS_BEFORE = 7  # at 18:00, in the venue's time zone


def load():
    """Creates or updates the demo event's registration form; registrations are kept."""
    event = Event.objects.filter(slug_de=EVENT_SLUG_DE).select_related("venue").first()
    if event is None:
        return None
    local_start = event.start.astimezone(event.tzinfo)
    closes = datetime.datetime.combine(
        local_start.date() - datetime.timedelta(days=CLOSES_DAYS_BEFORE), datetime.time(18), tzinfo=event.tzinfo
    )
    with transaction.atomic():
        form = RegistrationSettings.objects.filter(event=event).first() or RegistrationSettings(event=event)
        for name, value in {
            **FORM,
            **RegistrationSettings.default_privacy_notice(),
            "opens_at": None,
            "closes_at": closes,
        }.items():
            setattr(form, name, value)
        form.full_clean()
        form.save()
        for city in City.objects.all():
            CityQuota.objects.update_or_create(settings=form, city=city, defaults={"places": PLACES_PER_CITY})
        for slot in event.slots.prefetch_related("workshops"):
            for workshop in slot.workshops.all():
                WorkshopSeats.objects.update_or_create(
                    settings=form, workshop=workshop, defaults={"seats": SEATS_PER_WORKSHOP}
                )
    return form
