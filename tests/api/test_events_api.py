"""The open events API (/api/v1/…, api/v1.py): what a city's web team reads, what it never
reads (drafts, registrants), bad input as a JSON 400, and the page cache's promises (ETag, 304,
never stale after an edit)."""

import datetime
import json

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate

from events.models import Event
from registration.models import Registration
from tests.factories import (
    CategoryFactory,
    CityFactory,
    EventFactory,
    ProgrammeSlotFactory,
    ProjectGroupFactory,
    SlotSpeakerFactory,
)
from tests.helpers import html_of
from tests.registration.factories import RegistrationFactory, RegistrationSettingsFactory, event_with_form
from tests.web_client import form_fields

pytestmark = pytest.mark.django_db


def get(client, address, **headers):
    """A GET with HTTP headers (``{"If-None-Match": …}``)."""
    return client.get(address, headers=headers)


def data(response):
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture
def cities():
    return {
        code: CityFactory(code=code, name_de=de, name_fr=fr)
        for code, de, fr in (
            ("metz", "Metz", "Metz"),
            ("trier", "Trier", "Trèves"),
        )
    }


@pytest.fixture
def metz_event(cities):
    event = EventFactory(title_de="Bürgerbegegnung in Metz", title_fr="Rencontre citoyenne à Metz")
    event.cities.set([cities["metz"]])
    return event


def test_the_list_gives_both_languages_and_each_pages_address(visitor, metz_event):
    answer = data(get(visitor, "/api/v1/events"))
    assert answer["count"] == 1
    record = answer["results"][0]
    assert record["title"] == {"de": "Bürgerbegegnung in Metz", "fr": "Rencontre citoyenne à Metz"}
    assert record["page_url"]["de"].endswith(metz_event.get_absolute_url("de"))
    assert record["page_url"]["fr"].endswith(metz_event.get_absolute_url("fr"))
    assert record["page_url"]["de"] != record["page_url"]["fr"]
    assert record["cities"] == [{"code": "metz", "name": {"de": "Metz", "fr": "Metz"}}]
    # Times in the event's own time zone, with its offset.
    assert datetime.datetime.fromisoformat(record["start"]) == metz_event.start


def test_drafts_scheduled_and_unpublished_events_are_never_listed_nor_shown(visitor, metz_event):
    draft = EventFactory(status=Event.Status.DRAFT)
    scheduled = EventFactory(publish_at=timezone.now() + datetime.timedelta(days=2))
    ids = [r["id"] for r in data(get(visitor, "/api/v1/events?when=all"))["results"]]
    assert ids == [metz_event.pk]
    assert get(visitor, f"/api/v1/events/{draft.pk}").status_code == 404
    assert get(visitor, f"/api/v1/events/{scheduled.pk}").status_code == 404
    metz_event.status = Event.Status.DRAFT
    metz_event.save()
    gone = get(visitor, f"/api/v1/events/{metz_event.pk}")
    assert gone.status_code == 410
    assert data(gone)["error"]["code"] == "gone"


def test_filters_by_city_category_project_group_dates_and_time(visitor, cities):
    now = timezone.now()
    culture = CategoryFactory(code="culture", name_de="Kultur", name_fr="Culture")
    group = ProjectGroupFactory()
    in_trier = EventFactory(start=now + datetime.timedelta(days=10), category=culture, project_group=group)
    in_trier.cities.set([cities["trier"]])
    in_metz = EventFactory(start=now + datetime.timedelta(days=40))
    in_metz.cities.set([cities["metz"]])
    past = EventFactory(start=now - datetime.timedelta(days=40))
    past.cities.set([cities["metz"]])

    def ids(query):
        return [r["id"] for r in data(get(visitor, f"/api/v1/events?{query}"))["results"]]

    assert ids("") == [in_trier.pk, in_metz.pk]
    assert ids("city=metz") == [in_metz.pk]
    assert ids("city=metz&when=all") == [past.pk, in_metz.pk]
    assert ids("city=metz&when=past") == [past.pk]
    assert ids("category=culture") == [in_trier.pk]
    assert ids(f"project_group={group.pk}") == [in_trier.pk]
    day = timezone.localdate(in_metz.start)
    assert ids(f"from={day}&to={day}") == [in_metz.pk]
    assert ids("ordering=-start") == [in_metz.pk, in_trier.pk]


