"""Issue 27's facts in the open API (api/serializers/facts.py): the status a visitor is told, with
OpenAgenda's code for each, how one attends, the languages and interpretation, the venue's
accessibility — as fields of each record and as filters of the list."""

import datetime
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate

from tests.factories import EventFactory, VenueFactory
from tests.helpers import html_of
from tests.registration.factories import RegistrationFactory, event_with_form

pytestmark = pytest.mark.django_db

STATUS_CODES = [
    ("scheduled", 1),
    ("rescheduled", 2),
    ("moved_online", 3),
    ("postponed", 4),
    ("full", 5),
    ("cancelled", 6),
]


def answer(client, address):
    response = client.get(address)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.status_code, json.loads(response.content)


def record(client, event):
    status, data = answer(client, f"/api/v1/events/{event.pk}")
    assert status == 200, data
    return data


def ids(client, query):
    """The ids listed for ``query``; a query not in the canonical order is redirected there first."""
    response = client.get(f"/api/v1/events?{query}", follow=True)
    assert response.status_code == 200, response.content[:300]
    data = json.loads(response.content)
    return sorted(r["id"] for r in data["results"])


def event_in(status):
    """An upcoming event of each status visitors can be told ("full": its one place taken)."""
    if status == "full":
        event = event_with_form(capacity=1)
        RegistrationFactory(event=event)
        return event
    if status == "cancelled":
        return EventFactory(is_cancelled=True)
    start = timezone.now() + datetime.timedelta(days=20)
    fields = {"event_status": status, "start": start, "end": start + datetime.timedelta(hours=2)}
    if status == "rescheduled":
        fields["previous_start"] = start - datetime.timedelta(days=7)
    if status == "moved_online":
        fields.update(attendance_mode="online", online_url="https://meet.example.org/q", online_url_visibility="public")
    return EventFactory(**fields)


@pytest.mark.parametrize(("status", "code"), STATUS_CODES)
def test_each_status_has_its_openagenda_code_in_the_list_the_event_and_the_filter(client, status, code):
    event = event_in(status)
    other = EventFactory()  # scheduled, not full: only in the list of "scheduled"
    data = record(client, event)
    assert data["status"] == status
    assert data["openagenda"]["status"] == code
    [listed] = [r for r in answer(client, "/api/v1/events")[1]["results"] if r["id"] == event.pk]
    assert (listed["status"], listed["openagenda"]["status"]) == (status, code)
    expected = sorted([event.pk, other.pk]) if status == "scheduled" else [event.pk]
    assert ids(client, f"status={status}") == expected


def test_a_rescheduled_event_gives_its_previous_start_and_others_none(client):
    rescheduled = event_in("rescheduled")
    assert datetime.datetime.fromisoformat(record(client, rescheduled)["previous_start"]) == rescheduled.previous_start
    postponed = event_in("postponed")
    postponed.previous_start = postponed.start - datetime.timedelta(days=3)
    postponed.save()
    assert record(client, postponed)["previous_start"] is None


def test_a_registrants_only_link_is_never_in_the_api(client):
    secret = "https://meet.example.org/only-for-registrants"
    event = EventFactory(attendance_mode="mixed", online_url=secret, online_url_visibility="registrants")
    data = record(client, event)
    assert data["online_url"] is None
    assert (data["attendance_mode"], data["openagenda"]["attendance_mode"]) == ("mixed", 3)
    for address in (f"/api/v1/events/{event.pk}", "/api/v1/events", "/api/v1/events?attendance_mode=mixed"):
        assert secret not in client.get(address).content.decode()
    event.online_url_visibility = "public"
    event.save()
    assert record(client, event)["online_url"] == secret


def test_languages_interpretation_and_the_venues_accessibility(client):
    venue = VenueFactory(
        access_motor=True,
        access_hearing=True,
        accessibility_note_de="Eingang über den Hof",
        accessibility_note_fr="Entrée par la cour",
        accessibility_example=True,
    )
    event = EventFactory(
        venue=venue,
        held_in_de=True,
        held_in_lb=True,
        interpretation_kind="simultaneous",
        interpretation_from="de",
        interpretation_to="fr",
        interpretation_de="nur im Plenum",
        sign_language=True,
    )
    data = record(client, event)
    assert data["languages"] == ["de", "lb"]
    assert data["interpretation"] == {
        "kind": "simultaneous",
        "from": "de",
        "to": "fr",
        "note": {"de": "nur im Plenum", "fr": None},
    }
    assert data["sign_language"] is True
    assert data["venue"]["accessibility"] == {
        "hearing": True,
        "visual": False,
        "psychic": False,
        "motor": True,
        "intellectual": False,
        "note": {"de": "Eingang über den Hof", "fr": "Entrée par la cour"},
        "example": True,
    }
    assert data["openagenda"]["accessibility"] == {"ii": False, "hi": True, "vi": False, "pi": False, "mi": True}
    assert record(client, EventFactory(venue=None))["openagenda"]["accessibility"] is None


