"""Migration 0010 (issue 27) on data as it was before it: the 2017 conference's free-text
interpretation notes become data, a cancelled event stays cancelled, and each event gets a
calendar UID of its own. Run with Django's migration executor: back to 0009, rows written with
the models of that state, forward again."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("events", "0009_list_count_index_only")]
AFTER = [("events", "0010_event_status_attendance_languages_accessibility")]


@pytest.mark.django_db(transaction=True)
def test_interpretation_notes_and_cancelled_flags_survive_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Event, Category = old.get_model("events", "Event"), old.get_model("events", "Category")
    category = Category.objects.create(code="quattropole", name_de="QuattroPole", name_fr="QuattroPole")
    start = datetime.datetime(2017, 11, 22, 8, 30, tzinfo=datetime.UTC)

    def event(slug, **fields):
        return Event.objects.create(
            slug_de=slug,
            title_de=slug,
            category=category,
            start=start,
            end=start + datetime.timedelta(hours=8),
            **fields,
        ).pk

    conference = event(
        "zuwanderung",
        interpretation_de="Simultanübersetzung Deutsch/Französisch",
        interpretation_fr="Interprétariat simultané français/allemand",
    )
    cancelled = event(
        "abgesagt",
        is_cancelled=True,
        ical_sequence=3,
        interpretation_de="Simultanübersetzung Deutsch/Französisch nur im Plenum",
    )
    plain = event("ohne")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("events", "Event")

    converted = new.objects.get(pk=conference)
    assert (converted.interpretation_kind, converted.interpretation_from, converted.interpretation_to) == (
        "simultaneous",
        "de",
        "fr",
    )
    assert (converted.held_in_de, converted.held_in_fr, converted.held_in_en) == (True, True, False)
    assert converted.interpretation_de == converted.interpretation_fr == "", "said by the data now"

    kept = new.objects.get(pk=cancelled)
    assert kept.is_cancelled and kept.ical_sequence == 3
    assert kept.event_status == "scheduled"
    # A note that says more than the fields can stays as it was, nothing guessed.
    assert kept.interpretation_de == "Simultanübersetzung Deutsch/Französisch nur im Plenum"
    assert kept.interpretation_kind == "none"

    uids = set(new.objects.values_list("calendar_uid", flat=True))
    assert len(uids) == 3 and None not in uids
    assert new.objects.get(pk=plain).interpretation_kind == "none"
