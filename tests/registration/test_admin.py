"""The secretariat's registration screens: the registration form of an event (quotas and
workshop seats), the list with filters and search, the per-event overview with its counts, the
CSV export read back with Python's csv module, the A4 sign-in sheet, attendance, moves under the
rules and the explicit, logged override, and the Sekretariat group's exact rights."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from registration.models import CityQuota, Registration, RegistrationSettings, StatusChange, WorkshopSeats
from tests.factories import EventFactory
from tests.helpers import html_of
from tests.test_security import assert_csp_clean

from .conftest import run_queue
from .factories import event_with_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(cities):
    return event_with_form(
        capacity=3,
        quotas={cities["trier"]: 2, cities["metz"]: 1},
        workshops=["Mobilität", "Grenzalltag"],
        seats={"Mobilität": 2},
        ask_lunch=True,
        ask_bus=True,
    )


@pytest.fixture
def people(event, register, cities):
    mobility, border = event.workshops_by_title["Mobilität"], event.workshops_by_title["Grenzalltag"]
    return {
        "zoe": register(
            event,
            cities["trier"],
            [mobility],
            first_name="Zoé",
            last_name="Lefèvre",
            email="zoe@example.org",
            organisation='=HYPERLINK("http://x")',
            lunch=True,
            dietary_needs="végétarienne",
            bus_city=cities["trier"],
            language="fr",
        ),
        "anna": register(
            event,
            cities["trier"],
            [border],
            first_name="Anna",
            last_name="Ärmel",
            email="anna@example.org",
            organisation="Stadt Trier",
            lunch=False,
        ),
        "marc": register(
            event,
            cities["metz"],
            [mobility],
            first_name="Marc",
            last_name="Becker",
            email="marc@example.org",
            organisation="Ville de Metz",
            language="fr",
        ),
        "jo": register(event, cities["metz"], [border], first_name="Jo", last_name="Dupont", email="jo@example.org"),
    }


def changelist(**query):
    from urllib.parse import urlencode

    return reverse("admin:registration_registration_changelist") + ("?" + urlencode(query) if query else "")


def test_sekretariat_has_exactly_the_registration_rights_it_needs():
    group = Group.objects.get(name="Sekretariat")
    granted = set(group.permissions.filter(content_type__app_label="registration").values_list("codename", flat=True))
    assert granted == {
        *(
            f"{action}_{model}"
            for model in ("registrationsettings", "cityquota", "workshopseats", "registration")
            for action in ("add", "change", "delete", "view")
        ),
        "override_capacity",
        "view_statuschange",
        "view_email",
    }
    # Still nothing on users, groups, or the task queue's internals.
    assert not group.permissions.filter(content_type__app_label__in=["auth", "django_tasks_db"]).exists()


def test_secretary_sets_up_a_registration_form_with_quotas(secretary, cities, django_capture_on_commit_callbacks):
    event = EventFactory(title_de="Forum")
    add = reverse("admin:registration_registrationsettings_add")
    page = html_of(secretary.get(f"{add}?event={event.pk}"))  # the event chosen first
    # Every member city is offered a quota row; a privacy notice to start from, in both languages.
    assert page.count('name="quotas-') >= 4 * 2
    assert "Das Sekretariat von QuattroPole verwendet Ihre Angaben" in page
    assert "Le secrétariat de QuattroPole utilise les données" in page
    data = {
        "event": str(event.pk),
        "opens_at_0": "",
        "opens_at_1": "",
        "closes_at_0": "",
        "closes_at_1": "",
        "capacity": "40",
        "other_places": "0",
        "workshop_choice": "none",
        "ask_lunch": "on",
        "ask_language": "on",
        "privacy_notice_de": "Datenschutz.",
        "privacy_notice_fr": "Confidentialité.",
        "quotas-TOTAL_FORMS": "4",
        "quotas-INITIAL_FORMS": "0",
        "quotas-MIN_NUM_FORMS": "0",
        "quotas-MAX_NUM_FORMS": "1000",
        "workshop_seats-TOTAL_FORMS": "0",
        "workshop_seats-INITIAL_FORMS": "0",
    }
    for index, city in enumerate(cities.values()):
        data[f"quotas-{index}-city"] = str(city.pk)
        data[f"quotas-{index}-places"] = "10" if city.code != "luxembourg" else ""
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    form = RegistrationSettings.objects.get(event=event)
    assert form.capacity == 40
    # Luxembourg left empty: no quota row for it.
    assert dict(CityQuota.objects.values_list("city__code", "places")) == {"metz": 10, "saarbruecken": 10, "trier": 10}
    # Then the workshop seats, on the change page, one row per workshop of the programme.
    assert not WorkshopSeats.objects.exists()


def test_registration_form_cannot_close_after_the_event_starts(secretary, cities):
    event = EventFactory()
    after = event.start.astimezone(event.tzinfo) + __import__("datetime").timedelta(days=1)
    response = secretary.post(
        reverse("admin:registration_registrationsettings_add"),
        {
            "event": str(event.pk),
            "closes_at_0": after.strftime("%Y-%m-%d"),
            "closes_at_1": "10:00",
            "workshop_choice": "none",
            "privacy_notice_de": "x",
            "privacy_notice_fr": "x",
            "quotas-TOTAL_FORMS": "0",
            "quotas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "closes_at" in response.context["adminform"].form.errors


def test_workshop_seats_rows_are_offered_for_the_events_workshops(secretary, event):
    page = html_of(secretary.get(reverse("admin:registration_registrationsettings_change", args=[event.pk])))
    assert "Mobilität" in page and "Grenzalltag" in page
    assert 'name="workshop_seats-TOTAL_FORMS" value="2"' in page  # the existing row and one for Grenzalltag


def test_list_filters_search_and_waiting_list_position(secretary, event, people, register, cities):
    waiting = register(event, cities["trier"], first_name="Wanda", last_name="Warte", email="wanda@example.org")
    page = html_of(secretary.get(changelist()))
    assert "Warteliste, Platz 1" in page and "Warteliste, Platz 2" in page
    assert_csp_clean(secretary.get(changelist()))
    for query, expected in [
        ({"status__exact": "waitlisted"}, {"Dupont, Jo", "Warte, Wanda"}),
        ({"city__id__exact": cities["metz"].pk}, {"Becker, Marc", "Dupont, Jo"}),
        ({"workshop": event.workshops_by_title["Mobilität"].pk}, {"Lefèvre, Zoé", "Becker, Marc"}),
        ({"lunch__exact": "1"}, {"Lefèvre, Zoé"}),
        ({"language__exact": "fr"}, {"Lefèvre, Zoé", "Becker, Marc"}),
        ({"q": "ville de metz"}, {"Becker, Marc"}),
        ({"event__id__exact": event.pk, "q": "anna@"}, {"Ärmel, Anna"}),
    ]:
        response = secretary.get(changelist(**query))
        names = {str(row.last_name + ", " + row.first_name) for row in response.context["cl"].result_list}
        assert names == expected, query
    assert waiting.status == "waitlisted"


def test_overview_counts_by_status_city_workshop_lunch_bus_and_language(secretary, event, people):
    response = secretary.get(reverse("admin:registration_registration_overview", args=[event.pk]))
    assert response.status_code == 200
    page = html_of(response)
    for name in ("export", "sign_in_sheet"):
        assert f'href="{reverse(f"admin:registration_registration_{name}", args=[event.pk])}"' in page
    context = response.context
    assert [(label, n) for label, n, _url in context["statuses"]] == [
        ("Bestätigt", 3),
        ("Warteliste", 1),
        ("Platz reserviert, Adresse noch nicht bestätigt", 0),
        ("Warteliste gewünscht, Adresse noch nicht bestätigt", 0),
        ("Storniert", 0),
        ("Verfallen, Adresse nicht bestätigt", 0),
    ]
    by_city = {row["name"]: (row["confirmed"], row["limit"], row["waitlisted"]) for row in context["cities"]}
    assert by_city["Trier"] == (2, 2, 0) and by_city["Metz"] == (1, 1, 1)
    by_workshop = {row["name"].split(" – ")[1]: (row["confirmed"], row["limit"]) for row in context["workshops"]}
    assert by_workshop == {"Mobilität": (2, 2), "Grenzalltag": (1, None)}
    assert [(label, n) for label, n, _url in context["lunch"]] == [("ja", 1), ("nein", 1)]
    assert {label: n for label, n, _url in context["bus"]}["Trier"] == 1
    assert {label: n for label, n, _url in context["languages"]} == {"Deutsch": 1, "Français": 2}
    assert_csp_clean(response)


def read_csv(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_every_answer_with_accents_in_the_staff_language(secretary, event, people):
    response = secretary.get(reverse("admin:registration_registration_export", args=[event.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert len(rows) == 4  # one row per registrant
    zoe = next(row for row in rows if row["Vorname"] == "Zoé")
    assert zoe == {
        "Status": "Bestätigt",
        "Platz auf der Warteliste": "",
        "Nachname": "Lefèvre",
        "Vorname": "Zoé",
        "E-Mail": "zoe@example.org",
        "Organisation": '\'=HYPERLINK("http://x")',  # never run as a formula
        "Stadt": "Trier",
        "Anderer Ort": "",
        "Arbeitsgruppe": "Mobilität",
        "Mittagessen": "ja",
        "Ernährungswünsche": "végétarienne",
        "Bus ab": "Trier",
        "Sprache der E-Mails": "Français",
        "Angemeldet am": zoe["Angemeldet am"],
        "Datenschutzhinweis akzeptiert am": zoe["Datenschutzhinweis akzeptiert am"],
        "Anwesend": "nein",
    }
    assert zoe["Angemeldet am"][:2] == "20"
    # Confirmed by name, then the waiting list in its order.
    assert [row["Nachname"] for row in rows] == ["Ärmel", "Becker", "Lefèvre", "Dupont"]
    assert rows[-1]["Status"] == "Warteliste" and rows[-1]["Platz auf der Warteliste"] == "1"


def test_csv_headings_in_french_for_a_french_speaking_staff_member(secretary, event, people):
    secretary.cookies["django_language"] = "fr"
    rows = read_csv(secretary.get(reverse("admin:registration_registration_export", args=[event.pk])))
    assert {"Prénom", "Nom", "Ville", "Atelier", "Déjeuner", "Bus au départ de", "Langue des e-mails"} <= set(rows[0])
    trier = {row["Nom"]: row["Ville"] for row in rows}
    assert trier["Lefèvre"] == "Trèves"


def test_export_action_for_selected_registrations(secretary, event, people):
    response = secretary.post(
        changelist(), {"action": "export_csv", "_selected_action": [people["zoe"].pk, people["marc"].pk]}
    )
    rows = read_csv(response)
    assert sorted(row["Vorname"] for row in rows) == ["Marc", "Zoé"]


def test_sign_in_sheet_alphabetical_with_a_signature_column_for_a4(secretary, event, people):
    response = secretary.get(reverse("admin:registration_registration_sign_in_sheet", args=[event.pk]))
    page = html_of(response)
    assert '<link rel="stylesheet" href="/static/css/sign-in-sheet.css">' in page
    names = [row.last_name for row in response.context["rows"]]
    assert names == ["Ärmel", "Becker", "Lefèvre"]  # confirmed only, alphabetical
    assert page.index("Ärmel") < page.index("Becker") < page.index("Lefèvre")
    assert "Unterschrift" in page and "Ville de Metz" in page
    assert "Dupont" not in page  # waiting list
    assert_csp_clean(response)
    from django.contrib.staticfiles import finders

    stylesheet = Path(finders.find("css/sign-in-sheet.css")).read_text()
    assert "size: A4" in stylesheet and "display: table-header-group" in stylesheet


def test_attendance_ticked_on_the_day(secretary, event, people, django_capture_on_commit_callbacks):
    response = secretary.post(
        changelist(), {"action": "mark_present", "_selected_action": [p.pk for p in people.values()]}
    )
    assert response.status_code == 302
    assert set(Registration.objects.filter(attended=True).values_list("first_name", flat=True)) == {
        "Zoé",
        "Anna",
        "Marc",
    }
    secretary.post(changelist(), {"action": "mark_absent", "_selected_action": [people["anna"].pk]})
    assert not Registration.objects.get(pk=people["anna"].pk).attended


def test_confirm_follows_the_rules_and_the_override_is_explicit_and_logged(
    secretary, event, people, django_capture_on_commit_callbacks
):
    jo = people["jo"]
    response = secretary.post(changelist(), {"action": "confirm", "_selected_action": [jo.pk]}, follow=True)
    assert "Dupont" in html_of(response) and "wurde nicht verschoben" in html_of(response)
    assert Registration.objects.get(pk=jo.pk).status == "waitlisted"

    # The override asks for a reason first …
    page = secretary.post(changelist(), {"action": "confirm_beyond_the_rules", "_selected_action": [jo.pk]})
    assert page.status_code == 200 and "Begründung" in html_of(page)
    assert Registration.objects.get(pk=jo.pk).status == "waitlisted"
    # … and an explicit tick.
    page = secretary.post(
        changelist(),
        {"action": "confirm_beyond_the_rules", "_selected_action": [jo.pk], "apply": "1", "note": "Rednerin"},
    )
    assert page.status_code == 200 and Registration.objects.get(pk=jo.pk).status == "waitlisted"
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(
            changelist(),
            {
                "action": "confirm_beyond_the_rules",
                "_selected_action": [jo.pk],
                "apply": "1",
                "note": "Rednerin",
                "override": "on",
            },
        )
    assert response.status_code == 302
    assert Registration.objects.get(pk=jo.pk).status == "confirmed"
    entry = StatusChange.objects.get(registration=jo, action="moved")
    assert (entry.by, entry.override, entry.note) == (secretary.user, True, "Rednerin")
    assert "Rednerin" in LogEntry.objects.get(object_id=str(jo.pk)).get_change_message()
    run_queue()
    assert [m.subject for m in mail.outbox if m.to == ["jo@example.org"]][-1].startswith("Sie haben einen Platz")


def test_override_needs_its_own_permission(client, event, people):
    user = get_user_model().objects.create_user("helfer", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.set(Permission.objects.filter(codename__in=["view_registration", "change_registration"]))
    client.force_login(user)
    page = html_of(client.get(changelist()))
    assert "confirm_beyond_the_rules" not in page and "mark_present" in page
    client.post(
        changelist(),
        {
            "action": "confirm_beyond_the_rules",
            "_selected_action": [people["jo"].pk],
            "apply": "1",
            "note": "x",
            "override": "on",
        },
    )
    assert Registration.objects.get(pk=people["jo"].pk).status == "waitlisted"


def test_moving_to_the_waiting_list_and_cancelling_promote_the_next(
    secretary, event, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(changelist(), {"action": "cancel_registrations", "_selected_action": [people["marc"].pk]})
    assert Registration.objects.get(pk=people["marc"].pk).status == "cancelled"
    assert Registration.objects.get(pk=people["jo"].pk).status == "confirmed"  # Metz's place went to Jo


def test_staff_add_a_registration_with_the_visitors_form(secretary, event, cities, django_capture_on_commit_callbacks):
    add = reverse("admin:registration_registration_add")
    assert event.title_de in html_of(secretary.get(add))  # first, the event
    page = secretary.get(add + f"?event={event.pk}")
    assert page.status_code == 200 and 'name="first_name"' in html_of(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(
            add,
            {
                "event": str(event.pk),
                "first_name": "Telefon",
                "last_name": "Anruferin",
                "email": "anruf@example.org",
                "city": "trier",
                "workshop": str(event.workshops_by_title["Grenzalltag"].pk),
                "lunch": "no",
                "bus": "none",
                "language": "de",
            },
        )
    registration = Registration.objects.get(email="anruf@example.org")
    assert response.status_code == 302 and registration.status == "confirmed"
    assert registration.history.get().by == secretary.user


def test_staff_change_answers_under_the_rules(secretary, event, people):
    zoe = people["zoe"]
    answers = reverse("admin:registration_registration_answers", args=[zoe.pk])
    response = secretary.post(
        answers,
        {
            "first_name": "Zoé",
            "last_name": "Lefèvre",
            "email": "zoe@example.org",
            "city": "metz",  # Metz is full
            "workshop": str(event.workshops_by_title["Mobilität"].pk),
            "lunch": "yes",
            "bus": "trier",
            "language": "fr",
        },
    )
    assert response.status_code == 200
    assert "Alle Plätze für Metz sind vergeben." in html_of(response)
    assert Registration.objects.get(pk=zoe.pk).city.code == "trier"


def test_deleting_a_registration_frees_its_place(secretary, event, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(
            changelist(), {"action": "delete_selected", "_selected_action": [people["marc"].pk], "post": "yes"}
        )
    assert response.status_code == 302
    assert not Registration.objects.filter(pk=people["marc"].pk).exists()
    assert Registration.objects.get(pk=people["jo"].pk).status == "confirmed"


def test_registration_change_page_shows_history_and_emails(secretary, event, people):
    response = secretary.get(reverse("admin:registration_registration_change", args=[people["zoe"].pk]))
    page = html_of(response)
    assert response.status_code == 200
    assert "Antworten ändern" in page and "Verlauf" in page and "Bestätigung" in page
    assert_csp_clean(response)


@pytest.mark.parametrize(
    "name",
    [
        "registration_registration_changelist",
        "registration_registrationsettings_changelist",
        "registration_registrationsettings_add",
        "registration_registration_add",
    ],
)
def test_admin_pages_are_csp_clean(secretary, event, people, name):
    response = secretary.get(reverse(f"admin:{name}"))
    assert response.status_code == 200
    assert_csp_clean(response)
