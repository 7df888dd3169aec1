"""factory_boy factories for the event domain. Times are fixed relative to a frozen "now"
in the tests that need them; defaults describe a one-day event in Metz next month."""

import datetime

import factory
from django.utils import timezone

from events.models import Category, City, Event, Person, ProgrammeSlot, ProjectGroup, SlotSpeaker, Venue, Workshop


def local(year, month, day, hour=0, minute=0):
    """An aware datetime in the site's time zone (Europe/Paris)."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def in_a_month():
    """9:00 (site's time) thirty days from today: with the factory's 7½ hours, an event of one day
    whatever the hour the tests run at. (At "now + 30 days", a run after 16:30 in Paris made the
    event end after midnight: an event of two days, whose programme rows then ask for a day.)"""
    day = timezone.localdate() + datetime.timedelta(days=30)
    return local(day.year, day.month, day.day, 9)


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"city-{n}")
    name_de = factory.Sequence(lambda n: f"Stadt {n}")
    name_fr = factory.Sequence(lambda n: f"Ville {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = "quattropole"
    name_de = "QuattroPole"
    name_fr = "QuattroPole"


class ProjectGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectGroup

    name_de = "Kommunale Sozialpolitik"
    name_fr = "Politique sociale communale"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name_de = "Rathaus"
    name_fr = "Hôtel de Ville"
    street = "1, place d'Armes – J.F. Blondel"
    postal_code = "57036"
    locality_de = "Metz"
    locality_fr = "Metz"
    country_de = "Frankreich"
    country_fr = "France"
    phone = "+33 387 555000"
    website = "http://www.mairie-metz.fr/"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    role_de = "Forscherin"
    role_fr = "Chercheuse"
    affiliation_de = "Universität des Saarlandes"
    affiliation_fr = "Université de la Sarre"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title_de = factory.Sequence(lambda n: f"Veranstaltung {n}")
    title_fr = factory.Sequence(lambda n: f"Événement {n}")
    slug_de = factory.Sequence(lambda n: f"veranstaltung-{n}")
    slug_fr = factory.Sequence(lambda n: f"evenement-{n}")
    kicker_de = "QuattroPole-Konferenz"
    kicker_fr = "Conférence QuattroPole"
    teaser_de = "Ein Austausch zwischen den vier Städten."
    teaser_fr = "Un échange entre les quatre villes."
    category = factory.SubFactory(CategoryFactory)
    venue = factory.SubFactory(VenueFactory)
    start = factory.LazyFunction(in_a_month)
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=7, minutes=30))
    status = Event.Status.PUBLISHED


class ProgrammeSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeSlot

    event = factory.SubFactory(EventFactory)
    start = factory.LazyAttribute(lambda o: o.event.start)
    kind = ProgrammeSlot.Kind.TALK
    title_de = factory.Sequence(lambda n: f"Vortrag {n}")
    title_fr = factory.Sequence(lambda n: f"Exposé {n}")


class SlotSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlotSpeaker

    slot = factory.SubFactory(ProgrammeSlotFactory)
    person = factory.SubFactory(PersonFactory)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    slot = factory.SubFactory(ProgrammeSlotFactory, kind=ProgrammeSlot.Kind.WORKSHOPS)
    title_de = factory.Sequence(lambda n: f"Arbeitsgruppe {n}")
    title_fr = factory.Sequence(lambda n: f"Atelier {n}")


def conference_2017(**fields):
    """An event shaped like the network's 2017 conference in Metz: Wednesday 22 November 2017,
    9:30 to 17:00, "Zuwanderung als Chance" / "Immigrations : une chance"."""
    defaults = {
        "title_de": "Zuwanderung als Chance",
        "title_fr": "Immigrations : une chance",
        "slug_de": "zuwanderung-als-chance",
        "slug_fr": "immigrations-une-chance",
        "start": local(2017, 11, 22, 9, 30),
        "end": local(2017, 11, 22, 17, 0),
    }
    return EventFactory(**{**defaults, **fields})
