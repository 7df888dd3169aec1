"""E-mails to registrants: queued after the commit, in the registrant's language whatever the
language of whoever acts, plain text and HTML, the calendar file where it belongs, the signed
link; delivered over real SMTP; a mail server that is away loses nothing and sends once."""

import datetime
import email
import email.policy
from contextlib import contextmanager

import icalendar
import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation

from registration import links
from registration.models import Email, Registration
from registration.services import booking, notifications

from .conftest import answers, run_queue
from .factories import event_with_form

pytestmark = pytest.mark.django_db


def parts(message):
    """(plain text, HTML, {filename: calendar text}) of a Django EmailMultiAlternatives."""
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    attachments = {part.get_filename(): part.get_payload(decode=True).decode() for part in message.attachments}
    return message.body, html, attachments


def test_a_rolled_back_registration_leaves_neither_email_nor_task():
    from django_tasks_db.models import DBTaskResult

    event = event_with_form()
    with pytest.raises(RuntimeError), transaction.atomic():
        booking.request_place(event, answers(), language="de")
        assert Email.objects.exists() and DBTaskResult.objects.exists()  # written together …
        raise RuntimeError("rolled back")
    assert not Email.objects.exists() and not DBTaskResult.objects.exists()  # … and gone together


class Interrupted(Exception):
    """The process stopping right after the commit."""


@pytest.mark.django_db(transaction=True)
def test_work_interrupted_between_the_commit_and_the_queueing_still_delivers_once(smtp):
    """The first thing run after the commit stops the work (a process killed there): whatever
    was meant to happen after the commit does not. The e-mail's task was committed with it."""
    inbox = Inbox()
    event = event_with_form()

    def stop():
        raise Interrupted

    with pytest.raises(Interrupted), transaction.atomic():
        transaction.on_commit(stop)  # runs first after the commit, and nothing after it runs
        registration = booking.request_place(event, answers(), language="fr")
    assert Registration.objects.filter(pk=registration.pk).exists()  # committed
    with smtp_server(smtp.EMAIL_PORT, inbox):
        assert run_queue() == 1
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
            notifications.sweep_emails()
            run_queue()
    assert [recipients for recipients, _message in inbox.messages] == [[registration.email]]
    # (Python folds this encoded subject onto a continuation line: a space to strip.)
    assert inbox.messages[0][1]["Subject"].strip() == f"Confirmez votre inscription\u00a0: {event.title_fr}"


def test_a_lost_task_is_queued_again_by_the_sweep_and_the_email_sent_once(smtp, register, commit):
    from django_tasks_db.models import DBTaskResult

    inbox = Inbox()
    event = event_with_form()
    registration = register(event, language="de")
    email = Email.objects.get(registration=registration, kind=Email.Kind.CONFIRMATION)
    DBTaskResult.objects.all().delete()  # a worker killed mid-task: nothing will run it
    assert notifications.sweep_emails() == 0  # not overdue yet: its task may simply be waiting
    later = timezone.now() + notifications.EMAIL_OVERDUE + datetime.timedelta(minutes=1)
    with smtp_server(smtp.EMAIL_PORT, inbox), time_machine.travel(later):
        with commit():
            assert notifications.sweep_emails() == 1
            assert notifications.sweep_emails() == 0  # queued once, not at every run
        with commit():
            assert run_queue() == 1
    with time_machine.travel(later + datetime.timedelta(hours=1)):
        assert notifications.sweep_emails() == 0  # sent: never again
    assert [recipients for recipients, _message in inbox.messages] == [[registration.email]]
    email.refresh_from_db()
    assert email.sent_at is not None and email.next_attempt_at is None


