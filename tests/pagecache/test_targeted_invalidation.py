"""Targeted invalidation (pagecache/dependencies.py): a save or a delete makes fresh exactly the
pages that show what changed — the pages of the events that show it, in both languages, and
the listings — and leaves every other event's pages in the cache. A city, shown in every
event's registration box, makes every page fresh."""

import datetime
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from events.models import City, Event, Person, ProgrammeSlot, SlotSpeaker, Venue, Workshop
from tests.conftest import empty_caches, plain_static_storages
from tests.factories import (
    CategoryFactory,
    CityFactory,
    EventFactory,
    PersonFactory,
    ProgrammeSlotFactory,
    ProjectGroupFactory,
    SlotSpeakerFactory,
    VenueFactory,
    WorkshopFactory,
)
from tests.helpers import html_of, url

pytestmark = pytest.mark.django_db


def state(response):
    return response["X-Page-Cache"]


@pytest.fixture(scope="module")
def _site_of_the_module(django_db_setup, django_db_blocker):
    """The objects of ``site``, made once for the module's tests in a transaction rolled back
    after the last of them; each test runs in a savepoint of it (pytest-django's ``db``), so
    what one test saved or deleted is gone for the next, and starts with empty caches (the
    autouse ``_empty_caches``: nothing of the set-up is cached or counted as a change)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_site()
        transaction.set_rollback(True)


@pytest.fixture
def site(_site_of_the_module, db):
    """``shown``, the event the edits are about; ``also``, which shares its venue, its moderator
    and a speaker with it; ``unrelated``, which shares nothing with either: read afresh."""
    made = _site_of_the_module
    return SimpleNamespace(
        shown=Event.objects.get(pk=made.shown.pk),
        also=Event.objects.get(pk=made.also.pk),
        unrelated=Event.objects.get(pk=made.unrelated.pk),
        anne=Person.objects.get(pk=made.anne.pk),
        moderator=Person.objects.get(pk=made.moderator.pk),
    )


def make_site():
    town_hall = VenueFactory(name_de="Rathaus", name_fr="Hôtel de Ville")
    anne = PersonFactory(name="Anne Muster")
    moderator = PersonFactory(name="Max Moderator")
    shown = EventFactory(
        title_de="Bürgerbegegnung",
        title_fr="Rencontre citoyenne",
        venue=town_hall,
        moderator=moderator,
        category=CategoryFactory(code="buerger", name_de="Bürger", name_fr="Citoyens"),
        project_group=ProjectGroupFactory(name_de="Arbeitsgruppe Soziales", name_fr="Groupe social"),
    )
    shown.cities.add(CityFactory(code="metz", name_de="Metz", name_fr="Metz"))
    CityFactory(code="luxembourg", name_de="Luxemburg", name_fr="Luxembourg")  # a member city, not of this event
    opening = ProgrammeSlotFactory(event=shown, title_de="Eröffnung", title_fr="Ouverture")
    SlotSpeakerFactory(slot=opening, person=anne)
    WorkshopFactory(slot=ProgrammeSlotFactory(event=shown), title_de="Wohnen", title_fr="Logement")
    also = EventFactory(
        title_de="Zweite Begegnung",
        venue=town_hall,
        moderator=moderator,
        category=CategoryFactory(code="kultur", name_de="Kultur", name_fr="Culture"),
    )
    SlotSpeakerFactory(slot=ProgrammeSlotFactory(event=also, title_de="Vortrag"), person=anne)
    unrelated = EventFactory(
        title_de="Ganz andere Sache",
        venue=VenueFactory(name_de="Theater", name_fr="Théâtre"),
        category=CategoryFactory(code="sport", name_de="Sport", name_fr="Sport"),
        project_group=ProjectGroupFactory(name_de="Sportgruppe", name_fr="Groupe sportif"),
    )
    unrelated.cities.add(CityFactory(code="trier", name_de="Trier", name_fr="Trèves"))
    WorkshopFactory(slot=ProgrammeSlotFactory(event=unrelated), title_de="Laufen", title_fr="Course")
    return SimpleNamespace(shown=shown, also=also, unrelated=unrelated, anne=anne, moderator=moderator)


def event_pages(event):
    """The pages of one event: in both languages, its programme and its calendar file."""
    return [
        event.get_absolute_url("de"),
        event.get_absolute_url("fr"),
        event.get_programme_url("fr"),
        event.get_calendar_url("de"),
    ]


LISTINGS = [
    url("events:list", "de"),
    url("events:list", "fr") + "?city=metz",
    url("home", "fr"),
    url("events:feed", "de"),
    url("events:calendar", "fr"),
    "/sitemap.xml",
]


def warm(pages):
    visitor = Client()
    for page in pages:
        assert state(visitor.get(page)) == "miss"
    assert all(state(visitor.get(page)) == "hit" for page in pages)


def states(pages):
    """Each page with what the cache did for it (``hit``, ``miss``)."""
    visitor = Client()
    return [(page, state(visitor.get(page))) for page in pages]


@pytest.fixture(scope="module")
def _cache_of_the_module(_site_of_the_module, tmp_path_factory):
    """The cache as ``warm`` leaves it for every page of the site's three events and the listings
    (each a miss, then a hit), rendered once for the module's parametrized test and kept as a copy
    of the cache's folder; ``warmed_site`` puts the copy back for each test. Rendering them for
    each of its 18 edits was half of the module's time."""
    made = _site_of_the_module
    pages = [page for event in (made.shown, made.also, made.unrelated) for page in event_pages(event)] + LISTINGS
    empty_caches()  # as the autouse _empty_caches does before a test: nothing of the set-up is a change
    with override_settings(STORAGES=plain_static_storages()):
        warm(pages)
    # The tests' caches are file-based, in a folder of the test process's own (tests/conftest.py).
    folder = Path(settings.CACHES[settings.PAGE_CACHE_ALIAS]["LOCATION"])
    copy = tmp_path_factory.mktemp("warm-cache") / "cache"
    shutil.copytree(folder, copy)
    return SimpleNamespace(folder=folder, copy=copy)


