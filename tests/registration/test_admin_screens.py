"""The registration screens as the secretariat meets them (registration/admin/): setting up an
event's registration form (the event chosen first among the upcoming ones, the workshop question
asked when the programme has workshops, blank rows that come back blank, a fixed number of
queries however many cities and workshops), the registrations list (active ones first, one
column for the event's questions), the history in local time, and the sign-in sheet (logo,
workshop and lunch columns). Their layout at 1366 px: tests/browser/test_admin_layout.py."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import City, Workshop
from registration.models import CityQuota, Registration, RegistrationSettings, WorkshopSeats
from registration.services import booking
from tests.factories import CityFactory, EventFactory, ProgrammeSlotFactory, WorkshopFactory, local
from tests.helpers import html_of

from .factories import event_with_form

pytestmark = pytest.mark.django_db

ADD = "admin:registration_registrationsettings_add"


def offered_events(page):
    select = re.search(r'<select name="event"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option value="\d+"[^>]*>([^<(]+?) \(', select)


def selected(page, name):
    """The value chosen in the select ``name`` ("" for none)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return chosen.group(1) if chosen else ""


def workshops_in(event, *slots):
    """Workshop slots in ``event``'s programme, each with the workshops named."""
    for hour, titles in enumerate(slots, start=10):
        slot = ProgrammeSlotFactory(
            event=event, start=event.start + datetime.timedelta(hours=hour - 10), kind="workshops"
        )
        for order, title in enumerate(titles):
            WorkshopFactory(slot=slot, title_de=title, title_fr=title, order=order)


# --- Setting up: the event first ----------------------------------------------------------------------


def test_the_event_is_chosen_among_upcoming_events_without_a_form(secretary, cities):
    soon = EventFactory(title_de="Bald", start=timezone.now() + datetime.timedelta(days=3))
    later = EventFactory(title_de="Später", start=timezone.now() + datetime.timedelta(days=60))
    EventFactory(title_de="Vorbei", start=timezone.now() - datetime.timedelta(days=60))
    EventFactory(title_de="Mit Link", registration_url_de="https://example.org/anmelden")
    event_with_form()  # an event that has its form already

    page = html_of(secretary.get(reverse(ADD)))

    assert offered_events(page) == [soon.title_de, later.title_de]  # soonest first
    assert 'href="?past=1"' in page


def test_past_events_only_when_asked_for(secretary, cities):
    EventFactory(title_de="Bald", start=timezone.now() + datetime.timedelta(days=3))
    EventFactory(title_de="Vorbei", start=timezone.now() - datetime.timedelta(days=60))

    page = html_of(secretary.get(reverse(ADD) + "?past=1"))

    assert offered_events(page) == ["Bald", "Vorbei"]  # the latest first


def test_adding_a_registration_offers_upcoming_events_first(secretary, cities):
    event_with_form(start=timezone.now() - datetime.timedelta(days=30))
    upcoming = event_with_form()
    add = reverse("admin:registration_registration_add")

    assert offered_events(html_of(secretary.get(add))) == [upcoming.title_de]
    assert len(offered_events(html_of(secretary.get(add + "?past=1")))) == 2


@pytest.mark.parametrize(
    ("slots", "question"),
    [
        ((), "none"),
        ((["Mobilität", "Kultur"],), "one"),
        ((["Mobilität", "Kultur"], ["Sport", "Schule"]), "per_slot"),
    ],
)
def test_the_form_asks_for_a_workshop_when_the_programme_has_workshops(secretary, cities, slots, question):
    event = EventFactory()
    workshops_in(event, *slots)

    page = html_of(secretary.get(reverse(ADD) + f"?event={event.pk}"))

    assert selected(page, "workshop_choice") == question
    assert selected(page, "event") == str(event.pk)
    workshops = sum(len(titles) for titles in slots)
    if workshops:
        assert f'name="workshop_seats-TOTAL_FORMS" value="{workshops}"' in page  # a row of seats each
    else:
        assert 'name="workshop_seats-TOTAL_FORMS"' not in page  # no seats to give


