"""The next state change (pagecache/cache.py, ``expires_at``: one query over every event) is asked
again after a save only when the save may change a moment — an event's dates, status, "publish
at", registration deadline, its registrations — not after a teaser corrected, which changes no
moment. The first render of an event page is still kept only if nothing at all was saved
meanwhile."""

import datetime

import pytest
from django.test import Client

from pagecache import cache as page_cache
from pagecache import middleware
from tests.factories import EventFactory
from tests.helpers import html_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(monkeypatch):
    """The times the next state change was computed (its query run)."""
    computed = []
    next_state_change = page_cache.next_state_change

    def counted(now):
        computed.append(now)
        return next_state_change(now)

    monkeypatch.setattr(page_cache, "next_state_change", counted)
    return computed


@pytest.fixture
def events():
    return [EventFactory(title_de=f"Sprechstunde {number}", slug_de=f"sprechstunde-{number}") for number in range(2)]


def test_a_teaser_corrected_leaves_the_next_state_change_kept(events, asked):
    edited, other = events
    assert Client().get(edited.get_absolute_url("de")).status_code == 200
    assert len(asked) == 1

    edited.teaser_de = "Mit Gebärdensprache."
    edited.teaser_fr = "Avec langue des signes."
    edited.save()
    response = Client().get(edited.get_absolute_url("de"))

    assert response["X-Page-Cache"] == "miss" and "Mit Gebärdensprache." in html_of(response)
    assert Client().get(other.get_absolute_url("de"))["X-Page-Cache"] == "miss"  # its first render
    assert len(asked) == 1


@pytest.mark.parametrize("field", ["start", "end", "status", "publish_at", "registration_deadline"])
def test_a_change_of_a_moment_asks_the_next_state_change_again(events, asked, field):
    edited, other = events
    assert Client().get(edited.get_absolute_url("de")).status_code == 200
    assert len(asked) == 1

    changes = {
        "start": edited.start - datetime.timedelta(hours=1),
        "end": edited.end + datetime.timedelta(hours=1),
        "status": "draft",
        "publish_at": edited.start - datetime.timedelta(days=3),
        "registration_deadline": edited.start.date() - datetime.timedelta(days=2),
    }
    setattr(edited, field, changes[field])
    edited.save()
    assert Client().get(other.get_absolute_url("de"))["X-Page-Cache"] == "miss"  # its first render

    assert len(asked) == 2


def test_the_first_render_of_an_event_page_is_not_kept_after_a_teaser_saved_meanwhile(events, monkeypatch):
    """Its event's versions are read after rendering: a save of any event while it rendered (a
    teaser, which leaves the next state change kept) may be in what it shows, so it is not kept."""
    first, other = events
    page_cache.EVENT_KEYS.clear()
    expires_at = middleware.expires_at

    def meanwhile(now):
        other.teaser_de = "Während des Renderns geändert."
        other.save()
        return expires_at(now)

    monkeypatch.setattr(middleware, "expires_at", meanwhile)
    assert Client().get(first.get_absolute_url("de"))["X-Page-Cache"] == "miss"
    monkeypatch.setattr(middleware, "expires_at", expires_at)

    assert Client().get(first.get_absolute_url("de"))["X-Page-Cache"] == "miss"
    assert Client().get(first.get_absolute_url("de"))["X-Page-Cache"] == "hit"