@pytest.fixture
def warmed_site(site, _cache_of_the_module, _empty_caches):
    """``site``, with every page of its events and the listings in the cache (``warm``'s state)."""
    shutil.copytree(_cache_of_the_module.copy, _cache_of_the_module.folder, dirs_exist_ok=True)
    return site


# --- Edits: each returns what the event page says after it (a text present, or one gone) ---------


def rename_event(site):
    site.shown.title_de, site.shown.title_fr = "Neuer Titel", "Nouveau titre"
    site.shown.save()
    return "Neuer Titel", None


def rename_slot(site):
    slot = site.shown.slots.get(title_de="Eröffnung")
    slot.title_de = "Begrüßung"
    slot.save()
    return "Begrüßung", "Eröffnung"


def rename_workshop(site):
    workshop = Workshop.objects.get(title_de="Wohnen")
    workshop.title_de = "Wohnungsbau"
    workshop.save()
    return "Wohnungsbau", None


def add_speaker_link(site):
    SlotSpeakerFactory(slot=site.shown.slots.get(title_de="Eröffnung"), person=PersonFactory(name="Neu Rednerin"))
    return "Neu Rednerin", None


def add_speaker_through_the_slot(site):
    site.shown.slots.get(title_de="Eröffnung").speakers.add(PersonFactory(name="Neu Rednerin"))
    return "Neu Rednerin", None


def add_city(site):
    site.shown.cities.add(City.objects.get(code="luxembourg"))
    return "Luxemburg", None


def rename_person_on_two_events(site):
    site.anne.name = "Anne Neumann"
    site.anne.save()
    return "Anne Neumann", "Anne Muster"


def rename_venue_of_two_events(site):
    venue = site.shown.venue
    venue.name_de = "Neues Rathaus"
    venue.save()
    return "Neues Rathaus", None


def rename_category(site):
    category = site.shown.category
    category.name_de = "Bürgerschaft"
    category.save()
    return "Bürgerschaft", None


def rename_project_group(site):
    group = site.shown.project_group
    group.name_de = "Arbeitsgruppe Wohnen"
    group.save()
    return "Arbeitsgruppe Wohnen", "Arbeitsgruppe Soziales"


def delete_slot(site):
    site.shown.slots.get(title_de="Eröffnung").delete()
    return None, "Eröffnung"


def delete_workshop(site):
    Workshop.objects.get(title_de="Wohnen").delete()
    return None, "Wohnen"


def delete_speaker_link(site):
    SlotSpeaker.objects.get(slot__event=site.shown).delete()
    return None, "Anne Muster"


def remove_speaker_through_the_person(site):
    site.anne.slots.remove(site.shown.slots.get(title_de="Eröffnung"))
    return None, "Anne Muster"