def test_an_email_being_sent_by_one_worker_is_skipped_by_another(register):
    from registration import emails

    registration = register(event_with_form())
    email = Email.objects.get(registration=registration, kind=Email.Kind.CONFIRMATION)
    Email.objects.filter(pk=email.pk).update(claimed_until=timezone.now() + datetime.timedelta(minutes=1))
    assert emails.deliver(email.pk) == "skipped"
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):  # that worker died
        assert emails.deliver(email.pk) == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "link_start"),
    [
        ("de", "Anmeldung bestätigt: ", "Guten Tag", "/de/anmeldung/"),
        ("fr", "Inscription confirmée\u00a0: ", "Bonjour", "/fr/inscription/"),
    ],
)
def test_confirmation_in_the_registrants_language_with_calendar_and_link(
    register, deliver, settings, language, subject, greeting, link_start
):
    settings.SITE_URL = "https://events.example.org"
    event = event_with_form()
    with translation.override("de" if language == "fr" else "fr"):  # whatever the active language
        registration = register(event, language=language, first_name="Anaïs", last_name="Müller")
    outbox = deliver()
    assert len(outbox) == 1
    message = outbox[0]
    title = getattr(event, f"title_{language}")
    assert message.subject == subject + title
    assert message.to == [registration.email]
    text, html, attachments = parts(message)
    assert f"{greeting} Anaïs Müller," in text
    assert f"{greeting} Anaïs Müller," in html
    assert f'<html lang="{language}">' in html
    url = "https://events.example.org" + links.manage_url(registration, language)
    assert url.startswith("https://events.example.org" + link_start)
    assert url in text and url in html
    calendar = icalendar.Calendar.from_ical(attachments[f"{event.slug_in(language)}.ics"])
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == title
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert Email.objects.get(registration=registration, kind=Email.Kind.CONFIRMATION).sent_at is not None


def test_waitlisted_email_says_the_position_and_has_no_calendar(register, deliver):
    event = event_with_form(capacity=1)
    register(event)
    register(event, language="fr")
    outbox = deliver()
    waiting = outbox[1]
    assert waiting.subject == f"Liste d’attente, numéro 1\u00a0: {event.title_fr}"
    text, _html, attachments = parts(waiting)
    assert "numéro 1" in text
    assert attachments == {}


def test_promotion_is_told_in_the_promoted_persons_language_whatever_the_staff_language(register, deliver, commit):
    event = event_with_form(capacity=1)
    confirmed = register(event, language="de")
    waiting = register(event, language="fr")
    deliver()
    mail.outbox.clear()
    with translation.override("de"), commit():  # a German-speaking staff member cancels
        booking.cancel(confirmed, by=_staff())
    outbox = deliver()
    by_address = {message.to[0]: message for message in outbox}
    assert by_address[confirmed.email].subject.startswith("Anmeldung storniert: ")
    promoted = by_address[waiting.email]
    assert promoted.subject == f"Vous avez une place\u00a0: {event.title_fr}"
    assert "Bonne nouvelle" in promoted.body
    assert f"{event.slug_fr}.ics" in parts(promoted)[2]


def _staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("sekretariat", is_staff=True)


