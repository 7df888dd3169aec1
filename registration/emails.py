"""The e-mails to registrants: written in the registrant's language whatever language the
site or the staff member acting is in, plain text with an HTML alternative, the registrant's
signed link, and a line saying where the registration stands.

- **Calendar files.** Where the registrant holds a place, the event's calendar file comes along
  (iTIP ``METHOD:PUBLISH``); when they lose it — they cancelled, or the event was called off — a
  ``METHOD:CANCEL`` for the same UID. The content type carries the same method
  (``text/calendar; method=…``), and each calendar e-mail to an address has a higher SEQUENCE
  than the one before (the event's own revision plus the count of earlier ones), so that
  calendar apps replace or remove their copy instead of ignoring it.
- **Unconfirmed addresses** get one e-mail: the request to confirm, with the visitor's name as
  the only text of theirs (cut, and left out when it looks like an address to visit), no answers.

``deliver()`` is what the task queue runs (``send_email``): it sends an ``Email`` at most once (a
lease keeps two senders apart), records a failure and queues the next attempt in the same
transaction, and gives up after settings.REGISTRATION_EMAIL_ATTEMPTS attempts.
"""

import datetime
import logging
from email.mime.text import MIMEText
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.mail import EmailMessage
from events import calendar, dates, facts
from events.typography import french_typography, french_typography_html

from . import display, links
from .models import Email, Registration, RegistrationSettings

logger = logging.getLogger(__name__)

Kind = Email.Kind
# Kinds whose e-mail may carry a calendar file: to add the event, to update it, or to cancel it.
CALENDAR_KINDS = {
    Kind.CONFIRMATION,
    Kind.PROMOTED,
    Kind.REMINDER,
    Kind.CHANGED,
    Kind.CANCELLED,
    Kind.EVENT_CANCELLED,
    Kind.EVENT_CHANGED,
}
# How long one sender may take to send an e-mail before another may try.
LEASE = datetime.timedelta(minutes=5)


class DeliveryFailed(Exception):
    """Sending failed; ``retry_at`` is when it is tried again, None when given up."""

    def __init__(self, email_id, retry_at):
        super().__init__(f"e-mail {email_id} not sent" + (f", next attempt at {retry_at:%H:%M:%S}" if retry_at else ""))
        self.retry_at = retry_at