def clear_cities(site):
    site.shown.cities.clear()
    return None, None


def delete_person_on_two_events(site):
    site.moderator.delete()  # the events keep going, without a moderator
    return None, "Max Moderator"


def delete_project_group(site):
    site.shown.project_group.delete()  # the event keeps going, without one
    return None, "Arbeitsgruppe Soziales"


def move_workshop_to_another_event(site):
    workshop = Workshop.objects.get(title_de="Wohnen")
    workshop.slot = site.also.slots.get()
    workshop.save()
    return None, "Wohnen"


@pytest.mark.parametrize(
    ("edit", "also_shows_it"),
    [
        (rename_event, False),
        (rename_slot, False),
        (rename_workshop, False),
        (add_speaker_link, False),
        (add_speaker_through_the_slot, False),
        (add_city, False),
        (rename_person_on_two_events, True),
        (rename_venue_of_two_events, True),
        (rename_category, False),
        (rename_project_group, False),
        (delete_slot, False),
        (delete_workshop, False),
        (delete_speaker_link, False),
        (remove_speaker_through_the_person, False),
        (clear_cities, False),
        (delete_person_on_two_events, True),
        (delete_project_group, False),
        (move_workshop_to_another_event, True),
    ],
)
def test_a_save_refreshes_the_pages_that_show_it_and_no_other_events(warmed_site, edit, also_shows_it):
    site = warmed_site
    showing = event_pages(site.shown) + (event_pages(site.also) if also_shows_it else [])
    unrelated = event_pages(site.unrelated) + ([] if also_shows_it else event_pages(site.also))
    before = showing + LISTINGS + unrelated
    assert states(before) == [(page, "hit") for page in before]

    present, gone = edit(site)

    visitor = Client()
    for page in showing + LISTINGS:
        response = visitor.get(page)
        assert (page, state(response)) == (page, "miss")
    for page in unrelated:
        assert (page, state(visitor.get(page))) == (page, "hit")
    shown = html_of(visitor.get(site.shown.get_absolute_url("de")))
    if present:
        assert present in shown
    if gone:
        assert gone not in shown


def test_moving_a_workshop_shows_it_on_the_event_it_joins(site):
    """The event it leaves (read before the save) and the one it joins (after) are both fresh."""
    warm(event_pages(site.shown) + event_pages(site.also))
    move_workshop_to_another_event(site)
    assert "Wohnen" in html_of(Client().get(site.also.get_absolute_url("de")))
    assert "Wohnen" not in html_of(Client().get(site.shown.get_absolute_url("de")))


def test_deleting_an_event_refreshes_its_pages_and_the_lists_only(site):
    warm(event_pages(site.shown) + LISTINGS + event_pages(site.unrelated))
    address = site.shown.get_absolute_url("de")
    Event.objects.get(pk=site.shown.pk).delete()
    assert Client().get(address).status_code == 404
    assert "Bürgerbegegnung" not in html_of(Client().get(url("events:list", "de")))
    assert all(state(Client().get(page)) == "hit" for page in event_pages(site.unrelated))


@pytest.mark.parametrize("model", [Venue, Person])
def test_deleting_what_no_event_shows_leaves_every_event_page_cached(site, model):
    unused = VenueFactory(name_de="Leerstand") if model is Venue else PersonFactory(name="Niemand")
    pages = event_pages(site.shown) + event_pages(site.unrelated)
    warm(pages)
    unused.delete()
    assert all(state(Client().get(page)) == "hit" for page in pages)


def test_a_new_event_appears_in_the_lists_and_leaves_the_other_events_cached(site):
    warm(LISTINGS + event_pages(site.unrelated))
    EventFactory(title_de="Ganz neu", category=site.shown.category, venue=site.shown.venue)
    assert "Ganz neu" in html_of(Client().get(url("events:list", "de")))
    assert all(state(Client().get(page)) == "hit" for page in event_pages(site.unrelated))


@pytest.mark.parametrize("change", ["rename", "delete"])
def test_a_city_refreshes_every_page(site, change):
    """Every event's registration box offers every member city: a city is the whole site's."""
    city = site.unrelated.cities.get()
    pages = event_pages(site.shown) + event_pages(site.unrelated) + LISTINGS[:1]
    warm(pages)
    if change == "rename":
        city.name_de = "Trier an der Mosel"
        city.save()
    else:
        city.delete()
    assert [state(Client().get(page)) for page in pages] == ["miss"] * len(pages)
    listing = html_of(Client().get(url("events:list", "de")))
    assert ("Trier an der Mosel" in listing) is (change == "rename")


