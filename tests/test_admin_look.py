"""What a secretary reads in the admin, in German and French only: the login protection's screens
under names that mean something (no "Axes", no "Locked Out"), no task queue internals, the
lock-out page naming those screens as the admin does, the city picker's texts starting with a
capital, times without seconds, the way from an event to its registrations; the calendar file
without an English note; and `make setup` without a warning a newcomer cannot act on.

Layout (clipped or overlapping boxes) is measured in a browser: tests/browser/test_admin_layout.py."""

import io
import json
import re

import icalendar
import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from registration.models import RegistrationSettings
from tests.factories import EventFactory, local
from tests.helpers import html_of

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
NBSP = "\u00a0"


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


# --- Login protection and the task queue, as the secretariat reads them ------------------------------

NAMES = {
    "de": {"section": "Zugang zur Verwaltung", "attempts": "Anmeldeversuche", "log": "Anmeldeprotokoll"},
    "fr": {
        "section": "Accès à l’administration",
        "attempts": "Tentatives de connexion",
        "log": "Journal des connexions",
    },
}


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_login_protection_has_names_that_mean_something(secretary, language):
    page = html_of(in_language(secretary, language).get(reverse("admin:index")))
    names = NAMES[language]
    assert f">{names['section']}</a>" in page
    assert f">{names['attempts']}</a>" in page and f">{names['log']}</a>" in page
    assert not re.search(r">\s*Axes\s*<", page, re.IGNORECASE)
    assert "Zugriffsversuche" not in page and "Zugriffslogs" not in page


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("de", ["Nach Sperre", "Gesperrt", "Noch 7 Versuche", "Noch 1 Versuch"]),
        ("fr", ["Par blocage", "Bloqué", "Encore 7 tentatives", "Encore 1 tentative"]),
    ],
)
def test_the_login_attempts_list_speaks_the_admins_language(secretary, language, texts):
    for username, failures in (("anna", 10), ("bert", 3), ("carla", 9)):
        AccessAttempt.objects.create(
            username=username, ip_address="192.0.2.1", user_agent="Firefox", path_info="/admin/login/",
            failures_since_start=failures, get_data="", post_data="", http_accept="*/*",
        )  # fmt: skip

    page = html_of(in_language(secretary, language).get(reverse("admin:axes_accessattempt_changelist")))

    for text in texts:
        assert text in page
    assert "Locked Out" not in page and "Attempt" not in page  # axes' "Attempted Access: <time in UTC>"


@pytest.mark.parametrize("language", ["de", "fr"])
def test_lifting_a_lock_out_names_the_attempt_by_who_where_and_when(secretary, language):
    attempt = AccessAttempt.objects.create(
        username="anna", ip_address="192.0.2.1", user_agent="Firefox", path_info="/admin/login/",
        failures_since_start=10, get_data="", post_data="", http_accept="*/*",
    )  # fmt: skip
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=local(2027, 1, 5, 8, 15))

    page = html_of(in_language(secretary, language).get(reverse("admin:axes_accessattempt_delete", args=[attempt.pk])))

    when = {"de": "05.01.2027 8:15", "fr": "05/01/2027 8h15"}[language]  # local time, not 07:15 UTC
    assert f"anna, 192.0.2.1, {when}" in page
    assert "Attempted Access" not in page


def test_the_task_queue_is_not_in_the_admin(admin_client):
    page = html_of(admin_client.get(reverse("admin:index")))
    assert "Task" not in page and "django_tasks" not in page
    assert admin_client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 404


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_lock_out_page_names_the_screens_as_the_admin_does(language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    get_user_model().objects.create_user("sekretariat", password=PASSWORD, is_staff=True)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("admin:login"), {"username": "sekretariat", "password": f"guess {attempt}"})
    assert response.status_code == 429
    page = html_of(response)
    with translation.override(language):
        section = str(apps.get_app_config("axes").verbose_name)
        attempts = str(AccessAttempt._meta.verbose_name_plural).capitalize()
    quote = ("„{}“" if language == "de" else f"«{NBSP}{{}}{NBSP}»").format
    assert f"{quote(section)} → {quote(attempts)}" in page
    assert "Axes" not in page


# --- Texts of the admin's widgets ------------------------------------------------------------------


def test_the_city_pickers_texts_start_with_a_capital_in_german(admin_client):
    in_language(admin_client, "de")
    source = html_of(admin_client.get(reverse("admin:jsi18n")))
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", source, re.S).group(1))
    picker = [msgid for msgid in catalog if re.match(r"(Choose|Remove) (all )?%s", msgid)]
    assert len(picker) == 4  # "Choose all %s", "Remove all %s", and the two "… by selecting them" help texts
    for msgid in picker:
        text = catalog[msgid] % ("beteiligte Städte",)
        assert text[0].isupper(), f"{msgid!r} → {text!r}"


def test_the_admin_language_switch_writes_french_typography():
    page = html_of(Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("admin:login")))
    assert f"Langue de l’administration{NBSP}:</span>" in page


def test_times_are_shown_without_seconds(secretary):
    event = EventFactory(start=local(2027, 3, 4, 9, 30), end=local(2027, 3, 4, 17, 0))
    RegistrationSettings.objects.create(event=event, closes_at=local(2027, 3, 1, 18, 0), privacy_notice_de="x")

    for url in (
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:registration_registrationsettings_change", args=[event.pk]),
    ):
        page = html_of(secretary.get(url))
        times = re.findall(r'name="(?:start|end|closes_at)_1"[^>]*value="([^"]*)"', page)
        assert times and all(re.fullmatch(r"\d\d:\d\d", time) for time in times), times


# --- From the event to its registrations ---------------------------------------------------------------


def object_tools(page):
    tools = re.search(r'<ul class="object-tools">(.*?)</ul>', page, re.S).group(1)
    return {text.strip(): href for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', tools)}


def test_the_event_page_leads_to_its_registrations(secretary):
    event = EventFactory()
    RegistrationSettings.objects.create(event=event, privacy_notice_de="x")

    tools = object_tools(html_of(secretary.get(reverse("admin:events_event_change", args=[event.pk]))))

    assert tools["Anmeldungen"] == reverse("admin:registration_registration_overview", args=[event.pk])
    assert secretary.get(tools["Anmeldungen"]).status_code == 200


def test_an_event_without_registration_offers_to_set_it_up(secretary):
    event = EventFactory()
    tools = object_tools(html_of(secretary.get(reverse("admin:events_event_change", args=[event.pk]))))
    add = reverse("admin:registration_registrationsettings_add")
    assert tools["Anmeldung einrichten"] == f"{add}?event={event.pk}"
    assert "Anmeldungen" not in tools


def test_an_event_with_a_registration_link_offers_neither(secretary):
    event = EventFactory(registration_url_de="https://example.org/anmeldung")
    tools = object_tools(html_of(secretary.get(reverse("admin:events_event_change", args=[event.pk]))))
    assert "Anmeldung einrichten" not in tools and "Anmeldungen" not in tools


# --- The calendar file and the setup ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_calendar_file_carries_no_english_note(client, language):
    event = EventFactory()
    response = client.get(event.get_calendar_url(language))
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.timezones, "the venue's time zone is still described"
    assert b"COMMENT" not in response.content


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="a warning of SQLite only"
)
def test_the_setup_on_sqlite_prints_no_warning_about_the_covering_index():
    out, err = io.StringIO(), io.StringIO()
    call_command("check", databases=["default"], stdout=out, stderr=err)
    assert "W040" not in out.getvalue() + err.getvalue()
    assert "no issues" in out.getvalue()