def test_updated_since_gives_what_changed(visitor, metz_event):
    before = (metz_event.updated - datetime.timedelta(minutes=5)).isoformat()
    after = (metz_event.updated + datetime.timedelta(minutes=5)).isoformat()
    assert data(visitor.get("/api/v1/events", {"updated_since": before}))["count"] == 1
    assert data(visitor.get("/api/v1/events", {"updated_since": after}))["count"] == 0


def test_pages_are_bounded_and_linked(visitor, cities):
    for _ in range(3):
        EventFactory()
    first = data(get(visitor, "/api/v1/events?page_size=2"))
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"].endswith("/api/v1/events?page=2&page_size=2")
    second = data(visitor.get(first["next"]))
    assert len(second["results"]) == 1
    assert second["next"] is None
    too_big = get(visitor, "/api/v1/events?page_size=101")
    assert too_big.status_code == 400
    assert "page_size" in data(too_big)["error"]["message"]["de"]


@pytest.mark.parametrize(
    ("address", "code", "named"),
    [
        ("/api/v1/events?town=metz", "unknown_parameter", "town"),
        ("/api/v1/events?city=paris", "unknown_value", "paris"),
        ("/api/v1/events?from=2026-02-30", "invalid_parameter", "from"),
        ("/api/v1/events?updated_since=yesterday", "invalid_parameter", "updated_since"),
        ("/api/v1/events?when=soon", "invalid_parameter", "when"),
        ("/api/v1/events?page=0", "invalid_parameter", "page"),
        ("/api/v2/events", "unknown_version", "v1"),
        ("/api/v10/events", "unknown_version", "v1"),
    ],
)
def test_bad_input_is_a_json_400_naming_the_mistake_in_both_languages(visitor, address, code, named):
    response = get(visitor, address)
    assert response.status_code == 400
    error = data(response)["error"]
    assert error["code"] == code
    assert named in error["message"]["de"]
    assert named in error["message"]["fr"]
    assert error["message"]["de"] != error["message"]["fr"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_event_or_address_is_a_json_404(visitor):
    assert data(get(visitor, "/api/v1/events/999999"))["error"]["code"] == "not_found"
    assert data(get(visitor, "/api/v1/places"))["error"]["code"] == "not_found"
    assert data(get(visitor, "/api/events"))["error"]["code"] == "not_found"


def test_one_event_has_its_programme_speakers_workshops_venue_and_no_personal_data(visitor, cities):
    event = event_with_form(capacity=10, quotas={cities["metz"]: 4}, workshops=["Wohnen"], seats={"Wohnen": 2})
    slot = ProgrammeSlotFactory(
        event=event, start=event.start - datetime.timedelta(minutes=30), title_de="Eröffnung", title_fr="Ouverture"
    )
    speaker = SlotSpeakerFactory(
        slot=slot, person__name="Claire Dupont", person__email="claire@example.org", person__phone="+33 387 123456"
    )
    RegistrationFactory(event=event, last_name="Registrantin", email="anna@example.org", city=cities["metz"])
    response = get(visitor, f"/api/v1/events/{event.pk}")
    record = data(response)
    assert [s["title"]["de"] for s in record["programme"]] == ["Eröffnung", "Arbeitsgruppen"]
    assert record["programme"][0]["speakers"][0]["name"] == "Claire Dupont"
    assert record["programme"][0]["speakers"][0]["role"] == {"de": "Forscherin", "fr": "Chercheuse"}
    workshop = record["programme"][1]["workshops"][0]
    assert workshop["title"] == {"de": "Wohnen", "fr": "Wohnen (fr)"}
    assert workshop["seats_left"] == 2
    assert record["venue"]["name"] == {"de": "Rathaus", "fr": "Hôtel de Ville"}
    registration = record["registration"]
    assert registration["kind"] == "built_in"
    assert registration["state"] == "open"
    assert registration["places_left"] == 9
    assert registration["places_left_by_city"] == [{"city": "metz", "places_left": 3}]
    assert registration["url"]["fr"].endswith(event.page_url("registration:register", "fr"))
    text = response.content.decode()
    for private in ("anna@example.org", "Registrantin", "claire@example.org", speaker.person.phone):
        assert private not in text


def test_a_full_event_says_so(visitor):
    event = event_with_form(capacity=1)
    RegistrationFactory(event=event)
    registration = data(get(visitor, f"/api/v1/events/{event.pk}"))["registration"]
    assert registration["state"] == "full"
    assert registration["places_left"] == 0


def test_an_event_with_a_registration_link_gives_it_per_language(visitor):
    event = EventFactory(registration_url_de="https://example.org/de", registration_url_fr="https://example.org/fr")
    registration = data(get(visitor, f"/api/v1/events/{event.pk}"))["registration"]
    assert registration["kind"] == "link"
    assert registration["state"] == "open"
    assert registration["url"] == {"de": "https://example.org/de", "fr": "https://example.org/fr"}


def test_answers_carry_cors_validators_and_come_from_the_page_cache(visitor, metz_event):
    first = get(visitor, "/api/v1/events?city=metz")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "no-cache" in first["Cache-Control"]
    assert first["X-Page-Cache"] == "miss"
    again = get(visitor, "/api/v1/events?city=metz")
    assert again["X-Page-Cache"] == "hit"
    assert again["Access-Control-Allow-Origin"] == "*"
    assert again.content == first.content
    not_modified = get(visitor, "/api/v1/events?city=metz", **{"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == "*"


def test_an_admin_edit_shows_in_the_api_at_the_next_request(visitor, metz_event, secretary):
    detail = f"/api/v1/events/{metz_event.pk}"
    assert data(get(visitor, detail))["title"]["de"] == "Bürgerbegegnung in Metz"
    assert data(get(visitor, "/api/v1/events"))["results"][0]["title"]["de"] == "Bürgerbegegnung in Metz"
    assert get(visitor, detail)["X-Page-Cache"] == "hit"
    change_url = f"/admin/events/event/{metz_event.pk}/change/"
    fields = form_fields(html_of(secretary.get(change_url)), "event_form")
    posted = {}
    for name, value in fields:
        posted.setdefault(name, []).append("Neuer Titel" if name == "title_de" else value)
    assert secretary.post(change_url, posted).status_code == 302
    assert data(get(visitor, detail))["title"]["de"] == "Neuer Titel"
    assert data(get(visitor, "/api/v1/events"))["results"][0]["title"]["de"] == "Neuer Titel"


def test_a_registration_changes_the_places_left_at_the_next_request(
    visitor, metz_event, django_capture_on_commit_callbacks
):
    RegistrationSettingsFactory(event=metz_event, capacity=5)
    detail = f"/api/v1/events/{metz_event.pk}"
    assert data(get(visitor, detail))["registration"]["places_left"] == 5
    assert get(visitor, detail)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        RegistrationFactory(event=metz_event, status=Registration.Status.CONFIRMED)
    assert data(get(visitor, detail))["registration"]["places_left"] == 4


def test_too_many_requests_are_refused_in_json(visitor, metz_event, settings):
    settings.API_RATE_PER_IP = "3/m"
    answers = [get(visitor, "/api/v1/events").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = get(visitor, "/api/v1/events")
    assert refused["Retry-After"] == "60"
    assert data(refused)["error"]["code"] == "rate_limited"


def test_the_openapi_schema_is_valid_and_describes_the_filters(visitor):
    schema = data(get(visitor, "/api/v1/openapi.json"))
    validate(schema)
    names = {p["name"] for p in schema["paths"]["/api/v1/events"]["get"]["parameters"]}
    assert {"city", "category", "project_group", "from", "to", "updated_since", "page_size"} <= names


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_guide_shows_the_operations_and_examples_in_each_language(visitor, language):
    page = html_of(get(visitor, f"/{language}/api/"))
    assert "/api/v1/openapi.json" in page
    assert "curl" in page
    assert "fetch(" in page
    assert "updated_since" in page  # the parameters, read from the schema
    assert ("Versionen" if language == "de" else "Versions") in page


def test_the_list_and_an_event_cost_the_same_queries_whatever_their_size(visitor, cities):
    def make(n):
        for _ in range(n):
            EventFactory(project_group=ProjectGroupFactory()).cities.set([cities["metz"]])

    def count(address):
        """The queries of a render (the page cache off: every request renders)."""
        with override_settings(PAGE_CACHE_ENABLED=False), CaptureQueriesContext(connection) as captured:
            assert visitor.get(address).status_code == 200
        return len(captured)

    make(3)
    few = count("/api/v1/events?page_size=100")
    make(27)
    assert count("/api/v1/events?page_size=100") == few
    small = event_with_form(capacity=5, quotas={cities["metz"]: 2}, workshops=["A"], seats={"A": 3})
    big = event_with_form(capacity=50, quotas={cities["metz"]: 20}, workshops=["A", "B", "C"], seats={"B": 3})
    for _ in range(5):
        SlotSpeakerFactory(slot__event=big)
        RegistrationFactory(event=big, city=cities["metz"])
    assert count(f"/api/v1/events/{small.pk}") == count(f"/api/v1/events/{big.pk}")