def test_a_slot_moved_to_another_event_refreshes_both(site):
    warm(event_pages(site.shown) + event_pages(site.also) + event_pages(site.unrelated))
    slot = ProgrammeSlot.objects.get(title_de="Eröffnung")
    slot.event = site.also
    slot.start = site.also.start
    slot.save()
    assert "Eröffnung" in html_of(Client().get(site.also.get_absolute_url("de")))
    assert "Eröffnung" not in html_of(Client().get(site.shown.get_absolute_url("de")))
    assert all(state(Client().get(page)) == "hit" for page in event_pages(site.unrelated))


def test_restoring_a_version_refreshes_every_page(site):
    """django-reversion writes a restored version back raw, row by row: every page is fresh."""
    import reversion
    from reversion.models import Version

    with reversion.create_revision():
        Event.objects.get(pk=site.shown.pk).save()
    site.shown.title_de = "Zwischenstand"
    site.shown.save()
    pages = event_pages(site.shown) + event_pages(site.unrelated)
    warm(pages)
    Version.objects.get_for_object(site.shown).get().revision.revert()
    assert [state(Client().get(page)) for page in pages] == ["miss"] * len(pages)
    assert "Bürgerbegegnung" in html_of(Client().get(site.shown.get_absolute_url("de")))


# --- The lists' membership: a save that changes only what a card shows ----------------------------

SHOWS_SHOWN = [
    url("events:list", "de") + "?city=metz",
    url("events:list", "fr") + "?category=buerger",
    url("home", "de"),
]
SHOWS_UNRELATED_ONLY = [url("events:list", "de") + "?city=trier", url("events:list", "fr") + "?category=sport"]


def test_a_teaser_corrected_refreshes_the_lists_showing_the_event_and_leaves_the_others_cached(site):
    """The lists name the events they show: a field only a card shows changes those lists (and
    the feeds, calendars and sitemap, which show every event), not the lists of other events —
    in the language corrected (the French teaser is written: the French pages keep theirs)."""
    every_event = [url("events:feed", "de"), url("events:calendar", "de"), "/sitemap.xml"]
    shows_shown = [page for page in SHOWS_SHOWN if page.startswith("/de/")]
    french = [page for page in SHOWS_SHOWN if page.startswith("/fr/")] + [url("events:feed", "fr")]
    warm(shows_shown + SHOWS_UNRELATED_ONLY + every_event + french + event_pages(site.unrelated))

    site.shown.teaser_de = "Jetzt mit Simultanübersetzung."
    site.shown.save()

    visitor = Client()
    for page in shows_shown:
        response = visitor.get(page)
        assert (page, state(response)) == (page, "miss")
        assert "Jetzt mit Simultanübersetzung." in html_of(response)
    assert [(page, state(visitor.get(page))) for page in every_event] == [(page, "miss") for page in every_event]
    kept = SHOWS_UNRELATED_ONLY + french + event_pages(site.unrelated)
    assert [(page, state(visitor.get(page))) for page in kept] == [(page, "hit") for page in kept]


def move_to_the_category_of_shown(site):
    site.unrelated.category = site.shown.category
    site.unrelated.save()
    return url("events:list", "fr") + "?category=buerger"


def end_yesterday(site):
    site.unrelated.start = site.unrelated.start - datetime.timedelta(days=60)
    site.unrelated.end = site.unrelated.start + datetime.timedelta(hours=2)
    site.unrelated.save()
    return url("events:past", "fr")


def retitle(site):
    site.unrelated.title_fr = "Tout autre chose, enfin"
    site.unrelated.save()
    return url("events:list", "fr") + "?category=sport"


@pytest.mark.parametrize("edit", [move_to_the_category_of_shown, end_yesterday, retitle])
def test_a_change_of_what_decides_the_lists_refreshes_every_list(site, edit):
    """A category, the dates, the title (in doubt, any field a card does not only show): the event
    may join or leave any list, so every list is fresh, including those that did not show it."""
    lists = SHOWS_SHOWN + SHOWS_UNRELATED_ONLY + [url("events:past", "fr")]
    warm(lists)
    joined = edit(site)
    visitor = Client()
    assert [(page, state(visitor.get(page))) for page in lists] == [(page, "miss") for page in lists]
    assert site.unrelated.title_fr in html_of(visitor.get(joined))