def test_the_filters_combine(client):
    step_free = VenueFactory(access_motor=True)
    wanted = EventFactory(
        venue=step_free,
        held_in_fr=True,
        attendance_mode="mixed",
        online_url="https://meet.example.org/a",
        interpretation_kind="consecutive",
        interpretation_from="fr",
        interpretation_to="de",
    )
    in_german = EventFactory(venue=step_free, held_in_de=True, attendance_mode="mixed", online_url="https://x.org/")
    with_steps = EventFactory(venue=VenueFactory(access_motor=False), held_in_fr=True)
    assert ids(client, "accessibility=motor") == sorted([wanted.pk, in_german.pk])
    assert ids(client, "language=fr") == sorted([wanted.pk, with_steps.pk])
    assert ids(client, "accessibility=motor&language=fr") == [wanted.pk]
    assert ids(client, "attendance_mode=mixed&language=de") == [in_german.pk]
    assert ids(client, "interpretation=consecutive&status=scheduled&accessibility=motor") == [wanted.pk]
    assert ids(client, "interpretation=simultaneous") == []
    assert ids(client, "attendance_mode=in_person") == [with_steps.pk]


@pytest.mark.parametrize(
    "query",
    ["status=sold_out", "status=5", "attendance_mode=offline", "accessibility=mi", "language=es", "interpretation=x"],
)
def test_an_unknown_value_of_a_new_filter_is_a_json_400_naming_it(client, query):
    status, data = answer(client, f"/api/v1/events?{query}")
    assert status == 400
    name = query.split("=")[0]
    assert data["error"]["code"] == "invalid_parameter"
    assert name in data["error"]["message"]["de"]
    assert name in data["error"]["message"]["fr"]


def test_the_new_filters_keep_their_canonical_order_in_the_page_links(client):
    for _ in range(3):
        EventFactory(held_in_fr=True)
    response = client.get("/api/v1/events?page_size=1&language=fr&status=scheduled", follow=True)
    assert response.redirect_chain == [("/api/v1/events?status=scheduled&language=fr&page_size=1", 301)]
    data = json.loads(response.content)
    assert data["next"].endswith("/api/v1/events?status=scheduled&language=fr&page=2&page_size=1")


def test_full_and_scheduled_part_on_the_registration_app_s_answer(client):
    """Two events with a form: one with a place left is "scheduled", the other "full"."""
    room_left = event_with_form(capacity=2)
    RegistrationFactory(event=room_left)
    full = event_with_form(capacity=2)
    RegistrationFactory(event=full)
    RegistrationFactory(event=full)
    assert ids(client, "status=scheduled") == [room_left.pk]
    assert ids(client, "status=full") == [full.pk]
    assert [r["status"] for r in answer(client, "/api/v1/events?ordering=start")[1]["results"]] == [
        "scheduled" if e == room_left else "full" for e in sorted([room_left, full], key=lambda e: (e.start, e.pk))
    ]


def test_the_schema_validates_and_describes_the_new_filters_and_fields(client):
    status, schema = answer(client, "/api/v1/openapi.json")
    assert status == 200
    validate(schema)
    operation = schema["paths"]["/api/v1/events"]["get"]
    names = [p["name"] for p in operation["parameters"]]
    assert {"status", "attendance_mode", "accessibility", "language", "interpretation"} <= set(names)
    summary = schema["components"]["schemas"]["EventSummary"]["properties"]
    assert {"status", "previous_start", "online_url", "languages", "interpretation", "openagenda"} <= set(summary)
    assert set(schema["components"]["schemas"]["Interpretation"]["properties"]) == {"kind", "from", "to", "note"}


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ("Barrierefreiheit", "In dieser Sprache gehalten", "Die Art der Verdolmetschung")),
        ("fr", ("accessibilité", "Tenu dans cette langue", "Le type d’interprétation")),
    ],
)
def test_the_guide_lists_the_new_filters_in_each_language(client, language, words):
    page = html_of(client.get(f"/{language}/api/"))
    for name in ("status", "attendance_mode", "accessibility", "language", "interpretation"):
        assert f">{name}<" in page
    for word in words:
        assert word in page


def test_the_full_filter_costs_the_same_queries_whatever_the_number_of_events(client):
    def count(address):
        with override_settings(PAGE_CACHE_ENABLED=False), CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    def make(n):
        for _ in range(n):
            RegistrationFactory(event=event_with_form(capacity=1))
            EventFactory(held_in_fr=True)

    make(2)
    few = [count(f"/api/v1/events?status={status}&page_size=100") for status in ("scheduled", "full")]
    make(10)
    assert [count(f"/api/v1/events?status={status}&page_size=100") for status in ("scheduled", "full")] == few
