"""The registration demo: the built-in registration form of the sample citizens' meeting
(events/demo/content.py), so that `make run` shows the whole flow. Plain data and one loader;
the project's ``manage.py load_demo`` (quattropole_site/management/commands/load_demo.py) calls
``load()`` after the events' demo is loaded."""

import datetime

from django.db import transaction
from django.utils import timezone

from events.models import City, Event

from . import privacy
from .models import CityQuota, Registration, RegistrationSettings, WorkshopSeats

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

# The sample guided tour is full: its few places are taken by fictional people (its status says
# "Fully booked" on its page and in the lists).
FULL_EVENT_SLUG_DE = "beispiel-fuehrung-durch-die-porta-nigra"
FULL_EVENT_PEOPLE = [
    ("Anna", "Beispiel", "anna.beispiel@example.org", "de"),
    ("Louise", "Exemple", "louise.exemple@example.org", "fr"),
    ("Paul", "Muster", "paul.muster@example.org", "de"),
]


def load():
    """Creates or updates the demo events' registration forms; registrations are kept. Returns
    the citizens' meeting's form."""
    load_full_event()
    return load_meeting()


def load_full_event():
    """The guided tour's form, with as many places as fictional registrants, all confirmed."""
    event = Event.objects.filter(slug_de=FULL_EVENT_SLUG_DE).select_related("venue").first()
    if event is None:
        return None
    with transaction.atomic():
        form = RegistrationSettings.objects.filter(event=event).first() or RegistrationSettings(event=event)
        for name, value in {
            **FORM,
            **RegistrationSettings.default_privacy_notice(),
            "capacity": len(FULL_EVENT_PEOPLE),
            "other_places": None,
            "workshop_choice": RegistrationSettings.WorkshopChoice.NONE,
            "ask_bus": False,
            "opens_at": None,
            "closes_at": None,
        }.items():
            setattr(form, name, value)
        form.full_clean()
        form.save()
        # Entered as data, confirmed, as staff would after a phone call — but without the e-mails
        # registering writes (services.booking): nobody is to write to these fictional addresses.
        city = City.objects.filter(code="trier").first()
        now = timezone.now()
        for first_name, last_name, email, language in FULL_EVENT_PEOPLE:
            Registration.objects.get_or_create(
                event=event,
                email=email,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "city": city,
                    "language": language,
                    "status": Registration.Status.CONFIRMED,
                    "consented_at": now,
                    "privacy_notice_version": privacy.notice_version(form),
                },
            )
    return form


def load_meeting():
    """The citizens' meeting's form."""
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
