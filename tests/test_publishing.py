"""Scheduled publishing and 410 Gone.

An event set to Published with a "publish at" moment appears everywhere a visitor can find it —
the lists, the event page and its programme and calendar file, the calendar to subscribe to, the
feeds, the sitemap — at that moment, with nobody saving anything; the page cache learns the moment
from ``Event.objects.next_publication()``. An event that was published and then set back to draft
answers 410 Gone on its old addresses, in the visitor's language; one never published stays 404."""

import datetime
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.contrib.auth import get_user_model

from events.models import Event

from .factories import EventFactory, ProgrammeSlotFactory, local
from .helpers import html_of, url

pytestmark = pytest.mark.django_db

BEFORE = local(2025, 5, 30, 8, 59)
ANNOUNCEMENT = local(2025, 6, 1, 9, 0)  # next month's announcement goes out at 9:00
AFTER = ANNOUNCEMENT + datetime.timedelta(seconds=1)
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def scheduled(time_machine):
    """Saved a few days ahead as Published, to appear on 1 June at 9:00, for an event in July."""
    time_machine.move_to(local(2025, 5, 28, 16), tick=False)
    event = EventFactory(
        title_de="Sommerfest der vier Städte",
        title_fr="Fête d’été des quatre villes",
        slug_de="sommerfest",
        slug_fr="fete-d-ete",
        start=local(2025, 7, 5, 18),
        end=local(2025, 7, 5, 23),
        publish_at=ANNOUNCEMENT,
    )
    ProgrammeSlotFactory(event=event, start=local(2025, 7, 5, 18), title_de="Begrüßung", title_fr="Accueil")
    return event


def visible_everywhere(client, event):
    """Where a visitor finds ``event`` now: the name of every place that shows it."""
    places = set()
    for language, title in (("de", event.title_de), ("fr", event.title_fr)):
        if title in html_of(client.get(url("events:list", language))):
            places.add(f"list-{language}")
        if title in html_of(client.get(url("home", language))):
            places.add(f"home-{language}")
        for name in ("detail", "programme", "event_calendar"):
            if client.get(event.page_url(f"events:{name}", language)).status_code == 200:
                places.add(f"{name}-{language}")
        calendar = icalendar.Calendar.from_ical(client.get(url("events:calendar", language)).content)
        if any(str(e["SUMMARY"]) == title for e in calendar.walk("VEVENT")):
            places.add(f"calendar-{language}")
        feed = ET.fromstring(client.get(url("events:feed", language)).content)
        if any(entry.findtext(f"{ATOM}title") == title for entry in feed.findall(f"{ATOM}entry")):
            places.add(f"feed-{language}")
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locations = {loc.text for loc in sitemap.iter(f"{SITEMAP}loc")}
    if f"http://testserver{event.get_absolute_url('de')}" in locations:
        places.add("sitemap")
    return places


EVERYWHERE = {
    f"{place}-{language}"
    for place in ("list", "home", "detail", "programme", "event_calendar", "calendar", "feed")
    for language in ("de", "fr")
} | {"sitemap"}


def test_a_scheduled_event_appears_everywhere_at_its_moment_by_itself(client, scheduled, time_machine):
    time_machine.move_to(BEFORE, tick=False)
    assert visible_everywhere(client, scheduled) == set()
    assert client.get(scheduled.get_absolute_url("fr")).status_code == 404, "not yet published: not found"

    time_machine.move_to(ANNOUNCEMENT, tick=False)
    assert visible_everywhere(client, scheduled) == EVERYWHERE

    time_machine.move_to(AFTER, tick=False)
    assert visible_everywhere(client, scheduled) == EVERYWHERE


def test_next_change_tells_the_page_cache_when_a_scheduled_event_appears(scheduled, time_machine):
    time_machine.move_to(BEFORE, tick=False)
    EventFactory(publish_at=local(2025, 6, 15, 9), start=local(2025, 7, 20, 10))  # a later one
    EventFactory(publish_at=local(2025, 5, 31, 9), status=Event.Status.DRAFT)  # a draft: never by itself
    EventFactory(publish_at=local(2025, 5, 1, 9))  # already visible

    # Of the scheduled events: their next change is the first publication.
    assert Event.objects.scheduled().next_change() == ANNOUNCEMENT
    assert Event.objects.scheduled(ANNOUNCEMENT).next_change(ANNOUNCEMENT) == local(2025, 6, 15, 9)
    assert Event.objects.scheduled(local(2025, 6, 15, 9)).next_change(local(2025, 6, 15, 9)) is None
    # The same rule as the lists: visible exactly from that moment.
    assert scheduled not in Event.objects.published(now=ANNOUNCEMENT - datetime.timedelta(microseconds=1))
    assert scheduled in Event.objects.published(now=ANNOUNCEMENT)
    assert not scheduled.is_visible(BEFORE) and scheduled.is_visible(ANNOUNCEMENT)