def setup_data(event, cities, places, **fields):
    """The add form as the browser sends it: a quota row per city (preselected) with ``places``."""
    data = {
        "event": str(event.pk),
        "workshop_choice": "none",
        "ask_language": "on",
        "privacy_notice_de": "Datenschutz.",
        "privacy_notice_fr": "Confidentialité.",
        "quotas-TOTAL_FORMS": str(len(cities)),
        "quotas-INITIAL_FORMS": "0",
        "workshop_seats-TOTAL_FORMS": "0",
        "workshop_seats-INITIAL_FORMS": "0",
        **fields,
    }
    for index, (city, number) in enumerate(zip(cities, places, strict=True)):
        data[f"quotas-{index}-city"] = str(city.pk)
        data[f"quotas-{index}-places"] = number
    return data


def test_quota_rows_left_blank_come_back_blank(secretary, cities):
    event = EventFactory()
    members = list(cities.values())
    after_the_start = (event.start + datetime.timedelta(days=1)).astimezone(event.tzinfo)
    data = setup_data(
        event,
        members,
        ["10", "", "", ""],
        closes_at_0=after_the_start.strftime("%d.%m.%Y"),
        closes_at_1="10:00",
    )

    page = html_of(secretary.post(reverse(ADD) + f"?event={event.pk}", data))

    assert "Die Anmeldung kann nicht nach Beginn der Veranstaltung schließen." in page  # the error elsewhere
    assert selected(page, "quotas-0-city") == str(members[0].pk)  # the row filled in stays
    assert [selected(page, f"quotas-{n}-city") for n in (1, 2, 3)] == ["", "", ""]


def test_saved_without_them_the_blank_rows_are_no_quotas_and_come_back_blank(secretary, cities):
    event = EventFactory()
    members = list(cities.values())

    response = secretary.post(reverse(ADD) + f"?event={event.pk}", setup_data(event, members, ["10", "", "5", ""]))

    assert response.status_code == 302
    assert dict(CityQuota.objects.values_list("city__code", "places")) == {"luxembourg": 10, "saarbruecken": 5}
    page = html_of(secretary.get(reverse("admin:registration_registrationsettings_change", args=[event.pk])))
    assert 'name="quotas-TOTAL_FORMS" value="4"' in page  # the two quotas and a row for each other city
    assert [selected(page, f"quotas-{n}-city") for n in (2, 3)] == ["", ""]


def page_queries(client, url):
    client.get(url)  # caches warm (content types, permissions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_setting_up_costs_the_same_queries_however_many_cities_and_workshops(secretary):
    small = EventFactory()
    CityFactory(code="metz")
    workshops_in(small, ["Eins"])
    add = reverse(ADD)
    counts = [page_queries(secretary, f"{add}?event={small.pk}")]

    large = EventFactory()
    for code in ("luxembourg", "saarbruecken", "trier", "thionville", "nancy"):
        CityFactory(code=code)
    workshops_in(large, ["A", "B", "C"], ["D", "E"], ["F"])
    counts.append(page_queries(secretary, f"{add}?event={large.pk}"))

    for event, quotas in ((small, 1), (large, 4)):
        settings = RegistrationSettings.objects.create(event=event, privacy_notice_de="x")
        for city in City.objects.order_by("pk")[:quotas]:
            CityQuota.objects.create(settings=settings, city=city, places=3)
        for workshop in Workshop.objects.filter(slot__event=event)[:quotas]:
            WorkshopSeats.objects.create(settings=settings, workshop=workshop, seats=5)
        change = reverse("admin:registration_registrationsettings_change", args=[event.pk])
        counts.append(page_queries(secretary, change))

    assert counts[0] == counts[1], "adding"
    assert counts[2] == counts[3], "changing"


# --- The registrations list -----------------------------------------------------------------------------