def retry_delay(attempts):
    """The wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 60))


def deliver(email_id):
    """Sends the e-mail unless it was sent or given up already, or another sender holds it
    (a task run twice, or queued again by the sweep, sends once)."""
    now = timezone.now()
    claimed = (
        Email.objects.filter(pk=email_id, sent_at__isnull=True, given_up_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + LEASE)
    )
    if not claimed:
        return "skipped"
    email = Email.objects.select_related(
        "registration__event__venue", "registration__event__contact", "registration__city", "registration__bus_city"
    ).get(pk=email_id)
    if email.registration.anonymised_at or not email.registration.email:
        Email.objects.filter(pk=email.pk).update(
            given_up_at=now, last_error="anonymised", claimed_until=None, next_attempt_at=None
        )
        return "anonymised"
    try:
        build(email).send()
    except Exception as error:
        now = timezone.now()
        attempts = email.attempts + 1
        given_up = attempts >= settings.REGISTRATION_EMAIL_ATTEMPTS
        retry_at = None if given_up else now + retry_delay(attempts)
        with transaction.atomic():  # the failure and the next attempt's task, or neither
            Email.objects.filter(pk=email.pk).update(
                attempts=attempts,
                last_error=f"{type(error).__name__}: {error}"[:500],
                given_up_at=now if given_up else None,
                next_attempt_at=retry_at,
                claimed_until=None,
            )
            if retry_at is not None:
                send_email.using(run_after=retry_at).enqueue(email.pk)
        if given_up:
            logger.error("Gave up sending e-mail %s after %s attempts: %s", email.pk, attempts, error)
        else:
            logger.warning("E-mail %s not sent (attempt %s), retrying at %s: %s", email.pk, attempts, retry_at, error)
        raise DeliveryFailed(email.pk, retry_at) from error
    Email.objects.filter(pk=email.pk).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="", claimed_until=None, next_attempt_at=None
    )
    return "sent"


@task()
def send_email(email_id):
    """The worker's task: sends one registration e-mail (``deliver``). When the mail server
    fails, the attempt is recorded and the same task queued again for later, in one
    transaction, until given up."""
    return deliver(email_id)


def subject(kind, event, position=None):
    titles = {
        Kind.CONFIRM_ADDRESS: _("Please confirm your registration: %(event)s"),
        Kind.CONFIRMATION: _("Registration confirmed: %(event)s"),
        Kind.CHANGED: _("Your answers are saved: %(event)s"),
        Kind.WAITLISTED: _("Waiting list, number %(position)s: %(event)s"),
        Kind.PROMOTED: _("You have a place: %(event)s"),
        Kind.CANCELLED: _("Registration cancelled: %(event)s"),
        Kind.REMINDER: _("In two days: %(event)s"),
        Kind.EVENT_CANCELLED: _("Event cancelled: %(event)s"),
        Kind.EVENT_CHANGED: _("Event changed: %(event)s"),
        Kind.LINK: _("Your registration: %(event)s"),
    }
    return titles[kind] % {"event": event.title, "position": position}


def introduction(email, event, calendar_method=None):
    """The paragraphs saying why the registrant gets this e-mail."""
    registration = email.registration
    values = {"event": event.title, "position": email.position}
    # The end of the window to confirm (still known once confirmed: the e-mail was written with it).
    window_end = registration.expires_at or email.created + datetime.timedelta(
        minutes=settings.REGISTRATION_HOLD_MINUTES
    )
    values["time"] = dates.time_of_day(timezone.localtime(window_end))
    paragraphs = {
        Kind.CONFIRM_ADDRESS: [
            _(
                "Someone, hopefully you, asked for a place at “%(event)s” with this e-mail address. We hold it "
                "until %(time)s: to confirm your registration, open the link below and press “Confirm”."
            )
            if registration.status != Registration.Status.PENDING
            else _(
                "Someone, hopefully you, asked to join the waiting list of “%(event)s” with this e-mail address. "
                "To take your place in the line, open the link below by %(time)s and press “Confirm”."
            ),
            _(
                "If it was not you, ignore this e-mail: without a confirmation the registration expires at "
                "%(time)s and we send nothing more to this address."
            ),
        ],
        Kind.CONFIRMATION: [
            _("Your registration for “%(event)s” is confirmed. We look forward to seeing you."),
        ],
        Kind.CHANGED: [
            _("Your answers for “%(event)s” are saved. This is what we have now."),
        ],
        Kind.WAITLISTED: [
            _(
                "The places you could take at “%(event)s” are all taken, so you are on the waiting list, "
                "at number %(position)s."
            ),
            _("If a place becomes free for you, it is yours automatically and we will tell you by e-mail."),
        ],
        Kind.PROMOTED: [
            _("Good news: a place has become free at “%(event)s”, and it is yours. Your registration is confirmed."),
        ],
        Kind.CANCELLED: [
            _("Your registration for “%(event)s” is cancelled."),
            _("If this was a mistake, you can register again on the event page while registration is open."),
        ],
        Kind.REMINDER: [
            _("“%(event)s” takes place in two days. We look forward to seeing you."),
            _("If you cannot come, please cancel your registration with the link below: someone else gets your place."),
        ],
        Kind.EVENT_CANCELLED: [
            _("We are sorry: “%(event)s” has been cancelled. Your registration no longer applies."),
        ],
        Kind.EVENT_CHANGED: [
            _("Please note: “%(event)s” has changed. The date, place and status below are what applies now."),
        ],
        Kind.LINK: [
            _(
                "Here is the link to your registration for “%(event)s”, as asked for on our website. If you "
                "just sent the registration form again, nothing has changed: you were already registered."
            ),
        ],
    }[email.kind]
    if calendar_method == "PUBLISH":
        paragraphs.append(
            _("The attached calendar file updates the event in your calendar.")
            if email.kind in (Kind.CHANGED, Kind.EVENT_CHANGED)
            else _("The attached calendar file adds the event to your calendar.")
        )
    elif calendar_method == "CANCEL":
        paragraphs.append(_("The attached calendar file removes the event from your calendar."))
    paragraphs = [paragraph % values for paragraph in paragraphs]
    if email.kind == Kind.EVENT_CHANGED and (sentence := facts.status_sentence(event, event.public_status())):
        paragraphs.insert(1, sentence)  # postponed, new date (with the previous one), moved online
    if link := registration.online_link():
        # The link to join from home, for who holds a place, whoever else may see it.
        paragraphs.append(_("Join online: %(link)s") % {"link": link})
    return paragraphs


def venue_lines(event):
    """The address people go to, or "Online" for an event held only online."""
    if venue := event.place:
        return [*venue.address_lines, venue.country]
    return [facts.where(event)] if event.attendance_mode == event.AttendanceMode.ONLINE else []


def calendar_method(email):
    """ "PUBLISH" when the e-mail brings the event to the registrant's calendar, "CANCEL" when it
    takes it away, None when it carries no calendar file."""
    registration, event = email.registration, email.registration.event
    if email.kind not in CALENDAR_KINDS or event.status != event.Status.PUBLISHED:
        return None
    if email.kind == Kind.EVENT_CANCELLED:
        return "CANCEL" if registration.status == Registration.Status.CONFIRMED else None
    if email.kind == Kind.CANCELLED:
        # Only who was sent the event before has it in their calendar.
        had_it = registration.emails.filter(
            pk__lt=email.pk, kind__in=[Kind.CONFIRMATION, Kind.PROMOTED, Kind.CHANGED, Kind.REMINDER]
        ).exists()
        return "CANCEL" if had_it else None
    if registration.status != Registration.Status.CONFIRMED or event.is_cancelled:
        return None
    return "PUBLISH"


def calendar_part(email, method, language):
    """The calendar file as a MIME part: ``text/calendar; method=…``, with a SEQUENCE above that
    of every earlier calendar e-mail to this address for this event."""
    registration, event = email.registration, email.registration.event
    earlier = Email.objects.filter(
        registration__event_id=event.pk,
        registration__email=registration.email,
        kind__in=CALENDAR_KINDS,
        pk__lt=email.pk,
    ).count()
    sender_name, sender_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    ics = calendar.event_calendar(
        event,
        language=language,
        base_url=settings.SITE_URL,
        method=method,
        organizer=(sender_name or _("QuattroPole city network"), sender_address),
        revision=earlier,
        cancelled=method == "CANCEL",
        online_link=registration.online_link() if method != "CANCEL" else "",
    )
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=f"{event.slug_in(language)}.ics")
    return part


def build(email):
    """The message (plain text and HTML, calendar file attached where it belongs)."""
    registration = email.registration
    event = registration.event
    language = registration.language
    unconfirmed = email.kind == Kind.CONFIRM_ADDRESS
    with translation.override(language), timezone.override(event.tzinfo):
        form = RegistrationSettings.objects.filter(event=event).first()
        method = calendar_method(email)
        name = display.safe_name(registration) if unconfirmed else registration.full_name
        active = registration.status in Registration.CONFIRMED_ADDRESS and not event.is_cancelled
        context = {
            "email": email,
            "registration": registration,
            "event": event,
            "language": language,
            "greeting": _("Hello %(name)s,") % {"name": name} if name else _("Hello,"),
            "introduction": introduction(email, event, method),
            "when": dates.date_span(event.start, event.end, language),
            "venue_lines": venue_lines(event),
            "event_url": links.absolute(event.get_absolute_url(language)),
            "status": display.status(registration, registration.waiting_list_position()),
            "answers": [] if unconfirmed else display.answers(registration, form),
            "manage_url": links.absolute(links.manage_url(registration, language)),
            "link_text": _("Confirm my registration")
            if unconfirmed
            else _("See, change or cancel your registration")
            if active
            else _("See your registration"),
            "site_name": _("QuattroPole city network"),
        }
        title = subject(email.kind, event, email.position)
        text = render_to_string("registration/email/message.txt", context)
        html = render_to_string("registration/email/message.html", context)
        if language == "fr":
            # French typography on what the secretariat and the registrant typed, as on the site.
            title, text, html = french_typography(title), french_typography(text), french_typography_html(html)
        message = EmailMessage(
            subject=title,
            body=text,
            to=[registration.email],
            reply_to=[event.contact.email] if event.contact_id and event.contact.email else None,
            headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
        )
        message.attach_alternative(html, "text/html")
        if method:
            message.attach(calendar_part(email, method, language))
    return message