def test_staff_preview_a_scheduled_event(client, scheduled, time_machine):
    time_machine.move_to(BEFORE, tick=False)
    client.force_login(get_user_model().objects.create_user("staff", password="x", is_staff=True))
    response = client.get(scheduled.get_absolute_url("de"))
    assert response.status_code == 200
    assert response.context["is_preview"]


def test_the_first_publication_is_the_moment_visitors_first_see_it(scheduled, time_machine):
    assert scheduled.first_published_at == ANNOUNCEMENT, "scheduled: first seen at its moment"
    time_machine.move_to(BEFORE, tick=False)
    scheduled.publish_at = local(2025, 6, 2, 9)  # postponed before it came
    scheduled.save()
    assert scheduled.first_published_at == local(2025, 6, 2, 9)
    now_published = EventFactory(status=Event.Status.DRAFT)
    assert now_published.first_published_at is None
    now_published.status = Event.Status.PUBLISHED
    now_published.save()
    assert now_published.first_published_at == BEFORE
    time_machine.move_to(local(2025, 8, 1), tick=False)
    now_published.save()
    assert now_published.first_published_at == BEFORE, "kept once it has passed"


def test_publish_at_after_the_end_is_an_error_on_the_field(scheduled):
    from django.core.exceptions import ValidationError

    scheduled.publish_at = local(2025, 7, 6, 9)
    with pytest.raises(ValidationError) as error:
        scheduled.full_clean()
    assert "publish_at" in error.value.message_dict


# --- 410 Gone ---------------------------------------------------------------------------------


@pytest.fixture
def withdrawn(time_machine):
    time_machine.move_to(local(2025, 5, 1, 10), tick=False)
    event = EventFactory(
        title_de="Stadtführung",
        title_fr="Visite guidée",
        slug_de="stadtfuehrung",
        slug_fr="visite-guidee",
        start=local(2025, 6, 12, 10),
        end=local(2025, 6, 12, 12),
    )
    ProgrammeSlotFactory(event=event, start=local(2025, 6, 12, 10))
    time_machine.move_to(local(2025, 5, 20, 10), tick=False)
    event.status = Event.Status.DRAFT
    event.save()
    return event


@pytest.mark.parametrize(
    ("language", "heading", "sentence"),
    [
        ("de", "Veranstaltung nicht mehr veröffentlicht", "Die Veranstaltung „Stadtführung“ war auf dieser Website"),
        ("fr", "Événement retiré du site", "L’événement «\u00a0Visite guidée\u00a0» a été publié sur ce site"),
    ],
)
def test_an_unpublished_event_is_gone_in_the_visitors_language(client, withdrawn, language, heading, sentence):
    for name in ("events:detail", "events:programme", "events:event_calendar"):
        response = client.get(withdrawn.page_url(name, language))
        assert response.status_code == 410, name
        html = html_of(response)
        assert f'<html lang="{language}">' in html
        assert heading in html and sentence in html
        assert html.count("<h1") == 1
        assert 'class="site-header"' in html, "in the site's layout"
    # The other language's slug under this language's path is gone too (a link copied across).
    other = "fr" if language == "de" else "de"
    assert client.get(url("events:detail", language, slug=withdrawn.slug_in(other))).status_code == 410
    # The language switcher offers the event's address in the other language.
    html = html_of(client.get(withdrawn.get_absolute_url(language)))
    assert f'href="{withdrawn.get_absolute_url(other)}"' in html


def test_a_draft_never_published_stays_not_found(client):
    draft = EventFactory(status=Event.Status.DRAFT, slug_de="geheim", slug_fr="secret")
    for language in ("de", "fr"):
        assert client.get(draft.get_absolute_url(language)).status_code == 404
        assert client.get(draft.get_calendar_url(language)).status_code == 404


def test_staff_still_preview_an_unpublished_event(client, withdrawn):
    client.force_login(get_user_model().objects.create_user("staff", password="x", is_staff=True))
    response = client.get(withdrawn.get_absolute_url("fr"))
    assert response.status_code == 200 and response.context["is_preview"]


def test_published_again_it_is_back(client, withdrawn):
    withdrawn.status = Event.Status.PUBLISHED
    withdrawn.save()
    assert client.get(withdrawn.get_absolute_url("de")).status_code == 200
