"""The event's change form, its history and "restore this version" cost the same number of queries
for a programme of 1 slot as for 10 (each slot with a speaker and a workshop): no query per row
(the rows' ids, the people to choose from, the completeness check, the programme reversion keeps
and the record of what changed are all read once). Restoring adds reversion's own revert, which
writes each restored object back: the rest of the page stays flat. Used as a Sekretariat account."""

import pytest
from django.db import connection, transaction
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from events.models import Event
from search.models import SearchDocument

from .factories import EventFactory, PersonFactory, ProgrammeSlotFactory, SlotSpeakerFactory, WorkshopFactory, local
from .test_admin import form_values

pytestmark = [pytest.mark.django_db, pytest.mark.engines]

SIZES = (1, 10)


def event_with_programme(slots):
    """A one-day event whose every slot has a speaker and a workshop, and a few people to choose from."""
    event = EventFactory(start=local(2025, 6, 12, 8), end=local(2025, 6, 12, 20), status=Event.Status.DRAFT)
    PersonFactory.create_batch(3)
    for hour in range(8, 8 + slots):
        slot = ProgrammeSlotFactory(event=event, start=local(2025, 6, 12, hour), kind="workshops")
        SlotSpeakerFactory(slot=slot)
        WorkshopFactory(slot=slot)
    return event


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def count(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


@pytest.mark.parametrize("slots", SIZES)
def test_the_change_form_reads_the_programme_once(secretary, slots, django_assert_num_queries):
    event = event_with_programme(slots)
    secretary.get(change_url(event))  # content types and the like, cached for the process
    # 19, and one for the registration app's object tool (does the event have a registration form?);
    # 4 for the materials inline (its rows, and the slot, workshop and other-version choices, read
    # once for every row).
    with django_assert_num_queries(24):
        assert secretary.get(change_url(event)).status_code == 200


# Rebuilding an event's search document: the event with its venue, category and people, its
# cities, slots, workshops and speakers, the document's upsert; on PostgreSQL also its vectors and
# its words (the vocabulary: search/models.py).
SEARCH_DOCUMENT_QUERIES = 8 if connection.vendor == "postgresql" else 6


@pytest.mark.parametrize("slots", SIZES)
def test_saving_the_change_form_costs_no_query_per_row(secretary, slots, django_assert_num_queries):
    event = event_with_programme(slots)
    data = form_values(secretary.get(change_url(event)))
    assert secretary.post(change_url(event), data).status_code == 302  # the first version
    data["title_fr"] = "Un autre titre"
    # 55, and one since cancelling asks first: was the event cancelled before this save? And those
    # of the event's search document, rebuilt once the event is saved (search/receivers.py); 3
    # for the event's materials (its inline's rows; the history reads them before and after); one
    # for the page cache: the event's stored values, read before the save to tell whether the lists
    # holding it change (pagecache/dependencies.py).
    with django_assert_num_queries(60 + SEARCH_DOCUMENT_QUERIES):
        assert secretary.post(change_url(event), data).status_code == 302
    assert Event.objects.get(pk=event.pk).title_fr == "Un autre titre"


def document_writes(queries):
    """The statements of ``queries`` that write a search document (its upsert; on PostgreSQL the
    update of its vectors)."""
    return [
        q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE")) and "search_searchdocument" in q["sql"]
    ]


@pytest.mark.parametrize("slots", SIZES)
def test_a_save_of_the_whole_programme_writes_the_search_document_once(secretary, slots, client):
    """Every slot and workshop retitled in one save: the document is written once, at the end
    (search/admin.py), not once per row; and the next search finds the new words."""
    event = event_with_programme(slots)
    data = form_values(secretary.get(change_url(event)))
    # The title fields of the rows that exist (those with an id), not of the empty extra rows.
    titles = [name for name in data if name.endswith("-title_de") and data.get(name.replace("-title_de", "-id"))]
    assert len(titles) == 2 * slots  # each slot and its workshop
    for number, name in enumerate(titles):
        data[name] = f"Quellenkunde {number}"
    data["title_fr"] = "Un titre nouveau"
    with CaptureQueriesContext(connection) as queries:
        assert secretary.post(change_url(event), data).status_code == 302
    assert len(document_writes(queries)) == (2 if connection.vendor == "postgresql" else 1)
    document = SearchDocument.objects.get(event=event)
    assert document.title_fr == "Un titre nouveau"
    assert all(f"Quellenkunde {number}" in document.text_de for number in range(2 * slots))


@pytest.mark.parametrize("slots", SIZES)
def test_the_history_page_does_not_grow_with_the_programme(secretary, slots, django_assert_num_queries):
    event = event_with_programme(slots)
    data = form_values(secretary.get(change_url(event)))
    for title in ("Erster Titel", "Zweiter Titel", "Dritter Titel"):
        data["title_de"] = title
        assert secretary.post(change_url(event), data).status_code == 302
    url = reverse("admin:events_event_history", args=[event.pk])
    with django_assert_num_queries(10):
        assert secretary.get(url).status_code == 200


def revert_alone(version):
    """The queries of reversion's revert of ``version``'s revision, undone afterwards."""

    def revert():
        with transaction.atomic():
            version.revision.revert(delete=True)
            transaction.set_rollback(True)

    return count(revert)


@pytest.mark.parametrize("slots", SIZES)
def test_restoring_costs_the_revert_and_a_fixed_number_of_queries(secretary, slots):
    event = event_with_programme(slots)
    data = form_values(secretary.get(change_url(event)))
    assert secretary.post(change_url(event), data).status_code == 302
    data["title_fr"] = "Un autre titre"
    assert secretary.post(change_url(event), data).status_code == 302
    version = Version.objects.get_for_object(event).last()  # the first one
    url = reverse("admin:events_event_revision", args=[event.pk, version.pk])
    secretary.get(url)
    revert = revert_alone(version)

    shown = count(lambda: secretary.get(url))
    restore = form_values(secretary.get(url))
    saved = count(lambda: secretary.post(url, restore))

    # One each for "was it cancelled before the restore?" (registration/admin/events.py) and for
    # "does another event hold an address of the version now?" (events/admin/history.py); those of
    # the event's search document, rebuilt when the restored event is saved (search/receivers.py);
    # the materials inline's rows and choices (4 shown; 3 saved: the rows, and the history's
    # reading of them before and after); the page cache's reading of the event's stored values.
    assert (shown - revert, saved - revert) == (29, 64 + SEARCH_DOCUMENT_QUERIES)
    assert Event.objects.get(pk=event.pk).title_fr != "Un autre titre"


@pytest.mark.parametrize("people", (3, 30))
def test_the_editors_selects_do_not_render_a_template_per_person(secretary, people):
    """A person select per speaker line, each listing everyone: its options are written by the
    select's own template, so the page renders as many templates with 3 people as with 30."""
    event = event_with_programme(2)
    PersonFactory.create_batch(people)
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        assert secretary.get(change_url(event)).status_code == 200
    finally:
        template_rendered.disconnect(note)
    # 886: the cancel notice's and the change notice's radio choices (e-mail the registrants or not)
    # are on the form, with the status, attendance, languages and interpretation fields (issue 27),
    # and the person selects write their "add" link in their own template (no wrapper template each);
    # 194 for the materials inline's blank row (its fields' widgets, with the accessibility
    # statement's publication date and alternative texts), as many with 3 people as with 30.
    assert len(rendered) == 912
