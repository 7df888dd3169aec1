"""Queries compiled once (quattropole_site/compiled.py) answer what the ORM answers, on SQLite and
PostgreSQL alike: the same rows, fields, related objects and state, with the values of each call."""

import datetime

import pytest
from django.db.models import Count
from django.forms.models import model_to_dict
from django.utils import timezone

from events.models import Event, ProgrammeSlot, SlotSpeaker, load_programme
from events.views import _PUBLISHED_BY_SLUG
from quattropole_site.compiled import ANY_ID, CompiledQuery

from .factories import CityFactory, EventFactory, ProgrammeSlotFactory, SlotSpeakerFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def fields(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


@pytest.fixture
def programme():
    event = EventFactory(slug_de="stadtgespraech", slug_fr="dialogue-urbain")
    event.cities.set([CityFactory(code="metz", name_de="Metz"), CityFactory(code="trier", name_de="Trier")])
    opening = ProgrammeSlotFactory(event=event, title_de="Eröffnung", title_fr="Ouverture")
    SlotSpeakerFactory(slot=opening, person__name="Ada Lovelace", order=2)
    SlotSpeakerFactory(slot=opening, person__name="Émilie du Châtelet", order=1)
    WorkshopFactory(slot__event=event, slot__start=event.start + datetime.timedelta(hours=2), title_de="Mobilität")
    EventFactory()  # another event's programme stays out
    return event


def test_the_programme_is_the_orms(programme, django_assert_num_queries):
    from_orm = Event.objects.prefetch_related("cities", "slots__workshops", "slots__slotspeaker_set__person").get(
        pk=programme.pk
    )
    event = Event.objects.get(pk=programme.pk)
    with django_assert_num_queries(4):
        load_programme(event)
    with django_assert_num_queries(0):
        assert [fields(city) for city in event.cities.all()] == [fields(city) for city in from_orm.cities.all()]
        assert [fields(slot) for slot in event.programme] == [fields(slot) for slot in from_orm.slots.all()]
        for slot, expected in zip(event.programme, from_orm.slots.all(), strict=True):
            assert [fields(w) for w in slot.workshops.all()] == [fields(w) for w in expected.workshops.all()]
            links = list(expected.slotspeaker_set.all())
            assert [(fields(link), fields(link.person)) for link in slot.speaker_links] == [
                (fields(link), fields(link.person)) for link in links
            ]
    assert [link.person.name for link in event.programme[0].speaker_links] == ["Émilie du Châtelet", "Ada Lovelace"]
    assert all(not slot._state.adding and slot._state.db == "default" for slot in event.programme)


def test_the_event_with_its_related_rows_is_the_orms(programme, django_assert_num_queries):
    with django_assert_num_queries(1):
        [event] = _PUBLISHED_BY_SLUG["de"](slug="stadtgespraech", now=timezone.now())
        assert event.venue.locality and event.category.name_de  # read with it, no query
    expected = Event.objects.select_related("venue", "category").get(pk=programme.pk)
    assert fields(event) == fields(expected)
    assert fields(event.venue) == fields(expected.venue)
    assert event.host is None and event.moderator is None
    assert isinstance(event.start, datetime.datetime) and event.start == expected.start  # SQLite's text converted


def test_each_call_takes_its_own_values(programme):
    by_slug = _PUBLISHED_BY_SLUG["fr"]
    now = timezone.now()
    assert [e.pk for e in by_slug(slug="dialogue-urbain", now=now)] == [programme.pk]
    assert by_slug(slug="stadtgespraech", now=now) == []  # the German slug is not the French one
    # "now" is a parameter too: an event published from tomorrow on is found only from then.
    Event.objects.filter(pk=programme.pk).update(publish_at=now + datetime.timedelta(days=1))
    assert by_slug(slug="dialogue-urbain", now=now) == []
    assert [e.pk for e in by_slug(slug="dialogue-urbain", now=now + datetime.timedelta(days=2))] == [programme.pk]


def test_a_stand_in_the_query_does_not_keep_is_refused():
    query = CompiledQuery(lambda event: ProgrammeSlot.objects.filter(event=1), event=ANY_ID)
    with pytest.raises(ValueError, match="stand-in for 'event'"):
        query(event=1)


def test_only_model_instances_are_made():
    query = CompiledQuery(
        lambda event: SlotSpeaker.objects.filter(slot__event=event).annotate(n=Count("pk")), event=ANY_ID
    )
    with pytest.raises(ValueError, match="model instances only"):
        query(event=1)


def test_a_programme_as_a_form_sees_it(programme):
    """What the admin's forms read of a compiled instance is what they read of the ORM's."""
    slot = load_programme(Event.objects.get(pk=programme.pk)).programme[0]
    assert model_to_dict(slot) == model_to_dict(ProgrammeSlot.objects.get(pk=slot.pk))