def test_only_the_fields_a_card_alone_shows_leave_the_membership_unchanged(site):
    from pagecache.dependencies import listed_as, membership_changed

    event = Event.objects.get(pk=site.shown.pk)
    before = listed_as(event)
    event.teaser_fr, event.description_de, event.kicker_de = "Nouveau résumé", "Neu", "Neu"
    assert not membership_changed(event, before)
    for field, value in (("title_de", "Anders"), ("category_id", site.unrelated.category_id), ("status", "draft")):
        changed = Event.objects.get(pk=site.shown.pk)
        setattr(changed, field, value)
        assert (field, membership_changed(changed, before)) == (field, True)
    assert membership_changed(EventFactory.build(), listed_as(EventFactory.build()))


def test_the_calendar_of_all_events_writes_again_only_the_entry_of_the_event_saved(site, monkeypatch):
    """Its entries are kept per event (events.derived.remembered_each): after a save, the edited
    event's entry is new and the others are the ones kept."""
    from events import calendar

    written = []
    vevent = calendar.vevent

    def counted(event, **kwargs):
        written.append(event.pk)
        return vevent(event, **kwargs)

    monkeypatch.setattr(calendar, "vevent", counted)
    address = url("events:calendar", "de")
    assert Client().get(address).status_code == 200
    assert sorted(written) == sorted([site.shown.pk, site.also.pk, site.unrelated.pk])

    written.clear()
    site.shown.teaser_de = "Mit Kinderbetreuung."
    site.shown.save()
    response = Client().get(address)
    assert state(response) == "miss" and written == [site.shown.pk]
    assert "Mit Kinderbetreuung." in response.content.decode()
    assert response.content.decode().count("BEGIN:VEVENT") == 3


def test_the_sitemap_builds_again_only_the_entries_of_the_event_saved(site, monkeypatch):
    from events.sitemaps import EventSitemap

    built = []
    get_urls = EventSitemap.get_urls

    def counted(self, *args, **kwargs):
        if self.only is not None:
            built.append(sorted(self.only))
        return get_urls(self, *args, **kwargs)

    monkeypatch.setattr(EventSitemap, "get_urls", counted)
    assert Client().get("/sitemap.xml").status_code == 200
    assert built == [sorted([site.shown.pk, site.also.pk, site.unrelated.pk])]

    built.clear()
    site.shown.slug_de = "buergerbegegnung-neu"
    site.shown.save()
    response = Client().get("/sitemap.xml")
    assert state(response) == "miss" and built == [[site.shown.pk]]
    assert "/de/veranstaltungen/buergerbegegnung-neu/" in response.content.decode()
    assert response.content.decode().count("<url>") == 2 * 3 + 2 * len(["home", "list", "past"])


def test_the_feeds_name_their_events_a_save_of_another_event_leaves_them_cached(site):
    """The feeds show the first upcoming events and name them to the page cache, as the lists do:
    a teaser corrected on a past event (not in the feeds) leaves both feeds cached; one corrected
    on an event they show is in the German feed at the next request, and the French one, which
    shows the French teaser, stays cached."""
    feeds = [url("events:feed", "de"), url("events:feed", "fr")]
    past = EventFactory(
        title_de="Vergangene Begegnung",
        start=datetime.datetime(2015, 3, 2, 9, tzinfo=datetime.UTC),
        end=datetime.datetime(2015, 3, 2, 12, tzinfo=datetime.UTC),
    )
    warm(feeds + [past.get_absolute_url("de")])

    past.teaser_de = "Der Bericht ist online."
    past.save()
    visitor = Client()
    assert state(visitor.get(past.get_absolute_url("de"))) == "miss"
    assert [(page, state(visitor.get(page))) for page in feeds] == [(page, "hit") for page in feeds]

    site.shown.teaser_de = "Jetzt mit Kinderbetreuung."
    site.shown.save()
    german, french = (visitor.get(page) for page in feeds)
    assert (state(german), state(french)) == ("miss", "hit")
    assert "Jetzt mit Kinderbetreuung." in html_of(german)
    assert "Jetzt mit Kinderbetreuung." in german.content.decode()
    assert [(page, state(visitor.get(page))) for page in feeds] == [(page, "hit") for page in feeds]
