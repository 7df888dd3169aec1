"""The benchmark's sample events (``manage.py make_sample_events``, search's version of the command)
are found by the search at once, and the search and the month view cost as many queries at
either size of the sample: what `make bench` measures at 10, 1,000 and 10,000 events."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event
from search.models import SearchDocument

from ..helpers import html_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.engines]


def queries_of(address):
    client = Client()
    first = client.get(address)  # values derived from the content, kept once per content version
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    return response, len(captured.captured_queries)


def found(response):
    """The number of events a search found, as its heading says it."""
    return int(re.search(r"\((\d+) Veranstaltungen?\)", html_of(response)).group(1))


def sample(count):
    """``count`` sample events instead of those there were; the month of the upcoming one in the
    middle of the list, as the benchmark picks it."""
    Event.objects.all().delete()
    call_command("make_sample_events", str(count), stdout=io.StringIO())
    upcoming = Event.objects.published().upcoming()
    start = timezone.localtime(upcoming[upcoming.count() // 2].start)
    with translation.override("de"):
        month = reverse("events:month", kwargs={"year": start.year, "month": f"{start.month:02d}"})
    return month


def test_the_sample_events_have_their_search_documents():
    sample(6)
    assert SearchDocument.objects.count() == Event.objects.count() == 6
    response = Client().get(url("search:results", "de") + "?q=konferenz")
    assert "Konferenz" in html_of(response)


def test_search_and_month_view_cost_the_same_queries_at_two_sizes(settings):
    settings.PAGE_CACHE_ENABLED = False
    search = url("search:results", "de") + "?q=metz"
    small_month = sample(10)
    small = {name: queries_of(address) for name, address in (("search", search), ("month", small_month))}
    large_month = sample(40)
    large = {name: queries_of(address) for name, address in (("search", search), ("month", large_month))}
    # The search finds more events at the larger size; the month view shows the month's events.
    assert found(small["search"][0]) < found(large["search"][0])
    assert "month__day--events" in html_of(small["month"][0])
    assert "month__day--events" in html_of(large["month"][0])
    assert {name: count for name, (_response, count) in small.items()} == {
        name: count for name, (_response, count) in large.items()
    }


def test_a_teaser_corrected_on_a_sample_event_leaves_the_lists_not_showing_it_cached():
    """The sample events are published as a save publishes them (they are made in bulk, without
    ``save()``): the bench's teaser saves refresh the lists showing the event saved, not every
    list, as on the real site."""
    sample(30)
    upcoming = list(Event.objects.published().upcoming())
    first_page, second_page = url("events:list", "de"), url("events:list", "de") + "?page=2"
    visitor = Client()
    for page in (first_page, second_page):
        visitor.get(page)
    edited = Event.objects.get(pk=upcoming[0].pk)
    edited.teaser_de = "Jetzt mit Kinderbetreuung."
    edited.save()
    assert visitor.get(first_page)["X-Page-Cache"] == "miss"
    assert visitor.get(second_page)["X-Page-Cache"] == "hit"
