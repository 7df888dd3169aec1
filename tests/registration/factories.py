"""Factories for the registration app (the event domain's are in tests/factories.py)."""

import factory
from django.utils import timezone

from registration.models import CityQuota, Registration, RegistrationSettings, WorkshopSeats
from tests.factories import CityFactory, EventFactory

# The four member cities as the demo content has them (French names differ).
MEMBER_CITIES = [
    ("luxembourg", "Luxemburg", "Luxembourg", 1),
    ("metz", "Metz", "Metz", 2),
    ("saarbruecken", "Saarbrücken", "Sarrebruck", 3),
    ("trier", "Trier", "Trèves", 4),
]


def member_cities():
    return {
        code: CityFactory(code=code, name_de=name_de, name_fr=name_fr, order=order)
        for code, name_de, name_fr, order in MEMBER_CITIES
    }


class RegistrationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationSettings

    event = factory.SubFactory(EventFactory)
    privacy_notice_de = "Wir verwenden Ihre Angaben nur für diese Veranstaltung."
    privacy_notice_fr = "Nous utilisons vos données uniquement pour cet événement."


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    status = Registration.Status.CONFIRMED
    first_name = factory.Sequence(lambda n: f"Vorname{n}")
    last_name = factory.Sequence(lambda n: f"Nachname{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    language = "de"
    consented_at = factory.LazyFunction(timezone.now)
    queued_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == Registration.Status.WAITLISTED else None)


def event_with_form(*, capacity=None, quotas=None, other_places=None, seats=None, workshops=(), start=None, **form):
    """An event with built-in registration. ``quotas``: {City: places}; ``workshops``: titles of
    workshops in one workshop slot; ``seats``: {title: seats}."""
    from tests.factories import ProgrammeSlotFactory, WorkshopFactory, in_a_month

    event = EventFactory(start=start or in_a_month())
    created = {}
    if workshops:
        slot = ProgrammeSlotFactory(event=event, kind="workshops", title_de="Arbeitsgruppen", title_fr="Ateliers")
        for order, title in enumerate(workshops):
            created[title] = WorkshopFactory(slot=slot, title_de=title, title_fr=f"{title} (fr)", order=order)
        form.setdefault("workshop_choice", RegistrationSettings.WorkshopChoice.ONE)
    settings = RegistrationSettingsFactory(event=event, capacity=capacity, other_places=other_places, **form)
    for city, places in (quotas or {}).items():
        CityQuota.objects.create(settings=settings, city=city, places=places)
    for title, number in (seats or {}).items():
        WorkshopSeats.objects.create(settings=settings, workshop=created[title], seats=number)
    event.workshops_by_title = created
    return event