def test_cancelling_the_event_tells_every_registrant_once(register, deliver, commit):
    event = event_with_form(capacity=1)
    confirmed, waiting = register(event, language="de"), register(event, language="fr")
    deliver()
    mail.outbox.clear()
    with commit():
        assert booking.cancel_event(event) == 2
    with commit():
        assert booking.cancel_event(event) == 0  # called again: nobody is told twice
    outbox = deliver()
    assert sorted(message.to[0] for message in outbox) == sorted([confirmed.email, waiting.email])
    french = next(message for message in outbox if message.to == [waiting.email])
    assert french.subject == f"Événement annulé\u00a0: {event.title_fr}"
    assert parts(french)[2] == {}  # never had the event in a calendar: nothing to remove
    german = next(message for message in outbox if message.to == [confirmed.email])
    ics = icalendar.Calendar.from_ical(parts(german)[2][f"{event.slug_de}.ics"])
    assert str(ics["method"]) == "CANCEL"
    assert str(ics.walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_reminder_two_days_before_to_confirmed_registrants_once(register, commit, deliver):
    from django.core.management import call_command

    start = timezone.now() + datetime.timedelta(days=20)
    event = event_with_form(capacity=1, start=start)
    confirmed, waiting = register(event, language="fr"), register(event)
    deliver()
    mail.outbox.clear()
    with time_machine.travel(start - datetime.timedelta(days=2, minutes=5), tick=False), commit():
        call_command("send_reminders", stdout=_null())
    assert deliver() == []
    with time_machine.travel(start - datetime.timedelta(days=2) + datetime.timedelta(minutes=5), tick=False):
        with commit():
            call_command("send_reminders", stdout=_null())
            call_command("send_reminders", stdout=_null())  # run again: nothing more
        outbox = deliver()
    assert [message.to for message in outbox] == [[confirmed.email]]
    assert outbox[0].subject == f"Dans deux jours\u00a0: {event.title_fr}"
    assert waiting.email not in str([m.to for m in outbox])


def test_no_reminder_for_a_place_confirmed_within_the_last_day(commit, deliver):
    start = timezone.now() + datetime.timedelta(days=20)
    event = event_with_form(start=start)
    with time_machine.travel(start - datetime.timedelta(days=2, hours=12), tick=False), commit():
        booking.register(event, answers(), language="de")
    with time_machine.travel(start - datetime.timedelta(days=1, hours=23), tick=False), commit():
        assert notifications.send_due_reminders() == 0
    with time_machine.travel(start - datetime.timedelta(days=1, hours=11), tick=False), commit():
        assert notifications.send_due_reminders() == 1


def _null():
    import io

    return io.StringIO()


def test_link_resent_only_to_a_registered_address(register, deliver, commit):
    event = event_with_form()
    registration = register(event, language="fr")
    deliver()
    mail.outbox.clear()
    with commit():
        assert notifications.resend_link(event, registration.email.upper())
        assert not notifications.resend_link(event, "nobody@example.org")
    outbox = deliver()
    assert [message.to for message in outbox] == [[registration.email]]
    assert outbox[0].subject == f"Votre inscription\u00a0: {event.title_fr}"


# --- Real SMTP -----------------------------------------------------------------------------------


class Inbox:
    """What a local SMTP server received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default))
        )
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(port, inbox):
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def test_delivered_over_smtp_and_read_back(smtp, register, commit):
    inbox = Inbox()
    event = event_with_form()
    with smtp_server(smtp.EMAIL_PORT, inbox):
        registration = register(event, language="fr", first_name="Zoé", last_name="Lefèvre")
        with commit():
            assert run_queue() == 1
    ((recipients, message),) = inbox.messages
    assert recipients == [registration.email]
    assert message["Subject"] == f"Inscription confirmée\u00a0: {event.title_fr}"
    assert message.get_body(("plain",)).get_content().startswith("Bonjour Zoé Lefèvre,")
    assert "Bonjour Zoé Lefèvre," in message.get_body(("html",)).get_content()
    (calendar,) = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert calendar.get_filename() == f"{event.slug_fr}.ics"
    assert "BEGIN:VEVENT" in calendar.get_content()


def test_mail_server_away_loses_nothing_and_sends_once_when_back(smtp, register, commit):
    inbox = Inbox()
    event = event_with_form()
    # The mail server is down: registering still works and is saved.
    registration = register(event, language="de")
    assert Registration.objects.filter(pk=registration.pk, status="confirmed").exists()
    with commit():
        run_queue()
    sent = Email.objects.get(registration=registration, kind=Email.Kind.CONFIRMATION)
    assert sent.sent_at is None and sent.attempts == 1 and sent.last_error
    assert inbox.messages == []
    # The server is back; the retry is due a minute later.
    with smtp_server(smtp.EMAIL_PORT, inbox):
        with commit():
            assert run_queue() == 0  # not yet
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)), commit():
            assert run_queue() == 1
            assert run_queue() == 0
    assert [recipients for recipients, _message in inbox.messages] == [[registration.email]]
    sent.refresh_from_db()
    assert sent.sent_at is not None and sent.attempts == 2 and sent.last_error == ""


def test_given_up_after_the_last_attempt(smtp, register, commit, settings):
    settings.REGISTRATION_EMAIL_ATTEMPTS = 2
    event = event_with_form()
    registration = register(event)
    with commit():
        run_queue()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)), commit():
        run_queue()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=5)), commit():
        assert run_queue() == 0  # no third attempt is queued
    sent = Email.objects.get(registration=registration, kind=Email.Kind.CONFIRMATION)
    assert sent.attempts == 2 and sent.given_up_at is not None and sent.sent_at is None


def test_a_task_run_twice_sends_once(register, deliver):
    from registration import emails

    event = event_with_form()
    registration = register(event)
    deliver()
    assert emails.deliver(Email.objects.get(registration=registration, kind=Email.Kind.CONFIRMATION).pk) == "skipped"
    assert len(mail.outbox) == 1