@pytest.fixture
def crowded(cities, register):
    """An event whose one place is taken: one confirmed, two on the waiting list, one cancelled."""
    event = event_with_form(capacity=1, workshops=["Mobilität"], ask_lunch=True)
    mobility = event.workshops_by_title["Mobilität"]
    people = {
        name: register(event, cities["metz"], [mobility], last_name=name, lunch=True)
        for name in ("Adam", "Berg", "Cramer", "Dorn")
    }
    booking.cancel(people["Adam"])  # the first confirmed one cancels: Berg moves up
    return event


def names_in_list(client, **query):
    response = client.get(reverse("admin:registration_registration_changelist"), query)
    return [(row.last_name, row.status) for row in response.context["cl"].result_list], html_of(response)


@pytest.mark.parametrize("one_event", [False, True])
def test_the_list_shows_active_registrations_first(secretary, crowded, one_event):
    rows, _page = names_in_list(secretary, **({"event__id__exact": crowded.pk} if one_event else {}))
    assert rows == [
        ("Berg", "confirmed"),
        ("Cramer", "waitlisted"),  # the waiting list in its order
        ("Dorn", "waitlisted"),
        ("Adam", "cancelled"),
    ]


def test_the_list_of_one_event_has_a_column_for_its_questions(secretary, crowded):
    _rows, page = names_in_list(secretary, event__id__exact=crowded.pk)
    assert "Arbeitsgruppe: Mobilität<br>Mittagessen: ja<br>E-Mails: Deutsch" in page
    assert 'class="column-event_short' not in page  # the event's column would repeat itself
    _rows, page = names_in_list(secretary)
    assert 'class="column-answers' not in page and 'class="sortable column-event_short' in page


# --- A registration's history, in local time --------------------------------------------------------------


def test_the_history_shows_local_time_only(secretary, cities, register, time_machine):
    time_machine.move_to(local(2027, 1, 5, 9, 15), tick=False)  # 08:15 UTC
    secretary.force_login(get_user_model().objects.get(username="sekretariat"))  # a session of that day
    event = event_with_form(start=local(2027, 3, 1, 9, 0))
    registration = register(event, cities["trier"])

    page = html_of(secretary.get(reverse("admin:registration_registration_change", args=[registration.pk])))

    assert "Angemeldet (05.01.2027 9:15)" in page  # each row's title
    assert "Dienstag, 5. Januar 2027, 9:15 Uhr" in page  # its "when" column
    assert "8:15" not in page and "08:15" not in page


# --- The sign-in sheet ---------------------------------------------------------------------------------------


def test_the_sign_in_sheet_has_the_logo_and_the_workshop_and_lunch_columns(secretary, crowded):
    page = html_of(secretary.get(reverse("admin:registration_registration_sign_in_sheet", args=[crowded.pk])))
    assert 'class="brand__logo"' in page and "QuattroPole" in page
    headings = re.findall(r'<th scope="col" class="sheet__(\w+)">', page)
    assert headings == ["number", "name", "city", "workshop", "lunch", "signature"]
    row = re.search(r"<tr>\s*<td class=\"sheet__number\">1</td>(.*?)</tr>", page, re.S).group(1)
    assert '<td class="sheet__workshop">Mobilität</td>' in row and '<td class="sheet__lunch">ja</td>' in row


def test_the_sign_in_sheet_leaves_out_the_questions_not_asked(secretary, cities, register):
    event = event_with_form()
    register(event, cities["metz"])
    page = html_of(secretary.get(reverse("admin:registration_registration_sign_in_sheet", args=[event.pk])))
    headings = re.findall(r'<th scope="col" class="sheet__(\w+)">', page)
    assert headings == ["number", "name", "city", "signature"]


def test_the_status_column_sorts_active_registrations_first(secretary, crowded):
    """Sorting by the status column (ascending) keeps the same order: not "cancelled" first."""
    response = secretary.get(reverse("admin:registration_registration_changelist"), {"o": "4"})
    statuses = [row.status for row in response.context["cl"].result_list]
    assert statuses == sorted(statuses, key=[*Registration.ACTIVE, Registration.Status.CANCELLED].index)
